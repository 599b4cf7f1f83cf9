"""What every text channel does to a message before Rasa sees it: a numbered reply ("2") becomes
the payload of that choice of the last menu, so it means exactly what the button means; words
naming one of the offered times ("mardi 14h30") pick it; and the language of the message is detected (bot.language_detection)."""
from __future__ import annotations

import asyncio
import logging
import re
import unicodedata
from functools import lru_cache
from typing import Any

from rasa.core.agent import Agent
from rasa.shared.core.events import SlotSet, UserUttered
from rasa.core.tracker_store import FailSafeTrackerStore

from bot import case, choices, confirm, handoff, language_detection, people, settings
from bot.conversation import asking, reading
from bot.database import session_scope
from bot.channels.tracker_store import ErasingTrackerStore
from bot.i18n import DEFAULT_LANGUAGE, supported
from bot.rendering import render
from bot.responses import payload

logger = logging.getLogger(__name__)

_SURROGATE = re.compile("[\ud800-\udfff]")


def clean(text: str) -> str:
    """Text as every channel takes it in, before anything stores it: a lone UTF-16 surrogate
    (valid JSON, not valid UTF-8: the conversation's history could never be sent again) becomes
    U+FFFD, the text is NFC (one spelling for "é"), control characters go (tab and newline stay;
    zero-width joiners, which Persian and Bengali need, are not control characters)."""
    text = _SURROGATE.sub("\ufffd", text).replace("\r\n", "\n").replace("\r", "\n")
    text = unicodedata.normalize("NFC", text)
    return "".join(c for c in text if c in "\n\t" or unicodedata.category(c) != "Cc")


def clean_value(value: Any) -> Any:
    """clean() through JSON metadata (strings, lists and objects)."""
    if isinstance(value, str):
        return clean(value)
    if isinstance(value, list):
        return [clean_value(item) for item in value]
    if isinstance(value, dict):
        return {clean(str(name)): clean_value(item) for name, item in value.items()}
    return value


def cap_request_bodies(blueprint) -> None:
    """Every server that takes one of our channels refuses bodies over settings.MAX_BODY_BYTES;
    Sanic reads the setting for each new connection."""

    @blueprint.listener("before_server_start")
    async def cap(app, _loop) -> None:
        app.config.REQUEST_MAX_SIZE = min(app.config.REQUEST_MAX_SIZE, settings.MAX_BODY_BYTES)


async def last_menu(agent: Agent, sender: str) -> list[dict[str, str]]:
    """Buttons of the bot's latest menu in this conversation (empty if none is open)."""
    no_silent_fallback(agent)
    store = getattr(agent.tracker_store, "_tracker_store", agent.tracker_store)  # inside Rasa's fail-safe wrapper
    if isinstance(store, ErasingTrackerStore):
        return choices.last_menu(store.events_since_last_user_message(sender))
    tracker = await agent.tracker_store.retrieve(sender)
    if tracker is None:
        return []
    return choices.last_menu(e.as_dict() for e in tracker.events)


# Rasa 3.6's pipeline fails (HTTP 500) on a message with nothing to read: it gets "not understood".
NOTHING_TO_READ = "/nlu_fallback"


def nothing_to_read(text: str) -> bool:
    return not text.strip()


def _reraise(error: Exception) -> None:
    raise error


def no_silent_fallback(agent: Agent) -> None:
    """Rasa wraps the tracker store in a FailSafeTrackerStore which, when the database is away,
    starts an empty conversation in memory: the person would be greeted again, their answers
    lost, and the new events appended to the old conversation once the database is back. Its
    error hook raising instead lets the channel answer "try again later" (bot.outage)."""
    store = agent.tracker_store
    if isinstance(store, FailSafeTrackerStore) and store._on_tracker_store_error is None:
        store._on_tracker_store_error = _reraise


