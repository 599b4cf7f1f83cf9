"""Fault tests of the production profile: two Rasa replicas and two action servers behind nginx,
PostgreSQL and Redis from Debian's packages on loopback (started here, on free ports), and the SMS
worker killed or answered badly by the fake Twilio."""
from __future__ import annotations

import glob
import os
import shutil
import signal
import subprocess
import sys
import tempfile
import threading
import time
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from datetime import timedelta
from pathlib import Path
from unittest import mock

import pytest
import requests

from bot import database, launcher, outage, settings, training
from bot.i18n import gettext
from bot.settings import ROOT
from bot.sms_worker import Worker
from bot.sms_transport import TwilioTransport
from tests.e2e import free_port
from tests import fake_twilio
from tests.fake_twilio import Fault, FakeTwilio
from tests.test_webchat_http import Chat
from tests.test_sms_outbox import IN_THREE_DAYS, book, make_due, person, rows

TOKEN = "faults-token"
REST_TOKEN = "faults-rest-token"  # the REST channel is off in production without one


@dataclass
class Prod:
    launcher: launcher.Launcher
    url: str  # nginx
    replicas: list[str]
    stores: dict[str, str]
    twilio: FakeTwilio
    var_dir: Path

    def sms(self, params: dict[str, str], replica: int | None = None) -> requests.Response:
        """An incoming SMS signed as Twilio signs it for our public URL (nginx), posted there or
        straight to one replica."""
        public = f"{self.url}/webhooks/twilio/webhook"
        target = public if replica is None else f"{self.replicas[replica]}/webhooks/twilio/webhook"
        return fake_twilio.post_webhook(target, params, signature=fake_twilio.sign(public, params))

    def say(self, sender: str, text: str, url: str | None = None) -> requests.Response:
        return requests.post(f"{url or self.url}/webhooks/rest/webhook", json={"sender": sender, "message": text},
                             headers={"Authorization": f"Bearer {REST_TOKEN}"}, timeout=60)

    def texts(self, sender: str, text: str, url: str | None = None) -> list[str]:
        reply = self.say(sender, text, url)
        assert reply.status_code == 200, reply.text
        return [m.get("text", "") for m in reply.json()]

    def tracker(self, sender: str) -> dict:
        reply = requests.get(f"{self.url}/conversations/{sender}/tracker", params={"token": TOKEN}, timeout=30)
        reply.raise_for_status()
        return reply.json()

    def postgres(self, action: str) -> None:
        subprocess.run([str(ROOT / "scripts/postgres.sh"), action, "pass", "pass_tracker"], env=self.stores,
                       check=True, stdout=subprocess.DEVNULL)


def _missing_binaries() -> list[str]:
    missing = [name for name in ("nginx", "redis-server") if not (shutil.which(name) or Path(f"/usr/sbin/{name}").exists()
                                                                  or Path(f"/usr/bin/{name}").exists())]
    if not glob.glob("/usr/lib/postgresql/*/bin/postgres"):
        missing.append("postgresql")
    return missing


