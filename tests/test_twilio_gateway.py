"""End to end through the SMS gateway: webhooks signed with twilio's RequestValidator scheme,
answers sent by the real twilio client to the fake Twilio (tests/fake_twilio.py)."""
import os
import re
import subprocess
import sys
import sqlite3
import time
import uuid
from datetime import datetime, timedelta, timezone

import pytest
import requests

from bot.rendering import SMS, render
from bot.settings import ROOT
from tests import fake_twilio
from tests.test_booking_conversation import ANSWERS
from tests.test_rights_conversation import SCREENING

pytestmark = pytest.mark.e2e


def phone() -> str:
    return f"+3361{uuid.uuid4().int % 10**7:07d}"


def app_db(bot) -> sqlite3.Connection:
    return sqlite3.connect(bot.var_dir / "pass.db")


def test_a_forged_webhook_gets_403_and_never_reaches_the_bot(bot):
    number = phone()
    params = {"MessageSid": "SMforged", "From": number, "To": "+33700000000", "Body": "bonjour"}
    forged = fake_twilio.sign(bot.sms_webhook, params, token="not-our-token")
    assert fake_twilio.post_webhook(bot.sms_webhook, params, signature=forged).status_code == 403
    assert requests.post(bot.sms_webhook, data=params, timeout=10).status_code == 403  # no signature
    tampered = fake_twilio.sign(bot.sms_webhook, params)
    assert fake_twilio.post_webhook(bot.sms_webhook, {**params, "Body": "autre"}, signature=tampered).status_code == 403
    elsewhere = fake_twilio.sign("https://attacker.example/webhooks/twilio/webhook", params)
    assert fake_twilio.post_webhook(bot.sms_webhook, params, signature=elsewhere).status_code == 403
    time.sleep(1.5)
    assert bot.twilio.sent_to(number) == []
    events = requests.get(f"{bot.url}/conversations/{bot.sms_sender(number)}/tracker",
                          params={"token": bot.token}, timeout=10).json()["events"] or []
    assert not [e for e in events if e["event"] == "user"]


def test_malformed_requests_are_refused_without_an_error(bot):
    signed_without_from = {"MessageSid": "SMnofrom", "Body": "bonjour"}
    assert fake_twilio.post_webhook(bot.sms_webhook, signed_without_from).status_code == 400
    not_a_number = {"MessageSid": "SMbadfrom", "From": "hello", "Body": "bonjour"}
    assert fake_twilio.post_webhook(bot.sms_webhook, not_a_number).status_code == 400
    as_json = requests.post(bot.sms_webhook, json={"From": phone()}, timeout=10,
                            headers={"X-Twilio-Signature": "x"})
    assert as_json.status_code == 403


def test_a_message_is_acknowledged_with_empty_twiml_before_the_answer_goes(bot):
    number = phone()
    bot.twilio.create_delay = 2.0  # Twilio is slow today: our acknowledgement must not wait for it
    try:
        ack = bot.post_sms(number, "bonjour")
        assert ack.status_code == 200 and ack.headers["content-type"].startswith("text/xml")
        assert ack.text.endswith("<Response></Response>")
        assert bot.twilio.sent_to(number) == []  # acknowledged while the answer was still on its way
    finally:
        bot.twilio.create_delay = 0.0
    assert bot.wait_for_sms(number, 0)


def test_the_same_message_posted_twice_gets_one_answer(bot):
    number = phone()
    first = bot.post_sms(number, "bonjour", sid="SMretried0001")
    second = bot.post_sms(number, "bonjour", sid="SMretried0001")  # Twilio's retry
    assert first.status_code == second.status_code == 200
    answers = bot.wait_for_sms(number, 0)
    time.sleep(2)
    assert bot.twilio.sent_to(number) == answers  # nothing more came
    assert sum("1 Francais" in answer for answer in answers) == 1


