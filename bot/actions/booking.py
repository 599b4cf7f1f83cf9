"""Offering, booking, moving and cancelling an appointment (bot.booking does the work)."""
from __future__ import annotations

from datetime import datetime, timedelta, timezone
from typing import Any

from rasa_sdk import Action, Tracker
from rasa_sdk.events import ActiveLoop, EventType, FollowupAction, SlotSet
from rasa_sdk.executor import CollectingDispatcher

from bot import case, checklist, choices, confirm, people
from bot.actions import reminder_number, store
from bot.booking import appointments
from bot.models import Slot
from bot.responses import payload

MIN_NOTICE = timedelta(hours=2)  # a slot starting sooner cannot be reached in time


def _now() -> datetime:
    return datetime.now(timezone.utc)


def _upcoming(session, key: str):
    return case.upcoming_appointment(session, key, _now())


def menu_before_latest_message(events: list[dict]) -> list[dict]:
    """The buttons of the bot's last menu before the person's latest message (the one this
    turn answers)."""
    events = list(events)
    for index in range(len(events) - 1, -1, -1):
        if events[index].get("event") == "user":
            return list(choices.last_menu(events[:index]))
    return []


def offered(tracker: Tracker, slot_id: str) -> bool:
    """Whether the latest menu the person saw offered this slot."""
    wanted = payload("choose_slot", slot_id=slot_id)
    return any(b.get("payload") == wanted for b in menu_before_latest_message(tracker.events))


def bookable(session, slot_id: int) -> bool:
    """A slot that exists, is not blocked and starts late enough to be reached (taken ones are
    refused by appointments.book itself, atomically)."""
    slot = session.get(Slot, slot_id)
    return slot is not None and not slot.blocked and slot.start_at > _now() + MIN_NOTICE


class ActionOfferSlots(Action):
    def name(self) -> str:
        return "action_offer_slots"

    async def run(self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: dict[str, Any]) -> list[EventType]:
        events: list[EventType] = []
        if tracker.get_slot("pass_eligible") is not True:
            # A new session: the case may say they can book without new questions (a renewal,
            # the 3 months now reached, an eligible outcome, an appointment to move).
            key = store.key_for(tracker.sender_id)

            def from_case(session):
                purpose = case.booking_purpose(session, key)
                return purpose, (case.resume(session, key) if purpose == "three_months" else None)

            purpose, resumed = await store.run(from_case)
            if purpose is None:
                # Booking comes after the screening: start (or go on with) the questions.
                return [] if tracker.active_loop_name else [FollowupAction("screening_form")]
            if purpose == "renewal":
                dispatcher.utter_message(response="utter_renewal_offer")
            elif resumed is not None and resumed.questions and not tracker.active_loop_name:
                # Past the 3 months the rules need what was not asked then: only that, then a time.
                from bot.actions.rights import ask_what_is_missing

                return ask_what_is_missing(resumed)
            elif resumed is not None and resumed.changed:
                # The 3 months are reached: what applies now (months in France re-checked only).
                dispatcher.utter_message(response="utter_case_changed")
                for message in checklist.checklist(resumed.outcome, held=resumed.held):
                    dispatcher.utter_message(response=message.response, **message.params)
        if not _move_under_way(tracker):
            key = store.key_for(tracker.sender_id)
            booked = await store.run(lambda session: _upcoming(session, key) is not None
                                     and case.replying_to(session, key) != "reminder")
            if booked:
                # Already booked: a time picked now would replace that appointment, so they are
                # asked first ("Reply 1 to move your appointment of …"), as after CHANGER.
                return [FollowupAction("action_reschedule_appointment")]
        free = await store.run(lambda session: [
            {"payload": payload("choose_slot", slot_id=str(slot.id)), "start": appointments.start_iso(slot)}
            for slot in appointments.free_slots(session, _now() + MIN_NOTICE)
        ])
        if not free:
            key = store.key_for(tracker.sender_id)
            await store.run(lambda session: people.record_request(session, key, "callback"))
            dispatcher.utter_message(response="utter_no_slots")
            return []
        dispatcher.utter_message(response="utter_offer_slots", slots=free)
        return events


