"""Reminders and the SMS outbox, sent by the worker with the real twilio client to a local
fake Twilio: written with the booking, sent once, retried, never resent blindly, on time."""
import os
import subprocess
import sys
import threading
from datetime import date, datetime, time, timedelta, timezone
from zoneinfo import ZoneInfo

import pytest
from dateutil.relativedelta import relativedelta
from sqlalchemy import select

from bot import outbox, people, phones, reminders
from bot.booking import appointments
from bot.database import session_scope
from bot.models import OutboundSms, Slot, SocialWorker
from bot.settings import ROOT
from bot.sms_transport import DryRunTransport, TwilioTransport
from bot.sms_worker import Worker
from tests.fake_twilio import Fault

PARIS_OFFSET = timedelta(hours=1)  # winter
PARIS = ZoneInfo("Europe/Paris")


def person(cfg, phone: str, language: str = "fr") -> int:
    address = phones.parse(phone)
    key = people.person_key(people.sms_sender_id(address, cfg.hash_key), cfg.hash_key)
    with session_scope(cfg.database_url) as session:
        who = people.set_phone(session, key, address, cfg.hash_key, cfg.data_key)
        who.language = language
        session.flush()
        return who.id


def book(cfg, person_id: int, start: datetime) -> str:
    with session_scope(cfg.database_url) as session:
        worker = session.execute(select(SocialWorker)).scalars().first()
        if worker is None:
            worker = SocialWorker(name="AS", site="cms_1")
            session.add(worker)
            session.flush()
        slot = Slot(worker_id=worker.id, site="cms_1", start_at=start, end_at=start + timedelta(minutes=30))
        session.add(slot)
        session.flush()
        return appointments.book(session, slot.id, "fr", person_id).reference


def rows(cfg, **where) -> list[OutboundSms]:
    with session_scope(cfg.database_url) as session:
        query = select(OutboundSms).order_by(OutboundSms.id)
        for name, value in where.items():
            query = query.where(getattr(OutboundSms, name) == value)
        return list(session.execute(query).scalars())


def make_due(cfg) -> None:
    """Bring every pending reminder forward to now, as if its day had come."""
    with session_scope(cfg.database_url) as session:
        for row in session.execute(select(OutboundSms).where(OutboundSms.status == "pending")).scalars():
            row.due_at = outbox.utcnow() - timedelta(seconds=1)


def worker(cfg, **kwargs) -> Worker:
    return Worker(cfg, TwilioTransport(cfg, timeout=kwargs.pop("timeout", 10)), **kwargs)


IN_THREE_DAYS = (datetime.now(timezone.utc) + timedelta(days=3)).replace(minute=0, second=0, microsecond=0)


# --- when reminders go ---------------------------------------------------------------------

def paris(*args) -> datetime:
    return datetime(*args, tzinfo=timezone.utc) - PARIS_OFFSET


def test_reminders_wait_for_the_sending_window():
    saturday_evening, sunday_noon = paris(2026, 12, 5, 20, 30), paris(2026, 12, 6, 12, 0)
    monday_8 = paris(2026, 12, 7, 8, 0)
    assert not outbox.sending_allowed(saturday_evening) and not outbox.sending_allowed(sunday_noon)
    assert outbox.next_allowed(saturday_evening) == monday_8 == outbox.next_allowed(sunday_noon)
    assert outbox.sending_allowed(paris(2026, 12, 7, 9, 0))


def test_a_reminder_that_would_come_too_late_goes_before_the_quiet_hours_instead():
    # Monday 9:00 appointment: "the day before" is a Sunday, Monday 8:00 is too close → Saturday 19:59.
    appointment = paris(2026, 12, 7, 9, 0)
    due = appointment - timedelta(days=1)
    assert outbox.schedule_time(due, appointment - timedelta(hours=2), paris(2026, 11, 30, 9, 0)) == paris(2026, 12, 5, 19, 59)


def test_the_window_is_a_setting(monkeypatch):
    monkeypatch.setenv("PASS_SMS_WINDOW", "Mon-Fri 09:00-18:00")
    assert not outbox.sending_allowed(paris(2026, 12, 5, 10, 0))  # a Saturday
    monkeypatch.setenv("PASS_SMS_WINDOW", "every day")
    with pytest.raises(ValueError):
        outbox.window()


