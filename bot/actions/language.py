"""Language choice: remembered for the person (the only thing kept before consent)."""
from __future__ import annotations

from typing import Any

from rasa_sdk import Action, Tracker
from rasa_sdk.events import EventType, SlotSet
from rasa_sdk.executor import CollectingDispatcher

from bot import people
from bot.actions import store
from bot.i18n import supported


class ActionSetLanguage(Action):
    def name(self) -> str:
        return "action_set_language"

    async def run(self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: dict[str, Any]) -> list[EventType]:
        language = supported(next(tracker.get_latest_entity_values("language"), None))
        if language is None:
            dispatcher.utter_message(response="utter_ask_language")
            return []
        key = store.key_for(tracker.sender_id)
        await store.run(lambda session: people.set_language(session, key, language))
        return [SlotSet("language", language)]
