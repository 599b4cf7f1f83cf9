"""Runtime settings, read from the environment with defaults for a local machine.

Everything a process needs to find (database, keys, ports) comes from here, so the launcher,
the Rasa server, the action server and the tests agree without passing paths around.
"""
from __future__ import annotations

import os
import secrets
from dataclasses import dataclass
from pathlib import Path
from zoneinfo import ZoneInfo

ROOT = Path(__file__).resolve().parent.parent
# Saint-Denis time, whatever the server's clock: appointments, SMS hours, dates shown.
PARIS = ZoneInfo("Europe/Paris")
# Request bodies larger than this are refused (413) by every server of the assistant: a message
# is at most 2000 characters, a Twilio form or a console reply a few kB (Sanic's default: 100 MB).
MAX_BODY_BYTES = 64 * 1024


def _var_dir() -> Path:
    """var/ holds keys, databases and logs: closed to other local users (0700)."""
    path = Path(os.environ.get("PASS_VAR_DIR", ROOT / "var"))
    path.mkdir(mode=0o700, parents=True, exist_ok=True)
    return path


def close_var_dir(var_dir: Path) -> None:
    """var/ 0700 and every file in it 0600, also for a checkout made before they were (files
    created from now on are, by the launcher's umask 077). Only what this user owns. When var/
    holds another user's directory (make run-prod's PostgreSQL cluster, owned by postgres), var/
    is 0711: that user can still reach its own files (0700, theirs), nobody can list var/."""
    uid = os.getuid()
    try:
        shared = any(not child.is_symlink() and child.stat().st_uid != uid for child in var_dir.iterdir())
    except OSError:
        shared = False
    for path in [var_dir, *var_dir.rglob("*")]:
        try:
            if path.is_symlink() or path.stat().st_uid != uid:
                continue
            path.chmod((0o711 if shared and path == var_dir else 0o700) if path.is_dir() else 0o600)
        except OSError:
            continue  # gone meanwhile (a SQLite journal)


def _secret(env_name: str, file_name: str) -> str:
    """A secret from the environment, else from a file in var/ created on first use (0600)."""
    value = os.environ.get(env_name)
    if value:
        return value
    path = _var_dir() / file_name
    if not path.exists():
        fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
        with os.fdopen(fd, "w") as handle:
            handle.write(secrets.token_urlsafe(32))
    return path.read_text().strip()


@dataclass(frozen=True)
class Settings:
    var_dir: Path
    database_url: str
    tracker_db: str
    hash_key: str
    rasa_token: str
    action_token: str  # Rasa → action server (bot/serve.py): other local processes run no action
    rasa_port: int
    action_port: int
    data_key: str  # encrypts phone numbers at rest (bot/crypto.py)
    public_url: str  # how Twilio and browsers reach us: signatures and callbacks are checked against it
    twilio: "TwilioSettings"
    webchat_key: str  # signs the web chat's conversation cookie
    # Origins (scheme://host[:port]) allowed to post to the web chat; empty: the page's own host.
    webchat_origins: tuple[str, ...]
    webchat_messages_per_minute: int
    webchat_new_per_hour: int  # new conversations per client address (a waiting room shares one)
    sms_number: str | None  # the number people text, shown on posters; None until the PASS has one
    # Production profile (`python -m bot run --profile prod`): PostgreSQL tracker store, Redis lock
    # store, the replicas' own ports behind the proxy that listens on rasa_port and action_port.
    tracker_database_url: str | None
    redis_url: str | None
    rasa_replica_ports: tuple[int, ...]
    action_replica_ports: tuple[int, ...]
    # The REST channel (tests, the persona runner, integrations): open in the development
    # profile, off in production unless PASS_REST_TOKEN is set, then only with that token.
    rest_token: str | None = None
    profile: str = "dev"  # "prod" under `python -m bot run --profile prod`
    console_port: int = 5080  # the social workers' console (bot/console), on 127.0.0.1
    retention_days: int = 365  # conversations and personal data erased after this much silence

    @property
    def action_server_url(self) -> str:
        return f"http://127.0.0.1:{self.action_port}/webhook"

    @property
    def rasa_url(self) -> str:
        return f"http://127.0.0.1:{self.rasa_port}"


