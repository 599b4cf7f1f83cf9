"""A slot is booked only if the latest menu the person saw offered it (bot/actions/booking.py)."""
from datetime import datetime, timedelta, timezone

from rasa_sdk import Tracker

from bot.actions import booking

OFFER = {"event": "bot", "text": "Choisissez", "data": {"buttons": [
    {"title": "lundi 09:00", "payload": '/choose_slot{"slot_id": "5"}'},
    {"title": "lundi 09:30", "payload": '/choose_slot{"slot_id": "6"}'}]}}


def tracker(*events) -> Tracker:
    return Tracker("web-x", {}, {}, list(events), False, None, {}, "action_listen")


def test_only_a_slot_of_the_latest_menu_before_the_message_is_offered():
    choose = {"event": "user", "text": '/choose_slot{"slot_id": "6"}'}
    assert booking.offered(tracker({"event": "user", "text": "rdv"}, OFFER, choose), "6")
    assert not booking.offered(tracker({"event": "user", "text": "rdv"}, OFFER, choose), "27")  # never offered
    later = {"event": "bot", "text": "Autre chose ?"}
    assert not booking.offered(tracker(OFFER, {"event": "user", "text": "x"}, later, choose), "6")  # an old menu
    assert not booking.offered(tracker(choose), "6")


def test_a_past_too_soon_or_blocked_slot_is_not_bookable(db_url):
    from bot.database import session_scope
    from bot.models import Slot, SocialWorker

    now = datetime.now(timezone.utc)
    with session_scope(db_url) as session:
        worker = SocialWorker(name="AS", site="cms_1")
        session.add(worker)
        session.flush()
        slots = [Slot(worker_id=worker.id, site="cms_1", start_at=now + delta, end_at=now + delta + timedelta(minutes=30),
                      blocked=blocked)
                 for delta, blocked in [(timedelta(days=-1), False), (timedelta(minutes=30), False),
                                        (timedelta(days=2), True), (timedelta(days=3), False)]]
        session.add_all(slots)
        session.flush()
        assert [booking.bookable(session, s.id) for s in slots] == [False, False, False, True]
        assert not booking.bookable(session, 999_999)