async def prepare(agent: Agent, sender: str, text: str, metadata: dict[str, Any] | None,
                  allow_payloads: bool = False) -> tuple[str, dict]:
    """The text and metadata to hand to Rasa for what the person wrote. A payload typed
    (`/affirm`, `/choose_slot{...}`) is "not understood", except on a channel whose client sends
    the buttons' payloads as text (`allow_payloads`: REST) and only if the latest menu of this
    conversation offered it (bot.choices.typed_payload). SMS choose by number, the web chat by
    its own payload field (checked against the latest menu too)."""
    no_silent_fallback(agent)
    text = clean(text)
    if nothing_to_read(text):
        return NOTHING_TO_READ, dict(metadata or {})
    menu = await last_menu(agent, sender)
    confirmation = choices.confirmation(menu)
    if choices.looks_like_payload(text):
        text = choices.typed_payload(text, menu, system=True) if allow_payloads else choices.typed_payload(text, [])
    elif case.REFERENCE_MESSAGE.fullmatch(text) and (reference := await asyncio.to_thread(_known_reference, text)):
        text = payload("give_reference", reference=reference)  # coming back with a booking reference
    elif confirmation and not choices.NUMBER.match(text):
        text = await _confirmation_reply(agent, sender, text, confirmation)
    elif choices.NUMBER.match(text):
        text = choices.resolve(text, menu) or text
    elif choices.TIME.search(text) or len(text) <= 40:  # maybe a time named in words
        text = choices.resolve_slot_words(text, menu) or text
    detection = language_detection.detect(text)
    if detection.unsupported and await _understood(agent, text):
        detection = language_detection.Detection()
    return language_detection.annotate(text, metadata, detection)


def _known_reference(text: str) -> str | None:
    with session_scope(_settings().database_url) as session:
        return case.known_reference(session, text)


async def _confirmation_reply(agent: Agent, sender: str, text: str, confirmation: str) -> str:
    """A reply in words to "Reply 1 to cancel…": a clear yes of the person's language is the
    confirmation; a weak or unclear yes (an emoji, "asdf" read as affirm) or an unreadable
    reply is a no (nothing is done, and the person is told); anything else (a safety message,
    another request) goes on as written."""
    tracker = await agent.tracker_store.retrieve(sender)
    language = supported(tracker.get_slot("language") if tracker else None) or DEFAULT_LANGUAGE
    intent = (await agent.parse_message(text))["intent"]
    if intent.get("name") in handoff.SAFETY_INTENTS:
        return text  # "je ne veux plus vivre" holds a negation: it is not a "no", it is answered
    if confirm.clear_yes(text, language, intent.get("name"), intent.get("confidence") or 0.0):
        return confirmation
    if intent.get("name") in ("affirm", "deny", "nlu_fallback") or confirm.negated(text, language):
        return choices.DENY
    return text


async def _understood(agent: Agent, text: str) -> bool:
    """Whether the model understands a message detected as a language we do not speak."""
    intent = (await agent.parse_message(text))["intent"]
    return language_detection.understood(intent["name"], intent["confidence"])


# A safety intent below this confidence is not acted on by the channel (the rules still answer
# whatever Rasa predicted); above it, the safety answer is given whatever the state.
SAFETY_CONFIDENCE = 0.5


def safety_intent(parse_data: dict | None) -> str | None:
    """emergency, suicidal_thoughts or violence when the message was read as one, else None."""
    intent = (parse_data or {}).get("intent") or {}
    if intent.get("name") in handoff.SAFETY_INTENTS and (intent.get("confidence") or 0) >= SAFETY_CONFIDENCE:
        return intent["name"]
    return None


async def latest_user_parse(agent: Agent, sender: str) -> dict | None:
    """How the person's latest message was read (its parse data), from the tracker store."""
    store = getattr(agent.tracker_store, "_tracker_store", agent.tracker_store)
    if isinstance(store, ErasingTrackerStore):
        user = store.latest_user_event(sender)
        return (user or {}).get("parse_data")
    tracker = await agent.tracker_store.retrieve(sender)
    return tracker.latest_message.parse_data if tracker and tracker.latest_message else None


@lru_cache(maxsize=1)
def _settings():
    return settings.load()


def raise_urgent(sender: str, reason: str, language: str | None) -> None:
    """The conversation goes to the top of the console inbox, marked urgent (bot.handoff)."""
    cfg = _settings()
    key = people.person_key(sender, cfg.hash_key)
    with session_scope(cfg.database_url) as session:
        handoff.raise_urgent(session, key, sender, reason, language)
    logger.info("a safety message raised a conversation to urgent (%s)", reason)  # no text, no id


def note_message(sender: str) -> None:
    """The console counts the person's new messages and keeps their latest conversation (bot.handoff)."""
    cfg = _settings()
    key = people.person_key(sender, cfg.hash_key)
    with session_scope(cfg.database_url) as session:
        handoff.note_message(session, key, sender)


