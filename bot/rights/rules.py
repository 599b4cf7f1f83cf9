"""Load and validate the rules data (bot/rights/rules/*.yaml).

Every file is checked against its JSON schema (schemas.py), then against a few
cross-file checks a schema cannot express (dates in order, no overlapping
ceiling sets, source keys that exist...). Any problem raises
:class:`RulesError` with a one-line message naming the file and the place.
"""
from __future__ import annotations

import hashlib
from dataclasses import dataclass
from datetime import date
from functools import lru_cache
from pathlib import Path
from typing import Any, Iterable, Mapping, Optional

import jsonschema
import yaml

from bot.rights import codes, schemas

RULES_DIR = Path(__file__).resolve().parent / "rules"


class RulesError(ValueError):
    """A rules file is missing, unreadable or invalid."""


# --- data classes ------------------------------------------------------------

@dataclass(frozen=True)
class CeilingTable:
    amounts: Mapping[int, int]
    extra_beyond: Optional[int]
    extra_amount: Optional[int]
    confirmed: bool

    def for_household(self, size: int) -> Optional[int]:
        """Ceiling for ``size`` persons, or None when the data does not give it."""
        if size in self.amounts:
            return self.amounts[size]
        if self.extra_beyond is not None and size > self.extra_beyond:
            return self.amounts[self.extra_beyond] + self.extra_amount * (size - self.extra_beyond)
        return None


@dataclass(frozen=True)
class CeilingSet:
    id: str
    valid_from: date
    valid_to: date
    sources: tuple[str, ...]
    css_free: CeilingTable
    css_participation: CeilingTable
    ame: CeilingTable

    def covers(self, day: date) -> bool:
        return self.valid_from <= day <= self.valid_to


@dataclass(frozen=True)
class ContributionGrid:
    id: str
    valid_from: Optional[date]
    valid_to: Optional[date]
    bands: tuple[tuple[Optional[int], float], ...]  # (max_age inclusive or None, monthly €)

    def covers(self, day: date) -> bool:
        return (self.valid_from is None or self.valid_from <= day) and (self.valid_to is None or day <= self.valid_to)

    def monthly_for(self, age: int) -> float:
        for max_age, monthly in self.bands:
            if max_age is None or age <= max_age:
                return monthly
        raise AssertionError("the last band is open-ended (checked at load time)")


@dataclass(frozen=True)
class Parameters:
    residence_stability_months: int
    puma_exempt_benefits: frozenset[str]
    css_automatic_benefits: frozenset[str]
    eu_residence_right_benefits: frozenset[str]
    asylum_puma_wait_months: int
    permit_maintenance_months: int
    ame_min_months_in_france: int
    ame_min_months_without_permit: int
    ame_first_application_after_years: int
    adult_age: int
    photo_id_required_from: date
    outdated_margin: float


@dataclass(frozen=True)
class DocumentRule:
    right: str
    document: str
    when: Mapping[str, tuple[Any, ...]]

    def applies(self, right: str, situation: Mapping[str, Any]) -> bool:
        return right == self.right and all(situation.get(key) in values for key, values in self.when.items())


@dataclass(frozen=True)
class Procedure:
    right: str
    form: Optional[str]
    channels: tuple[str, ...]
    in_person_required: bool
    place_purposes: tuple[str, ...]
    deadlines: Mapping[str, int]
    note: str
    sources: tuple[str, ...]


@dataclass(frozen=True)
class Rules:
    directory: Path
    version: str
    sources: Mapping[str, Mapping[str, Any]]
    ceiling_sets: tuple[CeilingSet, ...]  # sorted by valid_from
    contribution_grids: tuple[ContributionGrid, ...]
    parameters: Parameters
    forms: Mapping[str, Mapping[str, Any]]
    documents: tuple[DocumentRule, ...]
    procedures: Mapping[str, Procedure]
    decision_table: Mapping[str, Mapping[str, Any]]

    @property
    def latest(self) -> CeilingSet:
        return self.ceiling_sets[-1]

    @property
    def valid_until(self) -> date:
        return self.latest.valid_to

    def is_outdated(self, day: date) -> bool:
        return day > self.valid_until

    def ceilings_for(self, day: date) -> Optional[CeilingSet]:
        """The set in force on ``day``; the latest one if ``day`` is past it
        (the engine then applies the rules_outdated margin); None before the first set."""
        for ceiling_set in self.ceiling_sets:
            if ceiling_set.covers(day):
                return ceiling_set
        return self.latest if self.is_outdated(day) else None

    def contribution_grid_for(self, day: date) -> Optional[ContributionGrid]:
        for grid in reversed(self.contribution_grids):
            if grid.covers(day):
                return grid
        return None


# --- loading -------------------------------------------------------------------

