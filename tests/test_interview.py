import json
import subprocess
import sys
from datetime import date

import pytest

from bot import interview
from bot.interview import QUESTIONS, interpret
from bot.settings import ROOT

TODAY = date(2025, 10, 1)  # inside the validity of the shipped ceilings
SCREENED = dict(health_problem=True, current_cover="none", can_advance_fees=False, saint_denis_link=True)


def answer(fact, text="", intent=None, **entities):
    return interpret(QUESTIONS[fact], text=text, intent=intent, entities=entities, language="fr", today=TODAY)


def test_yes_no_questions_take_the_intent():
    assert answer("has_photo_id", "oui", "affirm") is True
    assert answer("has_photo_id", "non", "deny") is False
    assert answer("has_photo_id", "peut-etre", "out_of_scope") is None


@pytest.mark.parametrize("text, language, hosted", [
    ("me aloja un amigo", "es", True), ("je suis chez mon frère", "fr", True), ("la fratele meu", "ro", True),
    ("nadie me aloja", "es", False), ("non je ne suis pas hébergé", "fr", False),
    ("ساكن عند صاحبي", "ar", True), ("عندي الباسبور", "ar", None), ("j'ai mon passeport", "fr", None),
])
def test_the_hosting_question_is_answered_by_saying_where_one_stays(text, language, hosted):
    """"me aloja un amigo" to "do you live at someone's who hosts you?" was "not understood"."""
    value = interpret(QUESTIONS["hosted_by_third_party"], text=text, intent=None, entities={}, language=language,
                      today=TODAY)
    assert value is hosted  # "I have my passport" there answers another question: asked again


def test_choices_take_the_button_value_and_nothing_else():
    assert answer("residence_status", intent="inform", residence_status="irregular") == "irregular"
    assert answer("residence_status", intent="inform", residence_status="martian") is None
    assert answer("benefits", intent="inform", benefits="none") == []
    assert answer("benefits", intent="inform", benefits="RSA") == ["RSA"]


def test_a_previous_ame_stands_for_a_date_on_the_right_side_of_two_years():
    assert answer("prior_ame_end", prior_ame_end="never") == "never"
    assert answer("prior_ame_end", prior_ame_end="less_than_2_years") > "2023-10-01"
    assert answer("prior_ame_end", prior_ame_end="more_than_2_years") < "2023-10-01"


def test_monthly_money_becomes_yearly_resources():
    assert answer("annual_resources", "800 euros", "inform") == 9600
    assert answer("annual_resources", "non rien", "deny") == 0
    assert answer("annual_resources", "beaucoup", "inform") is None
    assert answer("annual_resources", "non, 800 par semaine", "deny") is None


def test_durations_ages_and_counts_are_read_from_the_text():
    assert answer("months_in_france", "depuis 8 mois", "inform") == 8
    assert answer("age", "j'ai 34 ans", "inform") == 34
    assert answer("household_size", "nous sommes 4", "inform") == 4


def ask_until_done(person: dict) -> tuple[list[str], dict]:
    """Answer each question the interview asks with this person's facts, as the form does."""
    slots = dict(SCREENED)
    asked = []
    while True:
        pending = interview.next_questions(slots, TODAY)
        if not pending:
            return asked, slots
        fact = pending[0]
        assert fact not in asked, f"{fact} asked twice"
        asked.append(fact)
        slots[fact] = person[fact]


def test_an_undocumented_person_is_asked_only_what_the_rules_need():
    person = dict(urgent=False, nationality_group="THIRD_COUNTRY", residence_status="irregular", age=30,
                  months_in_france=8, prior_ame_end="never", household_size=1, annual_resources=0.0,
                  has_stable_address=True, has_photo_id=True, hosted_by_third_party=False)
    asked, slots = ask_until_done(person)
    assert "works_in_france" not in asked and "benefits" not in asked
    outcome = interview.outcome(slots, TODAY)
    assert "AME_FIRST_IN_PERSON" in outcome["rights"]


def test_a_recent_asylum_seeker_is_not_asked_about_money():
    person = dict(urgent=False, nationality_group="THIRD_COUNTRY", residence_status="asylum_seeker", age=30,
                  months_in_france=2, has_stable_address=True, has_domiciliation=True)
    asked, slots = ask_until_done(person)
    assert "annual_resources" not in asked and "household_size" not in asked
    assert "SOINS_URGENTS" in interview.outcome(slots, TODAY)["rights"]


