"""Handing the conversation to a social worker, from the actions (bot.handoff does the work).

The handoff waits in the console's inbox; the person is told once when a social worker will
answer (in opening hours: soon, here; outside them: when, and they may book an appointment).
The bot goes on meanwhile and pauses only when a social worker claims the conversation (the
console sends Rasa's `pause` event then): never before, so nobody is left without an answer.
While paused, safety messages are still answered and each new message gets one
acknowledgement (bot/channels/incoming.py::never_silent).
"""
from __future__ import annotations

from rasa_sdk import Tracker
from rasa_sdk.events import EventType
from rasa_sdk.executor import CollectingDispatcher

from bot import handoff
from bot.actions import store


async def hand_over(dispatcher: CollectingDispatcher, tracker: Tracker, reason: str,
                    pause_when_open: bool = True, tell: bool | None = None) -> list[EventType]:
    """Record the handoff (one open per person) and never pause the bot: claiming does. What is
    said: with `tell`, when a social worker will answer (open or closed hours); by default, in
    opening hours only, that one will answer here soon; nothing with `pause_when_open=False`
    (the safety handoffs: the safety text has been said). Returns no event (kept for callers)."""
    key = store.key_for(tracker.sender_id)
    language = tracker.get_slot("language")
    await store.run(lambda session: handoff.open_handoff(session, key, tracker.sender_id, reason, language, False))
    hours_open = handoff.is_open()
    if tell:
        dispatcher.utter_message(response="utter_handoff_open" if hours_open else "utter_handoff_closed")
    elif tell is None and pause_when_open and hours_open:
        dispatcher.utter_message(response="utter_handoff_open")
    return []
