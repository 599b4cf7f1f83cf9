"""The sites where appointments take place (bot/booking/sites.yaml)."""
from __future__ import annotations

from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

import jsonschema
import yaml

SITES_FILE = Path(__file__).resolve().parent / "sites.yaml"
_TEXT = {"type": "string", "minLength": 1}
SCHEMA = {
    "type": "object",
    "required": ["sites"],
    "additionalProperties": False,
    "properties": {"sites": {"type": "array", "minItems": 1, "items": {
        "type": "object",
        "required": ["id", "name", "sms_name", "address", "confirmed"],
        "additionalProperties": False,
        "properties": {"id": {"type": "string", "pattern": "^[a-z0-9_]+$"}, "name": _TEXT, "sms_name": _TEXT,
                       "address": {"type": ["string", "null"]}, "confirmed": {"type": "boolean"}},
    }}},
}


@dataclass(frozen=True)
class Site:
    id: str
    name: str
    sms_name: str
    address: str | None
    confirmed: bool


def load_sites(path: Path = SITES_FILE) -> dict[str, Site]:
    data = yaml.safe_load(path.read_text())
    jsonschema.validate(data, SCHEMA)
    return {raw["id"]: Site(**raw) for raw in data["sites"]}


@lru_cache(maxsize=1)
def sites() -> dict[str, Site]:
    return load_sites()