@pytest.mark.parametrize("slots", [
    dict(SCREENED, residence_status="irregular", months_in_france=8, age=30, prior_ame_end="never",
         household_size=1, annual_resources=0.0, has_photo_id=True, urgent=False),
    dict(SCREENED, residence_status="regular", nationality_group="THIRD_COUNTRY", months_in_france=14,
         works_in_france=False, benefits=[], household_size=2, annual_resources=12000.0, age=45,
         has_stable_address=True, urgent=False),
])
def test_the_conversation_outcome_is_the_cli_outcome(slots):
    facts = interview.facts_from_slots(slots, TODAY)
    cli = subprocess.run([sys.executable, "-m", "bot.rights", "evaluate"], input=json.dumps(facts),
                         capture_output=True, text=True, cwd=ROOT, check=True)
    assert interview.outcome(slots, TODAY) == json.loads(cli.stdout)


def test_the_longest_of_overlapping_entities_wins():
    entities = [
        {"entity": "residence_status", "value": "regular", "start": 6, "end": 21},
        {"entity": "residence_status", "value": "irregular", "start": 0, "end": 21},
        {"entity": "benefits", "value": "RSA", "start": 30, "end": 33},
    ]
    assert interview.entity_values(entities) == {"residence_status": "irregular", "benefits": "RSA"}


def test_every_button_of_a_question_gives_a_value_the_interview_accepts():
    # The buttons (bot/responses.py) and the accepted values (QUESTIONS) are written apart.
    import json

    from bot.rendering import render

    for fact, question in QUESTIONS.items():
        if question.kind != interview.CHOICE:
            continue
        buttons = render(question.response, "fr").buttons
        assert buttons, fact
        for button in buttons:
            entities = json.loads(button["payload"][button["payload"].index("{"):])
            assert answer(fact, intent="inform", **entities) is not None, (fact, button)


@pytest.mark.parametrize("language, text", [("ro", "am 34 de ani"), ("fr", "j'ai 34 ans"), ("es", "tengo 34 años")])
def test_a_statement_of_having_is_no_yes_to_the_urgency_question(language, text):
    """Found trying a Romanian screening by SMS: "am 34 de ani" (I am 34) at "do you need care
    urgently today?" was read as yes, and the person got the emergency numbers instead of the
    next question. Asked again instead; a plain yes or no still answers."""
    def urgent(said):
        return interpret(QUESTIONS["urgent"], text=said, intent="inform", entities={}, language=language, today=TODAY)

    assert urgent(text) is None
    assert urgent({"ro": "da", "fr": "oui", "es": "sí"}[language]) is True
    assert urgent({"ro": "nu", "fr": "non", "es": "no"}[language]) is False
    # Having a paper still answers its own question.
    assert interpret(QUESTIONS["has_photo_id"], text={"ro": "am pasaport", "fr": "j'ai mon passeport",
                                                       "es": "tengo mi pasaporte"}[language],
                     intent="inform", entities={}, language=language, today=TODAY) is True


def _button_value(question, button, language):
    payload = button["payload"]
    intent, _, entities = payload[1:].partition("{")
    found = [{"entity": k, "value": v} for k, v in (json.loads("{" + entities) if entities else {}).items()]
    return interpret(question, text=payload, intent=intent, entities=interview.entity_values(found),
                     language=language, today=TODAY)


@pytest.mark.parametrize("language", ["fr", "en", "ar", "ro", "bn", "fa", "es", "pt"])
def test_a_choice_written_as_it_was_shown_means_its_button(language):
    """People copy the choice they read instead of its number: "Un autre pays", "هیچکدام" (with
    or without the zero-width joiner Persian keyboards leave out) were "not understood"."""
    from bot.rendering import render

    wrong = []
    for fact, question in interview.ALL_QUESTIONS.items():
        if question.kind not in (interview.CHOICE, interview.YES_NO) or fact == "consent_given":
            continue
        for button in render(f"utter_ask_{fact}", language, "rest").buttons:
            for written in {button["title"], button["title"].replace("\u200c", "")}:
                got = interpret(question, text=written, intent=None, entities={}, language=language, today=TODAY)
                if got != _button_value(question, button, language):
                    wrong.append((fact, written, got))
    assert wrong == []
