"""Runtime settings, read from the environment with defaults for a local machine.

Everything a process needs to find (database, keys, ports) comes from here, so the launcher,
the Rasa server, the action server and the tests agree without passing paths around.
"""
from __future__ import annotations

import os
import secrets
from dataclasses import dataclass
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def _var_dir() -> Path:
    path = Path(os.environ.get("PASS_VAR_DIR", ROOT / "var"))
    path.mkdir(parents=True, exist_ok=True)
    return path


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
    rasa_port: int
    action_port: int
    public_url: str  # where people reach the Rasa server from outside (links on posters)
    sms_number: str | None  # the number people text; None until the PASS has one

    @property
    def action_server_url(self) -> str:
        return f"http://127.0.0.1:{self.action_port}/webhook"

    @property
    def rasa_url(self) -> str:
        return f"http://127.0.0.1:{self.rasa_port}"


def load() -> Settings:
    var_dir = _var_dir()
    return Settings(
        var_dir=var_dir,
        database_url=os.environ.get("DATABASE_URL", f"sqlite:///{var_dir / 'pass.db'}"),
        tracker_db=os.environ.get("TRACKER_DB", str(var_dir / "tracker.db")),
        hash_key=_secret("PASS_HASH_KEY", "hash.key"),
        rasa_token=_secret("RASA_TOKEN", "rasa.token"),
        rasa_port=int(os.environ.get("RASA_PORT", "5005")),
        action_port=int(os.environ.get("ACTION_PORT", "5055")),
        public_url=os.environ.get("PASS_PUBLIC_URL", "http://127.0.0.1:5005").rstrip("/"),
        sms_number=os.environ.get("PASS_SMS_NUMBER", "").strip() or None,
    )
