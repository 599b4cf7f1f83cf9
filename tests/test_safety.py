"""Never act on a misreading, never leave a safety message unanswered (issue 15), end to end:
signed SMS webhooks (tests/fake_twilio.py), the REST channel and the console, in several
languages. Each test answers in words, as a person would."""
import re
import sqlite3
import time
import uuid

import pytest
import requests

from bot.rendering import SMS, WEB, render

pytestmark = pytest.mark.e2e

# The number that picks each language in the first menu (bot.responses.LANGUAGE_CHOICES).
MENU_NUMBER = {"fr": "1", "en": "2", "ar": "3", "ro": "4", "bn": "5", "fa": "6", "es": "7", "pt": "8"}
SUICIDAL = {"fr": "je veux me suicider", "ar": "بغيت نموت دابا", "fa": "می‌خواهم خودم را بکشم",
            "ro": "ma gandesc sa ma sinucid"}
EMERGENCY = {"fr": "urgence, j'ai très mal à la poitrine", "ar": "صدري كيوجعني بزاف", "fa": "سینه‌ام سخت درد می‌کند",
             "ro": "ma doare foarte tare pieptul"}
STOP_WORD = {"fr": "Arrêt", "ar": "توقف", "fa": "توقف", "ro": "OPREȘTE"}


def phone() -> str:
    return f"+3361{uuid.uuid4().int % 10**7:07d}"


def app_db(bot) -> sqlite3.Connection:
    return sqlite3.connect(bot.var_dir / "pass.db")


def opted_out(bot, number: str) -> bool:
    from bot import people

    person, _, _ = bot.stored(bot.sms_sender(number))
    return person is not None and person.sms_opted_out_at is not None


def urgent_handoff(bot, conversation: str):
    with app_db(bot) as db:
        return db.execute("SELECT id, reason, urgent_at, paused FROM handoff WHERE conversation = ? "
                          "AND status IN ('waiting', 'claimed')", (conversation,)).fetchone()


@pytest.fixture(scope="module")
def staff(bot):
    bot.create_user("safety-staff")
    return bot.console_login("safety-staff")


def in_language(bot, number: str, language: str) -> None:
    bot.sms(number, "bonjour")
    bot.sms(number, MENU_NUMBER[language])


def test_ordinary_words_and_stop_inside_a_sentence_never_stop_sms(bot):
    number = phone()
    in_language(bot, number, "fr")
    for text in ("inscription", "prescription", "laissez-moi tranquille", "arrête de m'envoyer ça",
                 "stop je ne comprends rien", "je ne veux plus de sms"):
        answer = bot.sms(number, text)
        assert answer, text  # answered: still talking
        assert render("utter_opt_out", "fr", SMS).text not in answer, text
        assert not opted_out(bot, number), text
    # Asked in words: the way to stop, as a question, never the stop itself.
    assert render("utter_opt_out_how", "fr", SMS).text in "\n".join(bot.sms(number, "arrêtez de m'envoyer des sms svp"))
    assert not opted_out(bot, number)


@pytest.mark.parametrize("language", ["fr", "ar", "fa", "ro"])
def test_stop_alone_stops_yet_a_safety_message_is_answered_once_and_urgent_and_start_resumes(bot, staff, language):
    number = phone()
    in_language(bot, number, language)
    assert bot.sms(number, STOP_WORD[language]) == [render("utter_opt_out", language, SMS).text]
    assert opted_out(bot, number)
    before = len(bot.twilio.sent_to(number))
    bot.post_sms(number, "bonjour")
    time.sleep(2.5)
    assert len(bot.twilio.sent_to(number)) == before  # stopped: nothing goes

    assert bot.sms(number, SUICIDAL[language]) == [render("utter_suicidal_thoughts", language, SMS).text]
    found = urgent_handoff(bot, bot.sms_sender(number))
    assert found is not None and found[2] is not None  # urgent
    inbox = staff.get(f"{bot.console_url}/", timeout=10).text
    rows = re.findall(r'<tr class="([^"]*)" data-id="(\d+)"', inbox)
    place = [row_id for _, row_id in rows].index(str(found[0]))
    assert all("urgent" in classes for classes, _ in rows[:place + 1])  # above every one not urgent
    assert "URGENT" in inbox.split(f'data-id="{found[0]}"')[1].split("</tr>")[0]
    assert bot.sms(number, EMERGENCY[language]) == [render("utter_emergency", language, SMS).text]

    assert bot.sms(number, "START") == [render("sms_started", language, SMS).text]
    assert not opted_out(bot, number) and bot.sms(number, "bonjour")


