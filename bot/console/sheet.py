"""The liaison sheet: what a social worker needs to pick up a person's situation, on one page,
in plain French. One sheet per person who screened, booked or was handed over.

Screening answers, appointments, tasks and notes come from the app database; every answer the
person gave (by button, number or words) and the assistant's reading of it come from the
conversation's events (the tracker), where the assistant keeps them.
"""
from __future__ import annotations

from datetime import date, timedelta
from typing import Any, Iterable, Mapping

from sqlalchemy import select
from sqlalchemy.orm import Session

from bot import case, crypto, handoff as handoffs, interview, outbox
from bot.booking import appointments
from bot.booking.sites import sites
from bot.checklist import document_response
from bot.console import words
from bot.i18n import gettext
from bot.models import Appointment, ConsoleNote, Person, Screening, utcnow
from bot.responses import RESPONSES

MAX_NOTE = 2000
FREE_SLOTS_SHOWN = 8
MIN_NOTICE = timedelta(hours=2)  # a social worker can book sooner than the assistant (its own notice)


def document_label(code: str) -> str:
    response = RESPONSES.get(document_response(code))
    return gettext(response.text, "fr") if response else code


def _button_title(bot_event: Mapping | None, payload: str) -> str | None:
    for button in ((bot_event or {}).get("data") or {}).get("buttons") or []:
        if button.get("payload") == payload:
            return button.get("title")
    return None


def answers(events: Iterable[Mapping[str, Any]]) -> list[dict[str, Any]]:
    """Each answer to a question, oldest first: the question (French), what the person said (the
    button's title as they saw it, or their words), how (button or words), and the assistant's
    reading in French ("ما عندي أوراق" -> "Pas de titre de séjour"), or "non compris"."""
    found: list[dict[str, Any]] = []
    asked: str | None = None  # the form's requested slot when the person answered
    last_bot: Mapping | None = None
    pending: dict[str, Any] | None = None
    for event in events:
        kind = event.get("event")
        if kind == "slot" and event.get("name") == "requested_slot":
            asked = event.get("value")  # the question the next message answers
            continue
        if kind == "slot" and pending is not None and event.get("name") == pending["fact"]:
            pending["value"], pending["read"] = event.get("value"), event.get("value") is not None
            continue
        if kind == "bot":
            last_bot = event
        if kind == "user":
            if pending is not None:
                found.append(pending)
                pending = None
            text = event.get("text") or ""
            intent = ((event.get("parse_data") or {}).get("intent") or {}).get("name")
            if intent in handoffs.SAFETY_INTENTS:  # not an answer: the sheet's reasons and transcript say it
                continue
            if asked in interview.ALL_QUESTIONS and not text.startswith("/session_start"):
                button = text.startswith("/")
                said = _button_title(last_bot, text) if button else text
                pending = {"fact": asked, "question": words.FACTS.get(asked, asked),
                           "said": said or text, "by": "bouton ou numéro" if button else "mots", "value": None, "read": False}
    if pending is not None:
        found.append(pending)
    for answer in found:
        answer["reading"] = words.reading(answer["fact"], answer["value"]) if answer["read"] else "non compris"
    return found


def facts(slots: Mapping[str, Any]) -> list[dict[str, str]]:
    """The answers the assistant holds now (the last one counts), in words."""
    return [{"fact": fact, "label": words.FACTS.get(fact, fact), "reading": words.reading(fact, slots[fact])}
            for fact in interview.ALL_QUESTIONS if fact != "consent_given" and slots.get(fact) is not None]


def outcome(session: Session, person: Person, slots: Mapping[str, Any], today: date) -> dict[str, Any]:
    """The rights outcome and documents, in words, with the rules set it was decided on, and
    which papers the person already has: from the person's case (bot.case), whatever the age
    of the conversation; from the conversation's slots for someone screened before cases
    existed."""
    kept = case.sheet_view(session, person.id)
    decided = kept["outcome"]
    if decided and decided["rights"]:
        held = {d["document"] for d in kept["documents_held"]}
        css = decided["css_monthly_contribution"]
        return {"rights": [words.RIGHTS.get(r, r) for r in decided["rights"]],
                "documents": [{"code": code, "label": document_label(code), "held": code in held}
                              for code in decided["documents"]],
                "css": words.euros(css) if css else None,
                "handoff_reasons": [words.RIGHTS_HANDOFF.get(r, r) for r in decided["handoff_reasons"]],
                "rules": {"version": decided["rules_version"],
                          "valid_until": date.fromisoformat(decided["rules_valid_until"])}
                if decided["rules_valid_until"] else None,
                "decided_on": date.fromisoformat(decided["decided_on"]), "from_case": True}
    if not slots.get("rights"):
        return {"rights": [], "documents": [], "css": None, "handoff_reasons": [], "rules": None}
    rules = None
    handoff_reasons: list[str] = []
    try:
        evaluated = interview.outcome(slots, today)
        rules = {"version": evaluated["rules_version"], "valid_until": date.fromisoformat(evaluated["rules_valid_until"])}
        handoff_reasons = [words.RIGHTS_HANDOFF.get(r, r) for r in evaluated["handoff_reasons"]]
    except (ValueError, KeyError):  # slots outside today's contract: show what was stored
        pass
    css = slots.get("css_monthly_contribution")
    return {"rights": [words.RIGHTS.get(r, r) for r in slots.get("rights") or []],
            "documents": [{"code": code, "label": document_label(code), "held": False}
                          for code in slots.get("documents") or []],
            "css": words.euros(css) if css else None, "handoff_reasons": handoff_reasons, "rules": rules}


