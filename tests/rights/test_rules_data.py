"""The rules files: schema validation, cross-file checks, and updating by data only."""
from __future__ import annotations

import re
from datetime import date
from pathlib import Path

import pytest

from bot.rights import codes, evaluate, load_rules, rules_outdated
from bot.rights.engine import implemented_rules
from bot.rights.places import PLACES_FILE, load_places
from bot.rights.rules import RulesError, default_rules

ACCEPTANCE_NEAR_CEILING = {
    "residence_status": "irregular",
    "months_in_france": 8,
    "annual_resources": 10_000,
    "household_size": 1,
    "has_photo_id": True,
    "today": "2026-11-24",
}


def _edit(path: Path, old: str, new: str) -> None:
    text = path.read_text(encoding="utf-8")
    assert old in text, f"fixture out of date: {old!r} not in {path.name}"
    path.write_text(text.replace(old, new, 1), encoding="utf-8")


def test_shipped_rules_and_places_are_valid():
    rules = load_rules()
    assert [s.id for s in rules.ceiling_sets] == ["2024-25", "2025-26"]
    assert rules.valid_until == date(2026, 3, 31)
    assert len(load_places(rules=rules)) > 0


def test_2025_26_ceilings_match_the_reference_table():
    current = default_rules().ceilings_for(date(2025, 10, 1))
    free = [current.css_free.for_household(n) for n in range(1, 7)]
    participation = [current.css_participation.for_household(n) for n in range(1, 7)]
    assert free == [10339, 15508, 18609, 21711, 25846, 29981]
    assert participation == [13957, 20936, 25123, 29311, 34894, 40477]
    assert [current.ame.for_household(n) for n in range(1, 7)] == free  # CASF L251-1 [inference]
    assert current.ame.confirmed is False  # no official 2025 AME table found


def test_previous_set_only_knows_one_person():
    previous = default_rules().ceilings_for(date(2024, 10, 1))
    assert previous.css_free.for_household(1) == 10166
    assert previous.css_participation.for_household(1) == 13724
    assert previous.css_free.for_household(2) is None  # not in the reference: the engine hands off


@pytest.mark.parametrize(
    "day,outdated", [("2025-10-01", False), ("2026-03-31", False), ("2026-04-01", True), ("2026-11-24", True)]
)
def test_rules_outdated(day, outdated):
    assert rules_outdated(date.fromisoformat(day)) is outdated


def test_every_rule_of_the_table_has_exactly_one_implementation():
    assert sorted(implemented_rules(), key=codes.RULE_IDS.index) == list(codes.RULE_IDS)
    assert sorted(default_rules().decision_table, key=codes.RULE_IDS.index) == list(codes.RULE_IDS)


def test_every_figure_and_place_cites_a_known_source():
    rules = default_rules()
    for key, source in rules.sources.items():
        assert source["url"] or key == "project_design", key
    for place in load_places(rules=rules):
        assert set(place.sources) <= set(rules.sources), place.id


def test_unconfirmed_values_are_flagged():
    rules = default_rules()
    assert rules.forms["cerfa_11573"]["confirmed"] is False  # version NOT FOUND
    assert rules.forms["cerfa_11573"]["cerfa"] is None
    assert rules.forms["S1106"]["confirmed"] is False  # cerfa number only from a secondary source
    assert rules.forms["cerfa_12504"]["number"] == "12504*10"
    assert rules.forms["cerfa_15548"]["number"] == "15548*02"


# --- broken files are rejected with a clear one-line message ---------------------

