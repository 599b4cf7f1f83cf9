"""The PASS dashboard: for a period, in all and by month, site, language, channel or
association tag, the seed's indicators: people screened → eligible → booked → attended,
rights (PUMa, CSS, AME) opened, refused or pending, care obtained without advancing fees
(medicines, laboratory, radiology, nursing), regular follow-up chosen, handoffs and their
pick-up time. Counts from 1 to 4 are shown as "<5" so that nobody can be singled out.

Everyone counts: a person erased (on request or at the retention limit) leaves anonymous rows
(bot/privacy.py) that are counted with outer joins; what they no longer tell (their language,
channel, association) is grouped as ERASED.

Plain Python: a few queries, grouped here (the numbers are those of one city's pathway).
"""
from __future__ import annotations

import csv
import io
import statistics
from collections import defaultdict
from datetime import datetime
from html import escape
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from bot.booking.appointments import CARE, COVER_STATES, COVERS
from bot.models import Appointment, Handoff, Person, Screening, Slot
from bot.settings import PARIS

DIMENSIONS = {"month": "mois", "site": "site", "language": "langue", "channel": "canal", "source": "association"}
RIGHTS = tuple(f"{state}_{cover}" for cover in COVERS for state in COVER_STATES)
METRICS = ("screened", "eligible", "booked", "attended", "no_show", *RIGHTS,
           *(f"care_{kind}" for kind in CARE), "follow_up", "handoffs", "pickup_minutes")
_STATE_WORDS = {"opened": "ouverte", "refused": "refusée", "pending": "en cours"}
_CARE_WORDS = {"medicines": "médicaments", "laboratory": "analyses de laboratoire", "radiology": "radiologie",
               "nursing": "soins infirmiers"}
LABELS = {"screened": "repérées", "eligible": "éligibles PASS", "booked": "RDV pris", "attended": "venues",
          "no_show": "absentes", "handoffs": "demandes d'humain",
          "pickup_minutes": "délai de prise en charge (médiane, min)",
          **{f"{state}_{cover}": f"{cover} {_STATE_WORDS[state]}" for cover in COVERS for state in COVER_STATES},
          **{f"care_{kind}": f"{word} sans avance de frais" for kind, word in _CARE_WORDS.items()},
          "follow_up": "suivi régulier choisi"}
FUNNEL = ("screened", "eligible", "booked", "attended")
TREND = FUNNEL  # the lines of the chart by month
SMALL = 5
NONE = "(aucun)"
ERASED = "(personnes effacées)"
TOTAL = "Total"
# Screenings and handoffs belong to no site: by site they count in the total only.
SITELESS = ("screened", "eligible", "handoffs")


def month_of(moment: datetime) -> str:
    return moment.astimezone(PARIS).strftime("%Y-%m")


def person_group(person: Person | None, by: str) -> str:
    """The group of a person's row; an erased person's row is ERASED (nothing tells it more)."""
    if person is None:
        return ERASED
    if by == "language":
        return person.language or NONE
    if by == "channel":
        return "sms" if person.phone_key else "web"
    if by == "source":
        return person.source or NONE
    return NONE


def figures(session: Session, start: datetime, end: datetime, by: str = "language") -> dict[str, dict[str, Any]]:
    """{group: {metric: number or None}}, with a TOTAL row; None: not meaningful for this group
    (screenings have no site). People counted once per metric, anonymous rows once each,
    events in [start, end)."""
    if by not in DIMENSIONS:
        raise ValueError(f"by is one of {', '.join(DIMENSIONS)}")
    counted: dict[str, dict[str, set]] = defaultdict(lambda: defaultdict(set))
    pickups: dict[str, list[float]] = defaultdict(list)

    def add(metric: str, group: str | None, item: Any) -> None:
        counted[TOTAL][metric].add(item)
        if group is not None:
            counted[group][metric].add(item)

    # Outer joins: a screening, booking or handoff whose person was erased still counts.
    for screening, person in session.execute(
            select(Screening, Person).outerjoin(Person, Screening.person_id == Person.id)
            .where(Screening.completed_at >= start, Screening.completed_at < end)).all():
        who = ("person", person.id) if person else ("screening", screening.id)
        group = None if by == "site" else month_of(screening.completed_at) if by == "month" else person_group(person, by)
        add("screened", group, who)
        if screening.pass_eligible:
            add("eligible", group, who)

    def appointment_group(appointment: Appointment, slot: Slot, person: Person | None, moment: datetime) -> str:
        if by == "site":
            return slot.site
        if by == "month":
            return month_of(moment)
        if by == "language":
            return appointment.language or NONE  # kept on the appointment, even once erased
        return person_group(person, by)

    for appointment, slot, person in session.execute(
            select(Appointment, Slot, Person).join(Slot, Appointment.slot_id == Slot.id)
            .outerjoin(Person, Appointment.person_id == Person.id)
            .where(Appointment.created_at >= start, Appointment.created_at < end, Appointment.status != "cancelled")).all():
        add("booked", appointment_group(appointment, slot, person, appointment.created_at), appointment.id)

    for appointment, slot, person in session.execute(
            select(Appointment, Slot, Person).join(Slot, Appointment.slot_id == Slot.id)
            .outerjoin(Person, Appointment.person_id == Person.id)
            .where(Slot.start_at >= start, Slot.start_at < end, Appointment.status.in_(("attended", "no_show")))).all():
        group = appointment_group(appointment, slot, person, slot.start_at)
        add(appointment.status, group, appointment.id)
        for cover, state in (appointment.rights_obtained or {}).items():
            if f"{state}_{cover}" in RIGHTS:
                add(f"{state}_{cover}", group, appointment.id)
        for kind in appointment.care_obtained or ():
            if kind in CARE:
                add(f"care_{kind}", group, appointment.id)
        if appointment.follow_up:
            add("follow_up", group, appointment.id)

    for handoff in session.execute(
            select(Handoff).where(Handoff.created_at >= start, Handoff.created_at < end)).scalars():
        # The handoff keeps its channel and language after erasure; its association goes.
        group = None if by == "site" else ({"month": month_of(handoff.created_at), "channel": handoff.channel,
                                            "language": handoff.language}.get(by) or person_group(handoff.person, by))
        add("handoffs", group, handoff.id)
        if handoff.claimed_at:
            minutes = (handoff.claimed_at - handoff.created_at).total_seconds() / 60
            pickups[TOTAL].append(minutes)
            if group is not None:
                pickups[group].append(minutes)

    table: dict[str, dict[str, Any]] = {}
    last = (ERASED, NONE, TOTAL)
    for group in sorted(counted, key=lambda g: (g in last, last.index(g) if g in last else 0, g)):
        row: dict[str, Any] = {metric: len(counted[group].get(metric, ())) for metric in METRICS}
        if by == "site" and group != TOTAL:
            row.update({metric: None for metric in SITELESS})
        # A median of fewer than 5 pick-ups would tell one person's story: not shown.
        times = pickups.get(group) or []
        row["pickup_minutes"] = round(statistics.median(times)) if len(times) >= SMALL else None
        table[group] = row
    table.setdefault(TOTAL, {metric: (None if metric == "pickup_minutes" else 0) for metric in METRICS})
    return table


