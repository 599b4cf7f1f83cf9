"""The PASS inclusion screening form and its outcome (bot.screening does the deciding)."""
from __future__ import annotations

from typing import Any

from rasa_sdk import Action, Tracker
from rasa_sdk.events import EventType, FollowupAction, SlotSet
from rasa_sdk.executor import CollectingDispatcher
from rasa_sdk.types import DomainDict

from bot import case, people, screening
from bot.actions import store
from bot.actions.asking import AskingFormValidation
from bot.actions.handoff import hand_over
from bot.responses import NOT_ELIGIBLE_RESPONSES

ANSWER_SLOTS = ("health_problem", "current_cover", "can_advance_fees", "saint_denis_link")


class ValidateScreeningForm(AskingFormValidation):
    form = "screening_form"

    def name(self) -> str:
        return "validate_screening_form"

    async def required_slots(
        self, domain_slots: list[str], dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict
    ) -> list[str]:
        # Without consent we ask nothing more and keep nothing.
        if tracker.get_slot("consent_given") is False:
            return ["consent_given"]
        if self.gave_up(tracker):
            return []  # asked three times: a social worker takes over (action_evaluate_screening)
        return domain_slots

    async def validate_consent_given(
        self, value: Any, dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict
    ) -> dict[str, Any]:
        if value is True:
            key = store.key_for(tracker.sender_id)
            language = tracker.get_slot("language")

            def consent(session):
                person = people.record_consent(session, key)
                person.language = person.language or language

            await store.run(consent)
        return {"consent_given": value}


def outcome_given(events: list[dict]) -> bool:
    """Whether this session's rights outcome (or its handoff, answers unclear) was given and
    not taken back since (RETOUR)."""
    for event in reversed(list(events)):
        if event.get("event") == "session_started":
            return False
        if event.get("event") == "action" and event.get("name") in ("action_go_back", "action_rights_outcome"):
            return event["name"] == "action_rights_outcome"
    return False


class ActionEvaluateScreening(Action):
    def name(self) -> str:
        return "action_evaluate_screening"

    async def run(self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: dict[str, Any]) -> list[EventType]:
        if tracker.get_slot("consent_given") is False:
            dispatcher.utter_message(response="utter_no_consent")
            return []  # the tracker store then keeps a new session with the language only
        answers = {slot: tracker.get_slot(slot) for slot in ANSWER_SLOTS}
        if tracker.get_slot("consent_given") is None or None in answers.values():
            # A question asked three times without an answer we could read: a person takes over
            # (no appointment offer here: booking needs the screening done).
            dispatcher.utter_message(response="utter_unclear_handoff")
            await hand_over(dispatcher, tracker, "unclear_answers", tell=True)  # by the hours, once
            return [SlotSet("unclear_answers", 0)]
        if outcome_given(tracker.events):
            # The outcome stands: a stray "need care" or cover message after it does not start
            # the questions again (the question given up on came back, then the handoff, in
            # turn). Not understood, and the times again, unless an appointment is booked:
            # picking a time would move it (a bad input then picked one).
            key = store.key_for(tracker.sender_id)

            def booked(session):
                return case.upcoming_appointment(session, key) is not None

            if await store.run(booked):
                dispatcher.utter_message(response="utter_not_understood_free")
                return []
            dispatcher.utter_message(response="utter_not_understood")
            return [FollowupAction("action_offer_slots")]
        result = screening.evaluate(**answers)
        key = store.key_for(tracker.sender_id)

        def save(session):
            people.save_screening(session, key, answers, result)  # and a new version of the case
            return case.renewal_instead(session, key, answers, result.eligible, result.reasons)

        renewal = await store.run(save)

        events: list[EventType] = [SlotSet("pass_eligible", result.eligible), SlotSet("pass_reasons", list(result.reasons))]
        if result.eligible:
            dispatcher.utter_message(response="utter_pass_eligible")
            dispatcher.utter_message(response="utter_pass_next_steps")
            return events + [FollowupAction("rights_form")]  # only the questions the rules need
        if renewal:  # on AME that is ending: not "already covered"; the offer says it is a renewal
            return events + [FollowupAction("action_offer_slots")]
        dispatcher.utter_message(response="utter_pass_not_eligible")
        for reason in result.reasons:
            dispatcher.utter_message(response=NOT_ELIGIBLE_RESPONSES[reason])
        return events
