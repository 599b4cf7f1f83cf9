"""Properties that must hold for any facts (hypothesis)."""
from __future__ import annotations

import json
from datetime import date

from hypothesis import given, settings
from hypothesis import strategies as st

from bot.rights import codes, evaluate, missing_facts
from bot.rights.engine import QUESTION_ORDER
from bot.rights.facts import FACT_NAMES, Facts
from bot.rights.rules import default_rules

# No example database: the suite must not write a .hypothesis directory into the checkout.
SETTINGS = settings(max_examples=300, deadline=None, database=None)

VALUES = {
    "age": st.integers(0, 100),
    "nationality_group": st.sampled_from(codes.NATIONALITY_GROUPS),
    "residence_status": st.sampled_from(codes.RESIDENCE_STATUSES),
    "months_in_france": st.integers(0, 60),
    "months_since_permit_expiry": st.integers(0, 60),
    "works_in_france": st.booleans(),
    "benefits": st.lists(st.sampled_from(codes.BENEFITS), unique=True, max_size=3),
    "current_cover": st.sampled_from(codes.CURRENT_COVERS),
    "prior_ame_end": st.one_of(st.none(), st.dates(date(2020, 1, 1), date(2028, 1, 1)).map(date.isoformat)),
    "annual_resources": st.one_of(st.integers(0, 60_000), st.floats(0, 60_000, allow_nan=False)),
    "household_size": st.integers(1, 8),
    "has_stable_address": st.booleans(),
    "has_domiciliation": st.booleans(),
    "hosted_by_third_party": st.booleans(),
    "has_photo_id": st.booleans(),
    "unaccompanied_minor": st.booleans(),
    "urgent": st.booleans(),
    "health_problem": st.booleans(),
    "can_advance_fees": st.booleans(),
    "saint_denis_link": st.booleans(),
}
TODAY = st.dates(date(2024, 1, 1), date(2027, 12, 31)).map(date.isoformat)

# Any subset of the facts, always with a fixed `today` (never the real date).
facts_strategy = st.fixed_dictionaries({"today": TODAY}, optional=VALUES)
# Mostly-answered profiles, to reach the deep rules often.
# Profiles that reach a resources decision (CSS or AME), with random extras.
_SETTLED_STATUS = st.one_of(
    st.fixed_dictionaries(
        {
            "residence_status": st.just("regular"),
            "nationality_group": st.sampled_from(codes.NATIONALITY_GROUPS),
            "months_in_france": st.integers(4, 60),
        }
    ),
    st.fixed_dictionaries(
        {"residence_status": st.just("irregular"), "months_in_france": st.integers(4, 60), "age": st.integers(18, 90)}
    ),
    st.fixed_dictionaries({"residence_status": st.just("asylum_seeker"), "months_in_france": st.integers(4, 60)}),
)
# Hypothesis favours small integers: also draw amounts right at / around every ceiling.
_NEAR_CEILINGS = sorted(
    {
        amount + delta
        for ceiling_set in default_rules().ceiling_sets
        for table in (ceiling_set.css_free, ceiling_set.css_participation)
        for size in range(1, 9)
        if (amount := table.for_household(size)) is not None
        for delta in (-500, -1, 0, 1, 500)
    }
)
_EXTRAS = st.fixed_dictionaries(
    {
        "today": TODAY,
        "household_size": VALUES["household_size"],
        "annual_resources": st.one_of(st.integers(0, 45_000), st.sampled_from(_NEAR_CEILINGS)),
        "current_cover": st.sampled_from(["none", "puma_only", "closed"]),
    },
    optional={name: VALUES[name] for name in ("benefits", "prior_ame_end", "age", "has_photo_id", "months_since_permit_expiry")},
)
resource_profiles = st.tuples(_EXTRAS, _SETTLED_STATUS).map(lambda parts: {**parts[0], **parts[1]})

def _is_ordered(values, order) -> bool:
    return list(values) == codes.ordered(values, order)


@SETTINGS
@given(facts_strategy)
def test_outcome_uses_only_contract_codes_in_contract_order(facts):
    outcome = evaluate(facts)
    assert _is_ordered(outcome.rights, codes.RIGHTS)
    assert _is_ordered(outcome.documents, codes.DOCUMENTS)
    assert _is_ordered(outcome.pass_reasons, codes.PASS_REASONS)
    assert _is_ordered(outcome.handoff_reasons, codes.HANDOFF_REASONS)
    assert _is_ordered(outcome.rules_fired, codes.RULE_IDS)
    assert outcome.rules_fired, "an outcome must be explainable by at least one rule"
    assert outcome.rules_valid_until == "2026-03-31"


