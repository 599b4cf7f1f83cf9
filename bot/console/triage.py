"""The inbox as a social worker triages it: open handoffs by priority then waiting time (bot.handoff),
each with its reasons, waiting time, language, channel, site, who claimed it and its new
messages; filtered by reason, site and language."""
from __future__ import annotations

from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from bot import handoff as handoffs
from bot.booking.sites import sites
from bot.models import Appointment, ConsoleUser, Handoff, Slot


def site_of(session: Session, person_id: int | None) -> str | None:
    """The site of the person's latest appointment (booked or past), if any."""
    if person_id is None:
        return None
    return session.execute(
        select(Slot.site).join(Appointment, Appointment.slot_id == Slot.id)
        .where(Appointment.person_id == person_id, Appointment.status != "cancelled")
        .order_by(Slot.start_at.desc()).limit(1)
    ).scalar_one_or_none()


def rows(session: Session, reason: str | None = None, site: str | None = None,
         language: str | None = None) -> list[dict[str, Any]]:
    names = dict(session.execute(select(ConsoleUser.id, ConsoleUser.name)).all())
    known = sites()
    found = []
    for h in handoffs.inbox(session, reason=reason or None, language=language or None):
        where = site_of(session, h.person_id)
        if site and where != site:
            continue
        found.append({"id": h.id, "person_id": h.person_id, "created_at": h.created_at, "language": h.language,
                      "channel": h.channel, "reason": h.reason, "reasons": list(h.reasons or [h.reason]),
                      "status": h.status, "claimed_at": h.claimed_at, "claimed_by": names.get(h.claimed_by),
                      "urgent": h.urgent_at is not None or h.reason in handoffs.SAFETY_INTENTS,
                      "urgent_at": h.urgent_at, "unread": h.unread or 0, "site": where,
                      "site_name": known[where].name if where in known else where,
                      "last_message_at": h.last_message_at})
    return found


def languages(session: Session) -> list[str]:
    return sorted({l for l in session.execute(select(Handoff.language).where(Handoff.status.in_(handoffs.OPEN))).scalars() if l})
