"""The public CLI contract: python -m bot.rights evaluate|missing|check."""
from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parents[2]
CONTRACT_KEYS = [
    "pass_eligible",
    "pass_reasons",
    "rights",
    "documents",
    "handoff_reasons",
    "rules_fired",
    "rules_version",
    "rules_valid_until",
    "css_monthly_contribution",
]
ACCEPTANCE = {
    "residence_status": "irregular",
    "months_in_france": 8,
    "annual_resources": 0,
    "household_size": 1,
    "has_photo_id": True,
    "today": "2025-10-01",
}


def run(*args: str, stdin: str = "") -> subprocess.CompletedProcess:
    return subprocess.run(
        [sys.executable, "-m", "bot.rights", *args],
        input=stdin,
        capture_output=True,
        text=True,
        cwd=REPO,
        timeout=30,
    )


def test_acceptance_example_gives_ame_first_application_with_documents():
    result = run("evaluate", stdin=json.dumps(ACCEPTANCE))
    assert result.returncode == 0, result.stderr
    outcome = json.loads(result.stdout)
    assert list(outcome) == CONTRACT_KEYS
    assert outcome["rights"] == ["AME_FIRST_IN_PERSON"]
    assert outcome["documents"] == ["ID_WITH_PHOTO", "PROOF_OF_RESIDENCE_3_MONTHS", "RESOURCES_12_MONTHS"]
    assert outcome["rules_fired"] == ["R12"]
    assert outcome["handoff_reasons"] == []
    assert outcome["rules_valid_until"] == "2026-03-31"
    assert result.stderr == ""  # rules still valid on 2025-10-01: no warning


def test_acceptance_example_after_expiry_near_a_ceiling_hands_off_and_warns():
    facts = {**ACCEPTANCE, "annual_resources": 10_000, "today": "2026-11-24"}
    result = run("evaluate", stdin=json.dumps(facts))
    assert result.returncode == 0, result.stderr
    outcome = json.loads(result.stdout)
    assert "HANDOFF" in outcome["rights"]
    assert outcome["handoff_reasons"] == ["rules_outdated"]
    assert "R19" in outcome["rules_fired"]
    assert "warning" in result.stderr and "2026-03-31" in result.stderr
    assert "Traceback" not in result.stderr


def test_after_expiry_far_from_ceilings_outcome_stands_but_still_warns():
    result = run("evaluate", stdin=json.dumps({**ACCEPTANCE, "today": "2026-11-24"}))
    outcome = json.loads(result.stdout)
    assert outcome["rights"] == ["AME_FIRST_IN_PERSON"]
    assert "warning" in result.stderr


def test_output_is_one_json_line_with_stable_bytes():
    first = run("evaluate", stdin=json.dumps(ACCEPTANCE)).stdout
    second = run("evaluate", stdin=json.dumps(dict(reversed(list(ACCEPTANCE.items()))))).stdout
    assert first == second
    assert first.count("\n") == 1


def test_missing_lists_the_questions_to_ask():
    result = run("missing", stdin=json.dumps({"residence_status": "asylum_seeker", "age": 30, "months_in_france": 1, "today": "2025-10-01"}))
    assert result.returncode == 0
    missing = json.loads(result.stdout)
    assert missing[0] == "urgent"
    assert "annual_resources" not in missing  # R8 settles the case without resources


def test_check_validates_and_prints_the_validity_window():
    result = run("check", "--today", "2025-10-01")
    assert result.returncode == 0, result.stderr
    assert "valid until 2026-03-31" in result.stdout
    assert "2025-04-01 -> 2026-03-31" in result.stdout
    assert result.stderr == ""


def test_check_warns_when_outdated():
    result = run("check", "--today", "2026-04-01")
    assert result.returncode == 0
    assert "warning: rules expired on 2026-03-31" in result.stderr


def test_check_rejects_a_broken_rules_directory(rules_copy):
    path = rules_copy / "ceilings.yaml"
    path.write_text(path.read_text().replace("1: 10339", "1: dix mille"))
    result = run("check", "--rules-dir", str(rules_copy))
    assert result.returncode == 1
    assert result.stderr.count("\n") == 1
    assert "ceilings.yaml" in result.stderr and "sets/1/css_free/amounts/1" in result.stderr
    assert "Traceback" not in result.stderr


BAD_INPUTS = {
    "not-json": ("{residence_status: irregular}", "not valid JSON"),
    "empty": ("", "got nothing"),
    "array": ("[1, 2]", "must be a JSON object"),
    "string": ('"hello"', "must be a JSON object"),
    "unknown-key": ('{"months_without_permit": 4}', "unknown fact 'months_without_permit'"),
    "age-as-string": ('{"age": "30"}', "fact 'age' must be a whole number"),
    "age-fraction": ('{"age": 30.5}', "fact 'age' must be a whole number"),
    "bool-as-string": ('{"urgent": "yes"}', "fact 'urgent' must be true or false"),
    "unknown-status": ('{"residence_status": "tourist"}', "fact 'residence_status' must be one of"),
    "unknown-benefit": ('{"benefits": ["RSA", "APL"]}', "unknown benefit 'APL'"),
    "benefits-not-list": ('{"benefits": "RSA"}', "must be a list"),
    "bad-date": ('{"today": "2025-13-01"}', "fact 'today' must be an ISO date"),
    "nan": ('{"annual_resources": NaN}', "NaN is not a valid JSON number"),
    "negative-money": ('{"annual_resources": -5}', "between 0 and"),
    "empty-household": ('{"household_size": 0}', "fact 'household_size' must be between 1"),
}


@pytest.mark.parametrize("stdin,message", BAD_INPUTS.values(), ids=BAD_INPUTS.keys())
def test_bad_input_exits_2_with_one_clear_line(stdin, message):
    result = run("evaluate", stdin=stdin)
    assert result.returncode == 2
    assert result.stdout == ""
    assert result.stderr.startswith("error: ")
    assert result.stderr.count("\n") == 1
    assert message in result.stderr
    assert "Traceback" not in result.stderr


@pytest.mark.parametrize("args", [[], ["frobnicate"], ["evaluate", "--nope"], ["check", "--today", "yesterday"]])
def test_bad_usage_exits_2_with_one_line(args):
    result = run(*args)
    assert result.returncode == 2
    assert result.stderr.startswith("error: ") and result.stderr.count("\n") == 1
    assert "Traceback" not in result.stderr


def test_non_utf8_stdin_is_bad_input():
    result = subprocess.run(
        [sys.executable, "-m", "bot.rights", "evaluate"], input=b"\xff\xfe{", capture_output=True, cwd=REPO, timeout=30
    )
    assert result.returncode == 2
    assert b"Traceback" not in result.stderr
