"""The liaison sheet: what a social worker needs to pick up a conversation, on one page.

Screening answers and appointments come from the app database; the rights interview's answers
and outcome come from the conversation's slots (the tracker), where the assistant keeps them.
"""
from __future__ import annotations

from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from bot import handoff as handoffs
from bot.booking import appointments
from bot.checklist import document_response
from bot.i18n import gettext
from bot.interview import QUESTIONS
from bot.models import Appointment, Handoff, Screening
from bot.responses import RESPONSES


def document_label(code: str) -> str:
    response = RESPONSES.get(document_response(code))
    return gettext(response.text, "fr") if response else code


def build(session: Session, handoff: Handoff, slots: dict[str, Any]) -> dict[str, Any]:
    person = handoff.person
    screening = session.execute(
        select(Screening).where(Screening.person_id == person.id).order_by(Screening.completed_at.desc()).limit(1)
    ).scalar_one_or_none()
    booked = session.execute(
        select(Appointment).where(Appointment.person_id == person.id).order_by(Appointment.created_at)
    ).scalars()
    return {
        "person": person,
        "screening": screening,
        "facts": {fact: slots.get(fact) for fact in QUESTIONS if slots.get(fact) is not None},
        "rights": slots.get("rights") or [],
        "documents": [document_label(code) for code in slots.get("documents") or []],
        "css_monthly_contribution": slots.get("css_monthly_contribution"),
        "appointments": [appointments.as_json(a) for a in booked],
        "previous": [h for h in handoffs.history(session, person.id) if h.id != handoff.id],
    }
