"""Handing the conversation to a social worker, from the actions (bot.handoff does the work).

Within opening hours the bot tells the person once that a social worker will answer here, and
pauses (Rasa's `pause` event: what the person writes is still stored in the tracker, where the
console reads it, but the bot no longer answers until the console resumes it). Outside them the
handoff waits in the console's inbox and the bot keeps helping (an appointment); the bot goes
silent when a social worker claims it.
"""
from __future__ import annotations

from rasa_sdk import Tracker
from rasa_sdk.events import ConversationPaused, EventType
from rasa_sdk.executor import CollectingDispatcher

from bot import handoff
from bot.actions import store


async def hand_over(dispatcher: CollectingDispatcher, tracker: Tracker, reason: str,
                    pause_when_open: bool = True) -> list[EventType]:
    """Record the handoff; in opening hours (and if `pause_when_open`) say so and pause the bot.
    Returns the events to add ([] when the bot goes on)."""
    key = store.key_for(tracker.sender_id)
    pause = pause_when_open and handoff.is_open()
    language = tracker.get_slot("language")
    await store.run(lambda session: handoff.open_handoff(session, key, tracker.sender_id, reason, language, pause))
    if not pause:
        return []
    dispatcher.utter_message(response="utter_handoff_open")
    return [ConversationPaused()]
