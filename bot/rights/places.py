"""Where to go: the directory of places (bot/rights/places.yaml), looked up by purpose."""
from __future__ import annotations

from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path
from typing import Optional, Sequence

from bot.rights import codes, schemas
from bot.rights.rules import Rules, RulesError, default_rules, procedure_for, read_validated

PLACES_FILE = Path(__file__).resolve().parent / "places.yaml"


@dataclass(frozen=True)
class Place:
    id: str
    name: str
    sms_name: str  # shown on SMS: GSM-7 and discreet (no "PASS", no "AME")
    kind: str
    address: Optional[str]
    postal_address: Optional[str]
    phone: Optional[str]
    hours: Optional[str]
    url: Optional[str]
    purposes: tuple[str, ...]
    purposes_to_confirm: tuple[str, ...]
    confirmed: bool  # False: example or unchecked data, the city must supply/confirm it
    note: Optional[str]
    sources: tuple[str, ...]


def load_places(path: Optional[Path] = None, rules: Optional[Rules] = None) -> tuple[Place, ...]:
    """Load and validate places.yaml (schema + source keys + unique ids)."""
    path = Path(path) if path else PLACES_FILE
    rules = rules or default_rules()
    data = read_validated(path, schemas.PLACES)
    places = []
    for raw in data["places"]:
        for key in raw["sources"]:
            if key not in rules.sources:
                raise RulesError(f"{path.name}: {raw['id']}: unknown source key {key!r} (add it to rules/sources.yaml)")
        places.append(
            Place(
                id=raw["id"],
                name=raw["name"],
                sms_name=raw["sms_name"],
                kind=raw["kind"],
                address=raw["address"],
                postal_address=raw.get("postal_address"),
                phone=raw["phone"],
                hours=raw["hours"],
                url=raw.get("url"),
                purposes=tuple(raw["purposes"]),
                purposes_to_confirm=tuple(raw.get("purposes_to_confirm", [])),
                confirmed=raw["confirmed"],
                note=raw.get("note"),
                sources=tuple(raw["sources"]),
            )
        )
    ids = [place.id for place in places]
    duplicates = sorted({place_id for place_id in ids if ids.count(place_id) > 1})
    if duplicates:
        raise RulesError(f"{path.name}: duplicate place id {duplicates[0]!r}")
    return tuple(places)


@lru_cache(maxsize=1)
def default_places() -> tuple[Place, ...]:
    return load_places()


def places_for(
    purpose: str, *, include_to_confirm: bool = False, places: Optional[Sequence[Place]] = None
) -> list[Place]:
    """Places serving ``purpose`` (a code of codes.PLACE_PURPOSES), in file order.

    Places with ``confirmed: False`` are returned too: callers must show them as
    "to be confirmed" (or filter on ``place.confirmed``). ``include_to_confirm``
    adds places for which this purpose itself is still unconfirmed."""
    if purpose not in codes.PLACE_PURPOSES:
        raise ValueError(f"unknown purpose {purpose!r} (known: {', '.join(codes.PLACE_PURPOSES)})")
    places = default_places() if places is None else places
    return [
        place
        for place in places
        if purpose in place.purposes or (include_to_confirm and purpose in place.purposes_to_confirm)
    ]


def places_for_right(
    right: str, *, rules: Optional[Rules] = None, places: Optional[Sequence[Place]] = None
) -> list[Place]:
    """Places where to act on an outcome right (via rules/procedures.yaml place_purposes)."""
    procedure = procedure_for(right, rules)
    found: dict[str, Place] = {}
    for purpose in procedure.place_purposes:
        for place in places_for(purpose, places=places):
            found.setdefault(place.id, place)
    return list(found.values())
