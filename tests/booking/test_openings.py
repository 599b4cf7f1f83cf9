"""Openings that run themselves: slots kept ahead daily, slots, days and sites blocked with a
reason, the people booked on them moved and told by SMS; demo openings on a first `make run`."""
import os
import subprocess
import sys
from datetime import date, datetime, timedelta, timezone
from pathlib import Path

import pytest
from sqlalchemy import select

from bot import launcher, people, phones, settings
from bot.booking import appointments, demo, openings, slots
from bot.database import session_scope
from bot.models import Appointment, AuditEntry, OutboundSms, PersonRequest, Slot, SocialWorker
from bot.settings import ROOT
from bot.sms import is_gsm7

MONDAY = date(2026, 12, 7)
NOW = datetime(2026, 12, 3, 9, tzinfo=timezone.utc)  # a Thursday: the Monday is four days off
STAFF = {"id": None, "name": "Mme Coordinatrice"}


@pytest.fixture
def keys(monkeypatch, tmp_path):
    monkeypatch.setenv("PASS_VAR_DIR", str(tmp_path / "var"))
    return settings.load()


def person_with_phone(session, cfg, phone: str, language: str) -> int:
    address = phones.parse(phone)
    key = people.person_key(people.sms_sender_id(address, cfg.hash_key), cfg.hash_key)
    who = people.set_phone(session, key, address, cfg.hash_key, cfg.data_key)
    who.language = language
    session.flush()
    return who.id


def two_sites(session):
    """Moulins on Monday and Tuesday mornings 9:00-10:00, Plaine on Monday 9:00-9:30."""
    slots.add_worker(session, "AS Moulins", "cms_1", {0: [("09:00", "10:00")], 1: [("09:00", "10:00")]})
    slots.add_worker(session, "AS Plaine", "cms_2", {0: [("09:00", "09:30")]})
    slots.generate(session, MONDAY, days=2)


def slot_at(session, site: str, day: date, hour: str) -> Slot:
    start = datetime.fromisoformat(f"{day.isoformat()}T{hour}:00+01:00")
    return session.execute(select(Slot).where(Slot.site == site, Slot.start_at == start)).scalar_one()


def test_the_daily_job_keeps_the_configured_weeks_ahead_and_does_it_once(db_url, monkeypatch):
    monkeypatch.setenv("PASS_OPENINGS_WEEKS", "2")
    with session_scope(db_url) as session:
        slots.add_worker(session, "AS", "cms_1", {0: [("09:00", "10:00")]})
        assert openings.keep_ahead(session, MONDAY) == 4  # two Mondays of two slots
        assert openings.keep_ahead(session, MONDAY) == 0  # the next run creates nothing twice
        assert openings.keep_ahead(session, MONDAY + timedelta(days=7)) == 2  # a day later: one Monday more


def test_both_profiles_start_the_daily_job(tmp_path, monkeypatch):
    monkeypatch.setenv("PASS_VAR_DIR", str(tmp_path))
    cfg = settings.load()
    for found in (launcher.services(cfg, Path("m.tar.gz")), launcher.prod_services(cfg, Path("m.tar.gz"))):
        job = [s for s in found if s.name == "openings"]
        assert len(job) == 1 and job[0].argv[1:] == ["-m", "bot", "slots", "keep"]


def test_a_blocked_slot_moves_its_booked_person_and_tells_them_by_sms(db_url, keys):
    with session_scope(db_url) as session:
        two_sites(session)
        who = person_with_phone(session, keys, "+33612345678", "es")
        nine = slot_at(session, "cms_1", MONDAY, "09:00")
        old = appointments.book(session, nine.id, "es", who, now=NOW)
        old_reference, nine_id = old.reference, nine.id
        outcomes = openings.block_slot(session, nine_id, "arrêt maladie", STAFF, now=NOW)

    assert len(outcomes) == 1 and outcomes[0].told_by_sms
    with session_scope(db_url) as session:
        blocked = session.get(Slot, nine_id)
        assert blocked.blocked and blocked.blocked_reason == "arrêt maladie"
        assert appointments.find(session, old_reference).status == "cancelled"
        moved = appointments.find(session, outcomes[0].new_reference)
        # The soonest free time at the same site: 9:30 the same Monday.
        assert (moved.status, moved.slot.site, moved.person_id) == ("booked", "cms_1", who)
        assert moved.slot.start_at == datetime.fromisoformat("2026-12-07T09:30:00+01:00")
        sms = session.execute(select(OutboundSms).where(OutboundSms.kind == "moved")).scalar_one()
        assert sms.person_id == who and sms.status == "pending"
        assert "09:30" in sms.body and moved.reference in sms.body and "CMS Moulins" in sms.body
        assert sms.body.startswith("Su cita del lunes 7 diciembre 09:00 no puede tener lugar")
        assert is_gsm7(sms.body) and "PASS" not in sms.body and "AME" not in sms.body
        # The old appointment's reminders are dropped, the new one has its own.
        kinds = {(r.appointment_id, r.kind, r.status) for r in session.execute(select(OutboundSms)).scalars()}
        assert all(status == "cancelled" for appointment_id, kind, status in kinds
                   if appointment_id == old.id and kind.startswith("reminder_"))
        assert any(appointment_id == moved.id and kind.startswith("reminder_") for appointment_id, kind, _ in kinds)
        # A blocked slot is never offered again, and the block is in the audit log.
        free = appointments.free_slots(session, NOW, site="cms_1", limit=10)
        assert nine_id not in [s.id for s in free]
        actions = [(e.action, e.user_name) for e in session.execute(select(AuditEntry)).scalars()]
        assert ("block_slot", "Mme Coordinatrice") in actions and ("move_blocked", "Mme Coordinatrice") in actions