BROKEN = {
    "amount-not-a-number": ("ceilings.yaml", "1: 10339", "1: dix mille", "ceilings.yaml: at sets/1/css_free/amounts/1: 'dix mille' is not of type 'integer'"),
    "missing-valid-to": ("ceilings.yaml", "    valid_to: 2026-03-31\n", "", "ceilings.yaml: at sets/1: 'valid_to' is a required property"),
    "unknown-document-code": ("documents.yaml", "document: CHILD_IDENTITY", "document: PASSPORT", "documents.yaml: at documents/"),
    "unknown-right-code": ("procedures.yaml", "  SOINS_URGENTS:", "  SOINS_URGENT:", "procedures.yaml"),
    "unknown-source-key": ("forms.yaml", "sources: [drome_domiciliation, sp_f17317]", "sources: [drome]", "forms.yaml: unknown source key 'drome'"),
    "overlapping-sets": ("ceilings.yaml", "valid_from: 2025-04-01", "valid_from: 2025-03-01", "ceilings.yaml: sets 2024-25 and 2025-26 overlap"),
    "swapped-columns": ("ceilings.yaml", "{1: 10339, 2: 15508", "{1: 13999, 2: 15508", "css_free (13999) must be below css_participation (13957) for 1 person(s)"),
    "extra-person-without-row": ("ceilings.yaml", "extra_person: {beyond: 4, amount: 4135}", "extra_person: {beyond: 5, amount: 4135}", "extra_person.beyond=5 has no amount row"),
    "not-yaml": ("parameters.yaml", "parameters:", "parameters: [", "parameters.yaml: not valid YAML"),
    "bad-photo-date": ("parameters.yaml", "value: 2026-03-01", "value: 2026-02-30", "parameters.yaml"),
    "unknown-when-key": ("documents.yaml", "when: {hosted_by_third_party: [true]}", "when: {hosted: [true]}", "documents.yaml: at documents/"),
    "open-ended-band": ("css_contribution.yaml", "{max_age: null, monthly: 30}", "{max_age: 99, monthly: 30}", "the last band must have max_age: null"),
}


@pytest.mark.parametrize("file,old,new,message", BROKEN.values(), ids=BROKEN.keys())
def test_broken_rules_file_is_rejected(rules_copy, file, old, new, message):
    _edit(rules_copy / file, old, new)
    with pytest.raises(RulesError) as error:
        load_rules(rules_copy)
    assert message in str(error.value)
    assert "\n" not in str(error.value)


def test_a_stray_rules_file_is_refused_rather_than_ignored(rules_copy):
    (rules_copy / "ceilings-2026.yaml").write_text("sets: []\n")
    with pytest.raises(RulesError, match=r"ceilings-2026.yaml: unknown rules file .* new set in ceilings.yaml"):
        load_rules(rules_copy)


def test_a_missing_rules_file_is_reported(rules_copy):
    (rules_copy / "forms.yaml").unlink()
    with pytest.raises(RulesError, match="forms.yaml: file not found"):
        load_rules(rules_copy)


def test_broken_places_file_is_rejected(tmp_path):
    broken = tmp_path / "places.yaml"
    broken.write_text(PLACES_FILE.read_text().replace("purposes: [domiciliation, file_ame_renewal]", "purposes: [domicile]"))
    with pytest.raises(RulesError, match=r"places.yaml: at places/\d+/purposes/0: 'domicile' is not one of"):
        load_places(broken)


# --- the yearly update is data only ---------------------------------------------

NEW_SET_FIXTURE = """
  - id: "2026-27"
    valid_from: 2026-04-01
    valid_to: 2027-03-31
    sources: [project_design]
    note: "TEST FIXTURE ONLY - invented figures, not the real 2026-27 ceilings."
    css_free:
      amounts: {1: 10500, 2: 15750, 3: 18900, 4: 22050}
      extra_person: {beyond: 4, amount: 4200}
      confirmed: false
    css_participation:
      amounts: {1: 14175, 2: 21262, 3: 25515, 4: 29767}
      extra_person: {beyond: 4, amount: 5670}
      confirmed: false
    ame:
      same_as: css_free
      confirmed: false
      sources: [ash_ame_ressources]
"""


def test_adding_a_dated_set_renews_the_rules_without_code_change(rules_copy):
    ceilings = rules_copy / "ceilings.yaml"
    ceilings.write_text(ceilings.read_text() + NEW_SET_FIXTURE)
    rules = load_rules(rules_copy)
    assert not rules_outdated(date(2026, 11, 24), rules)
    outcome = evaluate(ACCEPTANCE_NEAR_CEILING, rules)
    assert outcome.rights == ["AME_FIRST_IN_PERSON"]  # no rules_outdated handoff any more
    assert outcome.rules_valid_until == "2027-03-31"
    assert outcome.rules_version.startswith("2026-27+")
    # the past set is still used for its own period
    assert evaluate({**ACCEPTANCE_NEAR_CEILING, "annual_resources": 10_400, "today": "2025-10-01"}, rules).handoff_reasons == [
        "resources_above_ame_ceiling"
    ]


def test_rules_version_changes_when_any_rules_file_changes(rules_copy):
    before = load_rules(rules_copy).version
    _edit(rules_copy / "documents.yaml", "# Documents to bring", "# Documents to bring (edited)")
    after = load_rules(rules_copy).version
    assert re.fullmatch(r"2025-26\+[0-9a-f]{8}", before)
    assert before != after
