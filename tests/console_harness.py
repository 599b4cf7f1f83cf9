"""The console alone (`python -m bot console`) on a fresh database, with a fake of Rasa's HTTP
API: conversations are JSON trackers set by the test; the events the console adds are kept."""
from __future__ import annotations

import json
import os
import re
import socket
import subprocess
import sys
import threading
import time
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from urllib.parse import unquote, urlparse

import requests

from bot import database
from bot.settings import ROOT

PASSWORD = "a long test password"


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@dataclass
class FakeRasa:
    trackers: dict[str, dict] = field(default_factory=dict)
    added: list[tuple[str, list]] = field(default_factory=list)

    def start(self) -> "FakeRasa":
        fake = self

        class Handler(BaseHTTPRequestHandler):
            def log_message(self, *args):
                pass

            def _conversation(self) -> str:
                return unquote(urlparse(self.path).path.split("/")[2])

            def do_GET(self):
                body = json.dumps(fake.trackers.get(self._conversation(), {"events": [], "slots": {}})).encode()
                self.send_response(200)
                self.send_header("Content-Type", "application/json")
                self.send_header("Content-Length", str(len(body)))
                self.end_headers()
                self.wfile.write(body)

            def do_POST(self):
                length = int(self.headers.get("Content-Length") or 0)
                events = json.loads(self.rfile.read(length) or b"[]")
                fake.added.append((self._conversation(), events))
                tracker = fake.trackers.setdefault(self._conversation(), {"events": [], "slots": {}})
                tracker["events"].extend(e for e in events if e.get("event") == "bot")
                self.send_response(200)
                self.send_header("Content-Length", "2")
                self.end_headers()
                self.wfile.write(b"{}")

        self.port = free_port()
        self.server = ThreadingHTTPServer(("127.0.0.1", self.port), Handler)
        threading.Thread(target=self.server.serve_forever, daemon=True).start()
        return self

    def stop(self) -> None:
        self.server.shutdown()


@dataclass
class Console:
    url: str
    db_url: str
    env: dict
    rasa: FakeRasa
    process: subprocess.Popen

    def login(self, name: str, role: str = "social_worker") -> requests.Session:
        from bot.console import auth
        from bot.database import session_scope

        with session_scope(self.db_url) as session:
            if not auth.authenticate(session, name, PASSWORD):
                auth.create_user(session, name, role, PASSWORD)
        http = requests.Session()
        page = http.get(f"{self.url}/login", timeout=10).text
        token = re.search(r'name="login_token" value="([^"]+)"', page)[1]
        http.post(f"{self.url}/login", data={"login_token": token, "name": name, "password": PASSWORD},
                  timeout=30).raise_for_status()
        return http


def start(var_dir: Path, **extra_env: str) -> Console:
    rasa = FakeRasa().start()
    db_url = f"sqlite:///{var_dir / 'pass.db'}"
    database.upgrade(db_url)
    port = free_port()
    env = {**os.environ, "PASS_VAR_DIR": str(var_dir), "DATABASE_URL": db_url, "RASA_PORT": str(rasa.port),
           "CONSOLE_PORT": str(port), "PASS_CONSOLE_HOURS": "Mon-Sun 00:00-24:00", **extra_env}
    log = (var_dir / "console.log").open("w")
    process = subprocess.Popen([sys.executable, "-m", "bot", "console"], cwd=ROOT, env=env, stdout=log,
                               stderr=subprocess.STDOUT)
    url = f"http://127.0.0.1:{port}"
    deadline = time.monotonic() + 60
    while True:
        try:
            if requests.get(f"{url}/health", timeout=2).ok:
                break
        except requests.ConnectionError:
            pass
        if process.poll() is not None or time.monotonic() > deadline:
            process.kill()
            raise RuntimeError("console did not start:\n" + (var_dir / "console.log").read_text()[-3000:])
        time.sleep(0.2)
    return Console(url, db_url, env, rasa, process)


def stop(console: Console) -> None:
    console.process.terminate()
    try:
        console.process.wait(timeout=15)
    except subprocess.TimeoutExpired:
        console.process.kill()
    console.rasa.stop()
    database.engine(console.db_url).dispose()
