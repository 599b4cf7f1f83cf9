"""End to end: after the checklist, the person is offered free times, books one by number,
is recognised when they come back, and can move or cancel by keyword."""
import json
import os
import re
import subprocess
import sys

import pytest

from bot.rendering import render
from bot.settings import ROOT
from tests.test_rights_conversation import SCREENING

pytestmark = pytest.mark.e2e

ANSWERS = {"urgent": "non", "nationality_group": "3", "residence_status": "4", "age": "30 ans",
           "months_in_france": "8 mois", "prior_ame_end": "1", "household_size": "1", "annual_resources": "0",
           "has_stable_address": "oui", "has_domiciliation": "oui", "hosted_by_third_party": "non",
           "has_photo_id": "oui", "unaccompanied_minor": "non"}


ANSWERS_EN = {**ANSWERS, "urgent": "no", "age": "30 years old", "months_in_france": "8 months",
              "has_stable_address": "yes", "has_domiciliation": "yes", "hosted_by_third_party": "no",
              "has_photo_id": "yes", "unaccompanied_minor": "no"}


def screen_and_answer(bot, sender, language="fr"):
    from tests.test_rights_conversation import question_of

    answers = ANSWERS if language == "fr" else ANSWERS_EN
    for text in SCREENING[language]:
        replies = bot.say(sender, text)
    while (fact := question_of(replies[-1]["text"], language)) is not None:
        replies = bot.say(sender, answers[fact])
    return replies


def test_book_by_number_then_be_recognised_then_cancel(bot, open_slots):
    sender = "booking-fr"
    offer = screen_and_answer(bot, sender)[-1]
    assert offer["text"] == render("utter_offer_slots", "fr").text
    assert len(offer["buttons"]) == 4  # three free times and "not now"
    booked = bot.texts(sender, "1")[-1]
    assert booked.startswith("Votre rendez-vous")
    reference = re.search(r"Référence : (\w{6})", booked).group(1)
    assert bot.slots(sender)["has_appointment"] is True

    bot.say(sender, "/session_start")  # they come back later
    status = bot.say(sender, "bonjour")[-1]
    assert [b["payload"] for b in status["buttons"]] == ["/affirm", "/reschedule_appointment", "/cancel_appointment"]

    asked = bot.texts(sender, "ANNULER")[-1]  # restated, not done
    assert asked.startswith("Répondez 1 pour annuler votre rendez-vous du") and bot.slots(sender)["has_appointment"]
    cancelled = bot.texts(sender, "1")[-1]
    assert reference in cancelled
    listed = subprocess.run([sys.executable, "-m", "bot", "appointments", "list", "--json"], cwd=ROOT, capture_output=True,
                            text=True, env={**os.environ, "DATABASE_URL": f"sqlite:///{bot.var_dir / 'pass.db'}",
                                            "PASS_VAR_DIR": str(bot.var_dir)})
    assert '"status": "cancelled"' in listed.stdout and reference in listed.stdout


def test_move_an_appointment_by_keyword(bot, open_slots):
    sender = "booking-move"
    screen_and_answer(bot, sender)
    first = bot.texts(sender, "1")[-1]
    asked = bot.texts(sender, "CHANGER")[-1]
    assert asked.startswith("Répondez 1 pour déplacer votre rendez-vous du")
    offer = bot.say(sender, "oui")[-1]  # a clear yes, in words
    assert offer["text"] == render("utter_offer_slots", "fr").text
    moved = bot.texts(sender, "2")[-1]
    assert moved != first and bot.slots(sender)["has_appointment"] is True


def test_no_time_now(bot, open_slots):
    sender = "booking-later"
    screen_and_answer(bot, sender)
    assert bot.texts(sender, "non")[-1] == render("utter_no_booking", "fr").text


def test_book_by_naming_the_time_in_words(bot, open_slots):
    sender = "booking-words"
    offer = screen_and_answer(bot, sender)[-1]
    title = offer["buttons"][1]["title"]  # e.g. "mercredi 25 novembre 09:30"
    weekday, hour = title.split()[0], title.split()[-1].replace(":", "h")
    booked = bot.texts(sender, f"{weekday} à {hour} svp")[-1]
    assert booked.startswith("Votre rendez-vous") and title in booked


@pytest.mark.parametrize("language, wanted, question, keep, kept", [
    ("fr", "je voudrais un rendez-vous svp", "Répondez 1 pour déplacer votre rendez-vous du", "non merci",
     "Rien n'est changé"),
    ("en", "i want an appointment please", "Reply 1 to move your appointment of", "no thanks", "Nothing is changed"),
])
def test_a_booked_person_asking_for_an_appointment_is_asked_before_anything_is_moved(
        bot, open_slots, language, wanted, question, keep, kept):
    """Times offered to someone already booked would replace their appointment at the first pick:
    they are told of it and asked first, in words."""
    sender = f"booking-again-{language}"
    screen_and_answer(bot, sender, language)
    booked = bot.texts(sender, "1")[-1]
    asked = bot.texts(sender, wanted)[-1]
    assert asked.startswith(question), asked
    assert re.search(r"\d{1,2}:\d{2}", asked)  # the appointment they have, with its time
    assert bot.texts(sender, keep)[-1].startswith(kept)
    assert bot.slots(sender)["has_appointment"] is True
    reference = re.search(r"R[ée]f[ée]rence ?: (\w{6})", booked)
    listed = subprocess.run([sys.executable, "-m", "bot", "appointments", "list", "--json"], cwd=ROOT, capture_output=True,
                            text=True, env={**os.environ, "DATABASE_URL": f"sqlite:///{bot.var_dir / 'pass.db'}",
                                            "PASS_VAR_DIR": str(bot.var_dir)})
    mine = [a for a in json.loads(listed.stdout) if a["reference"] == reference.group(1)]
    assert [a["status"] for a in mine] == ["booked"]  # the same appointment, still booked
