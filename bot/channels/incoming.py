"""What every text channel does to a message before Rasa sees it: a numbered reply ("2") becomes
the payload of that choice of the last menu, so it means exactly what the button means, and the
language of the message is detected (bot.language_detection)."""
from __future__ import annotations

from typing import Any

from rasa.core.agent import Agent
from rasa.core.tracker_store import FailSafeTrackerStore

from bot import choices, language_detection


async def last_menu(agent: Agent, sender: str) -> list[dict[str, str]]:
    """Buttons of the bot's latest menu in this conversation (empty if none is open)."""
    no_silent_fallback(agent)
    tracker = await agent.tracker_store.retrieve(sender)
    if tracker is None:
        return []
    return choices.last_menu(e.as_dict() for e in tracker.events)


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
    if choices.NUMBER.match(text):
        text = choices.resolve(text, await last_menu(agent, sender)) or text
    detection = language_detection.detect(text)
    if detection.unsupported and await _understood(agent, text):
        detection = language_detection.Detection()
    return language_detection.annotate(text, metadata, detection)


async def _understood(agent: Agent, text: str) -> bool:
    """Whether the model understands a message detected as a language we do not speak."""
    intent = (await agent.parse_message(text))["intent"]
    return language_detection.understood(intent["name"], intent["confidence"])