@SETTINGS
@given(facts_strategy)
def test_handoff_always_comes_with_a_reason_and_only_then(facts):
    outcome = evaluate(facts)
    assert ("HANDOFF" in outcome.rights) == bool(outcome.handoff_reasons)


@SETTINGS
@given(facts_strategy)
def test_pass_decision_is_consistent(facts):
    outcome = evaluate(facts)
    assert (outcome.pass_eligible is False) == bool(outcome.pass_reasons)
    if outcome.pass_eligible:
        assert "PASS_CONSULTATION" in outcome.rights
    if facts.get("current_cover") in ("puma_complementary", "ame") and outcome.pass_eligible is not None:
        assert "HAS_ACTIVE_COVER" in outcome.pass_reasons


@SETTINGS
@given(facts_strategy)
def test_outcome_is_deterministic_and_json_serialisable(facts):
    first = json.dumps(evaluate(facts).to_dict())
    again = json.dumps(evaluate(dict(reversed(list(facts.items())))).to_dict())
    from_facts = json.dumps(evaluate(Facts.from_mapping(facts)).to_dict())
    assert first == again == from_facts


@SETTINGS
@given(resource_profiles, st.integers(1, 40_000))
def test_more_resources_never_give_a_cheaper_cover(facts, extra):
    """Free CSS is never gained, and AME never regained, by earning more."""
    richer = {**facts, "annual_resources": facts["annual_resources"] + extra}
    poorer_rights, richer_rights = set(evaluate(facts).rights), set(evaluate(richer).rights)
    if "CSS_PARTICIPATION" in poorer_rights:
        assert "CSS_FREE" not in richer_rights
    if "CSS_FREE" not in poorer_rights:
        assert "CSS_FREE" not in richer_rights
    if not poorer_rights & {"AME_FIRST_IN_PERSON", "AME_RENEWAL"}:
        assert not richer_rights & {"AME_FIRST_IN_PERSON", "AME_RENEWAL"}


@SETTINGS
@given(facts_strategy)
def test_no_ame_for_those_the_reference_excludes(facts):
    rights = set(evaluate(facts).rights)
    ame = {"AME_FIRST_IN_PERSON", "AME_RENEWAL", "AME_MINOR"}
    if facts.get("residence_status") == "asylum_seeker" or facts.get("nationality_group") in ("FR", "EU_EEA_CH"):
        assert not rights & ame
    if facts.get("urgent"):
        assert rights == {"EMERGENCY"}


@SETTINGS
@given(facts_strategy)
def test_missing_facts_are_unknown_facts_in_question_order(facts):
    missing = missing_facts(facts)
    assert len(set(missing)) == len(missing)
    assert missing == [name for name in QUESTION_ORDER if name in missing]
    for name in missing:
        assert name not in facts or (facts[name] is None and name != "prior_ame_end")


@SETTINGS
@given(facts_strategy)
def test_nothing_missing_means_no_facts_unknown_handoff(facts):
    if not missing_facts(facts):
        assert "facts_unknown" not in evaluate(facts).handoff_reasons


@SETTINGS
@given(facts_strategy, st.data())
def test_answering_the_missing_facts_settles_the_case(facts, data):
    """A conversation that answers the first missing fact each turn ends, and ends settled."""
    for _ in range(len(FACT_NAMES)):
        missing = missing_facts(facts)
        if not missing:
            break
        facts = {**facts, missing[0]: data.draw(VALUES[missing[0]], label=missing[0])}
    assert missing_facts(facts) == []
    assert "facts_unknown" not in evaluate(facts).handoff_reasons


@SETTINGS
@given(facts_strategy)
def test_expiry_only_adds_a_handoff(facts):
    """The day after the ceilings expire, outcomes stand, except for an added rules_outdated handoff."""
    facts = {key: value for key, value in facts.items() if key != "prior_ame_end"}  # 2-year window moves with today
    before = evaluate({**facts, "today": "2026-03-31"})
    after = evaluate({**facts, "today": "2026-04-01"})
    assert set(after.rights) - {"HANDOFF"} == set(before.rights) - {"HANDOFF"}
    assert set(after.handoff_reasons) - {"rules_outdated"} == set(before.handoff_reasons)