@dataclass(frozen=True)
class TwilioSettings:
    """Without an account SID and auth token, SMS go to the dry-run outbox (`python -m bot sms
    outbox`) and incoming webhooks are checked against a local token (var/twilio-dev.token), so
    `python -m bot sms simulate` can play a phone on a machine with no Twilio account."""

    account_sid: str | None
    auth_token: str
    from_number: str | None  # a phone number or short code that people can answer...
    messaging_service_sid: str | None  # ...or a Messaging Service (two-way SMS in France)
    api_base_url: str | None  # tests only: a local fake of the Twilio REST API

    @property
    def live(self) -> bool:
        return bool(self.account_sid and (self.from_number or self.messaging_service_sid))


def _twilio(var_dir: Path) -> TwilioSettings:
    account_sid = os.environ.get("TWILIO_ACCOUNT_SID") or None
    token = os.environ.get("TWILIO_AUTH_TOKEN") if account_sid else None
    return TwilioSettings(
        account_sid=account_sid,
        auth_token=token or _secret("PASS_TWILIO_DEV_TOKEN", "twilio-dev.token"),
        from_number=os.environ.get("TWILIO_FROM") or None,
        messaging_service_sid=os.environ.get("TWILIO_MESSAGING_SERVICE_SID") or None,
        api_base_url=os.environ.get("TWILIO_API_BASE_URL") or None,
    )


def load() -> Settings:
    var_dir = _var_dir()
    return Settings(
        var_dir=var_dir,
        database_url=os.environ.get("DATABASE_URL", f"sqlite:///{var_dir / 'pass.db'}"),
        tracker_db=os.environ.get("TRACKER_DB", str(var_dir / "tracker.db")),
        hash_key=_secret("PASS_HASH_KEY", "hash.key"),
        rasa_token=_secret("RASA_TOKEN", "rasa.token"),
        action_token=_secret("PASS_ACTION_TOKEN", "action.token"),
        rest_token=os.environ.get("PASS_REST_TOKEN", "").strip() or None,
        profile=os.environ.get("PASS_PROFILE", "dev"),
        rasa_port=int(os.environ.get("RASA_PORT", "5005")),
        action_port=int(os.environ.get("ACTION_PORT", "5055")),
        data_key=_secret("PASS_DATA_KEY", "data.key"),
        public_url=os.environ.get("PASS_PUBLIC_URL", f"http://127.0.0.1:{os.environ.get('RASA_PORT', '5005')}").rstrip("/"),
        twilio=_twilio(var_dir),
        webchat_key=_secret("PASS_WEBCHAT_KEY", "webchat.key"),
        webchat_origins=tuple(o.strip().rstrip("/") for o in os.environ.get("PASS_WEBCHAT_ORIGINS", "").split(",") if o.strip()),
        webchat_messages_per_minute=int(os.environ.get("PASS_WEBCHAT_MESSAGES_PER_MINUTE", "20")),
        webchat_new_per_hour=int(os.environ.get("PASS_WEBCHAT_NEW_PER_HOUR", "120")),
        sms_number=os.environ.get("PASS_SMS_NUMBER", "").strip() or None,
        tracker_database_url=os.environ.get("TRACKER_DATABASE_URL") or None,
        redis_url=os.environ.get("REDIS_URL") or None,
        rasa_replica_ports=_ports("RASA_REPLICA_PORTS", "5015,5016"),
        action_replica_ports=_ports("ACTION_REPLICA_PORTS", "5056,5057"),
        console_port=int(os.environ.get("CONSOLE_PORT", "5080")),
        retention_days=int(os.environ.get("PASS_RETENTION_DAYS", "365")),
    )


def _ports(env_name: str, default: str) -> tuple[int, ...]:
    return tuple(int(port) for port in os.environ.get(env_name, default).split(",") if port.strip())
