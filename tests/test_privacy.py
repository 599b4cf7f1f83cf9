"""Erasure, right of access and retention (bot/privacy.py), through the staff command line."""
import json
import sqlite3
import time
from datetime import datetime, timedelta, timezone

import pytest
from cryptography.fernet import Fernet
from sqlalchemy import func, select

from bot import __main__ as cli, people, phones, privacy, settings
from bot.booking import appointments
from bot.database import session_scope
from bot.models import Appointment, OutboundSms, Person, PersonRequest, Screening, Slot, SocialWorker
from bot.screening import evaluate

PHONE = "+33612345678"
ANSWERS = {"health_problem": True, "current_cover": "none", "can_advance_fees": False, "saint_denis_link": True}


@pytest.fixture
def cfg(db_url, tmp_path, monkeypatch):
    monkeypatch.setenv("PASS_VAR_DIR", str(tmp_path / "var"))
    monkeypatch.setenv("DATABASE_URL", db_url)
    monkeypatch.setenv("TRACKER_DB", str(tmp_path / "tracker.db"))
    cfg = settings.load()
    with sqlite3.connect(cfg.tracker_db) as db:  # the columns of Rasa's SQLTrackerStore
        db.execute("CREATE TABLE events (id INTEGER PRIMARY KEY, sender_id VARCHAR(255), type_name VARCHAR(255),"
                   " timestamp FLOAT, intent_name VARCHAR(255), action_name VARCHAR(255), data TEXT)")
    return cfg


def say(cfg, sender: str, text: str, when: float | None = None) -> None:
    when = when or time.time()
    with sqlite3.connect(cfg.tracker_db) as db:
        db.execute("INSERT INTO events (sender_id, type_name, timestamp, data) VALUES (?, 'user', ?, ?)",
                   (sender, when, json.dumps({"event": "user", "timestamp": when, "text": text})))


def tracker_senders(cfg) -> set[str]:
    with sqlite3.connect(cfg.tracker_db) as db:
        return {row[0] for row in db.execute("SELECT sender_id FROM events")}


def sms_person(cfg, phone: str = PHONE, last_seen: datetime | None = None) -> tuple[str, int]:
    """Someone who texted, agreed, was screened, asked for a human and booked (with reminders)."""
    address = phones.parse(phone)
    sender = people.sms_sender_id(address, cfg.hash_key)
    key = people.person_key(sender, cfg.hash_key)
    with session_scope(cfg.database_url) as session:
        person = people.set_phone(session, key, address, cfg.hash_key, cfg.data_key)
        person.language = "fr"
        people.record_consent(session, key)
        people.save_screening(session, key, ANSWERS, evaluate(**ANSWERS))
        people.record_request(session, key, "human")
        worker = SocialWorker(name="AS", site="cms_1")
        start = datetime.now(timezone.utc).replace(microsecond=0) + timedelta(days=5)
        session.add(worker)
        session.flush()
        slot = Slot(worker_id=worker.id, site="cms_1", start_at=start, end_at=start + timedelta(minutes=30))
        session.add(slot)
        session.flush()
        appointments.book(session, slot.id, "fr", person.id)  # writes its reminders too
        if last_seen:
            session.flush()
            person.last_seen_at = last_seen
        person_id = person.id
    say(cfg, sender, "je n'ai pas de papiers")
    return sender, person_id


def counts(cfg) -> dict[str, int]:
    with session_scope(cfg.database_url) as session:
        return {model.__tablename__: session.execute(select(func.count()).select_from(model)).scalar_one()
                for model in (Person, Screening, PersonRequest, Appointment, OutboundSms)}


def test_export_gives_the_person_everything_kept_about_them(cfg, capsys):
    sms_person(cfg)
    assert cli.main(["privacy", "export", "06 12 34 56 78"]) == 0
    data = json.loads(capsys.readouterr().out)
    [person] = data["people"]
    assert person["phone"] == PHONE
    assert person["consent"]["version"] == people.CONSENT_VERSIONS["sms"]
    assert person["screenings"][0]["current_cover"] == "none"
    assert [r["kind"] for r in person["requests"]] == ["human"]
    assert person["appointments"][0]["status"] == "booked"
    assert {row["kind"] for row in person["sms"]} == {"reminder_2d", "reminder_1d"}
    assert [line["text"] for line in data["conversation"]] == ["je n'ai pas de papiers"]


