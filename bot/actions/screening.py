"""The PASS inclusion screening form and its outcome (bot.screening does the deciding)."""
from __future__ import annotations

from typing import Any

from rasa_sdk import Action, FormValidationAction, Tracker
from rasa_sdk.events import EventType, FollowupAction, SlotSet
from rasa_sdk.executor import CollectingDispatcher
from rasa_sdk.types import DomainDict

from bot import interview, people, screening
from bot.actions import store
from bot.responses import NOT_ELIGIBLE_RESPONSES

ANSWER_SLOTS = ("health_problem", "current_cover", "can_advance_fees", "saint_denis_link")


# Consent must be a clear yes: a button, a number, or words the model reads as "yes" with at
# least this confidence ("oui", "نعم", "da": 0.74 and more; strings it cannot read: about 0.43).
CONSENT_MIN_CONFIDENCE = 0.6


class ValidateScreeningForm(FormValidationAction):
    def name(self) -> str:
        return "validate_screening_form"

    async def required_slots(
        self, domain_slots: list[str], dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict
    ) -> list[str]:
        # Without consent we ask nothing more and keep nothing.
        if tracker.get_slot("consent_given") is False:
            return ["consent_given"]
        return domain_slots

    async def extract_current_cover(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict
    ) -> dict[str, Any]:
        if tracker.get_slot("requested_slot") != "current_cover":
            return {}
        # "j'ai pas la mutuelle" holds "la mutuelle" and "pas la mutuelle": the longest says it.
        value = interview.entity_values(tracker.latest_message.get("entities") or []).get("current_cover")
        return {"current_cover": value} if value in screening.COVER_VALUES else {}

    async def validate_consent_given(
        self, value: Any, dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict
    ) -> dict[str, Any]:
        if value is True and (tracker.latest_message.get("intent") or {}).get("confidence", 0) < CONSENT_MIN_CONFIDENCE:
            return {"consent_given": None}  # not a clear yes (gibberish reads as a weak "affirm"): ask again
        if value is True:
            key = store.key_for(tracker.sender_id)
            language = tracker.get_slot("language")

            def consent(session):
                person = people.record_consent(session, key)
                person.language = person.language or language

            await store.run(consent)
        return {"consent_given": value}


class ActionEvaluateScreening(Action):
    def name(self) -> str:
        return "action_evaluate_screening"

    async def run(self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: dict[str, Any]) -> list[EventType]:
        if tracker.get_slot("consent_given") is not True:
            dispatcher.utter_message(response="utter_no_consent")
            return []
        answers = {slot: tracker.get_slot(slot) for slot in ANSWER_SLOTS}
        result = screening.evaluate(**answers)
        key = store.key_for(tracker.sender_id)
        await store.run(lambda session: people.save_screening(session, key, answers, result))

        events: list[EventType] = [SlotSet("pass_eligible", result.eligible), SlotSet("pass_reasons", list(result.reasons))]
        if result.eligible:
            dispatcher.utter_message(response="utter_pass_eligible")
            dispatcher.utter_message(response="utter_pass_next_steps")
            return events + [FollowupAction("rights_form")]  # only the questions the rules need
        dispatcher.utter_message(response="utter_pass_not_eligible")
        for reason in result.reasons:
            dispatcher.utter_message(response=NOT_ELIGIBLE_RESPONSES[reason])
        return events
