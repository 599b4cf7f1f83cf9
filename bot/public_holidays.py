"""French public holidays, one calendar for slots and SMS quiet hours.

PASS_HOLIDAYS_REGION picks a subdivision of the `holidays` library's France (e.g. "GES" for
Alsace-Moselle, "RE" for La Réunion); empty (the default) is metropolitan France.
"""
from __future__ import annotations

import os
from datetime import date
from functools import lru_cache

import holidays


def region() -> str | None:
    value = os.environ.get("PASS_HOLIDAYS_REGION", "").strip().upper()
    if value and value not in holidays.France.subdivisions:
        raise ValueError(f"PASS_HOLIDAYS_REGION: {value!r} is not one of {', '.join(holidays.France.subdivisions)}")
    return value or None


@lru_cache(maxsize=None)
def _calendar(subdivision: str | None) -> holidays.HolidayBase:
    return holidays.France(subdiv=subdivision)  # years are filled in as they are looked up


def is_holiday(day: date) -> bool:
    return day in _calendar(region())
