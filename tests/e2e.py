"""Helpers for end-to-end tests: the real assistant, started by the real launcher."""
from __future__ import annotations

import contextlib
import os
import re
import signal
import socket
import subprocess
import sys
import time
import uuid
from dataclasses import dataclass
from pathlib import Path

import requests

from bot import people, phones
from bot.database import session_scope
from bot.settings import ROOT
from tests import fake_twilio
from tests.fake_twilio import FakeTwilio

OUR_NUMBER = "+33700000000"
QUIET_AFTER_SECONDS = 1.0  # a turn's SMS are all out when nothing more comes for this long


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def free_port_range(count: int, avoid: tuple[int, ...] = ()) -> int:
    """The first of `count` consecutive ports free now and not in `avoid` (ports chosen already)."""
    import random

    while True:
        first = random.randrange(20000, 60000 - count)
        if any(port in avoid for port in range(first, first + count)):
            continue
        try:
            with contextlib.ExitStack() as stack:
                for port in range(first, first + count):
                    sock = stack.enter_context(socket.socket())
                    sock.bind(("127.0.0.1", port))
            return first
        except OSError:
            continue


def port_open(port: int) -> bool:
    with socket.socket() as sock:
        return sock.connect_ex(("127.0.0.1", port)) == 0


@dataclass
class Assistant:
    process: subprocess.Popen
    var_dir: Path
    rasa_port: int
    action_port: int
    token: str
    log: Path
    twilio: FakeTwilio
    console_port: int = 0

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.rasa_port}"

    def say(self, sender: str, text: str, **metadata) -> list[dict]:
        body = {"sender": sender, "message": text}
        if metadata:
            body["metadata"] = metadata
        reply = requests.post(f"{self.url}/webhooks/rest/webhook", json=body, timeout=30)
        reply.raise_for_status()
        return reply.json()

    def texts(self, sender: str, text: str, **metadata) -> list[str]:
        return [m.get("text", "") for m in self.say(sender, text, **metadata)]

    @property
    def sms_webhook(self) -> str:
        return f"{self.url}/webhooks/twilio/webhook"

    def post_sms(self, phone: str, text: str | None, sid: str | None = None, **extra) -> requests.Response:
        """Post an incoming SMS to our webhook, signed as Twilio signs it."""
        params = {"MessageSid": sid or f"SM{uuid.uuid4().hex}", "From": phone, "To": OUR_NUMBER,
                  "NumMedia": "0", **extra}
        if text is not None:
            params["Body"] = text
        return fake_twilio.post_webhook(self.sms_webhook, params)

    def sms(self, phone: str, text: str | None, **extra) -> list[str]:
        """Text the assistant from a phone; the SMS it sends back (through the fake Twilio)."""
        before = len(self.twilio.sent_to(phone))
        reply = self.post_sms(phone, text, **extra)
        assert reply.status_code == 200, reply.text
        return self.wait_for_sms(phone, before)

    def wait_for_sms(self, phone: str, before: int, timeout: float = 30) -> list[str]:
        deadline, last_change, count = time.monotonic() + timeout, time.monotonic(), before
        while time.monotonic() < deadline:
            now_count = len(self.twilio.sent_to(phone))
            if now_count != count:
                count, last_change = now_count, time.monotonic()
            elif count > before and time.monotonic() - last_change > QUIET_AFTER_SECONDS:
                break
            time.sleep(0.1)
        return self.twilio.sent_to(phone)[before:]

    def metrics(self, service: str) -> str:
        """The Prometheus text of one process (its port as the launcher printed it)."""
        line = next(line for line in self.log.read_text().splitlines() if "/metrics (" in line)
        port = re.search(rf"\b{service} :(\d+)", line)[1]
        return requests.get(f"http://127.0.0.1:{port}/metrics", timeout=10).text

    def sms_sender(self, phone: str) -> str:
        """The Rasa conversation id of a phone (a keyed hash of its number)."""
        return people.sms_sender_id(phones.parse(phone), (self.var_dir / "hash.key").read_text().strip())

    def stored(self, sender: str):
        """What the app database holds for this conversation: person, screenings, request kinds."""
        key = people.person_key(sender, (self.var_dir / "hash.key").read_text().strip())
        with session_scope(f"sqlite:///{self.var_dir / 'pass.db'}") as session:
            person = people.find(session, key)
            if person is None:
                return None, [], []
            return person, list(person.screenings), [r.kind for r in person.requests]

    @property
    def console_url(self) -> str:
        return f"http://127.0.0.1:{self.console_port}"

    def create_user(self, name: str, role: str = "social_worker", password: str = "a long test password") -> subprocess.CompletedProcess:
        """`python -m bot users create`, as staff would run it (password from the environment)."""
        env = {**os.environ, "PASS_VAR_DIR": str(self.var_dir), "PASS_CONSOLE_PASSWORD": password}
        env.pop("DATABASE_URL", None)
        return subprocess.run([sys.executable, "-m", "bot", "users", "create", "--role", role, name],
                              cwd=ROOT, env=env, capture_output=True, text=True, timeout=60)

    def console_login(self, name: str, password: str = "a long test password") -> requests.Session:
        """A browser-like session signed in to the console (cookies kept, CSRF read from pages)."""
        http = requests.Session()
        page = http.get(f"{self.console_url}/login", timeout=10).text
        token = re.search(r'name="login_token" value="([^"]+)"', page)[1]
        reply = http.post(f"{self.console_url}/login", data={"login_token": token, "name": name, "password": password},
                          timeout=30)
        reply.raise_for_status()
        return http

    def slots(self, sender: str) -> dict:
        reply = requests.get(f"{self.url}/conversations/{sender}/tracker", params={"token": self.token}, timeout=10)
        reply.raise_for_status()
        return reply.json()["slots"]