def _claim(bot, staff, conversation: str) -> int:
    inbox = staff.get(f"{bot.console_url}/", timeout=10).text
    handoff_id = urgent_handoff(bot, conversation)[0]
    token = re.search(r'name="csrf" value="([^"]+)"', inbox)[1]
    staff.post(f"{bot.console_url}/handoffs/{handoff_id}/claim", data={"csrf": token}, timeout=10).raise_for_status()
    return handoff_id


@pytest.mark.parametrize("language", ["fr", "ar"])
def test_handed_over_the_bot_goes_on_until_claimed_then_safety_is_answered_and_urgent(bot, staff, language):
    sender = f"safety-rest-{language}-{uuid.uuid4().hex[:6]}"
    bot.say(sender, "bonjour")
    bot.say(sender, MENU_NUMBER[language])
    handed = bot.texts(sender, "HUMAIN")
    assert render("utter_handoff_open", language).text in handed
    assert bot.texts(sender, "bonjour")  # waiting for a social worker: the bot still answers
    handoff_id = _claim(bot, staff, sender)
    # Held by the social worker: one acknowledgement, then silence for the ordinary messages...
    assert bot.texts(sender, "vous êtes là ?") == [render("utter_handoff_waiting", language).text]
    assert bot.texts(sender, "allo") == []
    # ... but a safety message is answered at once and raises the conversation, urgent.
    assert bot.texts(sender, SUICIDAL[language]) == [render("utter_suicidal_thoughts", language).text]
    found = urgent_handoff(bot, sender)
    assert found[0] == handoff_id and found[2] is not None
    assert bot.texts(sender, EMERGENCY[language])[0] == render("utter_emergency", language).text


@pytest.mark.parametrize("language", ["fr", "ro"])
def test_a_safety_message_first_after_the_claim_gets_the_safety_answer_and_the_acknowledgement(bot, staff, language):
    """It got the safety answer only, and the person then waited in silence."""
    sender = f"safety-first-{language}-{uuid.uuid4().hex[:6]}"
    bot.say(sender, "bonjour")
    bot.say(sender, MENU_NUMBER[language])
    bot.say(sender, "HUMAIN")
    _claim(bot, staff, sender)
    assert bot.texts(sender, SUICIDAL[language]) == [render("utter_suicidal_thoughts", language).text,
                                                     render("utter_handoff_waiting", language).text]
    assert bot.texts(sender, "allo") == []  # acknowledged once: now the social worker answers


def test_handed_over_by_sms_in_farsi_a_safety_message_is_answered_while_held(bot, staff):
    number = phone()
    in_language(bot, number, "fa")
    bot.sms(number, "HUMAN")
    sender = bot.sms_sender(number)
    _claim(bot, staff, sender)
    assert bot.sms(number, "سلام") == [render("utter_handoff_waiting", "fa", SMS).text]
    assert bot.sms(number, SUICIDAL["fa"]) == [render("utter_suicidal_thoughts", "fa", SMS).text]
    assert urgent_handoff(bot, sender)[2] is not None


# --- Irreversible actions: a clear request, restated, and a clear yes ---------------------------

NEGATED_CANCEL = {"fr": "non merci je veux pas annuler", "ar": "لا ما بغيتش نلغي الموعد",
                  "fa": "نه، نمی‌خواهم وقتم را لغو کنم", "ro": "nu, nu vreau sa anulez programarea"}
CANCEL = {"fr": "ANNULER", "ar": "إلغاء", "fa": "لغو", "ro": "anulati programarea"}
YES = {"fr": "oui", "ar": "نعم", "fa": "بله", "ro": "da"}
ERASE = {"fr": "SUPPRIMER", "ar": "حذف", "fa": "پاک کردن", "ro": "stergeti datele mele"}


def give_appointment(bot, sender: str, language: str) -> dict:
    """An appointment booked for this conversation's person (as after a screening)."""
    from datetime import datetime, timedelta, timezone

    from bot import people
    from bot.booking import appointments
    from bot.database import session_scope

    key = people.person_key(sender, (bot.var_dir / "hash.key").read_text().strip())
    with session_scope(f"sqlite:///{bot.var_dir / 'pass.db'}") as session:
        person = people.get_or_create(session, key)
        slot = appointments.free_slots(session, datetime.now(timezone.utc) + timedelta(days=1))[0]
        return appointments.message_params(appointments.book(session, slot.id, language, person.id))


def appointment_status(bot, reference: str) -> str:
    with app_db(bot) as db:
        return db.execute("SELECT status FROM appointment WHERE reference = ?", (reference,)).fetchone()[0]


def consented(bot, sender: str, language: str) -> None:
    bot.say(sender, "bonjour")
    bot.say(sender, MENU_NUMBER[language])
    bot.say(sender, "1")  # consent: the first choice of the question
    assert bot.stored(sender)[0].consent_at is not None