def test_reminders_skip_public_holidays():
    christmas_eve_evening, christmas_noon = paris(2026, 12, 24, 20, 30), paris(2026, 12, 25, 12, 0)
    assert not outbox.sending_allowed(christmas_noon)  # a Friday, but Christmas
    assert outbox.next_allowed(christmas_eve_evening) == paris(2026, 12, 26, 8, 0)
    # Monday 28 December 9:00: "the day before" is a Sunday → the Saturday evening.
    appointment = paris(2026, 12, 28, 9, 0)
    assert outbox.schedule_time(appointment - timedelta(days=1), appointment - timedelta(hours=2),
                                paris(2026, 12, 1, 9, 0)) == paris(2026, 12, 26, 19, 59)


def test_the_holiday_region_is_a_setting(monkeypatch):
    # Alsace-Moselle also rests on 26 December: the same reminder goes on Christmas Eve.
    monkeypatch.setenv("PASS_HOLIDAYS_REGION", "GES")
    assert not outbox.sending_allowed(paris(2026, 12, 26, 10, 0))
    appointment = paris(2026, 12, 28, 9, 0)
    assert outbox.schedule_time(appointment - timedelta(days=1), appointment - timedelta(hours=2),
                                paris(2026, 12, 1, 9, 0)) == paris(2026, 12, 24, 19, 59)
    monkeypatch.setenv("PASS_HOLIDAYS_REGION", "Atlantis")
    with pytest.raises(ValueError):
        outbox.sending_allowed(paris(2026, 12, 26, 10, 0))


def test_reminder_offsets_are_a_setting():
    assert reminders.offsets("2d,1d") == [timedelta(days=2), timedelta(days=1)]
    assert reminders.offsets("3h, 2d") == [timedelta(days=2), timedelta(hours=3)]
    with pytest.raises(ValueError):
        reminders.offsets("tomorrow")


def test_three_months_are_surely_reached_on_the_day_given():
    assert reminders.three_months_day(1, date(2026, 11, 24)) == date(2027, 1, 25)
    assert reminders.three_months_day(3, date(2026, 11, 24)) == date(2026, 11, 25)


# --- the outbox follows the booking ------------------------------------------------------------

def test_booking_writes_two_reminders_and_cancelling_drops_them(cfg):
    reference = book(cfg, person(cfg, "+33612345678"), IN_THREE_DAYS)
    pending = rows(cfg, status="pending")
    assert [r.kind for r in pending] == ["reminder_2d", "reminder_1d"]
    with session_scope(cfg.database_url) as session:
        appointments.cancel(session, reference)
    assert {r.status for r in rows(cfg)} == {"cancelled"}


def test_moving_an_appointment_moves_its_reminders(cfg):
    who = person(cfg, "+33612345678")
    reference = book(cfg, who, IN_THREE_DAYS)
    with session_scope(cfg.database_url) as session:
        worker_id = session.execute(select(SocialWorker.id)).scalar_one()
        later = Slot(worker_id=worker_id, site="cms_1", start_at=IN_THREE_DAYS + timedelta(days=2),
                     end_at=IN_THREE_DAYS + timedelta(days=2, minutes=30))
        session.add(later)
        session.flush()
        new = appointments.reschedule(session, reference, later.id)
        new_id = new.id
    pending = rows(cfg, status="pending")
    assert len(pending) == 2 and {r.appointment_id for r in pending} == {new_id}
    assert len(rows(cfg, status="cancelled")) == 2


def test_a_booking_for_tomorrow_gets_only_the_reminders_still_ahead(cfg):
    book(cfg, person(cfg, "+33612345678"), datetime.now(timezone.utc) + timedelta(hours=30))
    assert [r.kind for r in rows(cfg, status="pending")] == ["reminder_1d"]


# --- sending -------------------------------------------------------------------------------------