def _jsonable(value: Any) -> Any:
    """YAML gives dates and int keys; JSON schemas want strings."""
    if isinstance(value, date):
        return value.isoformat()
    if isinstance(value, dict):
        return {str(key): _jsonable(item) for key, item in value.items()}
    if isinstance(value, list):
        return [_jsonable(item) for item in value]
    return value


def _where(error: jsonschema.ValidationError) -> str:
    return "/".join(str(part) for part in error.absolute_path) or "(top level)"


def read_validated(path: Path, schema: Mapping[str, Any]) -> dict:
    """Read one YAML file and check it against ``schema``; return JSON-like data."""
    try:
        raw = yaml.safe_load(path.read_text(encoding="utf-8"))
    except FileNotFoundError:
        raise RulesError(f"{path.name}: file not found in {path.parent}") from None
    except (yaml.YAMLError, ValueError) as exc:  # PyYAML raises ValueError for dates like 2026-02-30
        one_line = " ".join(str(exc).split())
        raise RulesError(f"{path.name}: not valid YAML: {one_line}") from None
    data = _jsonable(raw)
    validator = jsonschema.Draft7Validator(schema)
    errors = sorted(validator.iter_errors(data), key=lambda e: (list(map(str, e.absolute_path)), e.message))
    if errors:
        first = jsonschema.exceptions.best_match(errors)
        more = f" (and {len(errors) - 1} more error(s))" if len(errors) > 1 else ""
        raise RulesError(f"{path.name}: at {_where(first)}: {first.message}{more}")
    return data


def _check(condition: bool, message: str) -> None:
    if not condition:
        raise RulesError(message)


def _check_sources(file: str, keys: Iterable[str], known: Mapping[str, Any]) -> None:
    for key in keys:
        _check(key in known, f"{file}: unknown source key {key!r} (add it to sources.yaml)")


def _table(raw: Mapping[str, Any], where: str) -> CeilingTable:
    amounts = {int(size): amount for size, amount in raw["amounts"].items()}
    extra = raw.get("extra_person")
    if extra:
        _check(extra["beyond"] in amounts, f"ceilings.yaml: {where}: extra_person.beyond={extra['beyond']} has no amount row")
    return CeilingTable(
        amounts=amounts,
        extra_beyond=extra["beyond"] if extra else None,
        extra_amount=extra["amount"] if extra else None,
        confirmed=raw["confirmed"],
    )


def _ceiling_sets(data: Mapping[str, Any], sources: Mapping[str, Any]) -> tuple[CeilingSet, ...]:
    sets = []
    for index, raw in enumerate(data["sets"]):
        where = f"sets/{index} ({raw['id']})"
        valid_from, valid_to = date.fromisoformat(raw["valid_from"]), date.fromisoformat(raw["valid_to"])
        _check(valid_from <= valid_to, f"ceilings.yaml: {where}: valid_from is after valid_to")
        _check_sources("ceilings.yaml", raw["sources"] + raw["ame"].get("sources", []), sources)
        css_free = _table(raw["css_free"], f"{where}/css_free")
        css_part = _table(raw["css_participation"], f"{where}/css_participation")
        if raw["ame"].get("same_as") == "css_free":
            ame = CeilingTable(css_free.amounts, css_free.extra_beyond, css_free.extra_amount, raw["ame"]["confirmed"])
        else:
            ame = _table(raw["ame"], f"{where}/ame")
        # Catches swapped columns: the free-CSS ceiling is the lower one.
        for size in range(1, 11):
            low, high = css_free.for_household(size), css_part.for_household(size)
            _check(
                low is None or high is None or low < high,
                f"ceilings.yaml: {where}: css_free ({low}) must be below css_participation ({high}) for {size} person(s)",
            )
        sets.append(CeilingSet(raw["id"], valid_from, valid_to, tuple(raw["sources"]), css_free, css_part, ame))
    sets.sort(key=lambda s: s.valid_from)
    _check(len({s.id for s in sets}) == len(sets), "ceilings.yaml: two sets have the same id")
    for before, after in zip(sets, sets[1:]):
        _check(after.valid_from > before.valid_to, f"ceilings.yaml: sets {before.id} and {after.id} overlap")
    return tuple(sets)


def _contribution_grids(data: Mapping[str, Any], sources: Mapping[str, Any]) -> tuple[ContributionGrid, ...]:
    grids = []
    for raw in data["grids"]:
        _check_sources("css_contribution.yaml", raw["sources"], sources)
        bands = tuple((band["max_age"], band["monthly"]) for band in raw["bands"])
        ages = [age for age, _ in bands[:-1]]
        _check(bands[-1][0] is None, f"css_contribution.yaml: {raw['id']}: the last band must have max_age: null")
        _check(None not in ages and ages == sorted(set(ages)), f"css_contribution.yaml: {raw['id']}: max_age must increase")
        parse = lambda value: date.fromisoformat(value) if value else None  # noqa: E731
        grids.append(ContributionGrid(raw["id"], parse(raw["valid_from"]), parse(raw["valid_to"]), bands))
    return tuple(grids)


