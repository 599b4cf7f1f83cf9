"""People the assistant talks to: keyed hash of the channel id, language, consent, answers,
and the requests staff must act on. Plain Python over the app database, no Rasa here."""
from __future__ import annotations

import hashlib
import hmac
import re
from typing import Iterable

from sqlalchemy import select
from sqlalchemy.orm import Session

from bot import crypto, phones
from bot.models import CaseAlias, Person, PersonRequest, Screening, utcnow
from bot.screening import ScreeningResult

# Which exact notice each person agreed to, per channel: the web text and the SMS text of
# utter_consent_notice (bot/responses.py) are different, so each has its own version. Bump the
# one whose text changes (tests/test_privacy.py holds every version to its English text).
CONSENT_VERSIONS = {"web": "2026-12-web-v3", "sms": "2026-12-sms-v3"}
CONSENT_VERSION = CONSENT_VERSIONS["web"]
# Each one is a task in the console (bot/console/tasks.py). callback: no free time, a social
# worker calls back; after_hours: wrote to the team while it was away; undelivered: neither
# WhatsApp nor SMS reached the person (bot/whatsapp.py).
REQUEST_KINDS = ("human", "interpreter", "erasure", "sms_stop", "callback", "after_hours", "undelivered")
# The association tag of a shared link (?src=medecins-du-monde): a short slug, nothing free-form.
SOURCE_TAG = re.compile(r"[a-z0-9][a-z0-9_-]{0,39}")


def person_key(channel_id: str, hash_key: str) -> str:
    """Keyed hash of a channel id (phone number, web session…): stable, not reversible
    without the key, so the database never holds the raw identifier."""
    return hmac.new(hash_key.encode(), channel_id.encode(), hashlib.sha256).hexdigest()


def sms_sender_id(address: phones.Address, hash_key: str) -> str:
    """The conversation id of a phone, for Rasa: a keyed hash, never the number itself. SMS and
    WhatsApp from the same number are the same conversation."""
    return "sms-" + person_key(address.e164, hash_key)[:40]


def set_phone(session: Session, key: str, address: phones.Address, hash_key: str, data_key: str) -> Person:
    """Keep where to send this person's SMS (encrypted), and a keyed hash to recognise the number."""
    person = get_or_create(session, key)
    if phone_of(person, data_key) != address:  # each message would otherwise rewrite the same number
        person.phone_key = person_key(address.e164, hash_key)
        person.phone_encrypted = crypto.encrypt(address.twilio, data_key)
    return person


def phone_of(person: Person, data_key: str) -> phones.Address | None:
    return phones.parse(crypto.decrypt(person.phone_encrypted, data_key)) if person.phone_encrypted else None


def stop_sms(session: Session, key: str) -> bool:
    """STOP: no more SMS to this person. True if this stops them now (to confirm only once)."""
    person = get_or_create(session, key)
    record_request(session, key, "sms_stop")
    if person.sms_opted_out_at is not None:
        return False
    person.sms_opted_out_at = utcnow()
    return True


def resume_sms(session: Session, key: str) -> bool:
    """START: SMS again. True if they were stopped."""
    person = get_or_create(session, key)
    if person.sms_opted_out_at is None:
        return False
    person.sms_opted_out_at = None
    for request in person.requests:
        if request.kind == "sms_stop" and request.status == "open":
            request.status = "done"
    return True


def find(session: Session, key: str) -> Person | None:
    return session.execute(select(Person).where(Person.key == key)).scalar_one_or_none()


def get_or_create(session: Session, key: str) -> Person:
    person = find(session, key)
    if person is None:
        person = Person(key=key)
        session.add(person)
        session.flush()
    person.last_seen_at = utcnow()
    alias = session.get(CaseAlias, key)
    if alias is not None and alias.person_id != person.id:
        # A conversation that proved to be someone's (bot.case.link_reference): their case is
        # in use, so its retention count starts again too.
        owner = session.get(Person, alias.person_id)
        if owner is not None:
            owner.last_seen_at = utcnow()
    return person


def set_language(session: Session, key: str, language: str) -> Person:
    person = get_or_create(session, key)
    person.language = language
    return person


def source_tag(value: object) -> str | None:
    """The association tag as stored (lower case), or None if it is not a short slug."""
    if not isinstance(value, str):
        return None
    value = value.strip().lower()
    return value if SOURCE_TAG.fullmatch(value) else None


def set_source(session: Session, key: str, source: str) -> Person:
    """Note which association's link brought the person, once: the first link counts."""
    tag = source_tag(source)
    if tag is None:
        raise ValueError("an association tag is a short slug: letters, digits, - and _")
    person = get_or_create(session, key)
    if person.source is None:
        person.source = tag
    return person


def record_consent(session: Session, key: str, channel: str | None = None) -> Person:
    """The person's yes, with the version of the notice they read: the SMS one when they write
    by SMS or WhatsApp (their number is kept, encrypted, before any turn), else the web one."""
    person = get_or_create(session, key)
    channel = channel or ("sms" if person.phone_encrypted else "web")
    person.consent_version = CONSENT_VERSIONS[channel]
    person.consent_at = utcnow()
    return person


def save_screening(session: Session, key: str, answers: dict, result: ScreeningResult) -> Screening:
    """Store the answers, only for a person who agreed to the notice."""
    person = find(session, key)
    if person is None or person.consent_at is None:
        raise PermissionError("screening answers are only kept after consent")
    screening = Screening(
        person=person,
        health_problem=answers.get("health_problem"),
        current_cover=answers.get("current_cover"),
        can_advance_fees=answers.get("can_advance_fees"),
        saint_denis_link=answers.get("saint_denis_link"),
        pass_eligible=result.eligible,
        reasons=list(result.reasons),
    )
    session.add(screening)
    session.flush()
    # The case gets a new version of the outcome in the same transaction (bot/case.py).
    from bot import case  # case reads people's tables; imported here to keep the modules apart

    case.record_screening(session, person, answers, screening)
    return screening


def record_request(session: Session, key: str, kind: str) -> PersonRequest:
    """Record a request once: a second identical open request is not duplicated."""
    if kind not in REQUEST_KINDS:
        raise ValueError(f"unknown request kind {kind!r}")
    person = get_or_create(session, key)
    existing = session.execute(
        select(PersonRequest).where(
            PersonRequest.person_id == person.id,
            PersonRequest.kind == kind,
            PersonRequest.status == "open",
        )
    ).scalar_one_or_none()
    if existing:
        return existing
    request = PersonRequest(person=person, kind=kind)
    session.add(request)
    return request


def open_requests(session: Session, kinds: Iterable[str] = REQUEST_KINDS) -> list[PersonRequest]:
    return list(
        session.execute(
            select(PersonRequest)
            .where(PersonRequest.status == "open", PersonRequest.kind.in_(list(kinds)))
            .order_by(PersonRequest.created_at)
        ).scalars()
    )
