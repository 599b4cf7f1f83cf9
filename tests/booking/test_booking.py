import json
import os
import subprocess
import sys
import threading
from datetime import date, datetime, timezone

import pytest
from sqlalchemy import func, select

from bot.booking import appointments, slots
from bot.booking.appointments import SlotTaken
from bot.booking.sites import sites
from bot.database import session_scope
from bot.models import Slot
from bot.settings import ROOT

MONDAY = date(2026, 12, 7)
CHRISTMAS = date(2026, 12, 25)  # a Friday and a public holiday


@pytest.fixture
def worker(db_url):
    with session_scope(db_url) as session:
        slots.add_worker(session, "AS 1", "cms_1", {0: [("09:00", "11:00")], 4: [("14:00", "15:00")]})
    return db_url


def count(db_url, query):
    with session_scope(db_url) as session:
        return session.execute(query).scalar_one()


def test_slots_follow_the_weekly_openings_in_paris_time(worker):
    with session_scope(worker) as session:
        assert slots.generate(session, MONDAY, days=1) == 4  # 09:00 to 11:00, 30 minutes each
        first = session.execute(select(Slot).order_by(Slot.start_at)).scalars().first()
        start = first.start_at.replace(tzinfo=timezone.utc) if first.start_at.tzinfo is None else first.start_at
        assert start == datetime(2026, 12, 7, 8, 0, tzinfo=timezone.utc)  # 09:00 in Paris, winter


def test_public_holidays_have_no_slots_and_generation_is_idempotent(worker):
    with session_scope(worker) as session:
        created = slots.generate(session, date(2026, 12, 21), days=7)  # Mon 21 to Sun 27 December
        assert created == 4  # Monday only: Friday the 25th is Christmas
        assert slots.generate(session, date(2026, 12, 21), days=7) == 0


def test_a_booked_slot_is_no_longer_offered_and_a_cancelled_one_is_again(worker):
    with session_scope(worker) as session:
        slots.generate(session, MONDAY, days=1)
        now = datetime(2026, 12, 1, tzinfo=timezone.utc)
        first = appointments.free_slots(session, now)[0]
        booking = appointments.book(session, first.id, "fr")
        assert first.id not in [s.id for s in appointments.free_slots(session, now, limit=10)]
        with pytest.raises(SlotTaken):
            appointments.book(session, first.id, "en")
        appointments.cancel(session, booking.reference.lower())
        assert appointments.free_slots(session, now)[0].id == first.id


def test_moving_an_appointment_keeps_it_if_the_new_slot_is_taken(worker):
    with session_scope(worker) as session:
        slots.generate(session, MONDAY, days=1)
        a, b = appointments.free_slots(session, datetime(2026, 12, 1, tzinfo=timezone.utc), limit=2)
        mine = appointments.book(session, a.id, "ar")
        appointments.book(session, b.id, "fr")
        with pytest.raises(SlotTaken):
            appointments.reschedule(session, mine.reference, b.id)
        assert appointments.find(session, mine.reference).status == "booked"


def test_blocked_slots_are_not_offered(worker):
    with session_scope(worker) as session:
        slots.generate(session, MONDAY, days=1)
        first = appointments.free_slots(session, datetime(2026, 12, 1, tzinfo=timezone.utc))[0]
        slots.block(session, first.id)
        assert first.id not in [s.id for s in appointments.free_slots(session, datetime(2026, 12, 1, tzinfo=timezone.utc), limit=10)]


def test_references_are_short_and_unambiguous(worker):
    with session_scope(worker) as session:
        slots.generate(session, MONDAY, days=1)
        booking = appointments.book(session, appointments.free_slots(session, datetime(2026, 12, 1, tzinfo=timezone.utc))[0].id, "fr")
        assert len(booking.reference) == 6 and not set(booking.reference) & set("01OIL")


def race_for_one_slot(db_url, people=50):
    """`people` threads book the same slot at the same instant; returns what each one got."""
    with session_scope(db_url) as session:
        slots.add_worker(session, "AS race", "cms_2", {0: [("09:00", "09:30")]})
        slots.generate(session, MONDAY, days=1)
        slot_id = appointments.free_slots(session, datetime(2026, 12, 1, tzinfo=timezone.utc), site="cms_2")[0].id
    results, start = [], threading.Barrier(people)

    def attempt():
        start.wait()
        try:
            with session_scope(db_url) as session:
                appointments.book(session, slot_id, "fr")
            results.append("booked")
        except SlotTaken:
            results.append("taken")

    threads = [threading.Thread(target=attempt) for _ in range(people)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    return results


def test_fifty_people_racing_for_one_slot_get_exactly_one_booking(db_url):
    results = race_for_one_slot(db_url)
    assert results.count("booked") == 1 and results.count("taken") == 49
    assert count(db_url, select(func.count()).select_from(appointments.Appointment)) == 1


def test_the_example_sites_are_flagged_until_the_city_confirms_them():
    assert sites() and all(not site.confirmed and site.address is None for site in sites().values())


def cli(db_url, *args):
    env = {**os.environ, "DATABASE_URL": db_url}
    return subprocess.run([sys.executable, "-m", "bot", *args], cwd=ROOT, env=env, capture_output=True, text=True)


def test_the_cli_adds_a_worker_generates_slots_and_lists_appointments_as_json(db_url):
    assert cli(db_url, "workers", "add", "AS 2", "--site", "cms_2", "--weekly", "mon 09:00-10:00, thu 14:00-15:00").returncode == 0
    generated = cli(db_url, "slots", "generate", "--days", "14")
    assert generated.returncode == 0 and int(generated.stdout.split()[0]) > 0
    with session_scope(db_url) as session:
        slot = appointments.free_slots(session, datetime.now(timezone.utc))[0]
        booking = appointments.book(session, slot.id, "ro")
    listed = json.loads(cli(db_url, "appointments", "list", "--json").stdout)
    assert listed == [{"reference": booking.reference, "site": "cms_2", "start": listed[0]["start"],
                       "status": "booked", "language": "ro"}]
    assert datetime.fromisoformat(listed[0]["start"]).utcoffset() is not None  # ISO 8601 with offset


@pytest.mark.parametrize("args", [["--site", "nowhere", "--weekly", "mon 09:00-10:00"], ["--site", "cms_1", "--weekly", "monday"],
                                  ["--site", "cms_1", "--weekly", "mon 12:00-09:00"]])
def test_the_cli_refuses_bad_workers_clearly(db_url, args):
    result = cli(db_url, "workers", "add", "X", *args)
    assert result.returncode == 2 and result.stderr.startswith("error:") and "Traceback" not in result.stderr


def test_sms_names_of_sites_are_gsm7_and_discreet():
    import re

    from bot.sms import is_gsm7

    for site in sites().values():
        assert is_gsm7(site.sms_name) and not re.search(r"\b(PASS|AME)\b", site.sms_name), site.id
