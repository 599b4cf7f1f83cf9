"""The rights interview form and the checklist (bot.interview and bot.checklist do the work)."""
from __future__ import annotations

from datetime import date
from typing import Any

from rasa_sdk import Action, Tracker
from rasa_sdk.events import EventType, FollowupAction, SlotSet
from rasa_sdk.executor import CollectingDispatcher
from rasa_sdk.types import DomainDict

from bot import case, checklist, interview, people, reminders
from bot.conversation import reading
from bot.actions import store
from bot.actions.asking import AskingFormValidation, language_of
from bot.actions.handoff import hand_over


def _slots(tracker: Tracker) -> dict[str, Any]:
    return dict(tracker.current_slot_values())


def _say(dispatcher: CollectingDispatcher, messages: list[checklist.Message]) -> None:
    for message in messages:
        dispatcher.utter_message(response=message.response, **message.params)


class ValidateRightsForm(AskingFormValidation):
    form = "rights_form"

    def name(self) -> str:
        return "validate_rights_form"

    def questions(self) -> dict[str, interview.Question]:
        return interview.QUESTIONS

    async def required_slots(
        self, domain_slots: list[str], dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict
    ) -> list[str]:
        if self.gave_up(tracker):
            return []  # asked three times: a social worker takes over (action_rights_outcome)
        return interview.next_questions(_slots(tracker), date.today())


class ActionRightsOutcome(Action):
    def name(self) -> str:
        return "action_rights_outcome"

    async def run(self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: dict[str, Any]) -> list[EventType]:
        key = store.key_for(tracker.sender_id)
        if interview.next_questions(_slots(tracker), date.today()):
            # A question asked three times without an answer we could read: a person takes over.
            dispatcher.utter_message(response="utter_unclear_handoff")
            paused = await hand_over(dispatcher, tracker, "unclear_answers")
            # Outside opening hours: an appointment with a social worker meanwhile.
            return [SlotSet("unclear_answers", 0), *(paused or [FollowupAction("action_offer_slots")])]
        outcome = interview.outcome(_slots(tracker), date.today())
        said = checklist.what_you_said(_slots(tracker))
        if said and "EMERGENCY" not in outcome["rights"]:
            _say(dispatcher, [said])
        _say(dispatcher, checklist.checklist(outcome))
        paused = await hand_over(dispatcher, tracker, "rights_handoff") if "HANDOFF" in outcome["rights"] else []
        months = tracker.get_slot("months_in_france")
        facts = {name: tracker.get_slot(name) for name in (*interview.SCREENING_FACTS, *interview.QUESTIONS)}

        def keep(session):
            # The outcome lasts in the person's case (bot/case.py), beyond this session.
            case.record_rights(session, key, facts, outcome, date.today())
            if "REMIND_AT_3_MONTHS" in outcome["rights"] and months is not None:
                # The day the 3 months are reached, an SMS invites them to book (if we have a number).
                person = case.person_for(session, key) or people.get_or_create(session, key)
                reminders.schedule_three_months(session, person.id, int(months), date.today())

        await store.run(keep)
        events = [SlotSet("rights", outcome["rights"]), SlotSet("documents", outcome["documents"]),
                  SlotSet("css_monthly_contribution", outcome.get("css_monthly_contribution"))]
        if "EMERGENCY" in outcome["rights"] or paused:
            # Care first: no appointment on top of the emergency numbers; handed over: a person answers now.
            return events + paused
        return events + [FollowupAction("action_offer_slots")]  # then a time with a social worker


def resumed_slots(resumed: case.Resumed) -> list[EventType]:
    """The case back in the conversation's slots (a new session starts without them)."""
    return [SlotSet("pass_eligible", resumed.pass_eligible), SlotSet("rights", resumed.outcome["rights"]),
            SlotSet("documents", resumed.outcome["documents"]),
            SlotSet("css_monthly_contribution", resumed.outcome["css_monthly_contribution"])]


