"""Finding a person who phones or walks in: by appointment reference, phone number or the name
they gave. Always an exact match (a phone or a name through its keyed hash, as stored): a
search never lists people."""
from __future__ import annotations

import re
import unicodedata

from sqlalchemy import select
from sqlalchemy.orm import Session

from bot import crypto, phones, people
from bot.booking import appointments
from bot.models import Appointment, Person

MAX_NAME = 80
REFERENCE = re.compile(rf"[{appointments.REFERENCE_ALPHABET}]{{{appointments.REFERENCE_LENGTH}}}")


def normal_name(name: str) -> str:
    """One spelling for a name: "  Aïcha  BENALI " and "aicha benali" are the same."""
    plain = "".join(c for c in unicodedata.normalize("NFKD", name) if not unicodedata.combining(c))
    return " ".join(plain.casefold().split())


def name_key(name: str, hash_key: str) -> str:
    return people.person_key("name:" + normal_name(name), hash_key)


def set_name(person: Person, name: str, hash_key: str, data_key: str) -> None:
    """The name the person gave a social worker (never asked by the assistant)."""
    name = " ".join(name.split())[:MAX_NAME]
    if not name:
        person.name_key = person.name_encrypted = None
        return
    person.name_key, person.name_encrypted = name_key(name, hash_key), crypto.encrypt(name, data_key)


def find(session: Session, query: str, hash_key: str) -> tuple[str, list[Person]]:
    """How the query was read (reference, phone, name) and the people it matches exactly."""
    query = (query or "").strip()
    if not query:
        return "", []
    reference = query.upper().replace(" ", "")
    if REFERENCE.fullmatch(reference):
        found = session.execute(select(Appointment).where(Appointment.reference == reference)).scalar_one_or_none()
        if found is not None:
            return "reference", [found_person for found_person in [session.get(Person, found.person_id)]
                                 if found_person is not None] if found.person_id else []
    digits = re.sub(r"[\s.\-()]", "", query)
    if re.fullmatch(r"\+?\d{6,15}", digits):
        address = phones.parse(digits)
        if address is None:
            return "phone", []
        key = people.person_key(address.e164, hash_key)
        return "phone", list(session.execute(select(Person).where(Person.phone_key == key)).scalars())
    return "name", list(session.execute(
        select(Person).where(Person.name_key == name_key(query, hash_key)).order_by(Person.id)).scalars())
