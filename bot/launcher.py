"""Start every process of the assistant, print where each one is, stop them all together.

Add a process (console, reminder worker...) by adding one Service line in `services()`.
Ctrl-C (or SIGTERM) stops every process started; if one process dies, the others are stopped
too, so a half-running assistant never goes unnoticed.
"""
from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
import urllib.request
from dataclasses import dataclass
from pathlib import Path

from bot import database, settings, training
from bot.settings import ROOT, Settings

STOP_GRACE_SECONDS = 10
READY_TIMEOUT_SECONDS = 180


@dataclass(frozen=True)
class Service:
    name: str
    argv: list[str]
    ready_url: str | None  # answers 200 once the process serves requests (None: ready once started)
    shown: str  # what to print once ready


def services(cfg: Settings, model: Path) -> list[Service]:
    python = sys.executable
    return [
        Service("actions", [python, "-m", "rasa_sdk", "--actions", "bot.actions", "--port", str(cfg.action_port)],
                f"http://127.0.0.1:{cfg.action_port}/health", f"action server  http://127.0.0.1:{cfg.action_port}"),
        Service("rasa", [python, "-m", "rasa", "run", "--model", str(model), "--interface", "127.0.0.1",
                         "--port", str(cfg.rasa_port), "--enable-api", "--auth-token", cfg.rasa_token,
                         "--endpoints", str(ROOT / "endpoints.yml"), "--credentials", str(ROOT / "credentials.yml")],
                f"{cfg.rasa_url}/", f"web chat        {cfg.rasa_url}/webhooks/webchat/\n"
                f"  REST chat       {cfg.rasa_url}/webhooks/rest/webhook\n"
                f"  SMS webhook     {cfg.public_url}/webhooks/twilio/webhook (status: /webhooks/twilio/status)\n"
                f"  HTTP API        {cfg.rasa_url}/ (token in {cfg.var_dir / 'rasa.token'} or $RASA_TOKEN)"),
        Service("sms", [python, "-m", "bot", "sms", "worker"], None,
                "SMS worker      " + ("sending through Twilio" if cfg.twilio.live else
                                      "dry run, no Twilio account: read the texts with `python -m bot sms outbox`")),
        Service("console", [python, "-m", "bot", "console"], f"http://127.0.0.1:{cfg.console_port}/health",
                f"staff console   http://127.0.0.1:{cfg.console_port}/ (first account: python -m bot users create --role coordinator NAME)"),
    ]


def child_environment(cfg: Settings) -> dict[str, str]:
    env = dict(os.environ)
    env.update(
        ACTION_SERVER_URL=cfg.action_server_url,
        TRACKER_DB=cfg.tracker_db,
        DATABASE_URL=cfg.database_url,
        PASS_VAR_DIR=str(cfg.var_dir),
        PASS_HASH_KEY=cfg.hash_key,
        SANIC_HOST="127.0.0.1",  # the action server listens on localhost only
        RASA_TELEMETRY_ENABLED="false",
        LOG_LEVEL=env.get("LOG_LEVEL", "INFO"),  # Rasa logs message texts at DEBUG only
    )
    return env


def _ready(url: str) -> bool:
    try:
        with urllib.request.urlopen(url, timeout=2) as reply:
            return reply.status == 200
    except OSError:
        return False


class Launcher:
    def __init__(self, to_start: list[Service], env: dict[str, str]) -> None:
        self.to_start = to_start
        self.env = env
        self.running: dict[str, subprocess.Popen] = {}

    def start(self) -> None:
        for service in self.to_start:
            # A session of its own, so stopping reaches the whole process tree.
            self.running[service.name] = subprocess.Popen(service.argv, cwd=ROOT, env=self.env, start_new_session=True)

    def wait_until_ready(self) -> None:
        deadline = time.monotonic() + READY_TIMEOUT_SECONDS
        pending = list(self.to_start)
        while pending:
            self._check_alive()
            pending = [s for s in pending if s.ready_url and not _ready(s.ready_url)]
            if pending and time.monotonic() > deadline:
                raise RuntimeError(f"not ready after {READY_TIMEOUT_SECONDS} s: {', '.join(s.name for s in pending)}")
            if pending:
                time.sleep(0.5)

    def _check_alive(self) -> None:
        for name, process in self.running.items():
            if process.poll() is not None:
                raise RuntimeError(f"{name} exited with code {process.returncode}")

    def watch(self) -> None:
        while True:
            self._check_alive()
            time.sleep(1)

    def stop(self) -> None:
        for process in self.running.values():
            if process.poll() is None:
                os.killpg(process.pid, signal.SIGTERM)
        deadline = time.monotonic() + STOP_GRACE_SECONDS
        for process in self.running.values():
            try:
                process.wait(timeout=max(0.1, deadline - time.monotonic()))
            except subprocess.TimeoutExpired:
                os.killpg(process.pid, signal.SIGKILL)
                process.wait()


def _raise_interrupt(signum, _frame) -> None:
    raise KeyboardInterrupt


def main() -> int:
    cfg = settings.load()
    model = training.ensure_model()
    database.upgrade(cfg.database_url)
    launcher = Launcher(services(cfg, model), child_environment(cfg))
    # Explicit handlers: a launcher started in the background inherits an ignored SIGINT.
    signal.signal(signal.SIGINT, _raise_interrupt)
    signal.signal(signal.SIGTERM, _raise_interrupt)
    try:
        launcher.start()
        launcher.wait_until_ready()
        print("\nThe PASS assistant is running:")
        for service in launcher.to_start:
            print(f"  {service.shown}")
        print(f"  app database    {cfg.database_url}\n  Ctrl-C stops everything.\n", flush=True)
        launcher.watch()
    except KeyboardInterrupt:
        print("\nStopping...", flush=True)
        return 0
    except RuntimeError as error:
        print(f"error: {error}", file=sys.stderr)
        return 1
    finally:
        launcher.stop()
    return 0
