"""Reminder dispatch: N due reminders sent by the real SMS workers (`python -m bot sms worker`)
to the fake Twilio; how long it takes and whether each went out exactly once."""
from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
from collections import Counter
from datetime import datetime, timedelta, timezone

from sqlalchemy import func, select, update

from bot import outbox, people, phones, settings
from bot.booking import appointments
from bot.database import session_scope, upgrade
from bot.models import OutboundSms, Slot, SocialWorker
from bot.settings import ROOT
from tests.fake_twilio import ACCOUNT_SID, AUTH_TOKEN, FakeTwilio

REMINDERS_PER_BOOKING = 2  # the 2-day and the 1-day reminder


def _book_people(cfg: settings.Settings, count: int) -> list[str]:
    """`count` people with a phone and an appointment in a week (which writes their reminders)."""
    start = (datetime.now(timezone.utc) + timedelta(days=7)).replace(minute=0, second=0, microsecond=0)
    numbers = [f"+3361{n:07d}" for n in range(count)]
    with session_scope(cfg.database_url) as session:
        worker = SocialWorker(name="AS bench", site="cms_1")
        session.add(worker)
        session.flush()
        for n, number in enumerate(numbers):
            address = phones.parse(number)
            key = people.person_key(people.sms_sender_id(address, cfg.hash_key), cfg.hash_key)
            person = people.set_phone(session, key, address, cfg.hash_key, cfg.data_key)
            person.language = "fr"
            slot = Slot(worker_id=worker.id, site="cms_1", start_at=start + timedelta(minutes=30 * n),
                        end_at=start + timedelta(minutes=30 * n + 30))
            session.add(slot)
            session.flush()
            appointments.book(session, slot.id, "fr", person.id)
        # Their day has come: every reminder is due now.
        session.execute(update(OutboundSms).where(OutboundSms.status == "pending")
                        .values(due_at=outbox.utcnow() - timedelta(seconds=1)).execution_options(synchronize_session=False))
    return numbers


def run(database_url: str, var_dir: str, reminders: int, workers: int = 2, timeout: float = 420) -> dict:
    fake = FakeTwilio().start()
    env = {**os.environ, "DATABASE_URL": database_url, "PASS_VAR_DIR": var_dir,
           "TWILIO_ACCOUNT_SID": ACCOUNT_SID, "TWILIO_AUTH_TOKEN": AUTH_TOKEN, "TWILIO_FROM": "+33700000000",
           "TWILIO_API_BASE_URL": fake.url, "PASS_SMS_WINDOW": "Mon-Sun 00:00-24:00",
           "PASS_SMS_POLL_SECONDS": "0.5", "LOG_LEVEL": "WARNING"}
    saved = {name: os.environ.get(name) for name in env}
    os.environ.update(env)
    try:
        cfg = settings.load()
        upgrade(database_url)
        setup_started = time.perf_counter()
        numbers = _book_people(cfg, reminders // REMINDERS_PER_BOOKING)
        setup_seconds = time.perf_counter() - setup_started
        with session_scope(database_url) as session:
            due = session.execute(select(func.count()).select_from(OutboundSms).where(OutboundSms.status == "pending")).scalar()
        started = time.perf_counter()
        processes = [subprocess.Popen([sys.executable, "-m", "bot", "sms", "worker"], cwd=ROOT, env=env,
                                      stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL) for _ in range(workers)]
        try:
            while time.perf_counter() - started < timeout:
                with session_scope(database_url) as session:
                    sent = session.execute(select(func.count()).select_from(OutboundSms)
                                           .where(OutboundSms.status == "sent")).scalar()
                if sent >= due:
                    break
                time.sleep(0.5)
            seconds = time.perf_counter() - started
        finally:
            for process in processes:
                process.send_signal(signal.SIGTERM)
            for process in processes:
                process.wait(timeout=30)
        time.sleep(0.5)  # anything a worker still had in flight has landed
        with session_scope(database_url) as session:
            statuses = Counter(session.execute(select(OutboundSms.status)).scalars())
            sids = list(session.execute(select(OutboundSms.twilio_sid).where(OutboundSms.status == "sent")).scalars())
        per_phone = Counter(m["to"] for m in fake.messages)
        exactly_once = (len(fake.messages) == due == statuses.get("sent", 0) == len(set(sids))
                        and all(per_phone[phones.parse(n).twilio] == REMINDERS_PER_BOOKING for n in numbers))
        return {"reminders": due, "workers": workers, "seconds": round(seconds, 1),
                "per_second": round(statuses.get("sent", 0) / seconds, 1), "received_by_twilio": len(fake.messages),
                "statuses": dict(statuses), "exactly_once": exactly_once, "setup_seconds": round(setup_seconds, 1)}
    finally:
        fake.stop()
        for name, value in saved.items():
            if value is None:
                os.environ.pop(name, None)
            else:
                os.environ[name] = value