def label(group: str, by: str) -> str:
    """A group as staff read it: a site by its name, the rest as it is."""
    if by == "site":
        from bot.booking.sites import sites

        found = sites().get(group)
        return found.name if found else group
    return group


def shown(value: Any, metric: str = "") -> str:
    """What the dashboard prints: "<5" for 1 to 4 people, "—" for nothing meaningful."""
    if value is None:
        return "—"
    if metric != "pickup_minutes" and 0 < value < SMALL:
        return "<5"
    return str(value)


def drawn(value: Any) -> int:
    """The height a chart gives a count: a "<5" is drawn as 4, like every "<5", never as itself."""
    if not value:
        return 0
    return SMALL - 1 if value < SMALL else value


def to_csv(table: dict[str, dict[str, Any]], by: str) -> str:
    """For a French spreadsheet: semicolons, a UTF-8 byte order mark, French column names."""
    out = io.StringIO()
    out.write("\ufeff")
    writer = csv.writer(out, delimiter=";", lineterminator="\r\n")
    writer.writerow([DIMENSIONS[by], *(LABELS[m] for m in METRICS)])
    for group, row in table.items():
        writer.writerow([label(group, by), *(shown(row[m], m) for m in METRICS)])
    return out.getvalue()


# Black, grey and dashes: the lines stay apart when printed in black and white.
_LINES = {"screened": ("#000", ""), "eligible": ("#555", "6 3"), "booked": ("#000", "2 3"), "attended": ("#888", "")}


def trend_svg(by_month: dict[str, dict[str, Any]]) -> str:
    """The trend by month of the funnel, as inline SVG drawn here (no script, no CDN), each
    point labelled with its shown figure so that the printed page can be read."""
    months = [m for m in by_month if m != TOTAL]
    width, height, left, bottom, top = 640, 260, 40, 40, 20
    if not months:
        return ""
    peak = max([drawn(by_month[m][metric]) for m in months for metric in TREND] + [1])
    step = (width - left - 20) / max(len(months) - 1, 1)

    def x(i: int) -> float:
        return left + (step * i if len(months) > 1 else (width - left) / 2)

    def y(value: Any) -> float:
        return height - bottom - (height - bottom - top) * drawn(value) / peak

    parts = [f'<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 {width} {height + 20 * len(TREND)}" '
             f'width="{width}" role="img" aria-label="Évolution par mois" class="trend">',
             f'<line x1="{left}" y1="{height - bottom}" x2="{width - 10}" y2="{height - bottom}" stroke="#000"/>']
    for i, month in enumerate(months):
        parts.append(f'<text x="{x(i):.0f}" y="{height - bottom + 16}" text-anchor="middle" font-size="12">{escape(month)}</text>')
    for n, metric in enumerate(TREND):
        colour, dash = _LINES[metric]
        points = " ".join(f"{x(i):.0f},{y(by_month[m][metric]):.0f}" for i, m in enumerate(months))
        parts.append(f'<polyline points="{points}" fill="none" stroke="{colour}" stroke-width="2"'
                     + (f' stroke-dasharray="{dash}"' if dash else "") + "/>")
        for i, m in enumerate(months):
            parts.append(f'<circle cx="{x(i):.0f}" cy="{y(by_month[m][metric]):.0f}" r="3" fill="{colour}"/>')
            parts.append(f'<text x="{x(i) + 4:.0f}" y="{y(by_month[m][metric]) - 4:.0f}" font-size="11">'
                         f'{escape(shown(by_month[m][metric], metric))}</text>')
        legend = height + 20 * n
        parts.append(f'<line x1="{left}" y1="{legend}" x2="{left + 30}" y2="{legend}" stroke="{colour}" stroke-width="2"'
                     + (f' stroke-dasharray="{dash}"' if dash else "") + "/>")
        parts.append(f'<text x="{left + 36}" y="{legend + 4}" font-size="12">{escape(LABELS[metric])}</text>')
    parts.append("</svg>")
    return "".join(parts)
