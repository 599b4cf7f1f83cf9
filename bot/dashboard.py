"""The PASS dashboard: for a period, people screened, eligible, booked, attended, no-shows,
handoffs and time to pick-up, rights opened — in all and by site, language, channel or
association tag. Counts from 1 to 4 are shown as "<5" so that nobody can be singled out.

Plain Python: a few queries, grouped here (the numbers are those of one city's pathway).
"""
from __future__ import annotations

import csv
import io
import statistics
from collections import defaultdict
from datetime import datetime
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from bot.booking.appointments import COVERS
from bot.models import Appointment, Handoff, Person, Screening, Slot

DIMENSIONS = {"language": "langue", "channel": "canal", "source": "association", "site": "site"}
METRICS = ("screened", "eligible", "booked", "attended", "no_show", "handoffs", "pickup_minutes",
           *(f"opened_{cover}" for cover in COVERS))
LABELS = {"screened": "repérées", "eligible": "éligibles PASS", "booked": "RDV pris", "attended": "venues",
          "no_show": "absentes", "handoffs": "demandes d'humain", "pickup_minutes": "délai de prise en charge (médiane, min)",
          **{f"opened_{cover}": f"{cover} ouverte" for cover in COVERS}}
FUNNEL = ("screened", "eligible", "booked", "attended")
SMALL = 5
NONE = "(aucun)"
TOTAL = "Total"


def person_group(person: Person | None, by: str) -> str:
    if person is None:
        return NONE
    if by == "language":
        return person.language or NONE
    if by == "channel":
        return "sms" if person.phone_key else "web"
    if by == "source":
        return person.source or NONE
    return NONE  # by site: a person belongs to no site, only their appointments do


def figures(session: Session, start: datetime, end: datetime, by: str = "language") -> dict[str, dict[str, Any]]:
    """{group: {metric: number or None}}, with a TOTAL row; None: not meaningful for this group
    (screenings have no site). People counted once per metric, events in [start, end)."""
    if by not in DIMENSIONS:
        raise ValueError(f"by is one of {', '.join(DIMENSIONS)}")
    people: dict[str, dict[str, set]] = defaultdict(lambda: defaultdict(set))
    pickups: dict[str, list[float]] = defaultdict(list)

    def add(metric: str, group: str, item: Any) -> None:
        people[group][metric].add(item)
        people[TOTAL][metric].add(item)

    screenings = session.execute(
        select(Screening, Person).join(Person).where(Screening.completed_at >= start, Screening.completed_at < end)
    ).all()
    for screening, person in screenings:
        if by != "site":
            add("screened", person_group(person, by), person.id)
            if screening.pass_eligible:
                add("eligible", person_group(person, by), person.id)
        else:
            people[TOTAL]["screened"].add(person.id)
            if screening.pass_eligible:
                people[TOTAL]["eligible"].add(person.id)

    booked = session.execute(
        select(Appointment, Slot, Person).join(Slot, Appointment.slot_id == Slot.id)
        .outerjoin(Person, Appointment.person_id == Person.id)
        .where(Appointment.created_at >= start, Appointment.created_at < end, Appointment.status != "cancelled")
    ).all()
    for appointment, slot, person in booked:
        add("booked", slot.site if by == "site" else person_group(person, by), appointment.id)

    held = session.execute(
        select(Appointment, Slot, Person).join(Slot, Appointment.slot_id == Slot.id)
        .outerjoin(Person, Appointment.person_id == Person.id)
        .where(Slot.start_at >= start, Slot.start_at < end, Appointment.status.in_(("attended", "no_show")))
    ).all()
    for appointment, slot, person in held:
        group = slot.site if by == "site" else person_group(person, by)
        add(appointment.status, group, appointment.id)
        for cover, state in (appointment.rights_obtained or {}).items():
            if state == "opened":
                add(f"opened_{cover}", group, appointment.id)

    handoffs = session.execute(
        select(Handoff, Person).join(Person).where(Handoff.created_at >= start, Handoff.created_at < end)
    ).all()
    for handoff, person in handoffs:
        group = handoff.channel if by == "channel" else person_group(person, by)
        if by == "site":
            people[TOTAL]["handoffs"].add(handoff.id)
        else:
            add("handoffs", group, handoff.id)
        if handoff.claimed_at:
            minutes = (handoff.claimed_at - handoff.created_at).total_seconds() / 60
            pickups[TOTAL].append(minutes)
            if by != "site":
                pickups[group].append(minutes)

    table: dict[str, dict[str, Any]] = {}
    for group in sorted(people, key=lambda g: (g == TOTAL, g)):
        row: dict[str, Any] = {metric: len(people[group].get(metric, ())) for metric in METRICS if metric != "pickup_minutes"}
        if by == "site" and group != TOTAL:
            row.update(screened=None, eligible=None, handoffs=None)
        # A median of fewer than 5 pick-ups would tell one person's story: not shown.
        times = pickups.get(group) or []
        row["pickup_minutes"] = round(statistics.median(times)) if len(times) >= SMALL else None
        table[group] = {metric: row[metric] for metric in METRICS}
    table.setdefault(TOTAL, {metric: (None if metric == "pickup_minutes" else 0) for metric in METRICS})
    return table


def shown(value: Any, metric: str = "") -> str:
    """What the dashboard prints: "<5" for 1 to 4 people, "—" for nothing meaningful."""
    if value is None:
        return "—"
    if metric != "pickup_minutes" and 0 < value < SMALL:
        return "<5"
    return str(value)


def to_csv(table: dict[str, dict[str, Any]], by: str) -> str:
    out = io.StringIO()
    writer = csv.writer(out)
    writer.writerow([by, *METRICS])
    for group, row in table.items():
        writer.writerow([group, *(shown(row[m], m) for m in METRICS)])
    return out.getvalue()
