"""Start every process of the assistant, print where each one is, stop them all together.

Add a process (console, reminder worker...) by adding one Service line in `services()`.
`python -m bot run --profile prod` starts the production profile instead (`prod_services()`):
two Rasa replicas and two action servers behind nginx, two SMS workers, PostgreSQL and Redis
given by DATABASE_URL, TRACKER_DATABASE_URL and REDIS_URL (`make run-prod` starts them).
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

from urllib.parse import urlsplit

from bot import database, proxy, settings, training
from bot.settings import ROOT, Settings

STOP_GRACE_SECONDS = 10
READY_TIMEOUT_SECONDS = 180


@dataclass(frozen=True)
class Service:
    name: str
    argv: list[str]
    ready_url: str | None  # answers 200 once the process serves requests (None: ready once started)
    shown: str  # what to print once ready
    wave: int = 0  # started once every service of the waves before it is ready


# The token goes as "--auth-token=<token>": a random token may start with "-", which Rasa's
# argument parser would take for an option and refuse to start.


def services(cfg: Settings, model: Path) -> list[Service]:
    python = sys.executable
    return [
        Service("actions", [python, "-m", "rasa_sdk", "--actions", "bot.actions", "--port", str(cfg.action_port)],
                f"http://127.0.0.1:{cfg.action_port}/health", f"action server  http://127.0.0.1:{cfg.action_port}"),
        Service("rasa", [python, "-m", "rasa", "run", "--model", str(model), "--interface", "127.0.0.1",
                         "--port", str(cfg.rasa_port), "--enable-api", f"--auth-token={cfg.rasa_token}",
                         "--endpoints", str(ROOT / "endpoints.yml"), "--credentials", str(ROOT / "credentials.yml")],
                f"{cfg.rasa_url}/", f"web chat        {cfg.rasa_url}/webhooks/webchat/\n"
                f"  REST chat       {cfg.rasa_url}/webhooks/rest/webhook\n"
                f"  SMS webhook     {cfg.public_url}/webhooks/twilio/webhook (status: /webhooks/twilio/status)\n"
                f"  HTTP API        {cfg.rasa_url}/ (token in {cfg.var_dir / 'rasa.token'} or $RASA_TOKEN)"),
        Service("sms", [python, "-m", "bot", "sms", "worker"], None,
                "SMS worker      " + ("sending through Twilio" if cfg.twilio.live else
                                      "dry run, no Twilio account: read the texts with `python -m bot sms outbox`")),
        _openings(python),
        Service("console", [python, "-m", "bot", "console"], f"http://127.0.0.1:{cfg.console_port}/health",
                f"staff console   http://127.0.0.1:{cfg.console_port}/ (first account: python -m bot users create --role coordinator NAME)"),
    ]


def prod_services(cfg: Settings, model: Path) -> list[Service]:
    """Two of everything behind one nginx: the Rasa replicas share the PostgreSQL tracker store
    and the Redis lock store, the action servers are stateless, the SMS workers claim rows."""
    python = sys.executable
    config = proxy.write_config(cfg.var_dir / "nginx", {cfg.rasa_port: cfg.rasa_replica_ports,
                                                        cfg.action_port: cfg.action_replica_ports})
    found: list[Service] = [
        Service(f"actions-{n}", [python, "-m", "rasa_sdk", "--actions", "bot.actions", "--port", str(port)],
                f"http://127.0.0.1:{port}/health", f"action server   http://127.0.0.1:{port}")
        for n, port in enumerate(cfg.action_replica_ports, 1)]
    # The first replica creates the tracker tables alone; the others start once it is ready.
    found += [
        Service(f"rasa-{n}", [python, "-m", "rasa", "run", "--model", str(model), "--interface", "127.0.0.1",
                              "--port", str(port), "--enable-api", f"--auth-token={cfg.rasa_token}",
                              "--endpoints", str(ROOT / "endpoints.prod.yml"), "--credentials", str(ROOT / "credentials.yml")],
                f"http://127.0.0.1:{port}/", f"Rasa replica    http://127.0.0.1:{port}", wave=min(n - 1, 1))
        for n, port in enumerate(cfg.rasa_replica_ports, 1)]
    found.append(Service("proxy", proxy.argv(config), f"{cfg.rasa_url}/",
                         f"nginx           {cfg.rasa_url} → Rasa replicas, "
                         f"{cfg.action_server_url.rsplit('/', 1)[0]} → action servers ({config})\n"
                         f"  web chat        {cfg.rasa_url}/webhooks/webchat/\n"
                         f"  REST chat       {cfg.rasa_url}/webhooks/rest/webhook\n"
                         f"  SMS webhook     {cfg.public_url}/webhooks/twilio/webhook\n"
                         f"  HTTP API        {cfg.rasa_url}/ (token in {cfg.var_dir / 'rasa.token'} or $RASA_TOKEN)", wave=2))
    found += [Service(f"sms-{n}", [python, "-m", "bot", "sms", "worker"], None,
                      f"SMS worker {n}    " + ("sending through Twilio" if cfg.twilio.live else "dry run"), wave=2)
              for n in (1, 2)]
    found.append(_openings(python, wave=2))
    return found


def _openings(python: str, wave: int = 0) -> Service:
    """The daily job keeping slots generated ahead (bot/booking/openings.py): one process is
    enough in either profile, and two would do no harm."""
    from bot.booking.openings import weeks_ahead

    return Service("openings", [python, "-m", "bot", "slots", "keep"], None,
                   f"openings        slots kept {weeks_ahead()} weeks ahead, daily (PASS_OPENINGS_WEEKS)", wave=wave)


def first_run_notes(database_url: str, profile: str) -> list[str]:
    """With PASS_DEMO=1 (`make run` sets it) on a development database with no social worker,
    demo openings (the prod profile never adds any); and, while no console account exists, how
    to create the first one."""
    from sqlalchemy import func, select

    from bot.booking import demo
    from bot.database import session_scope
    from bot.models import ConsoleUser

    notes = []
    with session_scope(database_url) as session:
        if profile == "dev" and os.environ.get("PASS_DEMO") == "1":
            added = demo.add_if_empty(session, time_today())
            if added is not None:
                notes.append(demo.summary(added))
        if not session.execute(select(func.count()).select_from(ConsoleUser)).scalar_one():
            notes.append("no console account yet: create the first one with\n"
                         "    .venv/bin/python -m bot users create --role coordinator YOUR_NAME")
    return notes


def time_today():
    from bot.outbox import PARIS, utcnow

    return utcnow().astimezone(PARIS).date()


def prod_environment(cfg: Settings) -> dict[str, str]:
    missing = [name for name, value in (("DATABASE_URL", os.environ.get("DATABASE_URL")),
                                        ("TRACKER_DATABASE_URL", cfg.tracker_database_url),
                                        ("REDIS_URL", cfg.redis_url)) if not value]
    if missing:
        raise RuntimeError(f"the prod profile needs {', '.join(missing)} (make run-prod sets them)")
    redis = urlsplit(cfg.redis_url)
    env = child_environment(cfg)
    env.update(TRACKER_DATABASE_URL=cfg.tracker_database_url, REDIS_HOST=redis.hostname or "127.0.0.1",
               REDIS_PORT=str(redis.port or 6379), REDIS_DB=(redis.path.strip("/") or "0"))
    return env


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
        """Start every service, wave by wave (all but the last wave are ready on return)."""
        waves = sorted({service.wave for service in self.to_start})
        for wave in waves:
            for service in self.to_start:
                if service.wave == wave:
                    # A session of its own, so stopping reaches the whole process tree.
                    self.running[service.name] = subprocess.Popen(service.argv, cwd=ROOT, env=self.env,
                                                                  start_new_session=True)
            if wave != waves[-1]:
                self.wait_until_ready([s for s in self.to_start if s.wave == wave])

    def kill(self, name: str, sig: int = signal.SIGKILL) -> None:
        """Stop one service's process tree (fault tests: a replica that crashes)."""
        process = self.running[name]
        if process.poll() is None:
            os.killpg(process.pid, sig)
        process.wait()

    def restart(self, name: str) -> None:
        """Start one stopped service again and wait until it is ready."""
        service = next(s for s in self.to_start if s.name == name)
        self.running[name] = subprocess.Popen(service.argv, cwd=ROOT, env=self.env, start_new_session=True)
        self.wait_until_ready([service])

    def wait_until_ready(self, services: list[Service] | None = None) -> None:
        deadline = time.monotonic() + READY_TIMEOUT_SECONDS
        pending = list(self.to_start if services is None else services)
        names = None if services is None else [s.name for s in services]
        while pending:
            self._check_alive(names)
            pending = [s for s in pending if s.ready_url and not _ready(s.ready_url)]
            if pending and time.monotonic() > deadline:
                raise RuntimeError(f"not ready after {READY_TIMEOUT_SECONDS} s: {', '.join(s.name for s in pending)}")
            if pending:
                time.sleep(0.5)

    def _check_alive(self, names: list[str] | None = None) -> None:
        for name, process in self.running.items():
            if (names is None or name in names) and process.poll() is not None:
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


