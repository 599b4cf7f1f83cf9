"""Slots from the social workers' weekly availability, skipping French public holidays."""
from __future__ import annotations

from datetime import date, datetime, time, timedelta, timezone

from sqlalchemy import select
from sqlalchemy.orm import Session

from bot.models import Availability, Closure, Slot, SocialWorker
from bot.public_holidays import is_holiday
from bot.settings import PARIS

SLOT_MINUTES = 30


def _hhmm(value: str) -> time:
    hours, minutes = value.split(":")
    return time(int(hours), int(minutes))


def add_worker(session: Session, name: str, site: str, weekly: dict[int, list[tuple[str, str]]]) -> SocialWorker:
    """A social worker and their weekly openings: {0: [("09:00", "12:30")], 3: [...]} (0 = Monday)."""
    worker = SocialWorker(name=name, site=site)
    for weekday, spans in weekly.items():
        for start, end in spans:
            if not 0 <= weekday <= 6 or _hhmm(start) >= _hhmm(end):
                raise ValueError(f"bad opening {weekday} {start}-{end}")
            worker.availability.append(Availability(weekday=weekday, start=start, end=end))
    session.add(worker)
    session.flush()
    return worker


def generate(session: Session, start: date, days: int = 28, minutes: int = SLOT_MINUTES) -> int:
    """Create the missing slots from `start` for `days` days; returns how many were created.
    Idempotent: an existing slot (same worker, same start) is kept, booked or not."""
    existing = {
        (worker_id, start_at)
        for worker_id, start_at in session.execute(select(Slot.worker_id, Slot.start_at))
    }
    # Days a site (or every site) is closed (bot/booking/openings.py): their slots are born blocked.
    closed = list(session.execute(select(Closure).where(Closure.last_day >= start)).scalars())
    created = 0
    for availability in session.execute(select(Availability)).scalars():
        for offset in range(days):
            day = start + timedelta(days=offset)
            if day.weekday() != availability.weekday or is_holiday(day):
                continue
            moment = datetime.combine(day, _hhmm(availability.start), PARIS)
            end_of_opening = datetime.combine(day, _hhmm(availability.end), PARIS)
            while moment + timedelta(minutes=minutes) <= end_of_opening:
                start_at = moment.astimezone(timezone.utc)
                if (availability.worker_id, start_at) not in existing:
                    site = availability.worker.site
                    closure = next((c for c in closed if c.first_day <= day <= c.last_day and c.site in (None, site)), None)
                    session.add(Slot(worker_id=availability.worker_id, site=site, start_at=start_at,
                                     end_at=start_at + timedelta(minutes=minutes), blocked=closure is not None,
                                     blocked_reason=closure.reason if closure else None,
                                     blocked_at=closure.created_at if closure else None))
                    existing.add((availability.worker_id, start_at))
                    created += 1
                moment += timedelta(minutes=minutes)
    return created


def block(session: Session, slot_id: int) -> None:
    """Staff take a slot out of what is offered. With a reason, and moving whoever was booked
    on it: bot.booking.openings.block_slot."""
    session.get(Slot, slot_id).blocked = True