def _language(tracker) -> str:
    return supported(tracker.get_slot("language") if tracker else None) or DEFAULT_LANGUAGE


def _first_message_since_pause(tracker) -> bool:
    """While paused: whether this is the person's first message since a social worker claimed
    the conversation (it gets one acknowledgement; the next ones wait for the social worker)."""
    users = 0
    for event in reversed(tracker.events):
        if event.type_name == "user":
            users += 1
        elif event.type_name == "pause":
            break
    return users <= 1


def _answered_fact(tracker) -> str | None:
    """The fact the latest message answered, if its turn recorded it as an answer."""
    for event in reversed(tracker.events):
        if isinstance(event, UserUttered):
            return None
        if isinstance(event, SlotSet) and event.key == asking.ANSWERED_SLOT:
            return (event.value or [None])[-1]
    return None


def _question_asked_again(tracker) -> bool:
    """Whether the turn ended with a form's question still pending (the reply did not answer)."""
    return tracker is not None and not tracker.is_paused() and bool(tracker.active_loop_name) \
        and bool(tracker.get_slot("requested_slot"))


async def never_silent(agent: Agent, sender: str, messages: list[dict], kind: str) -> list[dict]:
    """The bot's messages of a turn, never silence:
    - a safety message (emergency, suicidal thoughts, violence) gets its safety answer in every
      state, a social worker's conversation included, and raises the conversation to the top of
      the console inbox, marked urgent;
    - while a social worker has the conversation (paused, bot.handoff), the person's first
      message since the claim gets one acknowledgement (after the safety answer, if it is a
      safety message); the next ones wait for the social worker;
    - "not understood" in the person's language when Rasa ended the turn without a word."""
    parse = await latest_user_parse(agent, sender)
    intent, kinds = safety_intent(parse), reading.safety_kinds((parse or {}).get("text") or "")
    try:
        await asyncio.to_thread(note_message, sender)
    except Exception as error:  # the app database is away: the answer still goes
        logger.error("a message could not be counted for the console: %s", type(error).__name__)
    said = any(m.get("text") or m.get("buttons") for m in messages)
    tracker = await agent.tracker_store.retrieve(sender) if intent or kinds or not said else None
    language = _language(tracker)
    answered = _answered_fact(tracker) if said and tracker is not None and not tracker.is_paused() else None
    if answered:
        # Read as the answer to a question (bot.conversation.asking): its safety words decide, not
        # the model: "da la fratele meu" is a yes, not violence; "bale sineam dard mikone" (my
        # chest hurts) read as a yes is an emergency, answered there and raised here.
        if answered in asking.NOT_BY_SAFETY_WORDS:  # the model and a safety word together, as there
            intent = intent if reading.safety_kinds((parse or {}).get("text") or "", urgency_question=True) else None
        else:
            intent = (intent or kinds[0]) if kinds else None
    elif intent and not kinds and _question_asked_again(tracker) and \
            ((parse or {}).get("intent") or {}).get("confidence", 0) < asking.MODEL_ALONE_SAFETY:
        # Not an answer, read as a safety message by the model alone, unsure, no safety word:
        # the question frame asked again (bot.conversation.asking.decide), so no alarm either.
        intent = None
    if intent:
        try:
            await asyncio.to_thread(raise_urgent, sender, intent, language)
        except Exception as error:  # the app database is away: the safety answer still goes
            logger.error("a safety message could not be raised to urgent: %s", type(error).__name__)
        answer = render(f"utter_{intent}", language, kind).as_rasa()
        if not any(m.get("text") == answer["text"] for m in messages):
            messages = [{"recipient_id": sender, **answer}, *messages]
        if not said and tracker is not None and tracker.is_paused() and _first_message_since_pause(tracker):
            # The one acknowledgement is due now: the next messages wait for the social worker.
            messages.append({"recipient_id": sender, **render("utter_handoff_waiting", language, kind).as_rasa()})
        return messages
    if said:
        return messages
    if tracker is not None and tracker.is_paused():
        if _first_message_since_pause(tracker):
            return [{"recipient_id": sender, **render("utter_handoff_waiting", language, kind).as_rasa()}]
        return []
    return [{"recipient_id": sender, **render("utter_not_understood", language, kind).as_rasa()}]