def _move_under_way(tracker: Tracker) -> bool:
    """The times are offered to a booked person only to move: they confirmed it (its button, its
    number or a clear yes), or picked a time that could not be booked (the offer again). A reply
    to a reminder (CHANGER, RDV) moves at once: action_reschedule_appointment sends it here."""
    intent = ((tracker.latest_message or {}).get("intent") or {}).get("name")
    return _confirmed(tracker) == "move" or intent == "choose_slot"


class ActionBookSlot(Action):
    def name(self) -> str:
        return "action_book_slot"

    async def run(self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: dict[str, Any]) -> list[EventType]:
        slot_id = next(tracker.get_latest_entity_values("slot_id"), None)
        key = store.key_for(tracker.sender_id)
        eligible = tracker.get_slot("pass_eligible") is True
        purpose = await store.run(lambda session: case.booking_purpose(session, key))
        if not (eligible or purpose) or not str(slot_id or "").isdigit():
            return [FollowupAction("action_offer_slots")]
        if not offered(tracker, str(slot_id)) or not await store.run(lambda session: bookable(session, int(slot_id))):
            # Never offered to them, past, too soon or blocked: the next free times instead.
            dispatcher.utter_message(response="utter_slot_not_offered")
            return [FollowupAction("action_offer_slots")]
        language = tracker.get_slot("language") or "fr"

        def book(session):
            person = case.person_for(session, key) or people.get_or_create(session, key)
            current = appointments.upcoming_for_person(session, person.id, _now())
            if current:  # moving: the new slot first, the old one freed only if that worked
                booked = appointments.reschedule(session, current.reference, int(slot_id))
                why = case.purpose_of(session, current.id) or purpose or "rights"
            else:
                booked = appointments.book(session, int(slot_id), language, person.id)
                why = purpose or "rights"
            if person.consent_at is not None:  # the case is kept only after consent
                case.link_appointment(session, person.id, booked, why)
            return appointments.message_params(booked)

        try:
            params = await store.run(book)
        except appointments.SlotTaken:
            dispatcher.utter_message(response="utter_slot_taken")
            return [FollowupAction("action_offer_slots")]
        dispatcher.utter_message(response="utter_booked", **params)
        await reminder_number.after_booking(dispatcher, tracker, params["when"])  # web chat: SMS reminders?
        return [SlotSet("has_appointment", True)]


def _request_text(tracker: Tracker) -> str:
    return (tracker.latest_message or {}).get("text") or ""


def _confirmed(tracker: Tracker) -> str | None:
    """What the person's latest message confirms: 'cancel', 'move', 'erase' or None. Only the
    first choice of a confirmation question carries it (its button, its number, or a clear yes
    turned into it by bot/channels/incoming.py); a typed payload never does (bot.choices)."""
    return next(tracker.get_latest_entity_values("confirm"), None)


class _AskFirst:
    """CANCEL / CHANGE: a negated request ("je veux pas annuler") never acts; a clear one is
    restated with the appointment ("Reply 1 to cancel your appointment of Tuesday 12 at 14:30");
    action_confirm_appointment_change acts on the confirmation only."""

    question = ""
    straight_after_reminder = False

    async def run(self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: dict[str, Any]) -> list[EventType]:
        key = store.key_for(tracker.sender_id)
        params = await store.run(lambda session: (lambda current: appointments.message_params(current)
                                                  if current else None)(_upcoming(session, key)))
        if params is None:
            dispatcher.utter_message(response="utter_no_appointment")
            return []
        if confirm.negated(_request_text(tracker), tracker.get_slot("language") or "fr"):
            dispatcher.utter_message(response="utter_appointment_kept")
            return []
        if self.straight_after_reminder and await store.run(
                lambda session: case.replying_to(session, key) == "reminder"):
            # CHANGER answering a reminder: the new times at once (the old time is freed only
            # once a new one is booked, so nothing is lost without a question).
            leave = [ActiveLoop(None), SlotSet("requested_slot", None)] if tracker.active_loop_name else []
            return leave + [FollowupAction("action_offer_slots")]
        dispatcher.utter_message(response=self.question, **params)
        if tracker.active_loop_name:
            # The question must stay the latest one: its "1" or "oui" answers it, not the form
            # (which a greeting or the language menu starts again).
            return [ActiveLoop(None), SlotSet("requested_slot", None), FollowupAction("action_listen")]
        return []


