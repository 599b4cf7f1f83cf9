"""The person's case: what lasts beyond a conversation session (issue 17).

A Rasa session ends after 12 hours of silence and its slots go with it; the case keeps, in the
app database, the answers the outcome rests on (the four criteria and the rights facts), each
version of the outcome (codes, documents, forms, rules set and date, handoff reasons), the papers
the person already has (told by them, or ticked by a social worker), and why each appointment
was booked. A person who comes back (same phone number, same web-chat cookie, or a booking
reference given in another conversation: `link_reference`) resumes from it: DOCS lists what is
still missing, CHANGER / RDV / ANNULER go straight to booking, an old outcome is re-checked.

Plain Python over the app database; the Rasa actions only call these functions.
"""
from __future__ import annotations

import re
from dataclasses import dataclass, field
from datetime import date, datetime, timezone
from typing import Any, Iterable

from dateutil.relativedelta import relativedelta
from sqlalchemy import select
from sqlalchemy.orm import Session

from bot.models import (Appointment, CaseAlias, CaseAppointment, CaseDocument, CaseOutcome, OutboundSms, Person,
                        PersonCase, PersonRequest, Screening)

# An outcome older than this is re-checked before it is used again (the rules say "3 months").
RECHECK_AFTER = relativedelta(months=3)
# Facts that time changes by itself: re-computed from the date of the outcome, never asked again.
TIME_FACTS = ("months_in_france", "months_since_permit_expiry")
# Papers a person told us they have, from their answers (fact → document codes it covers).
TOLD_HELD = {"has_photo_id": ("ID_WITH_PHOTO", "ID_DOCUMENT"), "has_domiciliation": ("DOMICILIATION_CERTIFICATE",)}
# The AME renewal: from a little before the invitation (2 months before the end) until a year
# after the end (then the rules still call it a renewal), the person is not "already covered".
RENEWAL_FROM = relativedelta(months=3)
RENEWAL_UNTIL = relativedelta(years=1)
PURPOSES = ("rights", "renewal", "three_months")
# A reply to one of these SMS, sent less than this ago, is a reply to it (CHANGER on a reminder).
REPLY_WINDOW_DAYS = 14


def _today() -> date:
    return date.today()


def _now() -> datetime:
    return datetime.now(timezone.utc)


# --- who ---------------------------------------------------------------------------------

def person_for(session: Session, key: str) -> Person | None:
    """The person a conversation key stands for: their own, or the one they proved to be with a
    booking reference (CaseAlias)."""
    alias = session.get(CaseAlias, key)
    if alias is not None:
        return session.get(Person, alias.person_id)
    return session.execute(select(Person).where(Person.key == key)).scalar_one_or_none()


def upcoming_appointment(session: Session, key: str, now: datetime | None = None) -> Appointment | None:
    """The next appointment of the person this key stands for (their own, or proved by a
    reference), or None."""
    from bot.booking import appointments

    person = person_for(session, key)
    return appointments.upcoming_for_person(session, person.id, now or _now()) if person else None


def link_reference(session: Session, key: str, reference: str) -> Person | None:
    """Someone writes a booking reference in another conversation (a new phone, the web chat
    after SMS): that conversation resumes the case of the person who booked. None when no
    appointment has this reference or it belongs to nobody any more (erased)."""
    appointment = session.execute(
        select(Appointment).where(Appointment.reference == reference.strip().upper())).scalar_one_or_none()
    if appointment is None or appointment.person_id is None:
        return None
    owner = session.get(Person, appointment.person_id)
    own = session.execute(select(Person).where(Person.key == key)).scalar_one_or_none()
    if own is not None and own.id == owner.id:
        return owner
    alias = session.get(CaseAlias, key)
    if alias is None:
        session.add(CaseAlias(key=key, person_id=owner.id))
    else:
        alias.person_id = owner.id
    owner.last_seen_at = _now()
    session.flush()
    return owner


# A booking reference written alone ("K7F3QZ", "ref K7F3QZ", "Réf. : k7f3qz"): the alphabet of
# bot.booking.appointments (no 0, 1, I, L, O).
REFERENCE_MESSAGE = re.compile(r"\s*(?:r[ée]f(?:[ée]rence)?\s*\.?\s*:?\s*)?([2-9A-HJKMNP-Z]{6})\s*[.!]?\s*", re.I)


