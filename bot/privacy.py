"""Rights of the person and retention: erase, export (right of access), delete after inactivity.

Plain Python over the app database and the Rasa tracker store (its `events` table, read and
written with SQLAlchemy, so SQLite and PostgreSQL alike); no Rasa import.

What erasure keeps, without any link to the person, so the dashboard's counts survive:
screening outcomes (eligible or not, the reasons, the date), the kinds and statuses of requests,
and appointments (the slot stays booked, anonymous, until it is cancelled or passes). Everything
else goes: the person row (language, consent, association tag, phone number), the answers to the
screening questions, the case (bot/case.py: rights facts, outcome versions, papers held), the SMS
outbox rows, the conversation in the tracker store.
"""
from __future__ import annotations

import json
from dataclasses import dataclass
from datetime import datetime, timedelta, timezone
from functools import lru_cache
from typing import Any, Iterable

from sqlalchemy import column, create_engine, delete, func, select, table, update
from sqlalchemy.engine import Engine
from sqlalchemy.orm import Session

from bot import case, crypto, people, phones
from bot.booking import appointments as booking
from bot.models import (Appointment, CaseAlias, ConsoleNote, Handoff, OutboundSms, Person, PersonCase,
                        PersonRequest, Screening)

DEFAULT_RETENTION_DAYS = 365  # 12 months without any message: the conversation and data go
ANSWER_COLUMNS = ("health_problem", "current_cover", "can_advance_fees", "saint_denis_link")

EVENTS = table("events", column("id"), column("sender_id"), column("type_name"),
               column("timestamp"), column("data"))


@lru_cache(maxsize=4)
def tracker_engine(tracker_db: str) -> Engine:
    """The tracker store's database: settings.tracker_db is a SQLite path or a database URL."""
    url = tracker_db if "://" in tracker_db else f"sqlite:///{tracker_db}"
    connect_args = {"timeout": 30} if url.startswith("sqlite") else {}
    return create_engine(url, future=True, connect_args=connect_args)


def _tracker_has_events(engine: Engine) -> bool:
    from sqlalchemy import inspect

    return inspect(engine).has_table("events")


@dataclass(frozen=True)
class Identity:
    """How one person is known: their Rasa conversation ids and the keys derived from them."""

    sender_ids: tuple[str, ...]
    keys: tuple[str, ...]
    phone_key: str | None = None


def identity_of_phone(address: phones.Address, hash_key: str) -> Identity:
    sender = people.sms_sender_id(address, hash_key)
    return Identity((sender,), (people.person_key(sender, hash_key),), people.person_key(address.e164, hash_key))


def identity_of_sender(sender_id: str, hash_key: str) -> Identity:
    return Identity((sender_id,), (people.person_key(sender_id, hash_key),))


def people_with_keys(session: Session, keys: Iterable[str]) -> list[Person]:
    return list(session.execute(select(Person).where(Person.key.in_(list(keys)))).scalars())


def _people(session: Session, who: Identity) -> list[Person]:
    condition = Person.key.in_(who.keys)
    if who.phone_key:
        condition = condition | (Person.phone_key == who.phone_key)
    # A conversation that proved, with a booking reference, to be someone's: that person too.
    aliased = select(CaseAlias.person_id).where(CaseAlias.key.in_(who.keys))
    condition = condition | Person.id.in_(aliased)
    return list(session.execute(select(Person).where(condition)).scalars())


# --- erasure ------------------------------------------------------------------------------

def erase_people(session: Session, person_ids: Iterable[int]) -> int:
    """Erase these people from the app database, keeping anonymous counts. How many were erased."""
    ids = list(person_ids)
    if not ids:
        return 0
    session.execute(delete(OutboundSms).where(OutboundSms.person_id.in_(ids)))
    session.execute(delete(ConsoleNote).where(ConsoleNote.person_id.in_(ids)))  # staff's notes go too
    session.execute(update(Screening).where(Screening.person_id.in_(ids))
                    .values(person_id=None, **{name: None for name in ANSWER_COLUMNS}))
    session.execute(update(PersonRequest).where(PersonRequest.person_id.in_(ids)).values(person_id=None))
    session.execute(update(Appointment).where(Appointment.person_id.in_(ids)).values(person_id=None))
    # A handoff keeps its reason and times for the dashboard, not who or which conversation.
    session.execute(update(Handoff).where(Handoff.person_id.in_(ids)).values(
        person_id=None, conversation="erased", status="resolved", paused=False,
        resolved_at=func.coalesce(Handoff.resolved_at, datetime.now(timezone.utc))))
    # The case (answers, outcome versions, papers held, why each appointment; other keys that
    # resume it) goes whole: the database cascades from person_case and case_alias, and this
    # says it without relying on it (SQLite enforces foreign keys only when told to).
    session.execute(delete(CaseAlias).where(CaseAlias.person_id.in_(ids)))
    for case in session.execute(select(PersonCase).where(PersonCase.person_id.in_(ids))).scalars():
        session.delete(case)
    session.flush()
    session.execute(delete(Person).where(Person.id.in_(ids)), execution_options={"synchronize_session": False})
    session.expire_all()
    return len(ids)


def erase_conversations(tracker_db: str, sender_ids: Iterable[str]) -> int:
    """Delete these conversations from the tracker store. How many events were deleted."""
    engine, ids = tracker_engine(tracker_db), list(sender_ids)
    if not ids or not _tracker_has_events(engine):
        return 0
    with engine.begin() as connection:
        return connection.execute(delete(EVENTS).where(EVENTS.c.sender_id.in_(ids))).rowcount


