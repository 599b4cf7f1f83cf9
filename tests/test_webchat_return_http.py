"""Issue 17, end to end over the web chat's HTTP endpoints (the real assistant, its console, SMS
through the fake Twilio), letting time pass by ageing the conversation in the tracker store:
a web-chat person books, gives a number in words, gets the SMS code and then the reminder;
a social worker's answer given the next day is shown and announced by SMS; the next person on
the same browser sees nothing of the first person's case, and "this is not me" leaves it
untouched."""
import json
import re
import sqlite3
from datetime import timedelta

import pytest
import requests
from sqlalchemy import select

from bot import webchat
from bot.actions import reminder_number as rn
from bot.database import session_scope
from bot.i18n import gettext
from bot.models import Appointment, OutboundSms, Slot
from bot.outbox import utcnow
from bot.rendering import render
from tests.test_booking_conversation import ANSWERS
from tests.test_handoff import csrf, handoff_link
from tests.test_rights_conversation import SCREENING, question_of
from tests.test_webchat_http import Chat

pytestmark = pytest.mark.e2e
PHONE = "+33698765432"


def texts(reply: dict) -> list[str]:
    return [m["text"] for m in reply["messages"]]


def age(bot, sender: str, hours: float) -> None:
    """As if the person's messages were written `hours` earlier (a session is 12 hours)."""
    with sqlite3.connect(bot.var_dir / "tracker.db") as db:
        for row_id, data in db.execute("SELECT id, data FROM events WHERE sender_id = ?", (sender,)).fetchall():
            event = json.loads(data)
            event["timestamp"] -= hours * 3600
            db.execute("UPDATE events SET timestamp = ?, data = ? WHERE id = ?",
                       (event["timestamp"], json.dumps(event), row_id))


def app_db(bot) -> str:
    return f"sqlite:///{bot.var_dir / 'pass.db'}"


@pytest.fixture(scope="module")
def staff(bot):
    bot.create_user("nadia")
    return bot.console_login("nadia")


@pytest.fixture(scope="module")
def booked(bot, open_slots):
    """A web-chat person screened and booked, in French; their browser and reference. (The
    screening's twenty answers go through the REST channel into the same conversation, under
    the web chat's rate limit of a person typing.)"""
    chat = Chat(bot)
    # A time far enough ahead for both reminders (2 days and 1 day before): the sooner ones are
    # held back while this person is offered times.
    with session_scope(app_db(bot)) as session:
        soon = list(session.execute(select(Slot).where(
            Slot.start_at < utcnow() + timedelta(days=3), Slot.blocked.is_(False))).scalars())
        for slot in soon:
            slot.blocked = True
        held = [slot.id for slot in soon]
    try:
        for text in SCREENING["fr"]:
            replies = bot.say(chat.sender, text)
        while (fact := question_of(replies[-1]["text"], "fr")) is not None:
            replies = bot.say(chat.sender, ANSWERS[fact])
        replies = bot.say(chat.sender, "1")
    finally:
        with session_scope(app_db(bot)) as session:
            for slot_id in held:
                session.get(Slot, slot_id).blocked = False
    booked_text = next(r["text"] for r in replies if r["text"].startswith("Votre rendez-vous"))
    reference = re.search(r"Référence : (\w{6})", booked_text)[1]
    return chat, reference, {"messages": replies}


def test_a_web_chat_person_gets_the_sms_code_then_the_reminder(bot, booked):
    chat, reference, reply = booked
    offer = reply["messages"][-1]
    assert offer["text"].startswith("Aucun rappel ne viendra si vous ne donnez pas un numéro")
    assert [b["payload"] for b in offer["buttons"]] == [rn.YES, rn.NO]

    assert texts(chat.say(text="oui")) == [rn.text("ask_number", "fr")]
    before = len(bot.twilio.sent_to(PHONE))
    assert texts(chat.say(text="mon numéro c'est le 06 98 76 54 32")) == [rn.text("code_sent", "fr", last="32")]
    [code_sms] = bot.wait_for_sms(PHONE, before)
    assert "PASS" not in code_sms and "AME" not in code_sms
    code = re.search(r"\d{6}", code_sms)[0]
    assert texts(chat.say(text=code)) == [rn.text("confirmed", "fr", last="32")]
    shown = json.dumps(chat.history(), ensure_ascii=False)
    assert "98 76" not in shown and code not in shown  # digits masked in the conversation

    with session_scope(app_db(bot)) as session:  # the day before the appointment comes
        for row in session.execute(select(OutboundSms).where(OutboundSms.kind.like("reminder_%"),
                                                             OutboundSms.status == "pending")).scalars():
            row.due_at = utcnow()
    reminders = bot.wait_for_sms(PHONE, before + 1)
    assert reminders and all(r.startswith("Rappel : rendez-vous") and reference in r for r in reminders)


