"""Helpers for end-to-end tests: the real assistant, started by the real launcher."""
from __future__ import annotations

import os
import signal
import socket
import subprocess
import sys
import time
from dataclasses import dataclass
from pathlib import Path

import requests

from bot import people
from bot.database import session_scope
from bot.settings import ROOT


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


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

    def stored(self, sender: str):
        """What the app database holds for this conversation: person, screenings, request kinds."""
        key = people.person_key(sender, (self.var_dir / "hash.key").read_text().strip())
        with session_scope(f"sqlite:///{self.var_dir / 'pass.db'}") as session:
            person = people.find(session, key)
            if person is None:
                return None, [], []
            return person, list(person.screenings), [r.kind for r in person.requests]

    def slots(self, sender: str) -> dict:
        reply = requests.get(f"{self.url}/conversations/{sender}/tracker", params={"token": self.token}, timeout=10)
        reply.raise_for_status()
        return reply.json()["slots"]


def start(var_dir: Path) -> Assistant:
    rasa_port, action_port = free_port(), free_port()
    token = "test-token"
    env = {
        **os.environ,
        "PASS_VAR_DIR": str(var_dir),
        "RASA_PORT": str(rasa_port),
        "ACTION_PORT": str(action_port),
        "RASA_TOKEN": token,
        "RASA_TELEMETRY_ENABLED": "false",
    }
    env.pop("DATABASE_URL", None)
    env.pop("TRACKER_DB", None)
    log = var_dir / "launcher.log"
    process = subprocess.Popen([sys.executable, "-m", "bot", "run"], cwd=ROOT, env=env,
                               stdout=log.open("w"), stderr=subprocess.STDOUT)
    assistant = Assistant(process, var_dir, rasa_port, action_port, token, log)
    deadline = time.monotonic() + 300
    while "The PASS assistant is running" not in log.read_text():
        if process.poll() is not None or time.monotonic() > deadline:
            stop(assistant)
            raise RuntimeError("assistant did not start:\n" + log.read_text()[-5000:])
        time.sleep(0.5)
    return assistant


def stop(assistant: Assistant) -> int:
    if assistant.process.poll() is None:
        assistant.process.send_signal(signal.SIGINT)
    try:
        return assistant.process.wait(timeout=30)
    except subprocess.TimeoutExpired:
        assistant.process.kill()
        return assistant.process.wait()
