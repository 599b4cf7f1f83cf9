"""Session start: a person who comes back keeps the language they chose (and is reminded of
their appointment); a new person is answered in the language their link presets (web chat
`?lang=`), else in the one their first message is clearly written in (bot.language_detection).
The association tag of the link (web chat `?src=`) is kept with the person, the first time."""
from __future__ import annotations

from typing import Any

from rasa_sdk import Action, Tracker
from rasa_sdk.events import ActionExecuted, EventType, SessionStarted, SlotSet
from rasa_sdk.executor import CollectingDispatcher

from bot import case, people
from bot.actions import store
from bot.i18n import supported


class ActionSessionStart(Action):
    def name(self) -> str:
        return "action_session_start"

    async def run(self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: dict[str, Any]) -> list[EventType]:
        key = store.key_for(tracker.sender_id)
        metadata = tracker.get_slot("session_started_metadata") or {}
        source = people.source_tag(metadata.get("source"))

        def known(session):
            if source:
                people.set_source(session, key, source)
            person = case.person_for(session, key)  # or the person their reference proved
            if person is None:
                return None, False
            return person.language, case.upcoming_appointment(session, key) is not None

        events: list[EventType] = [SessionStarted()]
        stored_language, has_appointment = await store.run(known)
        language = (stored_language or supported(metadata.get("preset_language"))
                    or supported(metadata.get("detected_language")))
        if language:
            events.append(SlotSet("language", language))
        if has_appointment:
            events.append(SlotSet("has_appointment", True))
        events.append(ActionExecuted("action_listen"))
        return events
