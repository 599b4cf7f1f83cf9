"""WhatsApp's 24-hour rule (bot/whatsapp.py): inside the window a reminder goes as written,
outside it as an approved template, else by SMS to the same number; what WhatsApp refuses goes
by SMS, and what nothing delivers becomes a task for the team. Against the fake Twilio."""
from __future__ import annotations

import json
from datetime import timedelta

from sqlalchemy import select

from bot import outbox
from bot.database import session_scope
from bot.models import OutboundSms, Person, PersonRequest
from tests.fake_twilio import Fault
from tests.test_sms_outbox import IN_THREE_DAYS, book, make_due, person, rows, worker

NUMBER = "+33612345678"


def whatsapp_person(cfg, last_wrote: timedelta | None, language: str = "fr") -> int:
    person_id = person(cfg, f"whatsapp:{NUMBER}", language)
    with session_scope(cfg.database_url) as session:
        session.get(Person, person_id).whatsapp_inbound_at = (outbox.utcnow() - last_wrote) if last_wrote else None
    return person_id


def templates(tmp_path, monkeypatch, **sids: str) -> None:
    """A templates file as the city fills it once Meta has approved them."""
    path = tmp_path / "templates.yaml"
    path.write_text("reminder:\n  variables: [when, sms_site, reference]\n  content_sid: "
                    + json.dumps(sids) + "\n", encoding="utf-8")
    monkeypatch.setenv("PASS_WHATSAPP_TEMPLATES", str(path))


def test_inside_the_window_a_reminder_goes_on_whatsapp_as_written(cfg, fake):
    book(cfg, whatsapp_person(cfg, timedelta(hours=3)), IN_THREE_DAYS)
    make_due(cfg)
    worker(cfg).run_once()
    sent = [m for m in fake.messages if m["to"] == f"whatsapp:{NUMBER}"]
    assert len(sent) == 2 and all(m["body"].startswith("Rappel") and not m["content_sid"] for m in sent)


def test_outside_the_window_a_reminder_goes_as_the_approved_template(cfg, fake, tmp_path, monkeypatch):
    templates(tmp_path, monkeypatch, fr="HX" + "1" * 32)
    reference = book(cfg, whatsapp_person(cfg, timedelta(days=3)), IN_THREE_DAYS)
    make_due(cfg)
    worker(cfg).run_once()
    sent = [m for m in fake.messages if m["to"] == f"whatsapp:{NUMBER}"]
    assert len(sent) == 2 and all(m["content_sid"] == "HX" + "1" * 32 and not m["body"] for m in sent)
    variables = json.loads(sent[0]["content_variables"])
    assert variables["3"] == reference and set(variables) == {"1", "2", "3"}
    assert {r.via for r in rows(cfg)} == {"template"}


def test_outside_the_window_without_a_template_the_reminder_goes_by_sms(cfg, fake, tmp_path, monkeypatch):
    templates(tmp_path, monkeypatch, fr="HX" + "1" * 32)  # French only: this person reads Spanish
    book(cfg, whatsapp_person(cfg, None, language="es"), IN_THREE_DAYS)
    make_due(cfg)
    worker(cfg).run_once()
    assert fake.sent_to(f"whatsapp:{NUMBER}") == []
    bodies = fake.sent_to(NUMBER)
    assert len(bodies) == 2 and all(b.startswith("Recordatorio") for b in bodies)


def test_whatsapp_refusing_a_message_63016_sends_it_by_sms_instead(cfg, fake):
    book(cfg, whatsapp_person(cfg, timedelta(hours=23, minutes=59)), IN_THREE_DAYS)
    make_due(cfg)
    fake.fail_next(Fault(status=400, code=63016), Fault(status=400, code=63016))
    sender = worker(cfg)
    sender.run_once()
    assert {(r.status, r.via) for r in rows(cfg)} == {("pending", "sms")}  # never dropped
    sender.run_once()
    assert len(fake.sent_to(NUMBER)) == 2 and {r.status for r in rows(cfg)} == {"sent"}


def test_a_refusal_reported_later_by_the_status_callback_also_falls_back(cfg, fake):
    book(cfg, whatsapp_person(cfg, timedelta(hours=1)), IN_THREE_DAYS)
    make_due(cfg)
    worker(cfg).run_once()
    sid = rows(cfg)[0].twilio_sid
    with session_scope(cfg.database_url) as session:
        assert outbox.record_status(session, sid, "undelivered", "63016")
    row = rows(cfg)[0]
    assert (row.status, row.via, row.twilio_sid) == ("pending", "sms", None)


def test_when_neither_whatsapp_nor_sms_gets_through_the_team_gets_a_task(cfg, fake):
    person_id = whatsapp_person(cfg, timedelta(hours=1))
    book(cfg, person_id, IN_THREE_DAYS)
    make_due(cfg)
    fake.fail_next(*[Fault(status=400, code=63016)] * 2, *[Fault(status=400, code=21610)] * 2)
    sender = worker(cfg)
    sender.run_once()
    sender.run_once()
    assert {(r.status, r.via) for r in rows(cfg)} == {("failed", "sms")}
    with session_scope(cfg.database_url) as session:
        tasks = session.execute(select(PersonRequest).where(PersonRequest.person_id == person_id)).scalars().all()
        assert [(t.kind, t.status) for t in tasks] == [("undelivered", "open")]  # one, not one per SMS
