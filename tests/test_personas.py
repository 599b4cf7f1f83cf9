"""Issue 14 point 5. The persona files are checked (fast), then, end to end, every persona
(tests/personas/<lang>.yaml) answers in their own words whatever the assistant asks: the outcome
must match the rules on their true facts and no question may be asked more than 3 times. The goal
(every language at 90 % right, no wrong outcome: tests.personas.run.problems) is not reached yet:
the test holds today's floor (run.below_floor) so that nothing slips back."""
import re

import pytest
import yaml

from bot import interview
from bot.i18n import SUPPORTED_LANGUAGES
from bot.settings import ROOT
from tests.personas import run as personas

YES_NO = ("consent_given", "health_problem", "can_advance_fees", "saint_denis_link",
          *(fact for fact, q in interview.QUESTIONS.items() if q.kind == interview.YES_NO))
CHOICES = ("language", "current_cover", *(fact for fact, q in interview.QUESTIONS.items() if q.kind == interview.CHOICE))
SLOTS = set(yaml.safe_load((ROOT / "domain.yml").read_text(encoding="utf-8"))["slots"]) | {"language"}


def said(persona):
    for slot, words in persona["says"].items():
        for text in words if isinstance(words, list) else [words]:
            yield slot, str(text)


@pytest.mark.parametrize("language", SUPPORTED_LANGUAGES)
def test_the_personas_of_each_language_are_real_people_with_true_facts(language):
    group = personas.load_personas([language])
    assert len(group) >= 7 and sum(p["held_out"] for p in group) >= 2  # at least 2 never tuned against
    for persona in group:
        assert persona["id"].startswith(f"{language}-")
        assert set(personas.SCREENING_FACTS) <= set(persona["facts"]), persona["id"]
        expected = personas.truth(persona)  # the facts are valid rights facts
        for slot, text in said(persona):
            assert slot in SLOTS, f"{persona['id']}: {slot} is not a slot"
            assert not text.startswith("/"), f"{persona['id']}: a payload"
            if slot in YES_NO or slot in CHOICES:  # words, not the number of a choice
                assert not re.fullmatch(r"\s*\d+\s*", text), f"{persona['id']}: {slot} answered {text!r}"
        if expected["kind"] != "not_eligible":  # every rights question may be asked: words for each
            needed = set(interview.QUESTIONS) - {"months_since_permit_expiry"}
            if persona["facts"].get("residence_status") == "permit_expired":
                needed.add("months_since_permit_expiry")
            assert needed <= set(persona["says"]), f"{persona['id']}: no words for {needed - set(persona['says'])}"


@pytest.mark.e2e
def test_every_persona_reaches_the_right_outcome_in_their_own_words(bot):
    results = personas.run(bot, personas.load_personas())
    problems = personas.below_floor(results)
    assert not problems, personas.report(results) + "\n\n" + "\n".join(problems)