@pytest.mark.parametrize("language", ["fr", "ar", "fa", "ro"])
def test_cancelling_needs_a_clear_request_and_a_clear_yes(bot, open_slots, language):
    sender = f"cancel-{language}-{uuid.uuid4().hex[:6]}"
    consented(bot, sender, language)
    params = give_appointment(bot, sender, language)
    assert bot.texts(sender, NEGATED_CANCEL[language])  # answered...
    assert appointment_status(bot, params["reference"]) == "booked"  # ... and nothing done
    question = render("utter_confirm_cancel", language, WEB, params).text
    assert bot.texts(sender, CANCEL[language]) == [question]  # restated with its date and time
    for unclear in ("😀", "asdf"):
        assert bot.texts(sender, unclear) == [render("utter_appointment_kept", language).text]
        assert appointment_status(bot, params["reference"]) == "booked"
        assert bot.texts(sender, CANCEL[language]) == [question]
    # A safety message in reply is answered, never taken for a "no" (it may hold a negation).
    assert render("utter_suicidal_thoughts", language).text in bot.texts(sender, SUICIDAL[language])
    assert appointment_status(bot, params["reference"]) == "booked"
    assert bot.texts(sender, CANCEL[language])[0] == question
    done = bot.texts(sender, YES[language])
    assert done == [render("utter_cancelled", language, WEB, params).text]
    assert appointment_status(bot, params["reference"]) == "cancelled"


@pytest.mark.parametrize("language", ["ar", "fa"])
def test_cancelling_by_sms_restates_it_and_one_confirms(bot, open_slots, language):
    number = phone()
    in_language(bot, number, language)
    bot.sms(number, "1")  # consent
    sender = bot.sms_sender(number)
    params = give_appointment(bot, sender, language)
    assert bot.sms(number, CANCEL[language]) == [render("utter_confirm_cancel", language, SMS, params).text]
    assert bot.sms(number, "2") == [render("utter_appointment_kept", language, SMS).text]
    assert appointment_status(bot, params["reference"]) == "booked"
    bot.sms(number, CANCEL[language])
    assert bot.sms(number, "1") == [render("utter_cancelled", language, SMS, params).text]
    assert appointment_status(bot, params["reference"]) == "cancelled"


@pytest.mark.parametrize("language", ["fr", "ar", "fa", "ro"])
def test_erasing_is_asked_and_only_a_clear_yes_erases(bot, language):
    number = phone()
    in_language(bot, number, language)
    bot.sms(number, "1")  # consent
    sender = bot.sms_sender(number)
    question = render("utter_erasure_confirm", language, SMS).text
    assert bot.sms(number, ERASE[language]) == [question]
    for unclear in ("🙂", "asdf"):
        kept = "\n".join(bot.sms(number, unclear))
        # nothing erased, and the question it interrupted comes again
        assert kept.startswith(render("utter_erasure_kept", language, SMS).text)
        assert render("utter_ask_health_problem", language, SMS).text.split("\n")[0] in kept
        assert bot.stored(sender)[0] is not None
        assert bot.sms(number, ERASE[language]) == [question]
    assert bot.sms(number, YES[language]) == [render("utter_erasure_done", language, SMS).text]
    assert bot.stored(sender)[0] is None


# --- Payloads only from the latest menu ---------------------------------------------------------

def test_typed_payloads_are_read_as_text_by_sms_and_slot_ids_never_offered_are_refused(bot, open_slots):
    number = phone()
    in_language(bot, number, "fr")
    assert bot.sms(number, "/affirm")  # typed at the consent question: answered, but no consent
    sender = bot.sms_sender(number)
    assert bot.stored(sender)[0].consent_at is None
    bot.sms(number, '/choose_slot{"slot_id":"27"}')
    bot.sms(number, '/affirm{"confirm": "erase"}')
    assert bot.stored(sender)[0] is not None and bot.stored(sender)[0].consent_at is None
    with app_db(bot) as db:
        person_id = bot.stored(sender)[0].id
        assert db.execute("SELECT count(*) FROM appointment WHERE person_id = ?", (person_id,)).fetchone() == (0,)


def test_over_rest_a_payload_counts_only_if_the_latest_menu_offered_it(bot, open_slots):
    sender = f"payload-{uuid.uuid4().hex[:6]}"
    bot.say(sender, "bonjour")
    bot.say(sender, MENU_NUMBER["ro"])  # at the consent question (its buttons: /affirm, /deny)
    # Not offered: read as a reply not understood (the consent question asked again, then a person).
    hint = render("utter_hint_yes_no", "ro").text
    assert bot.texts(sender, '/choose_slot{"slot_id": "27"}')[0] == hint  # never offered
    assert bot.texts(sender, "/delete_my_data")[0] == hint
    assert bot.texts(sender, '/affirm{"confirm": "erase"}')[0] == render("utter_unclear_handoff", "ro").text
    person = bot.stored(sender)[0]
    assert person is None or person.consent_at is None
    # (The payload of a menu still open is accepted: tests/test_erasure_conversation.py chooses
    # the language by typing the menu's payload.)