@pytest.fixture(scope="module")
def prod():
    missing = _missing_binaries()
    if missing and os.geteuid() != 0:
        pytest.skip(f"needs Debian's {', '.join(missing)} (make test installs them)")
    if shutil.which("nginx") is None and not Path("/usr/sbin/nginx").exists():
        pytest.skip("needs Debian's nginx-light (make test installs it)")
    home = Path(tempfile.mkdtemp(prefix="pass-faults-"))
    home.chmod(0o755)  # the postgres user keeps its cluster in here
    stores = {**os.environ, "PASS_TEST_PG_PORT": str(free_port()), "PASS_PG_DIR": str(home / "postgres"),
              "PASS_REDIS_PORT": str(free_port()), "PASS_REDIS_DIR": str(home / "redis")}
    pg = subprocess.run([str(ROOT / "scripts/postgres.sh"), "start", "pass", "pass_tracker"], env=stores, check=True,
                        capture_output=True, text=True).stdout.strip()
    redis = subprocess.run([str(ROOT / "scripts/redis.sh"), "start"], env=stores, check=True,
                           capture_output=True, text=True).stdout.strip()
    ports = [free_port() for _ in range(7)]
    twilio = FakeTwilio().start()
    env = {"TWILIO_ACCOUNT_SID": fake_twilio.ACCOUNT_SID, "TWILIO_AUTH_TOKEN": fake_twilio.AUTH_TOKEN,
           "TWILIO_FROM": "+33700000000", "TWILIO_API_BASE_URL": twilio.url,"PASS_VAR_DIR": str(home / "var"), "DATABASE_URL": pg, "TRACKER_DATABASE_URL": pg[:-len("/pass")] + "/pass_tracker",
           "REDIS_URL": redis, "RASA_PORT": str(ports[0]), "ACTION_PORT": str(ports[1]),
           "RASA_REPLICA_PORTS": f"{ports[2]},{ports[3]}", "ACTION_REPLICA_PORTS": f"{ports[4]},{ports[5]}",
           "RASA_TOKEN": TOKEN, "PASS_REST_TOKEN": REST_TOKEN, "RASA_TELEMETRY_ENABLED": "false",
           "CONSOLE_PORT": str(ports[6])}
    runner = None
    try:
        with mock.patch.dict(os.environ, env):
            cfg = settings.load()
            model = training.ensure_model()
            database.upgrade(cfg.database_url)
            runner = launcher.Launcher(launcher.prod_services(cfg, model), launcher.prod_environment(cfg))
        runner.start()
        runner.wait_until_ready()
        yield Prod(runner, cfg.rasa_url, [f"http://127.0.0.1:{port}" for port in cfg.rasa_replica_ports], stores,
                   twilio, home / "var")
    finally:
        if runner is not None:
            runner.stop()
        twilio.stop()
        subprocess.run([str(ROOT / "scripts/redis.sh"), "stop"], env=stores)
        subprocess.run([str(ROOT / "scripts/postgres.sh"), "stop"], env=stores)
        shutil.rmtree(home, ignore_errors=True)


# The French screening answered by numbers, and what each answer must bring (as in test_conversation).
SCREENING = [("bonjour", "12 mois"), ("1", "Acceptez-vous"), ("1", "problème de santé"), ("1", "couverture"),
             ("2", "payer le médecin"), ("2", "Saint-Denis"), ("1", "Bonne nouvelle")]


@pytest.mark.e2e
def test_a_conversation_alternating_between_replicas_keeps_its_state(prod):
    sender = "faults-alternate"
    for n, (text, expected) in enumerate(SCREENING):
        replies = prod.texts(sender, text, url=prod.replicas[n % 2])
        assert any(expected in reply for reply in replies), (text, replies)
    slots = prod.tracker(sender)["slots"]
    assert (slots["current_cover"], slots["saint_denis_link"], slots["pass_eligible"]) == ("puma_only", True, True)


@pytest.mark.e2e
def test_messages_sent_at_once_to_both_replicas_are_handled_one_after_the_other(prod):
    """The Redis lock: each message's whole turn ends before the next one's starts, whichever
    replica gets it (with a lock per process, or Rasa's own Redis lock whose tickets are not
    atomic, two turns could run at once and one message be lost: bot/channels/lock_store.py)."""
    sender = "faults-at-once"
    prod.texts(sender, "bonjour")
    with ThreadPoolExecutor(8) as pool:
        replies = list(pool.map(lambda n: prod.say(sender, "bonjour", url=prod.replicas[n % 2]), range(8)))
    assert [r.status_code for r in replies] == [200] * 8, [r.text[:200] for r in replies]
    kinds = [e["event"] if e["event"] == "user" else "listen" for e in prod.tracker(sender)["events"]
             if e["event"] == "user" or (e["event"] == "action" and e.get("name") == "action_listen")]
    assert kinds.count("user") == 9, kinds
    assert "user" not in {kinds[i] for i in range(len(kinds) - 1) if kinds[i] == kinds[i + 1]}  # never two in a row