def erase(session: Session, tracker_db: str, who: Identity) -> dict[str, int]:
    """Erase a person everywhere: app database and their conversations."""
    erased = erase_people(session, [p.id for p in _people(session, who)])
    return {"people": erased, "conversation_events": erase_conversations(tracker_db, who.sender_ids)}


# --- right of access ---------------------------------------------------------------------

def _iso(moment: datetime | None) -> str | None:
    if moment is None:
        return None
    return moment.isoformat()


def conversation(tracker_db: str, sender_ids: Iterable[str]) -> list[dict[str, Any]]:
    """What the person wrote and what the assistant answered, oldest first."""
    engine, ids = tracker_engine(tracker_db), list(sender_ids)
    if not ids or not _tracker_has_events(engine):
        return []
    with engine.connect() as connection:
        rows = connection.execute(select(EVENTS.c.type_name, EVENTS.c.data)
                                  .where(EVENTS.c.sender_id.in_(ids), EVENTS.c.type_name.in_(["user", "bot"]))
                                  .order_by(EVENTS.c.id)).all()
    lines = []
    for type_name, data in rows:
        event = json.loads(data)
        lines.append({"from": "person" if type_name == "user" else "assistant",
                      "at": datetime.fromtimestamp(event.get("timestamp") or 0, timezone.utc).isoformat(),
                      "text": event.get("text")})
    return lines


def export(session: Session, tracker_db: str, who: Identity, data_key: str) -> dict[str, Any]:
    """Everything kept about a person, as plain JSON-able data (right of access)."""
    found = _people(session, who)
    result: dict[str, Any] = {"people": [], "conversation": conversation(tracker_db, who.sender_ids)}
    for person in found:
        address = people.phone_of(person, data_key)
        result["people"].append({
            "language": person.language,
            "consent": {"version": person.consent_version, "at": _iso(person.consent_at)},
            "association": person.source,
            "phone": address.e164 if address else None,
            "sms_stopped_at": _iso(person.sms_opted_out_at),
            "cover_ends_on": person.cover_ends_on.isoformat() if person.cover_ends_on else None,
            "first_contact": _iso(person.created_at),
            "last_contact": _iso(person.last_seen_at),
            "screenings": [{"completed_at": _iso(s.completed_at), "pass_eligible": s.pass_eligible,
                            "reasons": s.reasons, **{name: getattr(s, name) for name in ANSWER_COLUMNS}}
                           for s in person.screenings],
            "requests": [{"kind": r.kind, "status": r.status, "at": _iso(r.created_at)} for r in person.requests],
            "case": case.sheet_view(session, person.id),  # rights facts, outcome versions, papers held
            "appointments": [booking.as_json(a) for a in session.execute(
                select(Appointment).where(Appointment.person_id == person.id).order_by(Appointment.id)).scalars()],
            "sms": [{"kind": row.kind, "status": row.status, "at": _iso(row.created_at), "text": row.body}
                    for row in session.execute(select(OutboundSms).where(OutboundSms.person_id == person.id)
                                               .order_by(OutboundSms.id)).scalars()],
            # What the social workers keep in the console: the name given, their notes.
            "name_given": crypto.decrypt(person.name_encrypted, data_key) if person.name_encrypted else None,
            "staff_notes": [{"at": _iso(n.at), "by": n.user_name, "text": crypto.decrypt(n.text_encrypted, data_key)}
                            for n in session.execute(select(ConsoleNote).where(ConsoleNote.person_id == person.id)
                                                     .order_by(ConsoleNote.id)).scalars()],
        })
    return result


# --- retention ---------------------------------------------------------------------------

def retention(session: Session, tracker_db: str, now: datetime | None = None,
              days: int = DEFAULT_RETENTION_DAYS) -> dict[str, int]:
    """Erase people and conversations silent for more than `days` days."""
    cutoff = (now or datetime.now(timezone.utc)) - timedelta(days=days)
    silent = session.execute(select(Person.id).where(Person.last_seen_at < cutoff)).scalars().all()
    erased = erase_people(session, silent)
    events = 0
    engine = tracker_engine(tracker_db)
    if _tracker_has_events(engine):
        with engine.begin() as connection:
            old = select(EVENTS.c.sender_id).group_by(EVENTS.c.sender_id).having(
                func.max(EVENTS.c.timestamp) < cutoff.timestamp())
            senders = connection.execute(old).scalars().all()
            for start in range(0, len(senders), 500):
                events += connection.execute(delete(EVENTS).where(
                    EVENTS.c.sender_id.in_(senders[start:start + 500]))).rowcount
    return {"people": erased, "conversation_events": events}


# --- command line (python -m bot privacy ...) ---------------------------------------------

def cli(action: str, phone: str | None) -> int:
    import sys

    from bot import settings
    from bot.database import session_scope

    cfg = settings.load()
    if action == "retention":
        with session_scope(cfg.database_url) as session:
            done = retention(session, cfg.tracker_db, days=cfg.retention_days)
        print(f"{done['people']} people and {done['conversation_events']} conversation events erased "
              f"(silent for more than {cfg.retention_days} days)")
        return 0
    address = phones.parse(phone)
    if address is None:
        print("error: give a phone number, e.g. +33612345678", file=sys.stderr)
        return 2
    who = identity_of_phone(address, cfg.hash_key)
    with session_scope(cfg.database_url) as session:
        if action == "export":
            print(json.dumps(export(session, cfg.tracker_db, who, cfg.data_key), ensure_ascii=False, indent=2))
            return 0
        done = erase(session, cfg.tracker_db, who)
    if not done["people"] and not done["conversation_events"]:
        print(f"nothing kept for {address.masked}")
        return 1
    print(f"erased {address.masked}: {done['people']} person record(s), {done['conversation_events']} conversation events")
    return 0