def main(profile: str = "dev") -> int:
    cfg = settings.load()
    try:
        env = prod_environment(cfg) if profile == "prod" else child_environment(cfg)
    except RuntimeError as error:
        print(f"error: {error}", file=sys.stderr)
        return 1
    model = training.ensure_model()
    database.upgrade(cfg.database_url)
    notes = first_run_notes(cfg.database_url, profile)
    launcher = Launcher((prod_services if profile == "prod" else services)(cfg, model), env)
    # Explicit handlers: a launcher started in the background inherits an ignored SIGINT.
    signal.signal(signal.SIGINT, _raise_interrupt)
    signal.signal(signal.SIGTERM, _raise_interrupt)
    try:
        launcher.start()
        launcher.wait_until_ready()
        print("\nThe PASS assistant is running:")
        for service in launcher.to_start:
            print(f"  {service.shown}")
        print(f"  app database    {_without_password(cfg.database_url)}", flush=True)
        if profile == "prod":
            print(f"  tracker store   {_without_password(cfg.tracker_database_url)}\n  lock store      {cfg.redis_url}")
        for note in notes:
            print(f"\n  {note}")
        print("  Ctrl-C stops everything.\n", flush=True)
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


def _without_password(url: str) -> str:
    from sqlalchemy.engine import make_url

    return make_url(url).render_as_string(hide_password=True)