def start(var_dir: Path) -> Assistant:
    rasa_port, action_port, console_port = free_port(), free_port(), free_port()
    token = "test-token"
    twilio = FakeTwilio().start()
    env = {
        **os.environ,
        "PASS_VAR_DIR": str(var_dir),
        "RASA_PORT": str(rasa_port),
        "ACTION_PORT": str(action_port),
        "RASA_TOKEN": token,
        "RASA_TELEMETRY_ENABLED": "false",
        # SMS go through the real twilio client to the fake Twilio, at any hour of the test.
        "TWILIO_ACCOUNT_SID": fake_twilio.ACCOUNT_SID, "TWILIO_AUTH_TOKEN": fake_twilio.AUTH_TOKEN,
        "TWILIO_FROM": OUR_NUMBER, "TWILIO_API_BASE_URL": twilio.url,
        "PASS_SMS_WINDOW": "Mon-Sun 00:00-24:00", "PASS_SMS_POLL_SECONDS": "0.3",
        # Social workers answer at any hour of the test.
        "CONSOLE_PORT": str(console_port), "PASS_CONSOLE_HOURS": "Mon-Sun 00:00-24:00",
        # Prometheus figures on free ports (bot/metrics.py); the launcher's log says which.
        # The SMS people of the tests answer their questions over REST (tests/test_case_conversation.py).
        "PASS_REST_ANY_CONVERSATION": "1",
        "PASS_METRICS_FIRST_PORT": str(free_port_range(8, (rasa_port, action_port, console_port))),
    }
    env.pop("DATABASE_URL", None)
    env.pop("TRACKER_DB", None)
    log = var_dir / "launcher.log"
    process = subprocess.Popen([sys.executable, "-m", "bot", "run"], cwd=ROOT, env=env,
                               stdout=log.open("w"), stderr=subprocess.STDOUT)
    assistant = Assistant(process, var_dir, rasa_port, action_port, token, log, twilio, console_port)
    deadline = time.monotonic() + 300
    while "The PASS assistant is running" not in log.read_text():
        if process.poll() is not None or time.monotonic() > deadline:
            stop(assistant)
            raise RuntimeError("assistant did not start:\n" + log.read_text()[-5000:])
        time.sleep(0.5)
    return assistant


def stop(assistant: Assistant) -> int:
    assistant.twilio.stop()
    if assistant.process.poll() is None:
        assistant.process.send_signal(signal.SIGINT)
    try:
        return assistant.process.wait(timeout=30)
    except subprocess.TimeoutExpired:
        assistant.process.kill()
        return assistant.process.wait()
