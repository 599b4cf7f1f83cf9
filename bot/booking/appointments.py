"""Booking, moving and cancelling appointments; one booking per slot is the database's job."""
from __future__ import annotations

import secrets
from datetime import datetime
from typing import Any

from sqlalchemy import select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from bot import outbox, reminders
from bot.i18n import N_, gettext
from bot.booking.sites import sites
from bot.booking.slots import PARIS
from bot.models import Appointment, Slot

STATUSES = ("booked", "cancelled", "attended", "no_show")
# What staff record after the appointment: each cover, and what became of the application.
COVERS = ("PUMA", "CSS", "AME")
COVER_STATES = ("opened", "refused", "pending")
# Care the person obtained without advancing fees, recorded at the visit (the seed's indicators).
CARE = ("medicines", "laboratory", "radiology", "nursing")
# Easy to read out and to type on a phone: no 0/O, 1/I/L.
REFERENCE_ALPHABET = "23456789ABCDEFGHJKMNPQRSTUVWXYZ"
REFERENCE_LENGTH = 6


class SlotTaken(Exception):
    """Someone else booked this slot first."""


class UnknownAppointment(LookupError):
    pass


def free_slots(session: Session, after: datetime, site: str | None = None, limit: int = 3) -> list[Slot]:
    """The next slots nobody has booked, soonest first."""
    booked = select(Appointment.slot_id).where(Appointment.status == "booked")
    query = select(Slot).where(Slot.start_at > after, Slot.blocked.is_(False), Slot.id.not_in(booked))
    if site:
        query = query.where(Slot.site == site)
    return list(session.execute(query.order_by(Slot.start_at, Slot.id).limit(limit)).scalars())


def book(session: Session, slot_id: int, language: str, person_id: int | None = None,
         now: datetime | None = None) -> Appointment:
    """Book a slot in one transaction. Raises SlotTaken if it is no longer free: the unique index
    on booked slots decides, so two simultaneous bookings cannot both succeed. `now` is the moment
    the reminders are counted from (a move decided by the team carries its own)."""
    slot = session.get(Slot, slot_id)
    if slot is None or slot.blocked:
        raise SlotTaken(slot_id)
    appointment = Appointment(reference=_new_reference(), slot_id=slot_id, person_id=person_id,
                              status="booked", language=language)
    try:
        with session.begin_nested():  # a savepoint: a lost race leaves the session usable
            session.add(appointment)
            session.flush()
    except IntegrityError as error:
        raise SlotTaken(slot_id) from error
    reminders.schedule_for_appointment(session, appointment, now)  # same transaction as the booking
    return appointment


def find(session: Session, reference: str) -> Appointment:
    appointment = session.execute(
        select(Appointment).where(Appointment.reference == reference.strip().upper())
    ).scalar_one_or_none()
    if appointment is None:
        raise UnknownAppointment(reference)
    return appointment


def cancel(session: Session, reference: str) -> Appointment:
    """The slot is free again at once."""
    appointment = find(session, reference)
    appointment.status = "cancelled"
    outbox.cancel_open(session, appointment.id)
    session.flush()
    return appointment


def reschedule(session: Session, reference: str, slot_id: int, now: datetime | None = None) -> Appointment:
    """Book the new slot first, then cancel the old one: if the new slot is taken, nothing changes."""
    old = find(session, reference)
    new = book(session, slot_id, old.language, old.person_id, now)
    old.status = "cancelled"
    outbox.cancel_open(session, old.id)
    session.flush()
    return new


def start_iso(slot: Slot) -> str:
    """When the slot starts, ISO 8601 with the Paris offset: 2026-12-07T09:00:00+01:00."""
    return slot.start_at.astimezone(PARIS).isoformat()


def as_json(appointment: Appointment) -> dict[str, Any]:
    """The public JSON of an appointment (`python -m bot appointments list --json`)."""
    return {
        "reference": appointment.reference,
        "site": appointment.slot.site,
        "start": start_iso(appointment.slot),
        "status": appointment.status,
        "language": appointment.language,
    }


# Until the city confirms a site's address the chat says who gives it (an SMS keeps the name
# alone: a reminder stays one segment).
UNCONFIRMED_SITE = N_("{name} (address given by the social worker)")


def message_params(appointment: Appointment) -> dict[str, Any]:
    """What texts about an appointment say: when, where (the address only once confirmed),
    its reference."""
    site = sites()[appointment.slot.site]
    confirmed = site.confirmed and site.address
    address = f", {site.address}" if confirmed else ""
    name = site.name + address if confirmed else gettext(UNCONFIRMED_SITE, appointment.language).format(name=site.name)
    return {"when": start_iso(appointment.slot), "site": name,
            "sms_site": site.sms_name + address, "reference": appointment.reference}


def upcoming_for_person(session: Session, person_id: int, now: datetime) -> Appointment | None:
    """The person's next booked appointment, if any."""
    return session.execute(
        select(Appointment).join(Slot)
        .where(Appointment.person_id == person_id, Appointment.status == "booked", Slot.start_at > now)
        .order_by(Slot.start_at).limit(1)
    ).scalar_one_or_none()


def listing(session: Session, status: str | None = None) -> list[Appointment]:
    query = select(Appointment).join(Slot)
    if status:
        query = query.where(Appointment.status == status)
    return list(session.execute(query.order_by(Slot.start_at, Appointment.id)).scalars())


def _new_reference() -> str:
    return "".join(secrets.choice(REFERENCE_ALPHABET) for _ in range(REFERENCE_LENGTH))


def between(session: Session, start: datetime, end: datetime, site: str | None = None) -> list[Appointment]:
    """Appointments (not cancelled) starting in [start, end), by time: the day or week view."""
    query = select(Appointment).join(Slot).where(Slot.start_at >= start, Slot.start_at < end,
                                                Appointment.status != "cancelled")
    if site:
        query = query.where(Slot.site == site)
    return list(session.execute(query.order_by(Slot.start_at, Appointment.id)).scalars())


def record_visit(session: Session, appointment_id: int, status: str, covers: dict[str, str],
                 care: list[str] | None = None, follow_up: bool | None = None) -> Appointment:
    """Staff after the appointment: attended or no-show, each cover opened, refused or pending
    (a cover not mentioned is left out), the care obtained without advancing fees, and whether
    the person chose regular follow-up at a CMS."""
    appointment = session.get(Appointment, appointment_id)
    if appointment is None or appointment.status == "cancelled":
        raise UnknownAppointment(appointment_id)
    if status not in ("attended", "no_show"):
        raise ValueError("status is attended or no_show")
    if any(cover not in COVERS or state not in COVER_STATES for cover, state in covers.items()):
        raise ValueError("unknown cover or state")
    if any(kind not in CARE for kind in care or ()):
        raise ValueError("unknown care")
    appointment.status = status
    attended = status == "attended"
    appointment.rights_obtained = dict(covers) if attended and covers else None
    appointment.care_obtained = [kind for kind in CARE if kind in (care or ())] if attended and care else None
    appointment.follow_up = bool(follow_up) if attended and follow_up is not None else None
    outbox.cancel_open(session, appointment.id)  # no reminder for what is over
    session.flush()
    return appointment