def screening_view(screening: Screening | None, slots: Mapping[str, Any]) -> dict[str, Any] | None:
    """The four PASS criteria: the stored screening, or the answers so far of a half-done one."""
    if screening is not None:
        values = {f: getattr(screening, f) for f in interview.SCREENING_FACTS}
        done, eligible = True, screening.pass_eligible
        reasons = [words.PASS_REASONS.get(r, r) for r in screening.reasons or []]
    else:
        values = {f: slots.get(f) for f in interview.SCREENING_FACTS}
        if all(v is None for v in values.values()):
            return None
        done, eligible, reasons = False, slots.get("pass_eligible"), []
    return {"done": done, "eligible": eligible, "reasons": reasons,
            "criteria": [{"label": words.FACTS[f], "reading": "pas encore répondu" if v is None else words.reading(f, v)}
                         for f, v in values.items()]}


def notes(session: Session, person_id: int, data_key: str) -> list[dict[str, Any]]:
    rows = session.execute(select(ConsoleNote).where(ConsoleNote.person_id == person_id)
                           .order_by(ConsoleNote.at, ConsoleNote.id)).scalars()
    return [{"at": n.at, "by": n.user_name, "text": crypto.decrypt(n.text_encrypted, data_key)} for n in rows]


def add_note(session: Session, person_id: int, user_name: str, text: str, data_key: str) -> ConsoleNote:
    text = text.strip()[:MAX_NOTE]
    if not text:
        raise ValueError("empty note")
    note = ConsoleNote(person_id=person_id, user_name=user_name, text_encrypted=crypto.encrypt(text, data_key))
    session.add(note)
    return note


def appointment_rows(session: Session, person_id: int) -> list[dict[str, Any]]:
    booked = session.execute(select(Appointment).where(Appointment.person_id == person_id)
                             .order_by(Appointment.created_at, Appointment.id)).scalars()
    known = sites()
    return [{"id": a.id, "reference": a.reference, "starts": a.slot.start_at, "status": a.status,
             "state": words.APPOINTMENT_STATES.get(a.status, a.status), "covers": words.covers(a.rights_obtained),
             "site": known[a.slot.site].name if a.slot.site in known else a.slot.site,
             "open": a.status == "booked" and a.slot.start_at > utcnow()} for a in booked]


def free_slots(session: Session) -> list[dict[str, Any]]:
    known = sites()
    return [{"id": s.id, "starts": s.start_at, "site": known[s.site].name if s.site in known else s.site}
            for s in appointments.free_slots(session, utcnow() + MIN_NOTICE, limit=FREE_SLOTS_SHOWN)]


def tracker_slots(tracker: Mapping[str, Any]) -> dict[str, Any]:
    return dict(tracker.get("slots") or {})


def build(session: Session, person: Person, tracker: Mapping[str, Any], data_key: str,
          today: date | None = None) -> dict[str, Any]:
    today = today or outbox.utcnow().astimezone(outbox.PARIS).date()
    slots = tracker_slots(tracker)
    screening = session.execute(
        select(Screening).where(Screening.person_id == person.id).order_by(Screening.completed_at.desc()).limit(1)
    ).scalar_one_or_none()
    history = handoffs.history(session, person.id)
    return {
        "person": person,
        "name": crypto.decrypt(person.name_encrypted, data_key) if person.name_encrypted else None,
        "screening": screening_view(screening, slots),
        "answers": answers(tracker.get("events") or []),
        "facts": facts(slots),
        "outcome": outcome(session, person, slots, today),
        "appointments": appointment_rows(session, person.id),
        "free": free_slots(session),
        "notes": notes(session, person.id, data_key),
        "handoffs": [{"id": h.id, "created_at": h.created_at, "status": h.status,
                      "reasons": words.handoff_sentence(list(h.reasons or [h.reason]))} for h in history],
        "requests": sorted(person.requests, key=lambda r: r.created_at),
    }