def ask_what_is_missing(resumed: case.Resumed) -> list[EventType]:
    """Today's rules need facts never asked (past the 3 months: the resources...): the case's
    facts back in the slots, and the rights form asks only those, then gives the checklist."""
    known = [SlotSet(name, value) for name, value in resumed.facts.items() if value is not None]
    return known + [SlotSet("pass_eligible", True), FollowupAction("rights_form")]


def first_contact(tracker: Tracker) -> bool:
    """Nothing said to this person yet in this conversation, and no consent given: their
    first message, before any welcome."""
    return (tracker.get_slot("consent_given") is None and not tracker.active_loop_name
            and not any(event.get("event") == "bot" for event in tracker.events))


class ActionSendChecklist(Action):
    """DOCS / ask_documents: the checklist again, or the questions that lead to it."""

    def name(self) -> str:
        return "action_send_checklist"

    async def run(self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: dict[str, Any]) -> list[EventType]:
        return await send_checklist(dispatcher, tracker)


async def send_checklist(dispatcher: CollectingDispatcher, tracker: Tracker) -> list[EventType]:
    """DOCS: the checklist from the case, or the questions that lead to it (also for
    action_document_held when there is no outcome yet)."""
    key = store.key_for(tracker.sender_id)
    resumed = await store.run(lambda session: case.resume(session, key))
    if resumed is not None and resumed.questions and not tracker.active_loop_name:
        return ask_what_is_missing(resumed)
    if resumed is not None:
        # From the case, whatever the age of the conversation: only what is still missing,
        # after a re-check if the outcome is older than its rules.
        if resumed.changed:
            dispatcher.utter_message(response="utter_case_changed")
        _say(dispatcher, checklist.checklist(resumed.outcome, held=resumed.held))
        return resumed_slots(resumed)
    rights = tracker.get_slot("rights")
    if not rights and first_contact(tracker):
        # "DOCS" as the very first message: the welcome and what is kept come first, then
        # the language menu, as for any first message (the rules' first-contact turns).
        for response in ("utter_greet", "utter_consent_notice", "utter_documents_after_screening",
                         "utter_ask_language"):
            dispatcher.utter_message(response=response)
        return []
    if not rights:
        dispatcher.utter_message(response="utter_documents_after_screening")
        # Inside a form, its rule resumes it; otherwise the questions start (or go on).
        return [] if tracker.active_loop_name else [FollowupAction("screening_form")]
    outcome = {"rights": rights, "documents": tracker.get_slot("documents") or [],
               "css_monthly_contribution": tracker.get_slot("css_monthly_contribution")}
    _say(dispatcher, checklist.checklist(outcome))
    return []


class ActionDocumentHeld(Action):
    """"J'ai maintenant mon acte de naissance", any time after the outcome: the case keeps the
    papers named as held (told by the person), and says what is still to get. Without an
    outcome, as DOCS: the questions that lead to the list."""

    def name(self) -> str:
        return "action_document_held"

    async def run(self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: dict[str, Any]) -> list[EventType]:
        key = store.key_for(tracker.sender_id)
        named = reading.documents_named((tracker.latest_message or {}).get("text") or "", language_of(tracker))

        def note(session):
            noted = case.tell_held(session, key, named)
            return noted, case.resume(session, key)

        noted, resumed = await store.run(note)
        if resumed is None:  # no outcome yet: as DOCS
            return await send_checklist(dispatcher, tracker)
        _say(dispatcher, checklist.documents_noted(noted, resumed.missing))
        return resumed_slots(resumed)


class ActionWhereToGo(Action):
    """"Where do I go?": the places for this person's rights, from the directory data."""

    def name(self) -> str:
        return "action_where_to_go"

    async def run(self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: dict[str, Any]) -> list[EventType]:
        _say(dispatcher, checklist.where_to_go(tracker.get_slot("rights")))
        return []