def _parameters(data: Mapping[str, Any], sources: Mapping[str, Any]) -> Parameters:
    raw = data["parameters"]
    for item in raw.values():
        _check_sources("parameters.yaml", item["sources"], sources)
    values = {name: item["value"] for name, item in raw.items()}
    values["puma_exempt_benefits"] = frozenset(values["puma_exempt_benefits"])
    values["css_automatic_benefits"] = frozenset(values["css_automatic_benefits"])
    values["eu_residence_right_benefits"] = frozenset(values["eu_residence_right_benefits"])
    try:
        values["photo_id_required_from"] = date.fromisoformat(values["photo_id_required_from"])
    except ValueError:
        raise RulesError("parameters.yaml: photo_id_required_from is not a valid date") from None
    return Parameters(**values)


def load_rules(directory: Optional[Path] = None) -> Rules:
    """Load and validate every rules file of ``directory`` (default: bot/rights/rules)."""
    directory = Path(directory) if directory else RULES_DIR
    _check(directory.is_dir(), f"rules directory not found: {directory}")
    unexpected = sorted(p.name for p in directory.glob("*.y*ml") if p.name not in schemas.RULES_FILES)
    _check(
        not unexpected,
        f"{unexpected[0] if unexpected else ''}: unknown rules file (expected: {', '.join(schemas.RULES_FILES)}); "
        "add new ceilings as a new set in ceilings.yaml",
    )
    data = {name: read_validated(directory / name, schema) for name, schema in schemas.RULES_FILES.items()}
    sources = data["sources.yaml"]["sources"]

    forms = data["forms.yaml"]["forms"]
    for name, form in forms.items():
        _check_sources("forms.yaml", form["sources"], sources)

    documents = []
    for raw in data["documents.yaml"]["documents"]:
        _check_sources("documents.yaml", raw["sources"], sources)
        when = {key: tuple(values) for key, values in raw.get("when", {}).items()}
        documents.append(DocumentRule(raw["right"], raw["document"], when))

    procedures = {}
    for right, raw in data["procedures.yaml"]["procedures"].items():
        _check_sources("procedures.yaml", raw["sources"], sources)
        _check(raw["form"] is None or raw["form"] in forms, f"procedures.yaml: {right}: unknown form {raw['form']!r}")
        procedures[right] = Procedure(
            right=right,
            form=raw["form"],
            channels=tuple(raw["channels"]),
            in_person_required=raw["in_person_required"],
            place_purposes=tuple(raw["place_purposes"]),
            deadlines=dict(raw.get("deadlines", {})),
            note=raw["note"],
            sources=tuple(raw["sources"]),
        )
    missing = [right for right in codes.RIGHTS if right not in procedures]
    _check(not missing, f"procedures.yaml: no procedure for right(s) {', '.join(missing)}")

    table = {}
    for raw in data["decision_table.yaml"]["rules"]:
        _check_sources("decision_table.yaml", raw["sources"], sources)
        _check(raw["id"] not in table, f"decision_table.yaml: rule {raw['id']} is listed twice")
        table[raw["id"]] = raw
    missing = [rule_id for rule_id in codes.RULE_IDS if rule_id not in table]
    _check(not missing, f"decision_table.yaml: rule(s) {', '.join(missing)} missing")

    digest = hashlib.sha256()
    for name in schemas.RULES_FILES:
        digest.update(name.encode() + b"\0" + (directory / name).read_bytes() + b"\0")
    ceiling_sets = _ceiling_sets(data["ceilings.yaml"], sources)

    return Rules(
        directory=directory,
        version=f"{ceiling_sets[-1].id}+{digest.hexdigest()[:8]}",
        sources=sources,
        ceiling_sets=ceiling_sets,
        contribution_grids=_contribution_grids(data["css_contribution.yaml"], sources),
        parameters=_parameters(data["parameters.yaml"], sources),
        forms=forms,
        documents=tuple(documents),
        procedures=procedures,
        decision_table=table,
    )


@lru_cache(maxsize=1)
def default_rules() -> Rules:
    """The shipped rules, loaded once per process."""
    return load_rules(RULES_DIR)


def procedure_for(right: str, rules: Optional[Rules] = None) -> Procedure:
    """Where and how to act on an outcome right (form, channels, in person or not, places)."""
    if right not in codes.RIGHTS:
        raise ValueError(f"unknown right {right!r}")
    return (rules or default_rules()).procedures[right]
