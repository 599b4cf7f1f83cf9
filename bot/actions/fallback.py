"""Not understood (or out of scope), outside a question: said differently each time, never in a loop.

The first time, "not understood" with the menu shown again (or, where no menu was shown, an
example of what to write); the second time the way to a human too; the third time a social
worker takes over (bot.conversation.asking)."""
from __future__ import annotations

from typing import Any

from rasa_sdk import Action, Tracker
from rasa_sdk.events import EventType, FollowupAction
from rasa_sdk.executor import CollectingDispatcher

from bot.actions.handoff import hand_over
from bot.conversation import asking

NAME = "action_not_understood"


class ActionNotUnderstood(Action):
    def name(self) -> str:
        return NAME

    async def run(self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: dict[str, Any]) -> list[EventType]:
        events = list(tracker.events)
        streak = asking.not_understood_streak(events, NAME)
        if streak >= asking.MAX_ASKS:
            # Already handed over in this streak: the person is told it is in hand, or how to
            # say what they need, in turn (never the same twice, never silence).
            if streak % 2:
                dispatcher.utter_message(response="utter_handoff_waiting")
            else:
                dispatcher.utter_message(response="utter_not_understood_free")
            return []
        if streak == asking.MAX_ASKS - 1:
            dispatcher.utter_message(response="utter_unclear_handoff")
            # Said once, by the hours: "a social worker will answer here soon" or "they are
            # not here now" (never both).
            return await hand_over(dispatcher, tracker, "unclear_answers", tell=True)
        menu = asking.last_menu_response(events)
        followup: list[EventType] = []
        if (tracker.latest_message.get("intent") or {}).get("name") == "out_of_scope":
            dispatcher.utter_message(response="utter_out_of_scope")  # what the assistant does
        elif menu:
            dispatcher.utter_message(response="utter_not_understood")
        else:
            dispatcher.utter_message(response="utter_not_understood_free")
        if streak:
            dispatcher.utter_message(response=asking.HINT_HUMAN)
        if menu == "utter_offer_slots":
            followup = [FollowupAction("action_offer_slots")]  # the free times, looked up again
        elif menu:
            dispatcher.utter_message(response=menu)
        return followup
