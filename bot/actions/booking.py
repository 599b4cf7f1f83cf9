"""Offering, booking, moving and cancelling an appointment (bot.booking does the work)."""
from __future__ import annotations

from datetime import datetime, timedelta, timezone
from typing import Any

from rasa_sdk import Action, Tracker
from rasa_sdk.events import EventType, FollowupAction, SlotSet
from rasa_sdk.executor import CollectingDispatcher

from bot import people
from bot.actions import store
from bot.booking import appointments
from bot.responses import payload

MIN_NOTICE = timedelta(hours=2)  # a slot starting sooner cannot be reached in time


def _now() -> datetime:
    return datetime.now(timezone.utc)


def _upcoming(session, key: str):
    person = people.find(session, key)
    return appointments.upcoming_for_person(session, person.id, _now()) if person else None


class ActionOfferSlots(Action):
    def name(self) -> str:
        return "action_offer_slots"

    async def run(self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: dict[str, Any]) -> list[EventType]:
        if tracker.get_slot("pass_eligible") is not True:
            # Booking comes after the screening: start (or go on with) the questions.
            return [] if tracker.active_loop_name else [FollowupAction("screening_form")]
        free = await store.run(lambda session: [
            {"payload": payload("choose_slot", slot_id=str(slot.id)), "start": appointments.start_iso(slot)}
            for slot in appointments.free_slots(session, _now() + MIN_NOTICE)
        ])
        if not free:
            key = store.key_for(tracker.sender_id)
            await store.run(lambda session: people.record_request(session, key, "human"))
            dispatcher.utter_message(response="utter_no_slots")
            return []
        dispatcher.utter_message(response="utter_offer_slots", slots=free)
        return []


class ActionBookSlot(Action):
    def name(self) -> str:
        return "action_book_slot"

    async def run(self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: dict[str, Any]) -> list[EventType]:
        slot_id = next(tracker.get_latest_entity_values("slot_id"), None)
        if tracker.get_slot("pass_eligible") is not True or not str(slot_id or "").isdigit():
            return [FollowupAction("action_offer_slots")]
        key = store.key_for(tracker.sender_id)
        language = tracker.get_slot("language") or "fr"

        def book(session):
            person = people.get_or_create(session, key)
            current = appointments.upcoming_for_person(session, person.id, _now())
            if current:  # moving: the new slot first, the old one freed only if that worked
                booked = appointments.reschedule(session, current.reference, int(slot_id))
            else:
                booked = appointments.book(session, int(slot_id), language, person.id)
            return appointments.message_params(booked)

        try:
            params = await store.run(book)
        except appointments.SlotTaken:
            dispatcher.utter_message(response="utter_slot_taken")
            return [FollowupAction("action_offer_slots")]
        dispatcher.utter_message(response="utter_booked", **params)
        return [SlotSet("has_appointment", True)]


class ActionCancelAppointment(Action):
    def name(self) -> str:
        return "action_cancel_appointment"

    async def run(self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: dict[str, Any]) -> list[EventType]:
        key = store.key_for(tracker.sender_id)

        def cancel(session):
            current = _upcoming(session, key)
            return appointments.cancel(session, current.reference).reference if current else None

        reference = await store.run(cancel)
        if reference is None:
            dispatcher.utter_message(response="utter_no_appointment")
            return []
        dispatcher.utter_message(response="utter_cancelled", reference=reference)
        return [SlotSet("has_appointment", False)]


class ActionRescheduleAppointment(Action):
    def name(self) -> str:
        return "action_reschedule_appointment"

    async def run(self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: dict[str, Any]) -> list[EventType]:
        key = store.key_for(tracker.sender_id)
        if await store.run(lambda session: _upcoming(session, key)) is None:
            dispatcher.utter_message(response="utter_no_appointment")
            return []
        return [FollowupAction("action_offer_slots")]


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
