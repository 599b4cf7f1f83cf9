"""Requests staff must act on: talk to a human, erase my data, stop SMS.

Recorded in the app database; the handoff console comes later. Stopping SMS takes effect at once
(bot.people.stop_sms): the SMS worker sends nothing more. Erasure is done at once, once confirmed
(bot.privacy).
"""
from __future__ import annotations

from abc import ABC, abstractmethod
from typing import Any

from rasa_sdk import Action, Tracker
from rasa_sdk.events import EventType
from rasa_sdk.executor import CollectingDispatcher

from bot import people, privacy
from bot.actions import store


class _RecordRequest(Action, ABC):
    """Abstract, so the action server does not register it (it skips abstract classes)."""

    kind: str
    response: str

    @abstractmethod
    def name(self) -> str: ...

    async def run(self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: dict[str, Any]) -> list[EventType]:
        key = store.key_for(tracker.sender_id)
        await store.run(lambda session: people.record_request(session, key, self.kind))
        dispatcher.utter_message(response=self.response)
        return []


class ActionRequestHuman(_RecordRequest):
    kind, response = "human", "utter_human_requested"

    def name(self) -> str:
        return "action_request_human"


class ActionUnsupportedLanguage(_RecordRequest):
    """A language we do not speak: a social worker calls back with an interpreter."""

    kind, response = "interpreter", "utter_unsupported_language"

    def name(self) -> str:
        return "action_unsupported_language"


class ActionAskErasure(Action):
    """DELETE / SUPPRIMER: asked once (yes / no); the rules run action_erase_my_data on yes."""

    def name(self) -> str:
        return "action_ask_erasure"

    async def run(self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: dict[str, Any]) -> list[EventType]:
        dispatcher.utter_message(response="utter_erasure_confirm")
        return []


class ActionEraseMyData(Action):
    """Erases the person from the app database (bot.privacy); the conversation itself is deleted
    by the tracker store when it sees this action (bot/channels/tracker_store.py)."""

    def name(self) -> str:
        return "action_erase_my_data"

    async def run(self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: dict[str, Any]) -> list[EventType]:
        key = store.key_for(tracker.sender_id)
        await store.run(lambda session: privacy.erase_people(
            session, [p.id for p in privacy.people_with_keys(session, [key])]))
        dispatcher.utter_message(response="utter_erasure_done")
        return []


class ActionOptOut(Action):
    """"No more SMS" said in words (STOP by SMS is handled by the gateway itself)."""

    def name(self) -> str:
        return "action_opt_out"

    async def run(self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: dict[str, Any]) -> list[EventType]:
        key = store.key_for(tracker.sender_id)
        await store.run(lambda session: people.stop_sms(session, key))
        dispatcher.utter_message(response="utter_opt_out")
        return []
