"""What every text channel does to a message before Rasa sees it: a numbered reply ("2") becomes
the payload of that choice of the last menu, so it means exactly what the button means; words
naming one of the offered times ("mardi 14h30") pick it; and the language of the message is detected (bot.language_detection)."""
from __future__ import annotations

from typing import Any

from rasa.core.agent import Agent
from rasa.core.tracker_store import FailSafeTrackerStore

from bot import choices, language_detection
from bot.channels.tracker_store import ErasingTrackerStore
from bot.i18n import DEFAULT_LANGUAGE, supported
from bot.rendering import render


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


async def prepare(agent: Agent, sender: str, text: str, metadata: dict[str, Any] | None) -> tuple[str, dict]:
    """The text and metadata to hand to Rasa for what the person wrote."""
    no_silent_fallback(agent)
    if nothing_to_read(text):
        return NOTHING_TO_READ, dict(metadata or {})
    if choices.NUMBER.match(text):
        text = choices.resolve(text, await last_menu(agent, sender)) or text
    elif choices.TIME.search(text) or len(text) <= 40:  # maybe a time named in words
        text = choices.resolve_slot_words(text, await last_menu(agent, sender)) or text
    detection = language_detection.detect(text)
    if detection.unsupported and await _understood(agent, text):
        detection = language_detection.Detection()
    return language_detection.annotate(text, metadata, detection)


async def _understood(agent: Agent, text: str) -> bool:
    """Whether the model understands a message detected as a language we do not speak."""
    intent = (await agent.parse_message(text))["intent"]
    return language_detection.understood(intent["name"], intent["confidence"])


async def never_silent(agent: Agent, sender: str, messages: list[dict], kind: str) -> list[dict]:
    """The bot's messages of a turn, or "not understood" in the person's language when Rasa ended
    the turn without a word (an intent that no rule expects at that point): never silence, except
    while a social worker has the conversation (paused: they answer, bot.handoff)."""
    if any(m.get("text") or m.get("buttons") for m in messages):
        return messages
    tracker = await agent.tracker_store.retrieve(sender)
    if tracker is not None and tracker.is_paused():
        return []
    language = supported(tracker.get_slot("language") if tracker else None) or DEFAULT_LANGUAGE
    return [{"recipient_id": sender, **render("utter_not_understood", language, kind).as_rasa()}]
