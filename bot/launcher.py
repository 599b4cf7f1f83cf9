"""Start every process of the assistant, print where each one is, stop them all together.

Add a process (console, reminder worker...) by adding one Service line in `services()`.
`python -m bot run --profile prod` starts the production profile instead (`prod_services()`):
two Rasa replicas and two action servers behind nginx, two SMS workers, PostgreSQL and Redis
given by DATABASE_URL, TRACKER_DATABASE_URL and REDIS_URL. With PASS_SUPERVISED_STORES=1
(`make run-prod`) the launcher runs PostgreSQL and Redis too, first, and watches them like the
rest (`store_services()`); without it they are someone else's (systemd, a managed service).
Ctrl-C (or SIGTERM) stops every process started. A process that dies, or fails its health
check (its ready URL, or the heartbeat file of an SMS worker) for HEALTH_FAILURES checks in a
row, is restarted with a growing delay (1 s, 2 s, 4 s… up to a minute, back to 1 s once it has
run a minute) while the others go on: with two replicas, the other one answers meanwhile.
Every change is printed, as a state table that `make run-prod` shows.
"""
from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
import urllib.request
from dataclasses import dataclass, replace
from pathlib import Path

from urllib.parse import urlsplit

from bot import database, proxy, settings, training
from bot.settings import ROOT, Settings

STOP_GRACE_SECONDS = 10
READY_TIMEOUT_SECONDS = 180
HEALTH_EVERY_SECONDS = 5
HEALTH_FAILURES = 3  # checks failed in a row before a living process is restarted
HEARTBEAT_STALE_SECONDS = 60  # an SMS worker touches its heartbeat every round (2 s)
BACKOFF_FIRST, BACKOFF_MAX, STEADY_SECONDS = 1.0, 60.0, 60.0


@dataclass(frozen=True)
class Service:
    name: str
    argv: list[str]
    ready_url: str | None  # answers 200 once the process serves requests (None: ready once started)
    shown: str  # what to print once ready
    wave: int = 0  # started once every service of the waves before it is ready
    heartbeat: Path | None = None  # a file the process touches while healthy (no ready URL)
    metrics_port: int | None = None  # its Prometheus figures (bot/metrics.py), set by with_metrics()
    ready_command: list[str] | None = None  # exits 0 once it serves (a database: no HTTP to ask)
    stop_signal: int = signal.SIGTERM


@dataclass
class Supervised:
    """What the launcher knows of one service's process."""
    process: subprocess.Popen
    started_at: float
    restarts: int = 0
    delay: float = BACKOFF_FIRST  # before the next restart
    failed_checks: int = 0
    ready: bool = False  # has passed a health check since it started
    down_since: float | None = None  # dead, waiting for its restart


# The Rasa and action servers start through bot/serve.py, which reads the API token and the
# action token from the environment or var/ (never a command line, where `ps` shows them).


def services(cfg: Settings, model: Path) -> list[Service]:
    python = sys.executable
    return [
        Service("actions", [python, "-m", "bot.serve", "actions", "--port", str(cfg.action_port)],
                f"http://127.0.0.1:{cfg.action_port}/health", f"action server  http://127.0.0.1:{cfg.action_port}"),
        Service("rasa", [python, "-m", "bot.serve", "rasa", "run", "--model", str(model), "--interface", "127.0.0.1",
                         "--port", str(cfg.rasa_port), "--enable-api",
                         "--endpoints", str(ROOT / "endpoints.yml"), "--credentials", str(ROOT / "credentials.yml")],
                f"{cfg.rasa_url}/", f"web chat        {cfg.rasa_url}/webhooks/webchat/\n"
                f"  REST chat       {cfg.rasa_url}/webhooks/rest/webhook\n"
                f"  SMS webhook     {cfg.public_url}/webhooks/twilio/webhook (status: /webhooks/twilio/status)\n"
                f"  HTTP API        {cfg.rasa_url}/ (token in {cfg.var_dir / 'rasa.token'} or $RASA_TOKEN)"),
        Service("sms", [python, "-m", "bot", "sms", "worker"], None,
                "SMS worker      " + ("sending through Twilio" if cfg.twilio.live else
                                      "dry run, no Twilio account: read the texts with `python -m bot sms outbox`"),
                heartbeat=cfg.var_dir / "sms.heartbeat"),
        _openings(python),
        _console(python, cfg),
    ]