def test_a_late_console_answer_appears_in_the_web_chat_and_is_announced_by_sms(bot, booked, staff):
    chat, reference, _ = booked
    chat.say(text="HUMAIN")
    age(bot, chat.sender, 20)  # the social worker answers the next day
    inbox = staff.get(f"{bot.console_url}/", timeout=10).text
    newest = max(handoff_link(inbox), key=int)
    token = csrf(inbox)
    staff.post(f"{bot.console_url}/handoffs/{newest}/claim", data={"csrf": token}, timeout=10).raise_for_status()
    before = len(bot.twilio.sent_to(PHONE))
    staff.post(f"{bot.console_url}/handoffs/{newest}/reply", data={"csrf": token, "text": "Bonjour, ici Nadia."},
               timeout=10).raise_for_status()
    assert bot.wait_for_sms(PHONE, before) == [rn.text("sms_answer", "fr")]

    seen = chat.http.get(chat.base + "history", timeout=10).json()
    assert seen["paused"] is True  # the page goes on checking for news
    assert seen["messages"][-1] == {"from": "bot", "text": "Bonjour, ici Nadia.", "buttons": []}
    assert reference not in json.dumps(seen, ensure_ascii=False)  # nothing else of the case
    staff.post(f"{bot.console_url}/handoffs/{newest}/resolve", data={"csrf": token}, timeout=10).raise_for_status()


def test_the_next_person_on_the_browser_sees_nothing_of_the_case_and_not_me_leaves_it(bot, booked):
    chat, reference, _ = booked
    age(bot, chat.sender, 30)
    first = chat.sender
    seen = chat.history()
    assert seen[0]["text"] == gettext(webchat.GATE_TEXTS["locked"], "fr")  # they have a number: a code is offered
    for answer in (chat.say(start=True, lang="fr"), chat.say(text="bonjour"), chat.say(text="ANNULER")):
        shown = json.dumps(answer, ensure_ascii=False)
        assert reference not in shown and "rendez-vous du" not in shown and "Votre rendez-vous" not in shown
    wrong = chat.say(text="AAAAAA")
    assert wrong["messages"][0]["text"] == gettext(webchat.GATE_TEXTS["wrong"], "fr") and wrong["locked"] is True
    assert chat.history() == seen  # nothing of the locked exchange was kept
    safety = texts(chat.say(text="je veux me suicider"))  # answered at once, the case still hidden
    assert safety[0] == render("utter_suicidal_thoughts", "fr").text and reference not in json.dumps(safety)

    old_cookie = chat.cookie
    assert chat.say(payload=webchat.NOT_ME)["restart"] is True
    assert chat.sender != first  # a new conversation for this browser
    assert chat.history() == []
    greeted = texts(chat.say(start=True, lang="fr"))
    assert greeted[0] == render("utter_greet", "fr").text and reference not in json.dumps(greeted)
    with session_scope(app_db(bot)) as session:  # the other person's case is untouched
        assert session.execute(select(Appointment.status).where(Appointment.reference == reference)).scalar() == "booked"

    # The first person comes back to that browser and shows it is them: their case again.
    back = requests.Session()
    back.cookies.set(webchat.COOKIE, old_cookie, path="/webhooks/webchat")
    post = lambda body: back.post(chat.base + "message", json=body, headers={"Origin": bot.url}, timeout=30).json()
    assert post({"text": f"ma référence : {reference}"})["restart"] is True
    status = json.dumps(back.get(chat.base + "history", timeout=10).json()["messages"], ensure_ascii=False)
    assert gettext("You have an appointment: {when}, {site}.", "fr").split("{")[0] in status