@pytest.mark.e2e
def test_the_database_going_away_gets_a_polite_answer_and_the_conversation_goes_on_when_it_returns(prod):
    sender = "faults-database"
    prod.texts(sender, "bonjour")
    assert any("Acceptez-vous" in t for t in prod.texts(sender, "1"))
    web = Chat(prod)  # the web chat page, loaded before the outage
    web.say(start=True)
    prod.postgres("stop")
    try:
        reply = prod.say(sender, "1")
        assert reply.status_code == 503
        assert [m["text"] for m in reply.json()] == [gettext(outage.TRY_AGAIN_LATER, "fr")]
        written = web.post({"text": "hello, I need to see a doctor please"})
        assert written.status_code == 503
        assert written.json()["text"] == gettext(outage.TRY_AGAIN_LATER, "en")  # the page shows it as is
    finally:
        prod.postgres("start")
    # Back: the first request may meet a dead pooled connection; the person writes again.
    for _ in range(5):
        reply = prod.say(sender, "1")
        if reply.status_code == 200:
            break
        assert [m["text"] for m in reply.json()] == [gettext(outage.TRY_AGAIN_LATER, "fr")]
        time.sleep(1)
    assert any("problème de santé" in m.get("text", "") for m in reply.json())  # consent kept, form goes on


def _sms_to(prod: Prod, number: str, before: int, timeout: float = 30) -> list[str]:
    """What the fake Twilio got for `number` after the first `before`, once it stops growing."""
    deadline, seen, quiet = time.monotonic() + timeout, before, time.monotonic()
    while time.monotonic() < deadline:
        count = len(prod.twilio.sent_to(number))
        if count != seen:
            seen, quiet = count, time.monotonic()
        elif count > before and time.monotonic() - quiet > 1.5:
            break
        time.sleep(0.1)
    return prod.twilio.sent_to(number)[before:]


@pytest.mark.e2e
def test_an_sms_during_a_database_outage_is_answered_when_twilio_retries_it(prod):
    """The message is not marked as seen while nothing could be stored: Twilio gets a 503 (and
    retries), the person one "try again later" in their language; the retry after the outage is
    answered, and a retry of that one is not answered twice."""
    number = "+33612000111"
    params = {"MessageSid": "SMoutage0000000000000000000000001", "From": number, "To": "+33700000000",
              "NumMedia": "0", "Body": "hello, I need to see a doctor please"}
    prod.postgres("stop")
    try:
        assert prod.sms(params, replica=0).status_code == 503
        assert _sms_to(prod, number, 0) == [gettext(outage.TRY_AGAIN_LATER, "en")]
        assert prod.sms(params, replica=0).status_code == 503  # Twilio's retry during the outage
        time.sleep(1)
        assert len(prod.twilio.sent_to(number)) == 1  # told once
    finally:
        prod.postgres("start")
    for _ in range(10):  # the first request after may meet a dead pooled connection
        if prod.sms(params).status_code == 200:
            break
        time.sleep(1)
    answered = _sms_to(prod, number, 1)
    assert answered and gettext(outage.TRY_AGAIN_LATER, "en") not in answered  # the greeting
    assert prod.sms(params).status_code == 200  # one more retry: acknowledged, not answered again
    time.sleep(2)
    assert len(prod.twilio.sent_to(number)) == 1 + len(answered)