def test_a_captured_message_replayed_after_a_month_is_refused(bot):
    """Twilio's requests carry no time; its record of the message does. Its id was purged from
    our table after 30 days, so the date Twilio holds tells the replay apart."""
    number, now = phone(), datetime.now(timezone.utc)
    bot.twilio.received("SMcapturedlongago01", now - timedelta(days=40))
    assert bot.post_sms(number, "bonjour", sid="SMcapturedlongago01").status_code == 200
    time.sleep(2)
    assert bot.twilio.sent_to(number) == []  # acknowledged, never answered
    bot.twilio.received("SMjustnow0000000001", now - timedelta(minutes=1))
    assert bot.post_sms(number, "bonjour", sid="SMjustnow0000000001").status_code == 200
    assert bot.wait_for_sms(number, 0)  # today's message is answered


def test_the_first_answer_lists_the_languages_as_numbers_and_1_picks_french(bot):
    number = phone()
    first = bot.sms(number, "bonjour")
    # The greeting (GSM-7) and the menu (other scripts: UCS-2) go apart: joined, both would
    # cost UCS-2 segments.
    assert len(first) == 2 and first[1].endswith("\n".join(["1 Francais", "2 English", "3 العربية", "4 Romana",
                                                              "5 বাংলা", "6 دری / فارسی", "7 Español", "8 Portugues"]))
    assert not any(re.search(r"/\w+\{", text) for text in first)  # no raw payloads on a phone
    chosen = bot.sms(number, "1")
    assert render("utter_ask_consent_given", "fr", SMS).text.splitlines()[0] in "\n".join(chosen)


def test_messages_sent_in_a_burst_are_answered_in_order(bot):
    number = phone()
    before = 0
    assert bot.post_sms(number, "bonjour").status_code == 200
    assert bot.post_sms(number, "1").status_code == 200  # before the menu's answer has even left
    answers = bot.wait_for_sms(number, before)
    menu = next(i for i, text in enumerate(answers) if "1 Francais" in text)
    notice = render("utter_ask_consent_given", "fr", SMS).text.splitlines()[0]
    assert any(notice in text for text in answers[menu + 1:])  # "1" was read after the menu it answers


def test_a_photo_without_text_gets_a_polite_answer(bot):
    number = phone()
    answer = bot.sms(number, None, NumMedia="1", MediaUrl0="https://api.twilio.com/media/ME1",
                     MediaContentType0="image/jpeg")
    assert answer == [render("sms_media_only", "fr", SMS).text]
    assert bot.sms(number, "") == [render("sms_media_only", "fr", SMS).text]


def test_whatsapp_is_answered_on_whatsapp(bot):
    number = phone()
    bot.sms(f"whatsapp:{number}", "bonjour")
    message = bot.twilio.messages[-1]
    assert message["to"] == f"whatsapp:{number}" and message["from"] == "whatsapp:+33700000000"


def test_the_number_is_never_the_conversation_id_nor_stored_in_clear(bot):
    number = phone()
    bot.sms(number, "bonjour")
    sender = bot.sms_sender(number)
    assert sender.startswith("sms-") and number[1:] not in sender
    tracker = requests.get(f"{bot.url}/conversations/{sender}/tracker", params={"token": bot.token}, timeout=10).json()
    assert tracker["events"] and number not in str(tracker)
    digits = number[3:]
    for database in ("pass.db", "tracker.db"):
        assert digits.encode() not in (bot.var_dir / database).read_bytes(), database


def test_stop_is_confirmed_once_silences_everything_and_start_resumes(bot):
    number = phone()
    bot.sms(number, "bonjour")
    assert bot.sms(number, "STOP") == [render("utter_opt_out", "fr", SMS).text]
    before = len(bot.twilio.sent_to(number))
    bot.post_sms(number, "Arrêt")
    bot.post_sms(number, "bonjour")
    time.sleep(2.5)
    assert len(bot.twilio.sent_to(number)) == before  # no second confirmation, no answer
    assert bot.sms(number, "START") == [render("sms_started", "fr", SMS).text]
    assert bot.sms(number, "bonjour")


