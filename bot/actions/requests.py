"""Requests staff must act on: talk to a human, erase my data, stop SMS.

Recorded in the app database; talking to a human opens a handoff in the console
(bot/actions/handoff.py). SMS stop only by the STOP keyword (bot/opt_out.py, in the SMS gateway):
a request in words gets the way to do it. Erasure is done at once, once confirmed (bot.privacy).
"""
from __future__ import annotations

from typing import Any

from rasa_sdk import Action, Tracker
from rasa_sdk.events import EventType, FollowupAction
from rasa_sdk.executor import CollectingDispatcher

from bot import confirm, people, privacy
from bot.actions import store
from bot.actions.handoff import hand_over
from bot.models import utcnow

ERASED_BY = "l'assistant, à la demande de la personne"


class ActionRequestHuman(Action):
    """HUMAN: the person is told when a social worker will answer here; the bot goes on helping
    meanwhile and goes silent only when a social worker claims the conversation (the console)."""

    def name(self) -> str:
        return "action_request_human"

    async def run(self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: dict[str, Any]) -> list[EventType]:
        return await hand_over(dispatcher, tracker, "request_human", tell=True)


class ActionSafetyHandoff(Action):
    """After the safety message for violence or suicidal thoughts: the conversation waits in
    the console for a social worker (who pauses the bot by claiming it); the bot goes on with
    its question meanwhile, so the person is never left without an answer."""

    def name(self) -> str:
        return "action_safety_handoff"

    async def run(self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: dict[str, Any]) -> list[EventType]:
        said = (tracker.latest_message.get("intent") or {}).get("name")
        return await safety_handoff(dispatcher, tracker, said if said == "suicidal_thoughts" else "violence")


async def safety_handoff(dispatcher: CollectingDispatcher, tracker: Tracker, reason: str) -> list[EventType]:
    """The conversation waits in the console, with its reason (suicidal_thoughts or violence)."""
    return await hand_over(dispatcher, tracker, reason, pause_when_open=False)


class ActionUnsupportedLanguage(Action):
    """A language we do not speak: the person may still pick one of ours, so the bot goes on;
    the handoff waits in the console for a social worker with an interpreter."""

    def name(self) -> str:
        return "action_unsupported_language"

    async def run(self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: dict[str, Any]) -> list[EventType]:
        await hand_over(dispatcher, tracker, "unsupported_language", pause_when_open=False)
        dispatcher.utter_message(response="utter_unsupported_language")
        return []


class ActionAskErasure(Action):
    """DELETE / SUPPRIMER: asked once (yes / no); only its confirmation erases
    (action_confirm_erasure). A negated request ("je ne veux pas supprimer") is not asked."""

    def name(self) -> str:
        return "action_ask_erasure"

    async def run(self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: dict[str, Any]) -> list[EventType]:
        if confirm.negated((tracker.latest_message or {}).get("text"), tracker.get_slot("language") or "fr"):
            return keep_data(dispatcher, tracker)
        dispatcher.utter_message(response="utter_erasure_confirm")
        return []


def keep_data(dispatcher: CollectingDispatcher, tracker: Tracker) -> list[EventType]:
    """Nothing erased: the person is told, and the questions this request left go on (the rules
    leave a form for the erasure question, so that its yes or no is not taken as an answer)."""
    dispatcher.utter_message(response="utter_erasure_kept")
    form = form_left_for_erasure(tracker.events)
    return [FollowupAction(form)] if form and not tracker.active_loop_name else []


def form_left_for_erasure(events: list[dict[str, Any]]) -> str | None:
    """The form that was active when the person asked for the latest erasure question, if any
    (the last active_loop event before that message names it)."""
    asked = request = None
    for index in range(len(events) - 1, -1, -1):
        event = events[index]
        if event.get("event") == "session_started":
            return None
        if asked is None:
            if event.get("event") == "action" and event.get("name") == "action_ask_erasure":
                asked = index
        elif request is None:
            if event.get("event") == "user":
                request = index
        elif event.get("event") == "active_loop":
            return event.get("name")
    return None


class ActionKeepData(Action):
    """A no (or anything unclear) to the erasure question."""

    def name(self) -> str:
        return "action_keep_data"

    async def run(self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: dict[str, Any]) -> list[EventType]:
        return keep_data(dispatcher, tracker)


class ActionConfirmErasure(Action):
    """The reply to the erasure question: only its confirmation (the first choice, its number
    or a clear yes, bot.confirm) erases; anything read as yes otherwise keeps everything."""

    def name(self) -> str:
        return "action_confirm_erasure"

    async def run(self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: dict[str, Any]) -> list[EventType]:
        if next(tracker.get_latest_entity_values("confirm"), None) == "erase":
            return [FollowupAction("action_erase_my_data")]
        return keep_data(dispatcher, tracker)


class ActionEraseMyData(Action):
    """Erases the person from the app database (bot.privacy); the conversation itself is deleted
    by the tracker store when it sees this action (bot/channels/tracker_store.py)."""

    def name(self) -> str:
        return "action_erase_my_data"

    async def run(self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: dict[str, Any]) -> list[EventType]:
        key = store.key_for(tracker.sender_id)

        def erase(session) -> None:
            found = privacy.people_with_keys(session, [key])
            if found:  # a task the console shows, done at once by the assistant (anonymous after)
                request = people.record_request(session, key, "erasure")
                request.status, request.done_at, request.done_by = "done", utcnow(), ERASED_BY
                session.flush()
            privacy.erase_people(session, [p.id for p in found])

        await store.run(erase)
        dispatcher.utter_message(response="utter_erasure_done")
        return [FollowupAction("action_listen")]  # nothing more: it may follow the confirmation


class ActionOptOut(Action):
    """"No more SMS" said in words, in any state: never acted on (the intent model can misread
    "inscription" or "arrête" in a sentence); the person is told how: STOP alone, which the SMS
    gateway reads as a keyword (bot/opt_out.py)."""

    def name(self) -> str:
        return "action_opt_out"

    async def run(self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: dict[str, Any]) -> list[EventType]:
        dispatcher.utter_message(response="utter_opt_out_how")
        return []