@pytest.mark.e2e
def test_sms_of_one_person_sent_to_both_replicas_are_taken_in_the_order_they_came(prod):
    """The per-person order of SMS turns is a ticket of the shared lock store (Redis), not a
    lock of one process: a burst spread over the two replicas keeps its order."""
    from bot import people, phones

    number = "+33612000222"
    burst = ["bonjour", "français", "oui d'accord", "j'ai mal au dos depuis un mois", "non je n'ai rien",
             "je ne peux pas payer"]  # words: what the tracker keeps as they were written
    for n, text in enumerate(burst):
        params = {"MessageSid": f"SMorder{n:026d}", "From": number, "To": "+33700000000", "NumMedia": "0",
                  "Body": text}
        threading.Thread(target=prod.sms, args=(params, n % 2), daemon=True).start()
        # Typed a quarter of a second apart: each arrives while the previous one's turn runs on
        # the other replica (a replica busy reading a message may take a later one's ticket
        # first if both arrive within a few milliseconds: arrival order is all a server can keep).
        time.sleep(0.25)
    sender = people.sms_sender_id(phones.parse(number), (prod.var_dir / "hash.key").read_text().strip())
    deadline = time.monotonic() + 120
    while time.monotonic() < deadline:
        said = [e.get("text") for e in prod.tracker(sender)["events"] if e["event"] == "user"]
        if len(said) == len(burst):
            break
        time.sleep(1)
    assert said == burst


@pytest.mark.e2e
def test_restarting_the_rasa_servers_mid_form_resumes_the_form(prod):
    sender = "faults-restart"
    for text, expected in SCREENING[:3]:
        assert any(expected in t for t in prod.texts(sender, text))
    prod.launcher.kill("rasa-1")
    prod.launcher.kill("rasa-2")
    prod.launcher.restart("rasa-1")  # nginx sends everything to it while rasa-2 is away
    for text, expected in SCREENING[3:]:
        assert any(expected in t for t in prod.texts(sender, text)), text
    prod.launcher.restart("rasa-2")
    assert prod.tracker(sender)["slots"]["pass_eligible"] is True


READY_TIMEOUT = 180


class Supervisor:
    """The launcher's watch loop (bot/launcher.py) in a thread, for one test: the other tests
    kill and restart processes themselves."""

    def __init__(self, runner: launcher.Launcher) -> None:
        self.runner, self.stopping = runner, threading.Event()
        self.thread = threading.Thread(target=self._loop, daemon=True)

    def _loop(self) -> None:
        while not self.stopping.is_set():
            self.runner.supervise_once(time.monotonic(), check_health=True)
            time.sleep(0.5)

    def __enter__(self) -> "Supervisor":
        self.thread.start()
        return self

    def __exit__(self, *_) -> None:
        self.stopping.set()
        self.thread.join()

    def restarted(self, name: str, before: int, timeout: float = READY_TIMEOUT) -> bool:
        deadline = time.monotonic() + timeout
        service = next(s for s in self.runner.to_start if s.name == name)
        while time.monotonic() < deadline:
            supervised = self.runner.supervised[name]
            if supervised.restarts > before and supervised.process.poll() is None and self.runner.healthy(service):
                return True
            time.sleep(0.5)
        return False


def _screen(prod: Prod, sender: str) -> bool:
    """One French screening in words, each message written again if the assistant could not
    take it (as a person does when nothing comes back). True when every message got an answer
    and the conversation holds each of them, in order: nothing of it was lost. (A message whose
    replica died after storing its turn but before answering is written twice: the form then
    reads the second one as the next answer, as it would from a person.)"""
    messages = SCREENING_IN_WORDS
    for text in messages:
        for _ in range(30):
            try:
                reply = prod.say(sender, text)
            except requests.RequestException:
                reply = None
            if reply is not None and reply.status_code == 200 and any(m.get("text") for m in reply.json()):
                break
            time.sleep(1)
        else:
            return False
    said = iter(e.get("text") for e in prod.tracker(sender)["events"] if e["event"] == "user")
    return all(text in said for text in messages)  # each one, in order (a repeat may sit between)


SCREENING_IN_WORDS = ["bonjour", "français", "oui d'accord", "oui j'ai mal au ventre", "non je n'ai aucune couverture",
                      "non je ne peux pas payer", "oui j'habite à Saint-Denis"]