def test_erase_by_phone_leaves_nothing_of_the_person_and_keeps_the_counts(cfg, capsys, tmp_path):
    sender, _ = sms_person(cfg)
    other_sender, _ = sms_person(cfg, "+33611111111")
    before = counts(cfg)

    assert cli.main(["privacy", "erase", PHONE]) == 0
    said = capsys.readouterr().out
    assert "erased …78" in said and PHONE not in said

    after = counts(cfg)
    assert after["person"] == before["person"] - 1
    # The dashboard's counts survive: the screening outcome, the request, the booked slot.
    assert (after["screening"], after["person_request"], after["appointment"]) == \
        (before["screening"], before["person_request"], before["appointment"])
    assert after["outbound_sms"] < before["outbound_sms"]  # their reminders are gone
    with session_scope(cfg.database_url) as session:
        anonymous = session.execute(select(Screening).where(Screening.person_id.is_(None))).scalars().all()
        assert len(anonymous) == 1 and anonymous[0].pass_eligible is True
        assert all(getattr(anonymous[0], name) is None for name in privacy.ANSWER_COLUMNS)
        slot_kept = session.execute(select(Appointment).where(Appointment.person_id.is_(None))).scalar_one()
        assert slot_kept.status == "booked"
        assert session.execute(select(OutboundSms).where(OutboundSms.appointment_id == slot_kept.id)).first() is None
    assert tracker_senders(cfg) == {other_sender}
    # The other person is untouched; a second erase finds nothing.
    assert cli.main(["privacy", "export", "+33611111111"]) == 0
    assert json.loads(capsys.readouterr().out)["people"]
    assert cli.main(["privacy", "erase", PHONE]) == 1
    assert "nothing kept" in capsys.readouterr().out
    assert cli.main(["privacy", "export", PHONE]) == 0
    assert json.loads(capsys.readouterr().out) == {"people": [], "conversation": []}


def test_a_staff_command_with_no_phone_number_is_refused(cfg, capsys):
    assert cli.main(["privacy", "erase", "not a number"]) == 2
    assert cli.main(["privacy", "export"]) == 2


def test_retention_erases_whoever_has_been_silent_too_long_and_keeps_the_counts(cfg, capsys, monkeypatch):
    long_ago = datetime.now(timezone.utc) - timedelta(days=400)
    old_sender, _ = sms_person(cfg, "+33622222222", last_seen=long_ago)
    with sqlite3.connect(cfg.tracker_db) as db:
        db.execute("UPDATE events SET timestamp = ? WHERE sender_id = ?", (long_ago.timestamp(), old_sender))
    say(cfg, "web-old", "hello", when=long_ago.timestamp())
    recent_sender, _ = sms_person(cfg, "+33633333333")
    say(cfg, "web-recent", "hello")
    before = counts(cfg)

    assert cli.main(["privacy", "retention"]) == 0
    assert "1 people" in capsys.readouterr().out

    after = counts(cfg)
    assert after["person"] == before["person"] - 1
    assert after["screening"] == before["screening"] and after["appointment"] == before["appointment"]
    assert tracker_senders(cfg) == {recent_sender, "web-recent"}
    monkeypatch.setenv("PASS_RETENTION_DAYS", "0")  # configurable: now everyone is too old
    assert cli.main(["privacy", "retention"]) == 0
    assert counts(cfg)["person"] == 0 and tracker_senders(cfg) == set()


def test_the_sms_worker_runs_the_retention_job_once_a_day(cfg):
    from bot.sms_transport import DryRunTransport
    from bot.sms_worker import Worker

    long_ago = datetime.now(timezone.utc) - timedelta(days=400)
    sms_person(cfg, "+33644444444", last_seen=long_ago)
    now = [datetime.now(timezone.utc)]
    worker = Worker(cfg, DryRunTransport(), clock=lambda: now[0])
    worker.retention_if_due()
    assert counts(cfg)["person"] == 0
    sms_person(cfg, "+33655555555", last_seen=long_ago)
    now[0] += timedelta(hours=23)
    worker.retention_if_due()
    assert counts(cfg)["person"] == 1  # not yet: once a day
    now[0] += timedelta(hours=2)
    worker.retention_if_due()
    assert counts(cfg)["person"] == 0


