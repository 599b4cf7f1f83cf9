"""Handing a conversation to a social worker: open, claim, resolve, the inbox, opening hours.

Plain Python over the app database. The Rasa side (pause the bot, inject a staff answer,
resume) is done by the actions (bot/actions/handoff.py) and the console (bot/console/).
A person has at most one handoff not yet resolved: asking again does not add a second one.
"""
from __future__ import annotations

import os
from datetime import datetime

from sqlalchemy import select
from sqlalchemy.orm import Session

from bot import outbox, people
from bot.models import Handoff, utcnow

REASONS = ("request_human", "rights_handoff", "unclear_answers", "unsupported_language", "violence", "staff",
           "emergency", "suicidal_thoughts")
# Messages that are answered at once in every state (handed over, paused, SMS stopped) and put
# the conversation at the top of the inbox, urgent (bot/channels/incoming.py).
SAFETY_INTENTS = ("emergency", "suicidal_thoughts", "violence")
# The inbox's order: the lower first, then the longest waiting. A safety reason outranks every
# other whatever came first ("answers not understood" then "I want to die" is suicidal thoughts).
PRIORITY = {"emergency": 0, "suicidal_thoughts": 0, "violence": 1, "unsupported_language": 2,
            "request_human": 3, "unclear_answers": 3, "rights_handoff": 3, "staff": 4}
OPEN = ("waiting", "claimed")
# When social workers answer (Paris time). The patients' texts say "Monday to Friday, 9:00 to
# 17:00" in every language: change them with this setting.
DEFAULT_HOURS = "Mon-Fri 09:00-17:00"


def opening_hours() -> outbox.Window:
    return outbox.window(os.environ.get("PASS_CONSOLE_HOURS") or DEFAULT_HOURS)


def is_open(moment: datetime | None = None) -> bool:
    hours, local = opening_hours(), (moment or utcnow()).astimezone(outbox.PARIS)
    return local.weekday() in hours.days and hours.start <= local.time() < hours.end


def channel_of(conversation: str) -> str:
    """web (the web chat), sms (SMS or WhatsApp), else rest (a test or an integration)."""
    if conversation.startswith("web-"):
        return "web"
    if conversation.startswith("sms-"):
        return "sms"
    return "rest"


def current(session: Session, person_id: int) -> Handoff | None:
    return session.execute(
        select(Handoff).where(Handoff.person_id == person_id, Handoff.status.in_(OPEN))
    ).scalar_one_or_none()


def open_handoff(session: Session, key: str, conversation: str, reason: str, language: str | None,
                 paused: bool) -> tuple[Handoff, bool]:
    """The person's open handoff, created if none; True if it was created now."""
    if reason not in REASONS:
        raise ValueError(f"unknown handoff reason {reason!r}")
    person = people.get_or_create(session, key)
    person.conversation = conversation
    existing = current(session, person.id)
    if existing is not None:
        existing.paused = existing.paused or paused
        add_reason(existing, reason)
        return existing, False
    people.record_request(session, key, "interpreter" if reason == "unsupported_language" else "human")
    handoff = Handoff(person_id=person.id, conversation=conversation, channel=channel_of(conversation),
                      language=language or person.language, reason=reason, reasons=[reason], status="waiting",
                      paused=paused, last_message_at=utcnow())
    session.add(handoff)
    session.flush()
    if not is_open():
        people.record_request(session, key, "after_hours")  # nobody reads it before the team is back
    return handoff, True


def add_reason(handoff: Handoff, reason: str) -> None:
    """Another reason for the same open handoff: kept in order; the most pressing one becomes its
    reason (the inbox's order and label)."""
    reasons = list(handoff.reasons or [handoff.reason])
    if reason not in reasons:
        handoff.reasons = reasons + [reason]  # a new list: SQLAlchemy sees the change
    if PRIORITY.get(reason, 9) < PRIORITY.get(handoff.reason, 9):
        handoff.reason = reason


def raise_urgent(session: Session, key: str, conversation: str, reason: str, language: str | None) -> Handoff:
    """A safety message: the person's open handoff (opened now if none) goes to the top of the
    inbox, marked urgent. The bot is not paused by this: only a claim pauses it."""
    found, _ = open_handoff(session, key, conversation, reason if reason in REASONS else "violence", language,
                            paused=False)
    add_reason(found, reason if reason in REASONS else "violence")
    found.urgent_at = utcnow()
    return found


def note_message(session: Session, key: str, conversation: str) -> Handoff | None:
    """A message of the person (any channel, bot.channels.incoming): the sheet knows their latest
    conversation; an open handoff counts it as new for the inbox; outside opening hours, the
    person wrote while the team was away (a task)."""
    person = people.find(session, key)
    if person is None:
        return None
    person.conversation = conversation
    found = current(session, person.id)
    if found is None:
        return None
    found.unread = (found.unread or 0) + 1
    found.last_message_at = utcnow()
    if not is_open() and found.status == "waiting":
        people.record_request(session, key, "after_hours")
    return found


def seen(handoff: Handoff) -> None:
    """A member of staff opened the sheet: its messages are no longer new."""
    handoff.unread = 0


def priority(handoff: Handoff) -> int:
    return 0 if handoff.urgent_at is not None and PRIORITY.get(handoff.reason, 9) > 1 else PRIORITY.get(handoff.reason, 9)


def claim(session: Session, handoff: Handoff, user_id: int) -> None:
    if handoff.status not in OPEN:
        raise ValueError("this handoff is closed")
    handoff.status, handoff.claimed_by, handoff.paused = "claimed", user_id, True
    handoff.claimed_at = handoff.claimed_at or utcnow()


def done_by(handoff: Handoff, user_name: str, kinds: tuple[str, ...]) -> None:
    """The person's open tasks of these kinds are done by this member of staff, now."""
    for request in handoff.person.requests if handoff.person else ():
        if request.kind in kinds and request.status == "open":
            request.status, request.done_at, request.done_by = "done", utcnow(), user_name


def resolve(session: Session, handoff: Handoff, user_name: str | None = None) -> None:
    """Closed: the bot answers this person again; their staff requests are done."""
    handoff.status, handoff.paused, handoff.resolved_at = "resolved", False, utcnow()
    for request in handoff.person.requests:
        if request.kind in ("human", "interpreter", "after_hours") and request.status == "open":
            request.status, request.done_at, request.done_by = "done", utcnow(), user_name


def inbox(session: Session, reason: str | None = None, language: str | None = None) -> list[Handoff]:
    """Open handoffs by priority (safety first: emergency and suicidal thoughts, then violence),
    then the longest waiting; only those of this reason (among all their reasons) or language."""
    found = list(session.execute(
        select(Handoff).where(Handoff.status.in_(OPEN)).order_by(Handoff.created_at, Handoff.id)
    ).scalars())
    if reason:
        found = [h for h in found if reason in (h.reasons or [h.reason])]
    if language:
        found = [h for h in found if h.language == language]
    return sorted(found, key=priority)  # stable: the longest waiting first within a priority


def history(session: Session, person_id: int) -> list[Handoff]:
    return list(session.execute(
        select(Handoff).where(Handoff.person_id == person_id).order_by(Handoff.created_at.desc())
    ).scalars())