@pytest.mark.e2e
def test_a_replica_an_action_server_and_a_worker_killed_in_turn_are_restarted_and_no_conversation_is_lost(prod):
    names = ["rasa-1", "actions-1", "sms-1"]
    with Supervisor(prod.launcher) as supervisor, ThreadPoolExecutor(3) as pool:
        for round_, name in enumerate(names):
            screenings = [pool.submit(_screen, prod, f"faults-supervised-{round_}-{n}") for n in range(3)]
            time.sleep(1)  # the conversations are under way
            before = prod.launcher.supervised[name].restarts
            prod.launcher.kill(name)  # SIGKILL, as a crash
            assert supervisor.restarted(name, before), f"{name} was not restarted"
            assert [f.result(timeout=300) for f in screenings] == [True] * 3, name
    assert all(state.startswith("up") for state in prod.launcher.states().values()), prod.launcher.states()


def test_a_worker_killed_ten_times_mid_batch_loses_nothing_and_sends_nothing_twice(cfg, fake):
    numbers = [f"+336555444{n:02d}" for n in range(30)]
    for n, number in enumerate(numbers):
        book(cfg, person(cfg, number), IN_THREE_DAYS + timedelta(hours=n))
    make_due(cfg)
    fake.create_delay = 0.1  # most of a worker's time is spent inside a request
    env = {**os.environ, "PASS_SMS_POLL_SECONDS": "0.2", "PASS_SMS_CLAIM_STALE_SECONDS": "1",
           "PASS_SMS_RECONCILE_AFTER_SECONDS": "1", "LOG_LEVEL": "WARNING"}
    start = lambda: subprocess.Popen([sys.executable, "-m", "bot", "sms", "worker"], cwd=ROOT, env=env,
                                     stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    for _ in range(10):
        before = len(fake.messages)
        worker = start()
        try:
            deadline = time.monotonic() + 60
            while len(fake.messages) < before + 2 and time.monotonic() < deadline:
                time.sleep(0.02)
            worker.send_signal(signal.SIGKILL)
            worker.wait()
        finally:
            worker.kill()
    assert len(fake.messages) < 2 * len(numbers)  # the kills did interrupt the sending
    last = start()
    try:
        deadline = time.monotonic() + 120
        while time.monotonic() < deadline and any(r.status != "sent" for r in rows(cfg)):
            time.sleep(0.2)
    finally:
        last.send_signal(signal.SIGTERM)
        last.wait(timeout=20)
    for number in numbers:
        assert len(fake.sent_to(number)) == 2, number  # the 2-day and the 1-day reminder, once each
    assert {r.status for r in rows(cfg)} == {"sent"}


def test_twilio_answering_429_500_and_too_late_gets_retries_and_no_duplicates(cfg, fake, monkeypatch):
    numbers = [f"+336555333{n:02d}" for n in range(10)]
    for n, number in enumerate(numbers):
        book(cfg, person(cfg, number), IN_THREE_DAYS + timedelta(hours=n))
    make_due(cfg)
    fake.fail_next(*[Fault(status=429), Fault(status=500), Fault(delay=1.5)] * 4)
    # Settled well after the HTTP timeout (as in production: 60 s for 10 s), so a send still
    # under way is never taken for a lost one.
    monkeypatch.setattr("bot.sms_worker.RECONCILE_AFTER", timedelta(seconds=3))
    workers = [Worker(cfg, TwilioTransport(cfg, timeout=1), name=f"w{i}") for i in range(2)]
    for _ in range(40):
        make_due(cfg)  # the backoff has passed
        threads = [threading.Thread(target=w.run_once) for w in workers]
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join()
        if all(r.status == "sent" for r in rows(cfg)):
            break
        time.sleep(0.5)
    assert not fake.faults  # every fault was met
    for number in numbers:
        assert len(fake.sent_to(number)) == 2, number  # the 2-day and the 1-day reminder, once each
    assert {r.status for r in rows(cfg)} == {"sent"}
    assert sorted(m["sid"] for m in fake.messages) == sorted(r.twilio_sid for r in rows(cfg))  # one message per row