class ActionCancelAppointment(_AskFirst, Action):
    question = "utter_confirm_cancel"

    def name(self) -> str:
        return "action_cancel_appointment"


class ActionRescheduleAppointment(_AskFirst, Action):
    question = "utter_confirm_move"
    straight_after_reminder = True

    def name(self) -> str:
        return "action_reschedule_appointment"


class ActionConfirmAppointmentChange(Action):
    """The reply to "Reply 1 to cancel / move": only the confirmation acts; anything else keeps
    the appointment and says so."""

    def name(self) -> str:
        return "action_confirm_appointment_change"

    async def run(self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: dict[str, Any]) -> list[EventType]:
        what = _confirmed(tracker)
        key = store.key_for(tracker.sender_id)
        if what == "move":
            return [FollowupAction("action_offer_slots")]  # moved only once a new time is booked
        if what != "cancel":
            dispatcher.utter_message(response="utter_appointment_kept")
            return []

        def cancel(session):
            current = _upcoming(session, key)
            return appointments.cancel(session, current.reference).reference if current else None

        reference = await store.run(cancel)
        if reference is None:
            dispatcher.utter_message(response="utter_no_appointment")
            return []
        dispatcher.utter_message(response="utter_cancelled", reference=reference)
        return [SlotSet("has_appointment", False)]


class ActionAppointmentStatus(Action):
    """Someone with an appointment writes again: keep it, move it or cancel it."""

    def name(self) -> str:
        return "action_appointment_status"

    async def run(self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: dict[str, Any]) -> list[EventType]:
        key = store.key_for(tracker.sender_id)

        def status(session):
            upcoming = _upcoming(session, key)
            return appointments.message_params(upcoming) if upcoming else None

        params = await store.run(status)
        if params is None:  # it has passed or was cancelled meanwhile: the usual greeting
            for response in ("utter_greet", "utter_consent_notice", "utter_ask_language"):
                dispatcher.utter_message(response=response)
            return [SlotSet("has_appointment", False)]
        dispatcher.utter_message(response="utter_appointment_status", **params)
        return []


class ActionResumeByReference(Action):
    """A booking reference written alone (bot/channels/incoming.py turns it into this intent
    only when it is one of ours): this conversation resumes that person's case, in their
    language; then their appointment (keep, move, cancel), or else their papers."""

    def name(self) -> str:
        return "action_resume_by_reference"

    async def run(self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: dict[str, Any]) -> list[EventType]:
        reference = next(tracker.get_latest_entity_values("reference"), None)
        key = store.key_for(tracker.sender_id)

        def resume(session):
            owner = case.link_reference(session, key, reference) if reference else None
            if owner is None:
                return None
            return owner.language, appointments.upcoming_for_person(session, owner.id, _now()) is not None

        found = await store.run(resume)
        if found is None:  # erased or cancelled meanwhile
            dispatcher.utter_message(response="utter_not_understood_free")
            return []
        language, upcoming = found
        events: list[EventType] = [SlotSet("language", language)] if language else []
        # The follow-up speaks in the person's language, now set (texts use the slot).
        if upcoming:
            return events + [SlotSet("has_appointment", True), FollowupAction("action_appointment_status")]
        return events + [FollowupAction("action_send_checklist")]
