"""Facts about one person, as given by the conversation (or the CLI).

Every fact is optional: ``None`` means "not known yet". The single exception
is ``prior_ame_end``, where the contract gives JSON ``null`` a meaning
("never had AME"): it is stored as :data:`NEVER`, while an absent key stays
``None`` (unknown).
"""
from __future__ import annotations

import math
from dataclasses import dataclass, fields
from datetime import date
from typing import Any, Literal, Mapping, Optional, Union

from bot.rights import codes

NEVER: Literal["never"] = "never"


class FactsError(ValueError):
    """Bad input facts. The message is one line, meant for a developer."""


@dataclass(frozen=True)
class Facts:
    age: Optional[int] = None
    nationality_group: Optional[str] = None
    residence_status: Optional[str] = None
    months_in_france: Optional[int] = None
    months_since_permit_expiry: Optional[int] = None
    works_in_france: Optional[bool] = None
    benefits: Optional[tuple[str, ...]] = None
    current_cover: Optional[str] = None
    prior_ame_end: Union[date, Literal["never"], None] = None
    annual_resources: Optional[float] = None
    household_size: Optional[int] = None
    has_stable_address: Optional[bool] = None
    has_domiciliation: Optional[bool] = None
    hosted_by_third_party: Optional[bool] = None
    has_photo_id: Optional[bool] = None
    unaccompanied_minor: Optional[bool] = None
    urgent: Optional[bool] = None
    health_problem: Optional[bool] = None
    can_advance_fees: Optional[bool] = None
    saint_denis_link: Optional[bool] = None
    today: Optional[date] = None

    @classmethod
    def from_mapping(cls, data: Mapping[str, Any]) -> "Facts":
        """Parse and check a JSON-like mapping; raise :class:`FactsError`."""
        if not isinstance(data, Mapping):
            raise FactsError(f"facts must be a JSON object, got {_json_type(data)}")
        unknown = sorted(set(data) - set(FACT_NAMES))
        if unknown:
            raise FactsError(f"unknown fact {unknown[0]!r} (known facts: {', '.join(FACT_NAMES)})")
        values = {}
        for name, raw in data.items():
            if name == "prior_ame_end" and raw is None:
                values[name] = NEVER
            elif raw is not None:  # null = unknown, like an absent key
                values[name] = _PARSERS[name](name, raw)
        return cls(**values)

    def to_dict(self) -> dict[str, Any]:
        """Inverse of :meth:`from_mapping` (only known facts)."""
        out: dict[str, Any] = {}
        for name in FACT_NAMES:
            value = getattr(self, name)
            if value is None:
                continue
            if value == NEVER:
                out[name] = None
            elif isinstance(value, date):
                out[name] = value.isoformat()
            elif isinstance(value, tuple):
                out[name] = list(value)
            else:
                out[name] = value
        return out


# --- parsers: one per fact type ------------------------------------------------

def _json_type(value: Any) -> str:
    if isinstance(value, bool):
        return "a boolean"
    if isinstance(value, (int, float)):
        return "a number"
    if isinstance(value, str):
        return "a string"
    if isinstance(value, (list, tuple)):
        return "an array"
    if isinstance(value, Mapping):
        return "an object"
    return type(value).__name__


def _bool(name: str, raw: Any) -> bool:
    if not isinstance(raw, bool):
        raise FactsError(f"fact {name!r} must be true or false, got {_json_type(raw)}")
    return raw


def _int_range(low: int, high: int):
    def parse(name: str, raw: Any) -> int:
        # Rasa float slots send 8.0: accept integral floats, refuse 8.5 and booleans.
        if isinstance(raw, bool) or not isinstance(raw, (int, float)):
            raise FactsError(f"fact {name!r} must be a whole number, got {_json_type(raw)}")
        if isinstance(raw, float) and (not math.isfinite(raw) or not raw.is_integer()):
            raise FactsError(f"fact {name!r} must be a whole number, got {raw!r}")
        value = int(raw)
        if not low <= value <= high:
            raise FactsError(f"fact {name!r} must be between {low} and {high}, got {value}")
        return value

    return parse


def _money(name: str, raw: Any) -> float:
    if isinstance(raw, bool) or not isinstance(raw, (int, float)):
        raise FactsError(f"fact {name!r} must be a number of euros, got {_json_type(raw)}")
    if not math.isfinite(raw) or raw < 0 or raw > 10_000_000:
        raise FactsError(f"fact {name!r} must be between 0 and 10000000 euros, got {raw!r}")
    return raw


def _enum(allowed: tuple[str, ...]):
    def parse(name: str, raw: Any) -> str:
        if not isinstance(raw, str) or raw not in allowed:
            raise FactsError(f"fact {name!r} must be one of {', '.join(allowed)}; got {raw!r}")
        return raw

    return parse


def _benefits(name: str, raw: Any) -> tuple[str, ...]:
    if not isinstance(raw, list):
        raise FactsError(f"fact {name!r} must be a list of codes, got {_json_type(raw)}")
    for item in raw:
        if not isinstance(item, str) or item not in codes.BENEFITS:
            raise FactsError(f"fact {name!r}: unknown benefit {item!r} (allowed: {', '.join(codes.BENEFITS)})")
    return tuple(codes.ordered(raw, codes.BENEFITS))


def _date(name: str, raw: Any) -> date:
    if isinstance(raw, date):
        return raw
    if not isinstance(raw, str):
        raise FactsError(f"fact {name!r} must be an ISO date (YYYY-MM-DD), got {_json_type(raw)}")
    try:
        return date.fromisoformat(raw)
    except ValueError:
        raise FactsError(f"fact {name!r} must be an ISO date (YYYY-MM-DD), got {raw!r}") from None


_PARSERS = {
    "age": _int_range(0, 130),
    "nationality_group": _enum(codes.NATIONALITY_GROUPS),
    "residence_status": _enum(codes.RESIDENCE_STATUSES),
    "months_in_france": _int_range(0, 1200),
    "months_since_permit_expiry": _int_range(0, 1200),
    "works_in_france": _bool,
    "benefits": _benefits,
    "current_cover": _enum(codes.CURRENT_COVERS),
    "prior_ame_end": _date,
    "annual_resources": _money,
    "household_size": _int_range(1, 30),
    "has_stable_address": _bool,
    "has_domiciliation": _bool,
    "hosted_by_third_party": _bool,
    "has_photo_id": _bool,
    "unaccompanied_minor": _bool,
    "urgent": _bool,
    "health_problem": _bool,
    "can_advance_fees": _bool,
    "saint_denis_link": _bool,
    "today": _date,
}

FACT_NAMES: tuple[str, ...] = tuple(f.name for f in fields(Facts))
assert set(FACT_NAMES) == set(_PARSERS), "every fact needs a parser"
