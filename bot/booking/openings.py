"""Openings that run themselves: slots kept generated a few weeks ahead by a daily job, and
staff blocking a slot, a day or a site (sick leave, a closed centre).

A blocked slot is never offered (appointments.free_slots). The people already booked on it are
moved at once to the soonest free time (same site first) and told by SMS, in their language,
with the new time and how to cancel or change it; if nothing is free, their appointment is
cancelled, they are told a social worker will contact them, and a "callback" task is opened.
Every block is written to the audit log (bot/console/audit.py), from the console or the CLI.
"""
from __future__ import annotations

import logging
import os
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta, timezone

from sqlalchemy import select
from sqlalchemy.orm import Session

from bot import outbox
from bot.stopping import stop_flag
from bot.booking import appointments, slots
from bot.console import audit
from bot.models import Appointment, Closure, OutboundSms, Person, PersonRequest, Slot
from bot.rendering import SMS, render
from bot.settings import PARIS

logger = logging.getLogger(__name__)

# How many weeks of slots the daily job keeps ready (PASS_OPENINGS_WEEKS, default 4).
DEFAULT_WEEKS = 4
# A new time sooner than this would leave no time to read the SMS and come.
MOVE_NOT_BEFORE = timedelta(hours=2)
DAILY = timedelta(days=1)
CLI_USER = {"id": None, "name": "ligne de commande"}


def weeks_ahead() -> int:
    return int(os.environ.get("PASS_OPENINGS_WEEKS", str(DEFAULT_WEEKS)))


def keep_ahead(session: Session, today: date, weeks: int | None = None) -> int:
    """The daily job: the missing slots from today to `weeks` weeks ahead (closed days included,
    born blocked). Idempotent; returns how many were created."""
    return slots.generate(session, today, days=7 * (weeks if weeks is not None else weeks_ahead()))


@dataclass(frozen=True)
class Outcome:
    """What became of one person booked on a slot that was blocked."""

    person_id: int | None
    old_reference: str
    new_reference: str | None  # None: nothing free, the appointment is cancelled
    new_start: datetime | None
    told_by_sms: bool  # False: no number, STOP, or erased: the team must tell them


def block_slot(session: Session, slot_id: int, reason: str, user: dict = CLI_USER,
               now: datetime | None = None) -> list[Outcome]:
    slot = session.get(Slot, slot_id)
    if slot is None:
        raise LookupError(slot_id)
    outcomes = _block(session, [slot], _reason(reason), user, now or outbox.utcnow())
    audit.record(session, user, "block_slot", None,
                 f"créneau {slot.id} {slot.site} {_local(slot.start_at)} : {reason}")
    return outcomes


def block_days(session: Session, first: date, last: date, reason: str, user: dict = CLI_USER,
               site: str | None = None, now: datetime | None = None) -> list[Outcome]:
    """A site (or every site, site=None) closed from `first` to `last` included: the slots of
    those days are blocked, those generated later too."""
    if last < first:
        raise ValueError("the last day is before the first")
    reason = _reason(reason)
    session.add(Closure(site=site, first_day=first, last_day=last, reason=reason, created_by=user["name"]))
    start = datetime.combine(first, time.min, PARIS).astimezone(timezone.utc)
    end = datetime.combine(last + timedelta(days=1), time.min, PARIS).astimezone(timezone.utc)
    query = select(Slot).where(Slot.start_at >= start, Slot.start_at < end, Slot.blocked.is_(False))
    if site:
        query = query.where(Slot.site == site)
    found = list(session.execute(query.order_by(Slot.start_at)).scalars())
    outcomes = _block(session, found, reason, user, now or outbox.utcnow())
    audit.record(session, user, "block_days", None,
                 f"{site or 'tous sites'} du {first.isoformat()} au {last.isoformat()} : {reason}")
    return outcomes


def unblock_slot(session: Session, slot_id: int, user: dict = CLI_USER) -> None:
    """The slot is offered again (the people moved away keep their new time)."""
    slot = session.get(Slot, slot_id)
    if slot is None:
        raise LookupError(slot_id)
    slot.blocked, slot.blocked_reason, slot.blocked_at = False, None, None
    audit.record(session, user, "unblock_slot", None, f"créneau {slot.id} {slot.site} {_local(slot.start_at)}")


def closures(session: Session, today: date) -> list[Closure]:
    """Closures not over yet, soonest first (the console shows them)."""
    return list(session.execute(select(Closure).where(Closure.last_day >= today)
                                .order_by(Closure.first_day, Closure.id)).scalars())


def day_slots(session: Session, day: date, site: str | None = None) -> list[tuple[Slot, Appointment | None]]:
    """A day's slots, each with its booking if any (the console's openings page)."""
    start = datetime.combine(day, time.min, PARIS).astimezone(timezone.utc)
    query = select(Slot).where(Slot.start_at >= start, Slot.start_at < start + timedelta(days=1))
    if site:
        query = query.where(Slot.site == site)
    found = list(session.execute(query.order_by(Slot.start_at, Slot.site, Slot.id)).scalars())
    booked = {a.slot_id: a for a in session.execute(select(Appointment).where(
        Appointment.slot_id.in_([s.id for s in found]), Appointment.status == "booked")).scalars()}
    return [(slot, booked.get(slot.id)) for slot in found]


