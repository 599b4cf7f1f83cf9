"""Demo openings for a first `make run` (development profile only, never `make run-prod`):
on a database with no social worker, two clearly marked demo social workers, one per site,
and their slots for the next 4 weeks, so that a newcomer can book and see the reminders.

The first days are closed (a demo closure, shown in the console): every demo booking is then
at least 3 days ahead, so its two reminders (2 days and 1 day before) are in the outbox."""
from __future__ import annotations

from datetime import date, timedelta

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from bot.booking import slots
from bot.models import Closure, SocialWorker

DEMO_PREFIX = "DÉMO — "  # in every demo name: nobody takes them for real staff
DEMO_WORKERS = (
    ("AS Moulins", "cms_1", {0: [("09:00", "12:30")], 1: [("14:00", "17:00")], 3: [("09:00", "12:30")]}),
    ("AS Plaine", "cms_2", {1: [("09:00", "12:30")], 2: [("14:00", "17:00")], 4: [("09:00", "12:30")]}),
)
DEMO_DAYS = 28
DEMO_CLOSED_DAYS = 3


def add_if_empty(session: Session, today: date) -> int | None:
    """The demo workers and their slots, only if no social worker exists yet. Returns how many
    slots were created, or None when the database already has social workers."""
    if session.execute(select(func.count()).select_from(SocialWorker)).scalar_one():
        return None
    for name, site, weekly in DEMO_WORKERS:
        slots.add_worker(session, DEMO_PREFIX + name, site, weekly)
    session.add(Closure(site=None, first_day=today, last_day=today + timedelta(days=DEMO_CLOSED_DAYS - 1),
                        reason="DÉMO : premiers jours fermés, pour que les rappels SMS soient visibles",
                        created_by="démo"))
    session.flush()
    return slots.generate(session, today, DEMO_DAYS)


def summary(added: int | None) -> str:
    if added is None:
        return "social workers already recorded: no demo openings added"
    return (f"DEMO: 2 demo social workers ({', '.join(DEMO_PREFIX + n for n, _, _ in DEMO_WORKERS)}) "
            f"and {added} demo slots over the next 4 weeks at both sites (development database only)")