def _console(python: str, cfg: Settings, wave: int = 0) -> Service:
    return Service("console", [python, "-m", "bot", "console"], f"http://127.0.0.1:{cfg.console_port}/health",
                   f"staff console   http://127.0.0.1:{cfg.console_port}/ "
                   f"(first account: python -m bot users create --role coordinator NAME)", wave=wave)


def prod_services(cfg: Settings, model: Path) -> list[Service]:
    """Two of everything behind one nginx: the Rasa replicas share the PostgreSQL tracker store
    and the Redis lock store, the action servers are stateless, the SMS workers claim rows."""
    python = sys.executable
    config = proxy.write_config(cfg.var_dir / "nginx", {cfg.rasa_port: cfg.rasa_replica_ports,
                                                        cfg.action_port: cfg.action_replica_ports})
    found: list[Service] = [
        Service(f"actions-{n}", [python, "-m", "bot.serve", "actions", "--port", str(port)],
                f"http://127.0.0.1:{port}/health", f"action server   http://127.0.0.1:{port}")
        for n, port in enumerate(cfg.action_replica_ports, 1)]
    # The first replica creates the tracker tables alone; the others start once it is ready.
    found += [
        Service(f"rasa-{n}", [python, "-m", "bot.serve", "rasa", "run", "--model", str(model),
                              "--interface", "127.0.0.1", "--port", str(port), "--enable-api",
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
                      f"SMS worker {n}    " + ("sending through Twilio" if cfg.twilio.live else "dry run"), wave=2,
                      heartbeat=cfg.var_dir / f"sms-{n}.heartbeat")
              for n in (1, 2)]
    found.append(_openings(python, wave=2))
    found.append(_console(python, cfg, wave=2))  # behind the TLS proxy of deploy/nginx in production
    return found


STORES_WAVE = -1  # before everything: the app database is migrated once they answer


def store_services() -> list[Service]:
    """PostgreSQL and Redis in the foreground (scripts/*.sh serve), ports and folders from the
    same variables the scripts read. Empty unless PASS_SUPERVISED_STORES=1."""
    if os.environ.get("PASS_SUPERVISED_STORES") != "1":
        return []
    pg_port, redis_port = os.environ["PASS_TEST_PG_PORT"], os.environ["PASS_REDIS_PORT"]
    pg_isready = next(iter(sorted(Path("/usr/lib/postgresql").glob("*/bin/pg_isready"))[-1:]), Path("pg_isready"))
    # SIGINT is PostgreSQL's fast shutdown: SIGTERM would wait for every client to leave.
    return [Service("postgres", [str(ROOT / "scripts/postgres.sh"), "serve"], None,
                    f"PostgreSQL      127.0.0.1:{pg_port} ({os.environ.get('PASS_PG_DIR')})", wave=STORES_WAVE,
                    ready_command=[str(pg_isready), "-q", "-h", "127.0.0.1", "-p", pg_port, "-U", "postgres"],
                    stop_signal=signal.SIGINT),
            Service("redis", [str(ROOT / "scripts/redis.sh"), "serve"], None,
                    f"Redis           127.0.0.1:{redis_port}", wave=STORES_WAVE,
                    ready_command=["redis-cli", "-p", redis_port, "ping"])]


def with_metrics(found: list[Service], first_port: int | None) -> list[Service]:
    """Each service's metrics port, in order from `first_port` (PASS_METRICS_FIRST_PORT, default
    9400; 0 or empty: no metrics). nginx and the daily openings job have none."""
    if not first_port:
        return found
    ports = iter(range(first_port, first_port + len(found)))
    return [service if service.name in WITHOUT_METRICS else replace(service, metrics_port=next(ports))
            for service in found]


WITHOUT_METRICS = {"proxy", "openings", "postgres", "redis"}


def metrics_first_port() -> int | None:
    return int(os.environ.get("PASS_METRICS_FIRST_PORT", "9400") or 0) or None


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
    env.update(PASS_PROFILE="prod", TRACKER_DATABASE_URL=cfg.tracker_database_url, REDIS_HOST=redis.hostname or "127.0.0.1",
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
        PASS_ACTION_TOKEN=cfg.action_token,  # endpoints*.yml: Rasa sends it to the action server
        SANIC_HOST="127.0.0.1",  # the action server listens on localhost only
        RASA_TELEMETRY_ENABLED="false",
        LOG_LEVEL=env.get("LOG_LEVEL", "INFO"),  # Rasa logs message texts at DEBUG only
    )
    return env


def _answers(command: list[str]) -> bool:
    try:
        return subprocess.run(command, capture_output=True, timeout=5).returncode == 0
    except (OSError, subprocess.TimeoutExpired):
        return False


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
        self.supervised: dict[str, Supervised] = {}

    @property
    def running(self) -> dict[str, subprocess.Popen]:
        return {name: s.process for name, s in self.supervised.items()}

    def _spawn(self, service: Service) -> subprocess.Popen:
        env = dict(self.env)
        if service.heartbeat:
            env["PASS_HEARTBEAT_FILE"] = str(service.heartbeat)
        if service.metrics_port:
            env["PASS_METRICS_PORT"] = str(service.metrics_port)
        # A session of its own, so stopping reaches the whole process tree.
        return subprocess.Popen(service.argv, cwd=ROOT, env=env, start_new_session=True)

    def start(self, until_wave: int | None = None) -> None:
        """Start every service not started yet, wave by wave, up to `until_wave` (all): every
        wave but the last is ready on return, and that one too when `until_wave` is given."""
        waves = sorted({service.wave for service in self.to_start
                        if service.name not in self.supervised and (until_wave is None or service.wave <= until_wave)})
        for wave in waves:
            for service in self.to_start:
                if service.wave == wave:
                    self.supervised[service.name] = Supervised(self._spawn(service), time.monotonic())
            if wave != waves[-1] or until_wave is not None:
                self.wait_until_ready([s for s in self.to_start if s.wave == wave])

    def kill(self, name: str, sig: int = signal.SIGKILL) -> None:
        """Stop one service's process tree (fault tests: a replica that crashes)."""
        process = self.supervised[name].process
        if process.poll() is None:
            os.killpg(process.pid, sig)
        process.wait()

    def restart(self, name: str) -> None:
        """Start one stopped service again and wait until it is ready."""
        service = self._service(name)
        self.supervised[name] = Supervised(self._spawn(service), time.monotonic(),
                                           restarts=self.supervised[name].restarts + 1)
        self.wait_until_ready([service])

    def _service(self, name: str) -> Service:
        return next(s for s in self.to_start if s.name == name)

    def wait_until_ready(self, services: list[Service] | None = None) -> None:
        deadline = time.monotonic() + READY_TIMEOUT_SECONDS
        pending = list(self.to_start if services is None else services)
        names = None if services is None else [s.name for s in services]
        while pending:
            self._check_alive(names)
            pending = [s for s in pending if (s.ready_url or s.ready_command) and not self.healthy(s)]
            if pending and time.monotonic() > deadline:
                raise RuntimeError(f"not ready after {READY_TIMEOUT_SECONDS} s: {', '.join(s.name for s in pending)}")
            if pending:
                time.sleep(0.5)

    def _check_alive(self, names: list[str] | None = None) -> None:
        """While starting, a process that exits is an error: the assistant does not start."""
        for name, supervised in self.supervised.items():
            process = supervised.process
            if (names is None or name in names) and process.poll() is not None:
                raise RuntimeError(f"{name} exited with code {process.returncode}")

    def healthy(self, service: Service) -> bool:
        if service.ready_url:
            return _ready(service.ready_url)
        if service.ready_command:
            return _answers(service.ready_command)
        if service.heartbeat:
            try:
                return time.time() - service.heartbeat.stat().st_mtime < HEARTBEAT_STALE_SECONDS
            except OSError:
                return False
        return True

    def states(self) -> dict[str, str]:
        """Each service's state, as printed: up (pid), restarting, or down with its exit code."""
        found = {}
        for name, supervised in self.supervised.items():
            code = supervised.process.poll()
            found[name] = (f"up (pid {supervised.process.pid}, {supervised.restarts} restarts)" if code is None
                           else f"down (exit {code}), restart in {supervised.delay:.0f} s")
        return found

    def print_states(self) -> None:
        print("  " + "\n  ".join(f"{name:<10} {state}" for name, state in self.states().items()), flush=True)

    def supervise_once(self, now: float, check_health: bool) -> list[str]:
        """One round: restart what died (after its delay) or stayed unhealthy. The names restarted."""
        restarted = []
        for service in self.to_start:
            supervised = self.supervised[service.name]
            process = supervised.process
            if process.poll() is None:
                if now - supervised.started_at > STEADY_SECONDS:
                    supervised.delay = BACKOFF_FIRST  # it ran long enough: the next failure starts over
                if check_health:
                    if self.healthy(service):
                        supervised.failed_checks, supervised.ready = 0, True
                    elif supervised.ready or now - supervised.started_at > READY_TIMEOUT_SECONDS:
                        # Counted once it has been ready (a Rasa server loads its model for a
                        # minute first), or when it never gets ready.
                        supervised.failed_checks += 1
                if supervised.failed_checks < HEALTH_FAILURES:
                    continue
                print(f"{service.name} failed {HEALTH_FAILURES} health checks: restarting it", flush=True)
                os.killpg(process.pid, signal.SIGKILL)
                process.wait()
                supervised.down_since = now - supervised.delay  # restart at once
            if supervised.down_since is None:
                # What it left behind goes too: nginx's workers outlive a killed master and keep
                # its ports, so the new nginx could never bind them.
                _end_group(process.pid)
                supervised.down_since = now
                print(f"{service.name} exited with code {process.returncode}: restarting in "
                      f"{supervised.delay:.0f} s", flush=True)
            if now - supervised.down_since < supervised.delay:
                continue
            self.supervised[service.name] = Supervised(self._spawn(service), now, restarts=supervised.restarts + 1,
                                                       delay=min(supervised.delay * 2, BACKOFF_MAX))
            restarted.append(service.name)
        if restarted:
            self.print_states()
        return restarted

    def watch(self) -> None:
        last_check = time.monotonic()
        while True:
            now = time.monotonic()
            check = now - last_check >= HEALTH_EVERY_SECONDS
            if check:
                last_check = now
            self.supervise_once(now, check)
            time.sleep(0.5)

    def stop(self) -> None:
        """Stop every process, the last wave first: the databases go after those that use them."""
        for wave in sorted({service.wave for service in self.to_start}, reverse=True):
            in_wave = [(self._service(name), s.process) for name, s in self.supervised.items()
                       if self._service(name).wave == wave]
            for service, process in in_wave:
                if process.poll() is None:
                    os.killpg(process.pid, service.stop_signal)
            deadline = time.monotonic() + STOP_GRACE_SECONDS
            for _, process in in_wave:
                try:
                    process.wait(timeout=max(0.1, deadline - time.monotonic()))
                except subprocess.TimeoutExpired:
                    pass
                _end_group(process.pid)  # still running, or left behind by a process that died
                process.wait()


def _end_group(pid: int) -> None:
    """Kill what is left of a service's process group (each service starts its own session)."""
    try:
        os.killpg(pid, signal.SIGKILL)
    except (ProcessLookupError, PermissionError):
        pass  # nothing left


def _raise_interrupt(signum, _frame) -> None:
    raise KeyboardInterrupt


def main(profile: str = "dev") -> int:
    os.umask(0o077)  # every file the processes create (databases, logs, nginx's) is 0600
    cfg = settings.load()
    settings.close_var_dir(cfg.var_dir)
    try:
        env = prod_environment(cfg) if profile == "prod" else child_environment(cfg)
    except RuntimeError as error:
        print(f"error: {error}", file=sys.stderr)
        return 1
    model = training.ensure_model()
    stores = store_services() if profile == "prod" else []
    launcher = Launcher(stores + with_metrics((prod_services if profile == "prod" else services)(cfg, model),
                                              metrics_first_port()), env)
    # Explicit handlers: a launcher started in the background inherits an ignored SIGINT.
    signal.signal(signal.SIGINT, _raise_interrupt)
    signal.signal(signal.SIGTERM, _raise_interrupt)
    try:
        launcher.start(until_wave=STORES_WAVE)  # nothing to start unless the stores are ours
        database.upgrade(cfg.database_url)
        notes = first_run_notes(cfg.database_url, profile)
        launcher.start()
        launcher.wait_until_ready()
        print("\nThe PASS assistant is running:")
        for service in launcher.to_start:
            print(f"  {service.shown}")
        metrics = [f"{s.name} :{s.metrics_port}" for s in launcher.to_start if s.metrics_port]
        if metrics:
            print(f"  metrics         http://127.0.0.1:<port>/metrics ({', '.join(metrics)})")
        print("Processes (each restarted if it dies or fails its health check):")
        launcher.print_states()
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