def known_reference(session: Session, text: str) -> str | None:
    """The booking reference a message is, if it is one of ours (checked in the database, so a
    six-letter word is never taken for one)."""
    match = REFERENCE_MESSAGE.fullmatch(text or "")
    if match is None:
        return None
    reference = match[1].upper()
    found = session.execute(select(Appointment.id).where(Appointment.reference == reference,
                                                         Appointment.person_id.is_not(None))).first()
    return reference if found else None


def aliases_of(session: Session, person_ids: Iterable[int]) -> list[str]:
    ids = list(person_ids)
    return list(session.execute(select(CaseAlias.key).where(CaseAlias.person_id.in_(ids))).scalars()) if ids else []


# --- writing -----------------------------------------------------------------------------

def case_of(session: Session, person: Person) -> PersonCase:
    found = session.execute(select(PersonCase).where(PersonCase.person_id == person.id)).scalar_one_or_none()
    if found is None:
        found = PersonCase(person_id=person.id, facts={})
        session.add(found)
        session.flush()
    return found


def latest(session: Session, person_id: int) -> CaseOutcome | None:
    return session.execute(
        select(CaseOutcome).join(PersonCase).where(PersonCase.person_id == person_id)
        .order_by(CaseOutcome.version.desc()).limit(1)).scalar_one_or_none()


def _next_version(case: PersonCase) -> int:
    return max((o.version for o in case.outcomes), default=0) + 1


def record_screening(session: Session, person: Person, answers: dict, screening: Screening) -> CaseOutcome:
    """A new screening: a new version of the outcome (the rights follow once answered), in the
    transaction of the answers (bot.people.save_screening)."""
    case = case_of(session, person)
    # A new screening starts from its own answers: the earlier rights facts may no longer hold.
    case.facts = {name: value for name, value in answers.items() if value is not None}
    outcome = CaseOutcome(case=case, version=_next_version(case), cause="screening",
                          pass_eligible=screening.pass_eligible, pass_reasons=list(screening.reasons or []),
                          rights=None, documents=[], forms=[], handoff_reasons=[], rules_fired=[],
                          decided_on=_today())
    session.add(outcome)
    session.flush()
    outcome.screening_id = screening.id
    return outcome


def _fill(outcome: CaseOutcome, result: dict[str, Any], today: date) -> None:
    from bot.rights import procedure_for

    outcome.rights = list(result["rights"])
    outcome.documents = list(result["documents"])
    outcome.forms = sorted({form for right in result["rights"]
                            if (form := procedure_for(right).form)})
    outcome.handoff_reasons = list(result.get("handoff_reasons") or [])
    outcome.rules_fired = list(result.get("rules_fired") or [])
    outcome.css_monthly_contribution = result.get("css_monthly_contribution")
    outcome.rules_version = result.get("rules_version")
    valid = result.get("rules_valid_until")
    outcome.rules_valid_until = date.fromisoformat(valid) if valid else None
    outcome.decided_on = today


def _told_held(session: Session, case: PersonCase, facts: dict[str, Any]) -> None:
    have = {d.document for d in case.documents}
    for fact, documents in TOLD_HELD.items():
        if facts.get(fact) is True:
            for document in documents:
                if document not in have:
                    session.add(CaseDocument(case=case, document=document, told_by="person"))
                    have.add(document)


def record_rights(session: Session, key: str, facts: dict[str, Any], result: dict[str, Any],
                  today: date | None = None) -> CaseOutcome | None:
    """The rights outcome of the conversation (action_rights_outcome): it completes the version
    its screening opened, or adds one. `facts` are the slot values the outcome rests on."""
    person = person_for(session, key)
    if person is None or person.consent_at is None:
        return None  # nothing is kept before consent
    today = today or _today()
    case = case_of(session, person)
    case.facts = {**case.facts, **{k: v for k, v in facts.items() if v is not None}}
    current = latest(session, person.id)
    if current is None or current.rights is not None:
        # Past the 3 months, the questions the rules then needed: that re-check's version.
        cause = "three_months" if current is not None and "REMIND_AT_3_MONTHS" in current.rights \
            and "REMIND_AT_3_MONTHS" not in result["rights"] else "screening"
        current = CaseOutcome(case=case, version=_next_version(case), cause=cause,
                              pass_eligible=True, pass_reasons=[], decided_on=today,
                              documents=[], forms=[], handoff_reasons=[], rules_fired=[])
        session.add(current)
    _fill(current, result, today)
    _told_held(session, case, case.facts)
    session.flush()
    return current


