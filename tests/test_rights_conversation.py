"""End to end: after an eligible screening, the rights questions (only those the rules need),
answered the way people text, end with the checklist; it matches the CLI for the same facts."""
import json
import subprocess
import sys
from datetime import date

import pytest

from bot import interview
from bot.rendering import render
from bot.settings import ROOT

pytestmark = pytest.mark.e2e

SCREENING = {"fr": ["bonjour", "1", "oui", "oui", "1", "non", "oui"],
             "en": ["hello", "2", "yes", "yes", "1", "no", "yes"]}


def question_of(text: str, language: str) -> str | None:
    """Which rights fact a bot message asks for."""
    for fact, question in interview.QUESTIONS.items():
        if text.startswith(render(question.response, language).text):
            return fact
    return None


def interview_person(bot, sender, language, answers):
    """Screen the person, then answer every rights question from `answers` (text replies).
    Returns the facts asked and every bot text after the screening."""
    for text in SCREENING[language]:
        replies = bot.texts(sender, text)
    asked, seen = [], list(replies)
    while (fact := question_of(replies[-1], language)) is not None:
        assert fact not in asked, f"{fact} asked twice"
        asked.append(fact)
        replies = bot.texts(sender, answers[fact])
        seen += replies
    return asked, seen


def cli_outcome(bot, sender):
    facts = interview.facts_from_slots(bot.slots(sender), date.today())
    result = subprocess.run([sys.executable, "-m", "bot.rights", "evaluate"], input=json.dumps(facts),
                            capture_output=True, text=True, cwd=ROOT, check=True)
    return json.loads(result.stdout)


def test_undocumented_person_in_french_gets_the_ame_checklist_matching_the_cli(bot):
    sender = "rights-fr-ame"
    answers = {"urgent": "non", "nationality_group": "3", "residence_status": "je n'ai pas de papiers",
               "age": "30 ans", "months_in_france": "depuis 8 mois", "prior_ame_end": "1", "household_size": "1",
               "annual_resources": "rien", "has_stable_address": "oui", "has_domiciliation": "oui",
               "hosted_by_third_party": "non", "has_photo_id": "oui", "unaccompanied_minor": "non"}
    asked, seen = interview_person(bot, sender, "fr", answers)
    assert "works_in_france" not in asked and "benefits" not in asked
    checklist = "\n".join(seen)
    assert "cerfa 11573" in checklist and "en personne" in checklist
    assert "Papiers à apporter" in checklist and "photo" in checklist
    slots = bot.slots(sender)
    expected = cli_outcome(bot, sender)
    assert slots["residence_status"] == "irregular" and slots["months_in_france"] == 8
    assert (slots["rights"], slots["documents"]) == (expected["rights"], expected["documents"])
    assert "AME_FIRST_IN_PERSON" in slots["rights"]


def test_recent_asylum_seeker_in_english_is_not_asked_about_money(bot):
    sender = "rights-en-asylum"
    answers = {"urgent": "no", "nationality_group": "3", "residence_status": "2", "age": "25",
               "months_in_france": "2 months", "has_stable_address": "no", "has_domiciliation": "yes",
               "hosted_by_third_party": "no", "has_photo_id": "yes", "unaccompanied_minor": "no"}
    asked, seen = interview_person(bot, sender, "en", answers)
    assert "annual_resources" not in asked and "household_size" not in asked
    assert "For urgent care, go to the hospital" in "\n".join(seen)
    slots = bot.slots(sender)
    assert "SOINS_URGENTS" in slots["rights"] and slots["rights"] == cli_outcome(bot, sender)["rights"]


def test_resident_with_low_income_gets_puma_and_free_css(bot):
    sender = "rights-fr-css"
    answers = {"urgent": "non", "nationality_group": "3", "residence_status": "1", "age": "45",
               "months_in_france": "2 ans", "works_in_france": "non", "benefits": "6", "household_size": "1",
               "annual_resources": "300 euros", "has_stable_address": "oui", "has_domiciliation": "oui",
               "hosted_by_third_party": "non", "has_photo_id": "oui", "unaccompanied_minor": "non"}
    _, seen = interview_person(bot, sender, "fr", answers)
    text = "\n".join(seen)
    assert "S1106" in text and "cerfa 12504" in text
    slots = bot.slots(sender)
    assert slots["annual_resources"] == 3600
    assert {"PUMA", "CSS_FREE"} <= set(slots["rights"])
    assert slots["rights"] == cli_outcome(bot, sender)["rights"]


def test_docs_sends_the_checklist_again(bot):
    sender = "rights-fr-ame"  # finished in the first test of this module
    texts = bot.texts(sender, "DOCS")
    # From the case: what is still to get, then the photo ID they said they have (bring it too).
    assert any("cerfa 11573" in t for t in texts) and any("Papiers qu'il vous reste à obtenir" in t for t in texts)
    assert any(t.startswith("Papiers que vous avez déjà") and "photo" in t for t in texts)


def test_where_to_go_answers_from_the_directory(bot):
    texts = bot.texts("rights-fr-ame", "ou dois je aller ?")
    assert texts[0] == "Où aller :"
    assert any(t.startswith("Aide médicale") or "CPAM" in t or "centre hospitalier" in t for t in texts[1:])
    assert all("adresse en cours de confirmation" in t for t in texts[1:])


def test_a_question_not_understood_is_asked_differently_then_handed_to_a_human(bot):
    sender = "rights-fr-unclear"
    for text in SCREENING["fr"]:
        replies = bot.texts(sender, text)
    while question_of(replies[-1], "fr") in ("urgent", "nationality_group", "residence_status"):
        replies = bot.texts(sender, {"urgent": "non", "nationality_group": "3", "residence_status": "4"}[question_of(replies[-1], "fr")])
    assert question_of(replies[-1], "fr") == "age"
    first = bot.texts(sender, "bof")
    assert first[0] == "Pardon, je n'ai pas compris. Écrivez en chiffres combien d'années vous avez, par exemple : 34."
    assert question_of(first[-1], "fr") == "age"
    second = bot.texts(sender, "on verra")
    assert second != first and "HUMAIN" in second[1] and question_of(second[-1], "fr") == "age"
    third = bot.texts(sender, "je prefere pas dire")
    assert any("une assistante sociale va les reprendre avec vous" in text for text in third)
    assert "human" in bot.stored(sender)[2]


def test_the_safety_net_still_comes_first_during_the_rights_questions(bot):
    sender = "rights-fr-safety"
    for text in SCREENING["fr"]:
        bot.texts(sender, text)
    texts = bot.texts(sender, "je veux mourir")
    assert "3114" in texts[0]
    assert question_of(texts[-1], "fr") == "urgent"