def _reason(reason: str) -> str:
    reason = " ".join((reason or "").split())[:200]
    if not reason:
        raise ValueError("a reason is needed")
    return reason


def _local(moment: datetime) -> str:
    return moment.astimezone(PARIS).strftime("%Y-%m-%d %H:%M")


def _block(session: Session, found: list[Slot], reason: str, user: dict, now: datetime) -> list[Outcome]:
    for slot in found:  # all blocked first: nobody is moved onto a slot blocked in the same go
        slot.blocked, slot.blocked_reason, slot.blocked_at = True, reason, now
    session.flush()
    outcomes = []
    for slot in found:
        for appointment in session.execute(select(Appointment).where(
                Appointment.slot_id == slot.id, Appointment.status == "booked")).scalars().all():
            if slot.start_at <= now:
                continue  # already begun or past: nothing to offer
            outcome = _move(session, appointment, now)
            outcomes.append(outcome)
            audit.record(session, user, "move_blocked" if outcome.new_reference else "cancel_blocked",
                         outcome.person_id, f"rdv {outcome.old_reference} → {outcome.new_reference or 'annulé'}"
                                            f"{'' if outcome.told_by_sms else ', à prévenir'}")
    return outcomes


def _move(session: Session, appointment: Appointment, now: datetime) -> Outcome:
    """The soonest free time at the same site, else at any site; else cancelled."""
    old_start, old_reference, site = appointment.slot.start_at, appointment.reference, appointment.slot.site
    after = now + MOVE_NOT_BEFORE
    for candidate in appointments.free_slots(session, after, site=site, limit=5) + \
            appointments.free_slots(session, after, limit=5):
        try:
            new = appointments.reschedule(session, old_reference, candidate.id, now)
        except appointments.SlotTaken:
            continue
        params = {**appointments.message_params(new), "old_when": old_start}
        told = _tell(session, new.person_id, new.id, "sms_moved", params,
                     new.slot.start_at - MOVE_NOT_BEFORE, now)
        return Outcome(new.person_id, old_reference, new.reference, new.slot.start_at, told)
    appointments.cancel(session, old_reference)
    _callback_task(session, appointment.person_id)
    told = _tell(session, appointment.person_id, appointment.id, "sms_cancelled_by_team",
                 {"when": old_start}, max(old_start, now + DAILY), now)
    return Outcome(appointment.person_id, old_reference, None, None, told)


def _callback_task(session: Session, person_id: int | None) -> None:
    """Nothing free: the SMS promises a call, so the console gets a "callback" task (the kind
    the console's task list shows as "no free time: call the person back")."""
    if person_id is None:
        return
    open_one = session.execute(select(PersonRequest).where(
        PersonRequest.person_id == person_id, PersonRequest.kind == "callback",
        PersonRequest.status == "open")).first()
    if open_one is None:
        session.add(PersonRequest(person_id=person_id, kind="callback", status="open"))


def _tell(session: Session, person_id: int | None, appointment_id: int, text: str, params: dict,
          valid_until: datetime, now: datetime) -> bool:
    """One SMS through the outbox, in the person's language, outside quiet hours if it can wait."""
    person = session.get(Person, person_id) if person_id else None
    if person is None or person.phone_encrypted is None or person.sms_opted_out_at is not None:
        return False
    body = render(text, person.language or "fr", SMS, params).text
    when = outbox.schedule_time(now, valid_until, now)
    session.add(OutboundSms(
        person_id=person.id, appointment_id=appointment_id, kind="moved" if text == "sms_moved" else "cancelled_by_team",
        body=body, status="pending", due_at=when or now, valid_until=max(valid_until, now + outbox.REPLY_VALIDITY),
        quiet_hours=when is not None, attempts=0))
    session.flush()
    return True


def run_daily(database_url: str | None = None) -> int:
    """`python -m bot slots keep` (started by `make run` and `make run-prod`): keep the slots
    generated ahead, once at start then once a day. Several may run: generating twice creates
    nothing more (one slot per worker and time, a lost race is tried again the next round)."""
    from bot.database import session_scope

    logging.basicConfig(level=os.environ.get("LOG_LEVEL", "INFO"), format="%(asctime)s %(name)s %(levelname)s %(message)s")
    stopping = stop_flag()
    last_run: datetime | None = None
    while not stopping.is_set():
        now = outbox.utcnow()
        if last_run is None or now - last_run >= DAILY:
            try:
                with session_scope(database_url) as session:
                    created = keep_ahead(session, now.astimezone(PARIS).date())
                logger.info("openings: %d slots created, %d weeks ahead", created, weeks_ahead())
                last_run = now
            except Exception:  # the database was away, or another job won a race: next minute
                logger.exception("openings round failed")
        stopping.wait(5 if last_run is None else 60)  # SIGTERM ends the wait at once
    return 0