def test_a_due_reminder_reaches_the_phone_once_neutral_and_in_the_person_s_language(cfg, fake):
    book(cfg, person(cfg, "+33612345678", language="es"), IN_THREE_DAYS)
    make_due(cfg)
    sender = worker(cfg)
    assert sender.run_once() == 2
    assert sender.run_once() == 0  # nothing left: nothing sent twice
    bodies = fake.sent_to("+33612345678")
    assert len(bodies) == 2 and all(b.startswith("Recordatorio: cita") for b in bodies)
    assert not any(word in b for b in bodies for word in ("AME", "PASS"))
    sent = rows(cfg, status="sent")
    assert {r.twilio_sid for r in sent} == {m["sid"] for m in fake.messages}
    assert all(0 < int(m["validity_period"]) <= 36000 for m in fake.messages)  # a late SMS is dropped by Twilio
    assert all(m["status_callback"].endswith("/webhooks/twilio/status") for m in fake.messages)


def test_429_and_500_are_retried_with_a_backoff_and_sent_once(cfg, fake):
    book(cfg, person(cfg, "+33612345678"), IN_THREE_DAYS)
    make_due(cfg)
    fake.fail_next(Fault(status=429), Fault(status=500), Fault(status=503))
    sender = worker(cfg)
    sender.run_once()
    assert len(fake.messages) == 0
    waiting = rows(cfg, status="pending")
    assert len(waiting) == 2 and all(r.due_at > outbox.utcnow() for r in waiting)  # later, not now
    make_due(cfg)
    sender.run_once()
    make_due(cfg)
    sender.run_once()
    assert len(fake.sent_to("+33612345678")) == 2
    assert {r.status for r in rows(cfg)} == {"sent"}


def test_a_message_twilio_refuses_for_good_is_not_retried(cfg, fake):
    book(cfg, person(cfg, "+33612345678"), IN_THREE_DAYS)
    make_due(cfg)
    fake.fail_next(Fault(status=400), Fault(status=400))
    worker(cfg).run_once()
    assert {r.status for r in rows(cfg)} == {"failed"} and fake.messages == []


def test_a_timeout_is_settled_with_twilio_and_never_resent_blindly(cfg, fake, monkeypatch):
    book(cfg, person(cfg, "+33612345678"), IN_THREE_DAYS)
    make_due(cfg)
    fake.fail_next(Fault(delay=2.5))  # Twilio takes the message but answers after our timeout
    sender = worker(cfg, timeout=1)
    sender.run_once()
    assert [r.status for r in rows(cfg)].count("unknown") == 1
    assert len(fake.messages) == 2
    monkeypatch.setattr("bot.sms_worker.RECONCILE_AFTER", timedelta(0))
    sender.run_once()
    assert len(fake.messages) == 2  # found in Twilio's list: not sent again
    assert {r.status for r in rows(cfg)} == {"sent"}


def test_a_reminder_past_its_validity_is_dropped(cfg, fake):
    book(cfg, person(cfg, "+33612345678"), IN_THREE_DAYS)
    make_due(cfg)
    worker(cfg, clock=lambda: IN_THREE_DAYS - timedelta(hours=1)).run_once()  # worker was down for days
    assert {r.status for r in rows(cfg)} == {"expired"} and fake.messages == []


def test_quiet_hours_hold_a_reminder_until_morning(cfg, fake, monkeypatch):
    monkeypatch.setenv("PASS_SMS_WINDOW", "Mon-Sat 08:00-20:00")
    book(cfg, person(cfg, "+33612345678"), IN_THREE_DAYS + timedelta(days=10))
    make_due(cfg)
    # The coming Sunday (counted from the real today: the reminders were made due as of now).
    today = datetime.now(timezone.utc).date()
    next_sunday = today + timedelta(days=(6 - today.weekday()) or 7)
    sunday = datetime.combine(next_sunday, time(12), PARIS).astimezone(timezone.utc)
    monday_8 = datetime.combine(next_sunday + timedelta(days=1), time(8), PARIS).astimezone(timezone.utc)
    worker(cfg, clock=lambda: sunday).run_once()
    assert fake.messages == []
    pending = rows(cfg, status="pending")
    assert pending and all(r.due_at == monday_8 for r in pending)


def test_no_reminder_after_stop_until_start(cfg, fake):
    who = person(cfg, "+33612345678")
    book(cfg, who, IN_THREE_DAYS)
    with session_scope(cfg.database_url) as session:
        key = session.get(people.Person, who).key
        assert people.stop_sms(session, key) is True
        assert people.stop_sms(session, key) is False  # confirmed once
    make_due(cfg)
    worker(cfg).run_once()
    assert fake.messages == [] and {r.status for r in rows(cfg)} == {"skipped"}


