"""End to end: DELETE / SUPPRIMER / the delete_my_data intent, confirmed once, erases the person
everywhere (app database, outbox, tracker store) and the next message starts afresh."""
import sqlite3
import uuid

import pytest
import requests

from bot.i18n import SUPPORTED_LANGUAGES
from bot.rendering import SMS, render
from tests.test_rights_conversation import SCREENING

pytestmark = pytest.mark.e2e


def conversation_events(bot, sender: str) -> list[dict]:
    with sqlite3.connect(bot.var_dir / "tracker.db") as db:
        return [row[0] for row in db.execute("SELECT type_name FROM events WHERE sender_id = ?", (sender,))]


def test_supprimer_mid_screening_asks_once_then_erases_everything_and_starts_afresh(bot):
    sender = f"erase-{uuid.uuid4().hex[:8]}"
    for text in SCREENING["fr"]:  # eligible: the rights questions have started
        bot.say(sender, text)
    person, screenings, _ = bot.stored(sender)
    assert person is not None and len(screenings) == 1

    question = bot.say(sender, "SUPPRIMER")
    assert question[-1]["text"] == render("utter_erasure_confirm", "fr").text
    assert [b["title"] for b in question[-1]["buttons"]] == ["Oui", "Non"]
    assert bot.texts(sender, "1") == [render("utter_erasure_done", "fr").text]  # 1 = Oui

    assert bot.stored(sender) == (None, [], [])
    assert conversation_events(bot, sender) == []
    with sqlite3.connect(bot.var_dir / "pass.db") as db:  # the outcome stays, for the counts, without anyone
        assert db.execute("SELECT count(*) FROM screening WHERE person_id IS NULL").fetchone()[0] >= 1
    fresh = bot.texts(sender, "bonjour")
    assert render("utter_consent_notice", "fr").text in fresh  # a new conversation: the notice again
    assert bot.slots(sender)["consent_given"] is None


def test_no_to_the_question_keeps_everything_and_the_question_comes_again(bot):
    sender = f"keep-{uuid.uuid4().hex[:8]}"
    for text in SCREENING["en"]:
        pending = bot.texts(sender, text)[-1]  # a rights question
    assert bot.texts(sender, "DELETE")[-1] == render("utter_erasure_confirm", "en").text
    assert bot.texts(sender, "no") == [render("utter_erasure_kept", "en").text, pending]
    person, screenings, _ = bot.stored(sender)
    assert person is not None and len(screenings) == 1 and "user" in conversation_events(bot, sender)


@pytest.mark.parametrize("language, words", [
    ("fr", ["bonjour", "francais", "effacer mes données", "non merci"]),
    ("ar", ["مرحبا", "العربية", "حذف", "لا"]),
])
def test_a_no_to_erasure_asked_at_the_consent_question_asks_for_consent_again(bot, language, words):
    """It used to leave the person with "not understood" to every yes that followed."""
    sender = f"keep-{language}-{uuid.uuid4().hex[:6]}"
    *start, erase, no = words
    for text in start:
        bot.say(sender, text)
    assert bot.texts(sender, erase)[-1] == render("utter_erasure_confirm", language).text
    assert bot.texts(sender, no) == [render("utter_erasure_kept", language).text,
                                     render("utter_ask_consent_given", language).text]
    bot.say(sender, {"fr": "oui d'accord", "ar": "نعم موافق"}[language])
    assert bot.slots(sender)["consent_given"] is True


# "Erase my data" in the words of each language (the model's examples).
ERASE_WORDS = {"fr": "SUPPRIMER svp merci", "en": "i want you to delete everything", "ar": "mse7 kolchi",
               "ro": "stergeti datele mele", "bn": "আমার তথ্য মুছে দেন", "fa": "اطلاعاتم را پاک کنید",
               "es": "BORRAR", "pt": "APAGAR"}


@pytest.mark.parametrize("language", SUPPORTED_LANGUAGES)
def test_erasure_is_asked_and_confirmed_in_every_language(bot, language):
    sender = f"erase-{language}-{uuid.uuid4().hex[:6]}"
    bot.say(sender, "hello")
    bot.say(sender, f'/choose_language{{"language": "{language}"}}')  # the button of the menu shown
    bot.say(sender, "1")  # consent: the first choice
    assert bot.stored(sender)[0].consent_at is not None
    assert bot.texts(sender, ERASE_WORDS[language])[-1] == render("utter_erasure_confirm", language).text
    assert bot.texts(sender, "1") == [render("utter_erasure_done", language).text]
    assert bot.stored(sender)[0] is None


def test_erasure_by_sms_confirms_by_sms_and_leaves_no_trace_of_the_number(bot):
    number = f"+3361{uuid.uuid4().int % 10**7:07d}"
    for text in SCREENING["fr"]:
        bot.sms(number, text)
    sender = bot.sms_sender(number)
    assert bot.stored(sender)[0].phone_encrypted
    assert bot.sms(number, "supprimer") == [render("utter_erasure_confirm", "fr", SMS).text]
    assert bot.sms(number, "1") == [render("utter_erasure_done", "fr", SMS).text]
    assert bot.stored(sender) == (None, [], [])
    assert conversation_events(bot, sender) == []
    tracker = requests.get(f"{bot.url}/conversations/{sender}/tracker", params={"token": bot.token}, timeout=10).json()
    assert not [e for e in tracker["events"] if e["event"] == "user"]