def test_a_closed_site_moves_people_to_the_other_site_or_cancels_and_says_so(db_url, keys):
    with session_scope(db_url) as session:
        two_sites(session)
        first = person_with_phone(session, keys, "+33612345601", "fr")
        second = person_with_phone(session, keys, "+33612345602", "ar")
        booked = [appointments.book(session, slot_at(session, "cms_1", MONDAY, "09:00").id, "fr", first),
                  appointments.book(session, slot_at(session, "cms_1", MONDAY, "09:30").id, "ar", second)]
        references = [a.reference for a in booked]
        # Moulins closed on Monday and Tuesday: one place left, at Plaine on Monday 9:00.
        outcomes = openings.block_days(session, MONDAY, MONDAY + timedelta(days=1), "centre fermé", STAFF,
                                       site="cms_1", now=NOW)
    assert [o.old_reference for o in outcomes] == references
    with session_scope(db_url) as session:
        moved = appointments.find(session, outcomes[0].new_reference)
        assert moved.slot.site == "cms_2" and moved.person_id == first
        assert outcomes[1].new_reference is None and appointments.find(session, references[1]).status == "cancelled"
        # The SMS promises a call: the console has a callback task for that person.
        tasks = session.execute(select(PersonRequest).where(PersonRequest.kind == "callback")).scalars().all()
        assert [(t.person_id, t.status) for t in tasks] == [(second, "open")]
        texts = {r.kind: r.body for r in session.execute(select(OutboundSms).where(OutboundSms.kind.in_(
            ("moved", "cancelled_by_team")))).scalars()}
        assert "CMS Plaine" in texts["moved"] and "Nouvel horaire" in texts["moved"]
        assert texts["cancelled_by_team"].startswith("موعدك") and "RDV" in texts["cancelled_by_team"]
        assert not appointments.free_slots(session, NOW, site="cms_1")
        # Slots generated later for the closed days are born blocked.
        slots.add_worker(session, "AS renfort", "cms_1", {0: [("14:00", "15:00")]})
        assert slots.generate(session, MONDAY, days=7) == 2
        assert not appointments.free_slots(session, NOW, site="cms_1")


def test_someone_without_a_phone_is_moved_and_listed_to_be_told(db_url):
    with session_scope(db_url) as session:
        two_sites(session)
        web = people.get_or_create(session, "web-person-key")
        appointments.book(session, slot_at(session, "cms_2", MONDAY, "09:00").id, "fr", web.id)
        outcomes = openings.block_days(session, MONDAY, MONDAY, "réunion", STAFF, site="cms_2", now=NOW)
        assert len(outcomes) == 1 and outcomes[0].new_reference and not outcomes[0].told_by_sms
        assert not session.execute(select(OutboundSms).where(OutboundSms.kind == "moved")).scalars().all()


def test_a_reason_is_needed(db_url):
    with session_scope(db_url) as session:
        two_sites(session)
        with pytest.raises(ValueError):
            openings.block_slot(session, slot_at(session, "cms_2", MONDAY, "09:00").id, "  ", STAFF, now=NOW)


def cli(db_url, tmp_path, *args):
    env = {**os.environ, "DATABASE_URL": db_url, "PASS_VAR_DIR": str(tmp_path / "var")}
    return subprocess.run([sys.executable, "-m", "bot", *args], cwd=ROOT, env=env, capture_output=True, text=True)


