import pytest

from bot.screening import ScreeningResult, evaluate

ELIGIBLE = dict(health_problem=True, current_cover="none", can_advance_fees=False, saint_denis_link=True)


@pytest.mark.parametrize("cover", ["none", "puma_only", "closed", "unknown"])
def test_included_when_all_four_criteria_hold(cover):
    assert evaluate(**{**ELIGIBLE, "current_cover": cover}) == ScreeningResult(True, ())


@pytest.mark.parametrize(
    "change, reason",
    [
        ({"health_problem": False}, "NO_HEALTH_PROBLEM"),
        ({"current_cover": "puma_complementary"}, "HAS_ACTIVE_COVER"),
        ({"current_cover": "ame"}, "HAS_ACTIVE_COVER"),
        ({"can_advance_fees": True}, "CAN_ADVANCE_FEES"),
        ({"saint_denis_link": False}, "NO_SAINT_DENIS_LINK"),
    ],
)
def test_each_failed_criterion_is_named(change, reason):
    assert evaluate(**{**ELIGIBLE, **change}) == ScreeningResult(False, (reason,))


def test_all_failed_criteria_are_listed_in_question_order():
    result = evaluate(health_problem=False, current_cover="ame", can_advance_fees=True, saint_denis_link=False)
    assert result.reasons == ("NO_HEALTH_PROBLEM", "HAS_ACTIVE_COVER", "CAN_ADVANCE_FEES", "NO_SAINT_DENIS_LINK")


def test_unknown_answers_leave_the_outcome_undecided():
    assert evaluate(**{**ELIGIBLE, "saint_denis_link": None}) == ScreeningResult(None, ())


def test_a_failed_criterion_decides_even_if_others_are_unknown():
    assert evaluate(health_problem=None, current_cover=None, can_advance_fees=True, saint_denis_link=None).eligible is False


def test_unknown_cover_code_is_rejected():
    with pytest.raises(ValueError):
        evaluate(**{**ELIGIBLE, "current_cover": "gold"})
