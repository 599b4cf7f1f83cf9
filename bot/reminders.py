"""Reminders: rows of the SMS outbox (bot/outbox.py) written with the booking they are about.

Appointment reminders (by default two days and one day before, PASS_REMINDER_OFFSETS="2d,1d"),
"3 months reached" (people who must wait 3 months in France before AME or PUMa are invited to
book that day) and the AME renewal reminder (two months before the end date staff recorded).
Their texts are made when they are sent, in the person's language of that day; they are neutral
(no "AME", "PASS", diagnosis or reason: a phone is often shared) and checked by the tests.
"""
from __future__ import annotations

import os
import re
from datetime import date, datetime, time, timedelta, timezone

from dateutil.relativedelta import relativedelta
from sqlalchemy import select
from sqlalchemy.orm import Session

from bot import outbox
from bot.models import Appointment, OutboundSms, Person
from bot.rendering import SMS, render

# A reminder later than this before the appointment would not help the person come.
LATEST_BEFORE_APPOINTMENT = timedelta(hours=2)
INVITATION_HOUR = time(10, 0)  # "3 months reached" and renewal messages: mid-morning, Paris
INVITATION_VALIDITY = timedelta(days=7)
RENEWAL_NOTICE = relativedelta(months=2)
THREE_MONTHS = 3

# Outbox kind → response name of its text.
TEXTS = {"reminder": "sms_reminder", "three_months": "sms_three_months", "renewal": "sms_renewal"}


def offsets(spec: str | None = None) -> list[timedelta]:
    """'2d,1d' or '48h,3h' → the delays before an appointment when reminders go."""
    spec = spec if spec is not None else os.environ.get("PASS_REMINDER_OFFSETS", "2d,1d")
    result = []
    for part in filter(None, (p.strip() for p in spec.split(","))):
        match = re.fullmatch(r"(\d+)([dh])", part)
        if not match:
            raise ValueError(f"PASS_REMINDER_OFFSETS: {part!r} is not like 2d or 3h")
        amount, unit = int(match[1]), match[2]
        result.append(timedelta(days=amount) if unit == "d" else timedelta(hours=amount))
    return sorted(result, reverse=True)


def _label(offset: timedelta) -> str:
    return f"{offset.days}d" if offset.seconds == 0 else f"{int(offset.total_seconds() // 3600)}h"


def schedule_for_appointment(session: Session, appointment: Appointment, now: datetime | None = None) -> list[OutboundSms]:
    """The reminders of a new booking, in its transaction. A reminder whose time has passed
    (booked for tomorrow) is not written; one that would fall in quiet hours moves."""
    if appointment.person_id is None:
        return []
    now = now or outbox.utcnow()
    start = appointment.slot.start_at
    valid_until = start - LATEST_BEFORE_APPOINTMENT
    rows = []
    for offset in offsets():
        due = start - offset
        if due <= now:
            continue
        when = outbox.schedule_time(due, valid_until, now)
        if when is None or when <= now:
            continue
        row = OutboundSms(person_id=appointment.person_id, appointment_id=appointment.id,
                          kind=f"reminder_{_label(offset)}", status="pending", due_at=when,
                          valid_until=valid_until, quiet_hours=True, attempts=0)
        session.add(row)
        rows.append(row)
    session.flush()
    return rows


def _invitation(session: Session, person_id: int, kind: str, day: date) -> OutboundSms | None:
    """One pending invitation of a kind per person: a new date replaces the old one."""
    local = datetime.combine(day, INVITATION_HOUR, outbox.PARIS).astimezone(timezone.utc)
    when = outbox.schedule_time(local, local + INVITATION_VALIDITY, outbox.utcnow())
    existing = session.execute(
        select(OutboundSms).where(OutboundSms.person_id == person_id, OutboundSms.kind == kind,
                                  OutboundSms.status.in_(outbox.OPEN_STATUSES))
    ).scalars().all()
    for row in existing:
        row.status = "cancelled"
    if when is None:
        return None
    row = OutboundSms(person_id=person_id, kind=kind, status="pending", due_at=when,
                      valid_until=when + INVITATION_VALIDITY, quiet_hours=True, attempts=0)
    session.add(row)
    session.flush()
    return row


def three_months_day(months_in_france: int, today: date) -> date:
    """The day someone who has been in France for `months_in_france` whole months is surely past
    3 months: the months still missing, plus a day (whole months round down)."""
    return today + relativedelta(months=max(THREE_MONTHS - months_in_france, 0), days=1)


def schedule_three_months(session: Session, person_id: int, months_in_france: int, today: date) -> OutboundSms | None:
    return _invitation(session, person_id, "three_months", three_months_day(months_in_france, today))


def schedule_renewal(session: Session, person_id: int, cover_ends: date) -> OutboundSms | None:
    """Staff recorded when the person's AME ends: a reminder two months before."""
    person = session.get(Person, person_id)
    person.cover_ends_on = cover_ends
    return _invitation(session, person_id, "renewal", cover_ends - RENEWAL_NOTICE)


def params_for(session: Session, row: OutboundSms) -> dict:
    """What the text of a reminder row says, as of now (the appointment may have moved since)."""
    kind = "reminder" if row.kind.startswith("reminder_") else row.kind
    if kind == "reminder":
        from bot.booking.appointments import message_params  # the booking module imports this one

        return message_params(session.get(Appointment, row.appointment_id))
    if kind == "renewal":
        return {"until": session.get(Person, row.person_id).cover_ends_on}
    return {}


def text_for(session: Session, row: OutboundSms, language: str) -> str:
    """The SMS of a reminder row, made now."""
    if row.body:
        return row.body
    kind = "reminder" if row.kind.startswith("reminder_") else row.kind
    return render(TEXTS[kind], language, SMS, params_for(session, row)).text