def link_appointment(session: Session, person_id: int | None, appointment: Appointment, purpose: str) -> None:
    """Note why an appointment was booked (a moved one keeps the purpose of the old one)."""
    if person_id is None:
        return
    if purpose not in PURPOSES:
        raise ValueError(f"unknown appointment purpose {purpose!r}")
    case = case_of(session, session.get(Person, person_id))
    session.add(CaseAppointment(case=case, appointment_id=appointment.id, purpose=purpose))
    session.flush()


def purpose_of(session: Session, appointment_id: int) -> str | None:
    return session.execute(select(CaseAppointment.purpose)
                           .where(CaseAppointment.appointment_id == appointment_id)).scalar_one_or_none()


# --- reading, re-checking ----------------------------------------------------------------

def advanced(facts: dict[str, Any], since: date, today: date) -> dict[str, Any]:
    """The facts as they are today: months in France (and since a permit expired) grow with
    the whole months passed since the outcome; nothing else is guessed."""
    passed = relativedelta(today, since)
    months = passed.years * 12 + passed.months
    if months <= 0:
        return dict(facts)
    return {**facts, **{name: facts[name] + months for name in TIME_FACTS if facts.get(name) is not None}}


def current_rules_version() -> str:
    from bot.rights.rules import default_rules

    return default_rules().version


def needs_recheck(outcome: CaseOutcome, today: date, facts: dict[str, Any] | None = None) -> bool:
    """An outcome older than its rules (another ceilings set or rules data), older than 3
    months, or waiting for the 3 months in France that are now reached (the day of the
    invitation, bot.reminders)."""
    from bot import reminders

    if outcome.rights is None:
        return False
    if outcome.rules_version != current_rules_version() or outcome.decided_on + RECHECK_AFTER <= today:
        return True
    months = (facts or {}).get("months_in_france")
    return ("REMIND_AT_3_MONTHS" in outcome.rights and months is not None
            and today >= reminders.three_months_day(int(months), outcome.decided_on))


def facts_today(facts: dict[str, Any], outcome: CaseOutcome, today: date) -> dict[str, Any]:
    """The case's facts as time made them: `advanced`, and past the 3 months on the day of the
    invitation (bot.reminders: surely past 3 months then; whole months round down, so the rules
    read "more than 3" only from 4)."""
    from bot import reminders

    now = advanced(facts, outcome.decided_on, today)
    months = facts.get("months_in_france")
    if "REMIND_AT_3_MONTHS" in (outcome.rights or []) and months is not None and \
            today >= reminders.three_months_day(int(months), outcome.decided_on):
        now["months_in_france"] = max(now["months_in_france"], reminders.THREE_MONTHS + 1)
    return now


def recheck(session: Session, person: Person, today: date | None = None) -> tuple[CaseOutcome, bool]:
    """Evaluate the case again on today's rules, with the facts time changed; a new version
    when anything is re-checked. Returns the outcome to use and whether it changed."""
    from bot import interview

    today = today or _today()
    case = case_of(session, person)
    outcome = latest(session, person.id)
    facts = facts_today(case.facts, outcome, today)
    try:
        if interview.next_questions(facts, today):
            # Now the rules need facts never asked (the resources, once past 3 months): the
            # conversation asks only those (resume's `questions`); the answers make the version.
            return outcome, False
        result = interview.outcome(facts, today)
    except ValueError:
        return outcome, False  # facts the rules no longer accept: kept as they were, a person sees them
    changed = (result["rights"] != outcome.rights or result["documents"] != outcome.documents
               or result.get("css_monthly_contribution") != outcome.css_monthly_contribution)
    cause = "three_months" if "REMIND_AT_3_MONTHS" in outcome.rights else "recheck"
    case.facts = facts
    new = CaseOutcome(case=case, version=_next_version(case), cause=cause, screening_id=outcome.screening_id,
                      pass_eligible=outcome.pass_eligible, pass_reasons=list(outcome.pass_reasons or []))
    session.add(new)
    _fill(new, result, today)
    session.flush()
    return new, changed


def held(session: Session, person_id: int) -> list[CaseDocument]:
    return list(session.execute(select(CaseDocument).join(PersonCase).where(PersonCase.person_id == person_id)
                                .order_by(CaseDocument.id)).scalars())


@dataclass(frozen=True)
class Resumed:
    """What a returning person's case says now (after any re-check)."""

    outcome: dict[str, Any]  # rights, documents, css_monthly_contribution (the checklist's input)
    missing: list[str]
    held: list[str]
    changed: bool = False
    pass_eligible: bool | None = None
    facts: dict[str, Any] = field(default_factory=dict)  # as they are today (months advanced)
    questions: list[str] = field(default_factory=list)  # facts today's rules need and nobody asked yet