# --- A refused consent keeps nothing ------------------------------------------------------------

REFUSE = {"fr": "non", "ar": "لا", "fa": "نه", "ro": "nu"}


def database_files(bot) -> bytes:
    """Both SQLite databases as they are on disk, their -wal and -journal files included. A -wal
    file may vanish while being read (its last connection closed: it was checkpointed into the
    database file): then everything is read again, so nothing written escapes the search."""
    while True:
        try:
            return b"".join(path.read_bytes() for name in ("pass.db", "tracker.db")
                            for path in bot.var_dir.glob(name + "*"))
        except FileNotFoundError:
            continue


@pytest.mark.parametrize("language", ["fr", "ar", "fa", "ro"])
def test_after_a_refused_consent_no_text_the_person_wrote_is_in_either_database(bot, language):
    marker = f"Zorglub{uuid.uuid4().hex[:8]}"  # ASCII: found whatever the encoding of the rows
    number = phone()
    bot.sms(number, "bonjour")
    bot.sms(number, MENU_NUMBER[language])
    bot.sms(number, marker)  # written at the consent question (not an answer: asked again)
    refused = bot.sms(number, REFUSE[language])
    assert render("utter_no_consent", language, SMS).text in refused
    time.sleep(0.5)
    assert marker.encode() not in database_files(bot)
    sender = f"refuse-{language}-{uuid.uuid4().hex[:6]}"
    bot.say(sender, "bonjour")
    bot.say(sender, MENU_NUMBER[language])
    bot.say(sender, f"{marker}web")
    assert render("utter_no_consent", language).text in bot.texts(sender, REFUSE[language])
    assert f"{marker}web".encode() not in database_files(bot)
    assert bot.slots(sender)["language"] == language  # what is needed to answer them stays


# --- The web chat ---------------------------------------------------------------------------------

@pytest.mark.parametrize("language", ["ro", "fa"])
def test_in_the_web_chat_a_typed_payload_is_not_a_choice_and_a_held_conversation_still_answers_safety(
        bot, staff, language):
    from tests.test_webchat_http import Chat

    chat = Chat(bot, f"?lang={language}")
    chat.say(start=True, lang=language)
    chat.say(payload=f'/choose_language{{"language": "{language}"}}')  # the menu's button
    texts = lambda reply: [m["text"] for m in reply["messages"]]
    # Typed, a payload is words: the consent question's "yes" is not given by "/affirm".
    chat.say(text="/affirm")
    person = bot.stored(chat.sender)[0]
    assert person is None or person.consent_at is None
    # A button sent from a menu that is no longer open is refused.
    assert chat.post({"payload": '/choose_slot{"slot_id": "27"}'}).status_code == 409
    reply = chat.say(text="HUMAN")
    assert render("utter_handoff_open", language).text in texts(reply) and reply["paused"]  # the page polls
    _claim(bot, staff, chat.sender)
    assert texts(chat.say(text="?")) == [render("utter_handoff_waiting", language).text]
    assert texts(chat.say(text=SUICIDAL[language])) == [render("utter_suicidal_thoughts", language).text]
    assert urgent_handoff(bot, chat.sender)[2] is not None


@pytest.mark.parametrize("language, answer", [("fa", "bale sardard daram"), ("ro", "da la fratele meu")])
def test_an_ordinary_answer_the_model_takes_for_a_safety_message_is_only_an_answer(bot, language, answer):
    """Read by the intent model as an emergency or violence (personas), these answer the
    question: no safety numbers, no urgent flag; the next question comes."""
    sender = f"ordinary-{language}-{uuid.uuid4().hex[:6]}"
    bot.say(sender, "bonjour")
    bot.say(sender, MENU_NUMBER[language])
    bot.say(sender, "1")  # consent
    assert bot.texts(sender, answer) == [render("utter_ask_current_cover", language).text]
    assert bot.slots(sender)["health_problem"] is True
    assert urgent_handoff(bot, sender) is None


@pytest.mark.parametrize("language, answer", [("fr", "oui j'ai très mal à la poitrine"), ("fa", "bale sineam dard mikone")])
def test_an_answer_with_a_safety_word_gets_the_safety_answer_and_is_raised(bot, language, answer):
    sender = f"answer-safety-{language}-{uuid.uuid4().hex[:6]}"
    bot.say(sender, "bonjour")
    bot.say(sender, MENU_NUMBER[language])
    bot.say(sender, "1")
    said = bot.texts(sender, answer)
    assert said[0] == render("utter_emergency", language).text
    assert render("utter_ask_current_cover", language).text in said  # the answer is kept
    assert urgent_handoff(bot, sender) is not None
