"""The form validators' common part: a reply to the pending question is decided by
bot.conversation.asking (answer, a request for the rules, go back, or not understood), and
facts stated beyond the question are kept (ActionKeepStatedFacts)."""
from __future__ import annotations

from abc import abstractmethod
from datetime import date
from typing import Any

from rasa_sdk import Action, FormValidationAction, Tracker, ValidationAction
from rasa_sdk.events import EventType, FollowupAction, SlotSet
from rasa_sdk.executor import CollectingDispatcher
from rasa_sdk.types import DomainDict

from bot import interview, people
from bot.actions import store
from bot.actions.requests import safety_handoff
from bot.conversation import asking, reading
from bot.i18n import DEFAULT_LANGUAGE, supported

ANSWERED = asking.ANSWERED_SLOT  # the facts answered, in order: "retour" goes back to the last one
SAFETY_HANDOFF = ("suicidal_thoughts", "violence")


def language_of(tracker: Tracker) -> str:
    return supported(tracker.get_slot("language")) or DEFAULT_LANGUAGE


def _events(tracker: Tracker) -> list[dict]:
    return list(tracker.events)


class AskingFormValidation(FormValidationAction):
    """A form whose questions are read in their frame and never asked more than 3 times."""

    form: str = ""

    @abstractmethod
    def name(self) -> str:  # abstract: Rasa SDK registers only concrete actions
        ...

    def questions(self) -> dict[str, interview.Question]:
        return interview.ALL_QUESTIONS

    def gave_up(self, tracker: Tracker) -> bool:
        fact = tracker.get_slot("requested_slot")
        return asking.gave_up(_events(tracker), fact, dict(tracker.current_slot_values()))

    async def get_extraction_events(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict
    ) -> list[EventType]:
        fact = tracker.get_slot("requested_slot")
        question = self.questions().get(fact)
        if question is None or tracker.active_loop_name != self.form:
            return []
        message = tracker.latest_message or {}
        intent = message.get("intent") or {}
        decision = asking.decide(
            question,
            text=message.get("text") or "",
            intent=intent.get("name"),
            confidence=intent.get("confidence") or 0.0,
            entities=interview.entity_values(message.get("entities") or []),
            language=language_of(tracker),
            today=date.today(),
            asked=asking.times_asked(_events(tracker), fact),
            age=tracker.get_slot("age"),
            before=asking.previous_intent(_events(tracker)),
        )
        if decision.kind == asking.INTERRUPT:
            return []  # rejected: the rules for that intent answer, then the form asks again
        events: list[EventType] = []
        if decision.kind == asking.SAFETY_ANSWER:
            for response in decision.say:
                dispatcher.utter_message(response=response)
            told = [kind for kind in SAFETY_HANDOFF if f"utter_{kind}" in decision.say]
            if told:  # as the rules do: a social worker is told
                events += await safety_handoff(dispatcher, tracker, told[0])
        if decision.kind in (asking.ANSWER, asking.SAFETY_ANSWER):
            answered = [f for f in (tracker.get_slot(ANSWERED) or []) if f != fact] + [fact]
            return events + [SlotSet(fact, decision.value), SlotSet("unclear_answers", 0), SlotSet(ANSWERED, answered)]
        if decision.kind == asking.BACK:
            return self._back(tracker)
        for response in decision.say:
            dispatcher.utter_message(response=response)
        return [SlotSet("unclear_answers", (tracker.get_slot("unclear_answers") or 0) + 1)]

    def _back(self, tracker: Tracker) -> list[EventType]:
        """The last answer of this form is forgotten, so that its question comes again."""
        answered = list(tracker.get_slot(ANSWERED) or [])
        mine = [f for f in answered if f in self.questions() and f != "consent_given"]
        if not mine:
            return [SlotSet("unclear_answers", 0)]
        last = mine[-1]
        answered.remove(last)
        return [SlotSet(last, None), SlotSet(ANSWERED, answered), SlotSet("unclear_answers", 0)]

    async def get_validation_events(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict
    ) -> list[EventType]:
        # Values were checked while extracting; a validate_<slot> method may still act on one
        # (consent is recorded). Rasa SDK's own version would drop slots outside the form.
        events: list[EventType] = []
        for slot, value in tracker.slots_to_validate().items():
            validate = getattr(self, f"validate_{slot}", None)
            result = await validate(value, dispatcher, tracker, domain) if validate else {slot: value}
            events += [SlotSet(name, checked) for name, checked in result.items()]
        return events


class ActionKeepStatedFacts(ValidationAction):
    """After every message (Rasa's action_validate_slot_mappings): facts the person states
    beyond the question asked ("je suis demandeur d'asile et je suis malade") fill their slots,
    if still empty, so those questions are not asked again. The pending question itself is the
    form's to read."""

    async def get_extraction_events(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict
    ) -> list[EventType]:
        message = tracker.latest_message or {}
        text = message.get("text") or ""
        language = await self._language_written(tracker, message)
        events = [SlotSet("language", language)] if language else []
        known = language or (asking.language_known(tracker.events) and language_of(tracker))
        if not text or not known or tracker.get_slot("consent_given") is False:
            return events  # read once the language is known (asking.written_before_language)
        pending = tracker.get_slot("requested_slot")
        stated: dict[str, Any] = {}
        for said in [text, *asking.written_before_language(tracker.events, chosen_now=bool(language))]:
            if not said.startswith(interview.PAYLOAD_PREFIX):
                for fact, value in reading.facts_stated(said, known).items():
                    stated.setdefault(fact, value)
        return events + [SlotSet(fact, value) for fact, value in stated.items()
                         if fact != pending and tracker.get_slot(fact) is None]

    @staticmethod
    async def _language_written(tracker: Tracker, message: dict[str, Any]) -> str | None:
        """The language menu answered by writing in one of ours ("السلام عليكم انا مريض" under a
        page preset to French): that language is the choice, kept like a tapped one."""
        written = supported((message.get("metadata") or {}).get("detected_language"))
        if (not written or written == tracker.get_slot("language")
                or asking.last_menu_response(tracker.events) != "utter_ask_language"):
            return None
        key = store.key_for(tracker.sender_id)
        await store.run(lambda session: people.set_language(session, key, written))
        return written

    async def get_validation_events(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict
    ) -> list[EventType]:
        return [SlotSet(slot, value) for slot, value in tracker.slots_to_validate().items()]


class ActionGoBack(Action):
    """RETOUR / "c'est faux" after an outcome: the last answer is forgotten, the outcome with
    it, and its question comes again (in its form)."""

    def name(self) -> str:
        return "action_go_back"

    async def run(self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: dict[str, Any]) -> list[EventType]:
        answered = [f for f in (tracker.get_slot(ANSWERED) or []) if f != "consent_given"]
        if not answered:
            dispatcher.utter_message(response="utter_not_understood_free")
            return []
        last = answered[-1]
        form = "screening_form" if last in interview.SCREENING_QUESTIONS else "rights_form"
        outcome = ("pass_eligible", "pass_reasons", "rights", "documents", "css_monthly_contribution")
        return [SlotSet(last, None), SlotSet(ANSWERED, answered[:-1]), SlotSet("unclear_answers", 0),
                *(SlotSet(slot, None) for slot in outcome), FollowupAction(form)]