def resume(session: Session, key: str, today: date | None = None) -> Resumed | None:
    """The case of a person who comes back, re-checked if it is old; None without a rights
    outcome (then the questions are asked as for anyone)."""
    today = today or _today()
    person = person_for(session, key)
    if person is None:
        return None
    outcome = latest(session, person.id)
    if outcome is None or outcome.rights is None:
        return None
    from bot import interview

    changed, questions = False, []
    facts = dict(case_of(session, person).facts)
    if needs_recheck(outcome, today, facts):
        checked, changed = recheck(session, person, today)
        if checked is outcome:  # not re-checked: the facts of today, and what they still need
            facts = facts_today(facts, outcome, today)
            try:
                questions = interview.next_questions(facts, today)
            except ValueError:
                questions = []
        else:
            outcome, facts = checked, dict(case_of(session, person).facts)
    have = {d.document for d in held(session, person.id)}
    return Resumed(
        outcome={"rights": list(outcome.rights), "documents": list(outcome.documents),
                 "css_monthly_contribution": outcome.css_monthly_contribution},
        missing=[d for d in outcome.documents if d not in have],
        held=[d for d in outcome.documents if d in have],
        changed=changed, pass_eligible=outcome.pass_eligible, facts=facts, questions=questions)


def renewal_due(person: Person, today: date) -> bool:
    """The person's AME (end recorded by staff) is to be renewed now."""
    ends = person.cover_ends_on
    return ends is not None and ends - RENEWAL_FROM <= today <= ends + RENEWAL_UNTIL


def renewal_instead(session: Session, key: str, answers: dict, eligible: bool | None, reasons: Iterable[str],
                    today: date | None = None) -> bool:
    """Someone whose AME is due for renewal says they have AME: that cover is ending, they are
    not "already covered" (the only criterion they fail): a renewal appointment instead."""
    person = person_for(session, key)
    return (person is not None and eligible is False and list(reasons) == ["HAS_ACTIVE_COVER"]
            and answers.get("current_cover") == "ame" and renewal_due(person, today or _today()))


def booking_purpose(session: Session, key: str, now: datetime | None = None) -> str | None:
    """Why this person may book without a new screening, or None (then the questions first):
    a renewal that is due, the 3 months now reached, an eligible outcome, or an appointment
    already booked (they were eligible to book it)."""
    from bot.booking import appointments

    now = now or _now()
    person = person_for(session, key)
    if person is None:
        return None
    today = now.date()
    if renewal_due(person, today):
        return "renewal"
    outcome = latest(session, person.id)
    if outcome is not None and (outcome.cause == "three_months" or "REMIND_AT_3_MONTHS" in (outcome.rights or [])):
        return "three_months"
    if (outcome is not None and outcome.pass_eligible) or appointments.upcoming_for_person(session, person.id, now):
        return "rights"
    return None


def replying_to(session: Session, key: str, now: datetime | None = None) -> str | None:
    """The kind of the last SMS we sent this person, when it was sent lately: 'reminder',
    'three_months', 'renewal' (a CHANGER or RDV then answers it), else None."""
    person = person_for(session, key)
    if person is None:
        return None
    now = now or _now()
    row = session.execute(
        select(OutboundSms).where(OutboundSms.person_id == person.id, OutboundSms.sent_at.is_not(None),
                                  OutboundSms.status.in_(("sending", "sent", "delivered", "dry_run")))
        .order_by(OutboundSms.sent_at.desc(), OutboundSms.id.desc()).limit(1)).scalar_one_or_none()
    if row is None or (now - row.sent_at).days >= REPLY_WINDOW_DAYS:
        return None
    kind = "reminder" if row.kind.startswith("reminder_") else row.kind
    return kind if kind in ("reminder", "three_months", "renewal") else None


def tell_held(session: Session, key: str, documents: Iterable[str]) -> list[str]:
    """Papers the person says they have, in a later message: those of their latest outcome
    that were missing are kept as told by them (a photo ID covers an identity paper). Returns
    the ones noted; nothing without a case (nothing is kept before consent)."""
    from bot.rights.codes import DOCUMENT_ALSO_COVERS

    person = person_for(session, key)
    outcome = latest(session, person.id) if person is not None else None
    if outcome is None or outcome.rights is None:
        return []
    said = set(documents)
    said |= {covered for d in said for covered in DOCUMENT_ALSO_COVERS.get(d, ())}
    case = case_of(session, person)
    have = {d.document for d in case.documents}
    noted = [d for d in outcome.documents if d in said and d not in have]
    for document in noted:
        session.add(CaseDocument(case=case, document=document, told_by="person"))
    session.flush()
    return noted


