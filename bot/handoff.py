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
    existing = current(session, person.id)
    if existing is not None:
        existing.paused = existing.paused or paused
        return existing, False
    people.record_request(session, key, "interpreter" if reason == "unsupported_language" else "human")
    handoff = Handoff(person_id=person.id, conversation=conversation, channel=channel_of(conversation),
                      language=language or person.language, reason=reason, status="waiting", paused=paused)
    session.add(handoff)
    session.flush()
    return handoff, True


def raise_urgent(session: Session, key: str, conversation: str, reason: str, language: str | None) -> Handoff:
    """A safety message: the person's open handoff (opened now if none) goes to the top of the
    inbox, marked urgent. The bot is not paused by this: only a claim pauses it."""
    found, _ = open_handoff(session, key, conversation, reason if reason in REASONS else "violence", language,
                            paused=False)
    found.urgent_at = utcnow()
    return found


def claim(session: Session, handoff: Handoff, user_id: int) -> None:
    if handoff.status not in OPEN:
        raise ValueError("this handoff is closed")
    handoff.status, handoff.claimed_by, handoff.paused = "claimed", user_id, True
    handoff.claimed_at = handoff.claimed_at or utcnow()


def resolve(session: Session, handoff: Handoff) -> None:
    """Closed: the bot answers this person again; their staff requests are done."""
    handoff.status, handoff.paused, handoff.resolved_at = "resolved", False, utcnow()
    for request in handoff.person.requests:
        if request.kind in ("human", "interpreter") and request.status == "open":
            request.status = "done"


def inbox(session: Session) -> list[Handoff]:
    """Open handoffs: the urgent ones first (the latest alarm first), then the longest waiting."""
    found = list(session.execute(
        select(Handoff).where(Handoff.status.in_(OPEN)).order_by(Handoff.created_at, Handoff.id)
    ).scalars())
    urgent = sorted((h for h in found if h.urgent_at is not None), key=lambda h: h.urgent_at, reverse=True)
    return urgent + [h for h in found if h.urgent_at is None]


def history(session: Session, person_id: int) -> list[Handoff]:
    return list(session.execute(
        select(Handoff).where(Handoff.person_id == person_id).order_by(Handoff.created_at.desc())
    ).scalars())