NOTICE_OF_VERSION = {  # the English notice each consent version stands for (people.CONSENT_VERSIONS)
    "2026-11-v2": "We keep your language and your answers (and your number, encrypted, for SMS) to guide "
                  "you to care, until 12 months after your last message. Only the social workers of the "
                  "city see them. To erase everything, write DELETE.",  # web and SMS until 2026-12
    "2026-12-web-v3": "We keep your language and your answers (and your number, encrypted, for SMS) to guide "
                      "you to care, until 12 months after your last message. Only the social workers of the "
                      "city see them. To erase everything, write DELETE.",
    "2026-12-sms-v3": "We keep your language, answers and number (encrypted) to guide you to care, until 12 "
                      "months after your last message. Only the city's social workers see them. To erase "
                      "all: DELETE.",
}


def test_each_consent_version_names_the_exact_text_of_its_channel(db_url):
    from bot import phones
    from bot.responses import RESPONSES

    notice = RESPONSES["utter_consent_notice"]
    assert notice.text == NOTICE_OF_VERSION[people.CONSENT_VERSIONS["web"]]
    assert notice.sms == NOTICE_OF_VERSION[people.CONSENT_VERSIONS["sms"]]
    assert len(set(people.CONSENT_VERSIONS.values())) == 2
    with session_scope(db_url) as session:
        assert people.record_consent(session, "web-key").consent_version == people.CONSENT_VERSIONS["web"]
        people.set_phone(session, "sms-key", phones.parse("+33612345678"), "h" * 32, Fernet.generate_key().decode())
        assert people.record_consent(session, "sms-key").consent_version == people.CONSENT_VERSIONS["sms"]


def test_the_consent_notice_says_what_why_how_long_who_and_how_to_erase_in_every_language():
    from bot.i18n import SUPPORTED_LANGUAGES
    from bot.rendering import SMS, render
    from bot.responses import RESPONSES

    # A changed notice needs a new version, so we know which text each person agreed to.
    assert RESPONSES["utter_consent_notice"].text == NOTICE_OF_VERSION[people.CONSENT_VERSION]
    for language in SUPPORTED_LANGUAGES:
        for kind in ("web", SMS):
            notice = render("utter_consent_notice", language, kind).text
            assert "12" in notice, language  # how long
            assert "SUPPRIMER" in notice or "DELETE" in notice, language  # how to erase: a word the bot knows
    english = render("utter_consent_notice", "en").text
    assert all(word in english for word in ("language", "answers", "guide you", "social workers"))


def test_an_erased_person_s_handoff_still_counts_but_names_no_one(db_url):
    from bot.models import Handoff, Person

    with session_scope(db_url) as session:
        person = Person(key="k" * 64)
        session.add(person)
        session.flush()
        session.add(Handoff(person_id=person.id, conversation="web-abc", channel="web", reason="request_human"))
        session.flush()
        privacy.erase_people(session, [person.id])
    with session_scope(db_url) as session:
        handoff, = session.execute(select(Handoff)).scalars()
        assert (handoff.person_id, handoff.conversation, handoff.status) == (None, "erased", "resolved")
        assert handoff.reason == "request_human" and handoff.resolved_at is not None


def test_the_name_given_and_staff_notes_are_exported_and_erased_with_the_person(cfg, capsys):
    from bot.console import search, sheet
    from bot.models import ConsoleNote

    _, person_id = sms_person(cfg)
    with session_scope(cfg.database_url) as session:
        search.set_name(session.get(Person, person_id), "Aïcha Benali", cfg.hash_key, cfg.data_key)
        sheet.add_note(session, person_id, "claire", "Vue au CMS, dossier AME à compléter", cfg.data_key)
    assert cli.main(["privacy", "export", "06 12 34 56 78"]) == 0
    [person] = json.loads(capsys.readouterr().out)["people"]
    assert person["name_given"] == "Aïcha Benali"
    assert [(n["by"], n["text"]) for n in person["staff_notes"]] == [("claire", "Vue au CMS, dossier AME à compléter")]
    assert cli.main(["privacy", "erase", PHONE]) == 0
    with session_scope(cfg.database_url) as session:
        assert session.execute(select(func.count()).select_from(ConsoleNote)).scalar_one() == 0