def test_the_cli_blocks_a_day_and_a_slot_and_offers_it_again(db_url, tmp_path):
    with session_scope(db_url) as session:
        two_sites(session)
        tuesday_nine = slot_at(session, "cms_1", MONDAY + timedelta(days=1), "09:00").id
    done = cli(db_url, tmp_path, "slots", "block", "--day", MONDAY.isoformat(), "--reason", "formation")
    assert done.returncode == 0, done.stderr
    assert "0 appointment(s) moved" in done.stdout
    assert cli(db_url, tmp_path, "slots", "block", "--slot", str(tuesday_nine)).returncode == 2  # no reason
    assert cli(db_url, tmp_path, "slots", "block", "--slot", str(tuesday_nine), "--reason", "absence").returncode == 0
    with session_scope(db_url) as session:
        assert appointments.free_slots(session, NOW, limit=10)[0].start_at.date() == MONDAY + timedelta(days=1)
        assert appointments.free_slots(session, NOW, limit=10)[0].id != tuesday_nine
    assert cli(db_url, tmp_path, "slots", "unblock", "--slot", str(tuesday_nine)).returncode == 0
    with session_scope(db_url) as session:
        assert appointments.free_slots(session, NOW, limit=10)[0].id == tuesday_nine
        assert {"block_days", "block_slot", "unblock_slot"} <= {e.action for e in session.execute(select(AuditEntry)).scalars()}


def test_demo_openings_only_on_an_empty_database_and_clearly_marked(db_url):
    with session_scope(db_url) as session:
        added = demo.add_if_empty(session, MONDAY)
        workers = session.execute(select(SocialWorker)).scalars().all()
        assert added > 40 and {w.site for w in workers} == {"cms_1", "cms_2"} and len(workers) == 2
        assert all(w.name.startswith("DÉMO") for w in workers)
        last = max(s.start_at for s in session.execute(select(Slot)).scalars())
        assert MONDAY + timedelta(days=21) <= last.date() < MONDAY + timedelta(days=28)
        # Nothing offered in the first 3 days: a demo booking gets both its reminders.
        first = appointments.free_slots(session, datetime.combine(MONDAY, datetime.min.time(), timezone.utc))[0]
        assert first.start_at.date() >= MONDAY + timedelta(days=3)
        assert demo.add_if_empty(session, MONDAY) is None  # never twice, never beside real staff


def test_make_run_adds_demo_openings_and_make_run_prod_never(db_url, monkeypatch):
    monkeypatch.setenv("PASS_DEMO", "1")
    prod = launcher.first_run_notes(db_url, "prod")
    assert not any("DEMO" in note for note in prod)
    assert any("users create --role coordinator" in note for note in prod)
    with session_scope(db_url) as session:
        assert not session.execute(select(SocialWorker)).scalars().all()
    dev = launcher.first_run_notes(db_url, "dev")
    assert any(note.startswith("DEMO: 2 demo social workers") for note in dev)
    makefile = (ROOT / "Makefile").read_text()
    assert "PASS_DEMO ?= 1" in makefile and "PASS_DEMO=$(PASS_DEMO) $(PY) -m bot run" in makefile


def test_an_unconfirmed_site_is_named_and_its_address_left_to_the_social_worker_in_every_language(db_url):
    from bot.i18n import SUPPORTED_LANGUAGES
    from bot.rendering import SMS, WEB, render

    with session_scope(db_url) as session:
        two_sites(session)
        for language in SUPPORTED_LANGUAGES:
            booked = appointments.book(session, slot_at(session, "cms_1", MONDAY, "09:00").id, language)
            params = appointments.message_params(booked)
            web = render("utter_booked", language, WEB, params).text
            sms = render("utter_booked", language, SMS, params).text
            assert "CMS Moulins" in web and "EXEMPLE" not in web.upper() and "(EXEMPLE)" not in sms
            assert params["site"] != "CMS Moulins (address given by the social worker)" or language == "en", language
            assert params["sms_site"] == "CMS Moulins"  # an SMS stays short
            appointments.cancel(session, booked.reference)
        french = appointments.book(session, slot_at(session, "cms_1", MONDAY, "09:00").id, "fr")
        assert appointments.message_params(french)["site"] == "CMS Moulins (adresse donnée par l'assistante sociale)"


def test_the_daily_job_runs_at_start_and_stops_at_once_on_sigterm(db_url, tmp_path):
    import signal
    import time

    with session_scope(db_url) as session:
        slots.add_worker(session, "AS", "cms_2", {d: [("09:00", "10:00")] for d in range(5)})
    env = {**os.environ, "DATABASE_URL": db_url, "PASS_VAR_DIR": str(tmp_path / "var"), "PASS_OPENINGS_WEEKS": "1"}
    job = subprocess.Popen([sys.executable, "-m", "bot", "slots", "keep"], cwd=ROOT, env=env,
                           stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True)
    try:
        for _ in range(300):
            with session_scope(db_url) as session:
                if session.execute(select(Slot)).first():
                    break
            time.sleep(0.1)
        job.send_signal(signal.SIGTERM)
        assert job.wait(timeout=5) == 0  # within the launcher's grace, not killed
    finally:
        job.kill() if job.poll() is None else None
    with session_scope(db_url) as session:
        assert len(session.execute(select(Slot)).scalars().all()) >= 8  # a week of working days, weekends aside