def test_the_number_is_stored_encrypted(cfg):
    who = person(cfg, "+33612345678")
    with session_scope(cfg.database_url) as session:
        stored = session.get(people.Person, who)
        assert "612345678" not in stored.phone_encrypted and "612345678" not in stored.phone_key
        assert people.phone_of(stored, cfg.data_key).e164 == "+33612345678"


def test_without_twilio_the_texts_land_in_the_dry_run_outbox(cfg, fake):
    book(cfg, person(cfg, "+33612345678"), IN_THREE_DAYS)
    make_due(cfg)
    Worker(cfg, DryRunTransport()).run_once()
    dry = rows(cfg, status="dry_run")
    assert len(dry) == 2 and all(r.body.startswith("Rappel : rendez-vous") for r in dry)
    assert fake.requests == []
    listing = subprocess.run([sys.executable, "-m", "bot", "sms", "outbox"], cwd=ROOT, env=os.environ,
                             capture_output=True, text=True, check=True).stdout
    assert "Rappel : rendez-vous" in listing and "…78" in listing and "612345678" not in listing


def test_delivery_reports_are_recorded(cfg, fake):
    book(cfg, person(cfg, "+33612345678"), IN_THREE_DAYS)
    make_due(cfg)
    worker(cfg).run_once()
    first, second = rows(cfg)
    with session_scope(cfg.database_url) as session:
        assert outbox.record_status(session, first.twilio_sid, "delivered", None)
        assert outbox.record_status(session, second.twilio_sid, "undelivered", "30003")
    assert [(r.status, r.error) for r in rows(cfg)] == [("delivered", None), ("failed", "30003")]


def test_two_workers_never_send_the_same_reminder(cfg, fake):
    for n in range(15):
        book(cfg, person(cfg, f"+336123456{n:02d}"), IN_THREE_DAYS + timedelta(hours=n))
    make_due(cfg)
    fake.create_delay = 0.02
    workers = [worker(cfg, name=f"w{i}") for i in range(2)]
    threads = [threading.Thread(target=lambda w=w: [w.run_once() for _ in range(3)]) for w in workers]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert len(fake.messages) == 30
    assert all(len(fake.sent_to(f"+336123456{n:02d}")) == 2 for n in range(15))
    sent = rows(cfg, status="sent")
    assert len(sent) == 30 == len({r.twilio_sid for r in sent})


def test_renewal_reminder_two_months_before_the_end_recorded_by_staff(cfg, fake):
    reference = book(cfg, person(cfg, "+33612345678", language="pt"), IN_THREE_DAYS)
    ends = date.today() + timedelta(days=200)
    recorded = subprocess.run([sys.executable, "-m", "bot", "renewal", reference, ends.isoformat()], cwd=ROOT,
                              env=os.environ, capture_output=True, text=True, check=True).stdout
    row, = rows(cfg, kind="renewal")
    when = row.due_at.astimezone(outbox.PARIS)
    assert when.date() == ends - relativedelta(months=2) and when.hour == 10 and when.strftime("%Y-%m-%d") in recorded
    make_due(cfg)
    worker(cfg).run_once()
    text = fake.sent_to("+33612345678")[-1]
    assert text.startswith("Ola, a sua cobertura de saude termina a") and str(ends.year) in text


def test_three_months_invitation_on_the_day_it_is_reached(cfg, fake):
    who = person(cfg, "+33612345678", language="ro")
    with session_scope(cfg.database_url) as session:
        reminders.schedule_three_months(session, who, 2, date.today())
        reminders.schedule_three_months(session, who, 1, date.today())  # a new answer replaces the old
    pending = rows(cfg, kind="three_months", status="pending")
    assert len(pending) == 1
    assert pending[0].due_at.astimezone(outbox.PARIS).date() >= date.today() + relativedelta(months=2, days=1)
    make_due(cfg)
    worker(cfg).run_once()
    assert fake.sent_to("+33612345678") == [
        "Buna ziua, acum puteti cere asigurarea de sanatate. Scrieti RDV ca sa primiti o ora la o asistenta sociala."]
