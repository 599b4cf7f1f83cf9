"""The decision table, case by case (tests/rights/vectors.yaml)."""
from __future__ import annotations

from collections import Counter
from pathlib import Path

import pytest
import yaml

from bot.rights import codes, evaluate, missing_facts

VECTORS = yaml.safe_load((Path(__file__).parent / "vectors.yaml").read_text(encoding="utf-8"))
CASES = VECTORS["cases"]


def _facts(case: dict) -> dict:
    return {**VECTORS["defaults"]["facts"], **case["facts"]}


@pytest.mark.parametrize("case", CASES, ids=[case["id"] for case in CASES])
def test_outcome(case):
    outcome = evaluate(_facts(case)).to_dict()
    expected = case["expect"]
    got = {key: outcome[key] for key in expected}
    assert got == expected


CASES_WITH_MISSING = [case for case in CASES if "missing" in case]


@pytest.mark.parametrize("case", CASES_WITH_MISSING, ids=[case["id"] for case in CASES_WITH_MISSING])
def test_missing_facts(case):
    assert missing_facts(_facts(case)) == case["missing"]


def test_every_rule_fires_in_at_least_three_cases():
    fired = Counter(
        case["rule"] for case in CASES if case["rule"] in case["expect"].get("rules_fired", [])
    )
    too_few = {rule: fired[rule] for rule in codes.RULE_IDS if fired[rule] < 3}
    assert not too_few, f"rules with fewer than 3 firing cases: {too_few}"


def test_case_ids_are_unique_and_outcome_keys_are_contract_keys():
    assert len({case["id"] for case in CASES}) == len(CASES)
    contract = set(evaluate({"urgent": True, "today": "2025-10-01"}).to_dict())
    for case in CASES:
        assert set(case["expect"]) <= contract, case["id"]


def test_boundaries_cover_household_sizes_1_to_6():
    sizes = {
        case["facts"]["household_size"]
        for case in CASES
        if case["id"].startswith(("css-free-plus-1-euro", "ame-plus-1-euro"))
    }
    assert sizes == {1, 2, 3, 4, 5, 6}