def test_delivery_reports_land_on_their_own_signed_endpoint(bot):
    number = phone()
    bot.sms(number, "bonjour")
    sid = bot.twilio.messages[-1]["sid"]
    url = f"{bot.url}/webhooks/twilio/status"
    report = {"MessageSid": sid, "MessageStatus": "delivered", "To": number}
    assert fake_twilio.post_webhook(url, report, signature="forged").status_code == 403
    assert fake_twilio.post_webhook(url, report).status_code in (200, 204)
    with app_db(bot) as db:
        assert db.execute("SELECT status FROM outbound_sms WHERE twilio_sid = ?", (sid,)).fetchone() == ("delivered",)


def _question(message: str) -> str | None:
    from bot import interview

    for fact, question in interview.QUESTIONS.items():
        if render(question.response, "fr", SMS).text.splitlines()[0] in message:
            return fact
    return None


def test_book_by_sms_get_the_reminder_answer_annuler_and_the_slot_is_free_again(bot, open_slots):
    number = phone()
    soon = (datetime.now(timezone.utc) + timedelta(days=3)).strftime("%Y-%m-%d %H:%M:%S")
    with app_db(bot) as db:  # the first free time is a few days away: reminders ahead of it
        db.execute("UPDATE slot SET blocked = 1 WHERE start_at < ?", (soon,))
    for text in SCREENING["fr"]:
        answers = bot.sms(number, text)
    while (fact := _question(answers[-1])) is not None:
        answers = bot.sms(number, ANSWERS[fact])
    assert render("utter_offer_slots", "fr", SMS).text.splitlines()[0] in answers[-1]
    booked = "\n".join(bot.sms(number, "1"))
    reference = re.search(r"Réf\. (\w{6})", booked).group(1)  # the short SMS confirmation

    with app_db(bot) as db:  # the reminders' day has come
        (appointment_id, slot_id), = db.execute("SELECT id, slot_id FROM appointment WHERE reference = ?", (reference,))
        due = (datetime.now(timezone.utc) - timedelta(seconds=5)).strftime("%Y-%m-%d %H:%M:%S.%f")
        assert db.execute("UPDATE outbound_sms SET due_at = ? WHERE appointment_id = ? AND kind = 'reminder_2d'",
                          (due, appointment_id)).rowcount == 1
    reminder = bot.wait_for_sms(number, len(bot.twilio.sent_to(number)))
    assert len(reminder) == 1 and reminder[0].startswith("Rappel : rendez-vous") and reference in reminder[0]
    assert "AME" not in reminder[0] and "PASS" not in reminder[0]

    asked = "\n".join(bot.sms(number, "ANNULER"))
    assert asked.startswith("Répondez 1 pour annuler votre rendez-vous du") and asked.endswith("2 Le garder")
    cancelled = "\n".join(bot.sms(number, "1"))
    assert reference in cancelled
    with app_db(bot) as db:
        assert db.execute("SELECT status FROM appointment WHERE id = ?", (appointment_id,)).fetchone() == ("cancelled",)
        assert db.execute("SELECT count(*) FROM appointment WHERE slot_id = ? AND status = 'booked'",
                          (slot_id,)).fetchone() == (0,)  # the slot is free again
        assert db.execute("SELECT status FROM outbound_sms WHERE appointment_id = ? AND kind = 'reminder_1d'",
                          (appointment_id,)).fetchone() == ("cancelled",)


def test_a_phone_can_be_played_from_the_command_line(bot):
    env = {**os.environ, "PASS_VAR_DIR": str(bot.var_dir), "RASA_PORT": str(bot.rasa_port),
           "TWILIO_ACCOUNT_SID": fake_twilio.ACCOUNT_SID, "TWILIO_AUTH_TOKEN": fake_twilio.AUTH_TOKEN,
           "TWILIO_FROM": "+33700000000"}
    env.pop("DATABASE_URL", None)
    played = subprocess.run([sys.executable, "-m", "bot", "sms", "simulate", "hello", "--from", phone()],
                            cwd=ROOT, env=env, capture_output=True, text=True, timeout=60)
    assert played.returncode == 0, played.stderr
    assert "1 Francais" in played.stdout
