"""Language choice: remembered for the person (the only thing kept before consent)."""
from __future__ import annotations

from typing import Any

from rasa_sdk import Action, Tracker
from rasa_sdk.events import EventType, FollowupAction, SlotSet
from rasa_sdk.executor import CollectingDispatcher

from bot import people
from bot.actions import store
from bot.i18n import DEFAULT_LANGUAGE, supported


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


class ActionGreetAtLanguageMenu(Action):
    """A greeting in reply to the language menu ("bună ziua" again): when the greeting says the
    language (bot.language_detection), that is the choice and the questions start in it;
    otherwise the menu comes again with "answer with a number", never the whole welcome twice."""

    def name(self) -> str:
        return "action_greet_at_language_menu"

    async def run(self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: dict[str, Any]) -> list[EventType]:
        written = supported(((tracker.latest_message or {}).get("metadata") or {}).get("detected_language"))
        if written is None:
            dispatcher.utter_message(response="utter_not_understood")
            dispatcher.utter_message(response="utter_ask_language")
            return []
        key = store.key_for(tracker.sender_id)
        await store.run(lambda session: people.set_language(session, key, written))
        return [SlotSet("language", written), FollowupAction("screening_form")]


def notice_languages(events: list[dict]) -> set[str]:
    """The languages the notice of what is kept was shown in: the `language` slot at each time
    it was said (the catalogs render in it; French before any language is known)."""
    shown, language = set(), None
    for event in events:
        if event.get("event") == "slot" and event.get("name") == "language":
            language = event.get("value")
        elif event.get("event") == "bot" and (event.get("metadata") or {}).get("utter_action") == "utter_consent_notice":
            shown.add(supported(language) or DEFAULT_LANGUAGE)
    return shown


class ActionAskConsentGiven(Action):
    """The consent question asks "for this": the notice it refers to comes first again when the
    person chose a language other than the one it was shown in (the welcome of a first SMS is
    in French until the language is known)."""

    def name(self) -> str:
        return "action_ask_consent_given"

    async def run(self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: dict[str, Any]) -> list[EventType]:
        language = supported(tracker.get_slot("language")) or DEFAULT_LANGUAGE
        if language not in notice_languages(tracker.events):
            dispatcher.utter_message(response="utter_consent_notice")
        dispatcher.utter_message(response="utter_ask_consent_given")
        return []