# --- for the staff console (the liaison sheet) ------------------------------------------

def mark_document_held(session: Session, person_id: int, document: str, by_worker: dict,
                       held_now: bool = True) -> bool:
    """A social worker ticks (or unticks) a paper the person has; audited. True if it changed."""
    from bot.console import audit
    from bot.rights.rules import default_rules

    if document not in {rule.document for rule in default_rules().documents}:
        raise ValueError(f"unknown document {document!r}")
    person = session.get(Person, person_id)
    if person is None:
        raise LookupError("no such person")
    case = case_of(session, person)
    row = next((d for d in case.documents if d.document == document), None)
    changed = False
    if held_now and row is None:
        session.add(CaseDocument(case=case, document=document, told_by="worker", worker_id=by_worker.get("id")))
        changed = True
    elif held_now and row.told_by != "worker":
        row.told_by, row.worker_id, row.at = "worker", by_worker.get("id"), _now()  # checked by a person now
        changed = True
    elif not held_now and row is not None:
        session.delete(row)
        changed = True
    if changed:
        audit.record(session, by_worker, "document_held" if held_now else "document_not_held", person_id, document)
    session.flush()
    return changed


def _iso(moment) -> str | None:
    return moment.isoformat() if moment is not None else None


def sheet_view(session: Session, person_id: int) -> dict[str, Any]:
    """The case as data for the liaison sheet, whatever the age of the conversation: the
    latest outcome (codes, rules set and date), papers held and missing, appointments (with
    why), requests and past contacts, the outcome history."""
    from bot.booking import appointments

    person = session.get(Person, person_id)
    if person is None:
        raise LookupError("no such person")
    case = session.execute(select(PersonCase).where(PersonCase.person_id == person_id)).scalar_one_or_none()
    outcome = latest(session, person_id)
    have = held(session, person_id)
    documents = list(outcome.documents) if outcome else []
    booked = list(session.execute(select(Appointment).where(Appointment.person_id == person_id)
                                  .order_by(Appointment.id)).scalars())
    purposes = {link.appointment_id: link.purpose for link in (case.appointments if case else [])}

    def outcome_data(o: CaseOutcome) -> dict[str, Any]:
        return {"version": o.version, "cause": o.cause, "pass_eligible": o.pass_eligible,
                "pass_reasons": list(o.pass_reasons or []), "rights": o.rights, "documents": list(o.documents or []),
                "forms": list(o.forms or []), "handoff_reasons": list(o.handoff_reasons or []),
                "rules_fired": list(o.rules_fired or []), "css_monthly_contribution": o.css_monthly_contribution,
                "rules_version": o.rules_version,
                "rules_valid_until": o.rules_valid_until.isoformat() if o.rules_valid_until else None,
                "decided_on": o.decided_on.isoformat(),
                "stale": needs_recheck(o, _today(), case.facts if case else None)}

    return {
        "person_id": person_id,
        "language": person.language,
        "facts": dict(case.facts) if case else {},
        "outcome": outcome_data(outcome) if outcome else None,
        "history": [outcome_data(o) for o in (case.outcomes if case else [])][:-1],
        "documents_held": [{"document": d.document, "told_by": d.told_by, "worker_id": d.worker_id,
                            "at": _iso(d.at), "needed": d.document in documents} for d in have],
        "documents_missing": [d for d in documents if d not in {h.document for h in have}],
        "appointments": [{**appointments.as_json(a), "purpose": purposes.get(a.id),
                          "rights_obtained": a.rights_obtained} for a in booked],
        "requests": [{"kind": r.kind, "status": r.status, "at": _iso(r.created_at)}
                     for r in session.execute(select(PersonRequest).where(PersonRequest.person_id == person_id)
                                              .order_by(PersonRequest.id)).scalars()],
        "contacts": {"first": _iso(person.created_at), "last": _iso(person.last_seen_at),
                     "screenings": [_iso(s.completed_at) for s in person.screenings]},
        "cover_ends_on": person.cover_ends_on.isoformat() if person.cover_ends_on else None,
    }
