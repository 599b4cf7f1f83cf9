"""Backups of both databases and their restore (`python -m bot backup`, `python -m bot restore`).

SQLite (the development profile) is copied with SQLite's online backup API, consistent while
the assistant runs; PostgreSQL (production) with pg_dump's custom format, restored with
pg_restore. A backup is a folder `var/backups/<UTC time>/` (0700) holding `app.*` and
`tracker.*`. The keys of var/ (`hash.key`, `data.key`…) are NOT in it: a stolen backup does not
reveal phone numbers; back them up once, apart (a restore without the same `data.key` cannot
send a reminder, without the same `hash.key` nobody is recognised).
"""
from __future__ import annotations

import glob
import os
import shutil
import sqlite3
import subprocess
from datetime import datetime, timezone
from pathlib import Path

from sqlalchemy.engine import make_url

from bot.settings import Settings


class BackupError(Exception):
    """A database could not be read: one line for the operator (`python -m bot backup` exits 1)."""


def _pg_tool(name: str) -> str:
    found = shutil.which(name) or sorted(glob.glob(f"/usr/lib/postgresql/*/bin/{name}"))[-1:]
    if not found:
        raise RuntimeError(f"{name} is missing: apt-get install postgresql-client")
    return found if isinstance(found, str) else found[0]


def _targets(cfg: Settings) -> dict[str, str]:
    """name → a sqlite path or a postgresql URL, for the app database and the tracker store."""
    tracker = cfg.tracker_database_url or cfg.tracker_db
    return {"app": cfg.database_url, "tracker": tracker}


def _sqlite_path(target: str) -> Path | None:
    if target.startswith("sqlite:///"):
        return Path(target.removeprefix("sqlite:///"))
    return None if "://" in target else Path(target)


def backup(cfg: Settings, into: Path | None = None) -> Path:
    """Write a backup folder; returns it. If a database cannot be read, BackupError and no
    folder: a half backup left in var/backups/ would pass for a good one."""
    folder = into or cfg.var_dir / "backups" / datetime.now(timezone.utc).strftime("%Y-%m-%dT%H%M%SZ")
    if into is None:
        # mkdir(parents=True) gives the parents the umask's mode (0755): the list of backups,
        # and when they were made, is for the operator alone.
        folder.parent.mkdir(mode=0o700, parents=True, exist_ok=True)
        folder.parent.chmod(0o700)
    try:
        folder.mkdir(mode=0o700, parents=True, exist_ok=False)
    except FileExistsError:
        raise BackupError(f"{folder} already exists") from None
    try:
        for name, target in _targets(cfg).items():
            path = _sqlite_path(target)
            if path is not None:
                _sqlite_backup(name, path, folder / f"{name}.sqlite")
            else:
                _pg_dump(name, target, folder / f"{name}.pgdump")
    except BaseException:
        shutil.rmtree(folder, ignore_errors=True)
        raise
    for file in folder.iterdir():
        file.chmod(0o600)
    return folder


def _sqlite_backup(name: str, path: Path, into: Path) -> None:
    try:
        # Read-only: a plain connect would create an empty database where the real one is missing.
        with sqlite3.connect(f"{path.resolve().as_uri()}?mode=ro", uri=True) as source, sqlite3.connect(into) as copy:
            source.backup(copy)
    except sqlite3.Error as error:
        raise BackupError(f"the {name} database {path} could not be read: {error}") from None


def _pg_dump(name: str, url: str, into: Path) -> None:
    _run_pg("pg_dump", ["--format=custom", "--no-owner", f"--file={into}", f"--dbname={url}"],
            f"the {name} database {{}} could not be backed up", url)


def _run_pg(tool_name: str, args: list[str], failure: str, url: str) -> None:
    """Run pg_dump or pg_restore; BackupError with its first line of stderr (the URL shown
    without its password) when it fails."""
    try:
        tool = _pg_tool(tool_name)
    except RuntimeError as error:
        raise BackupError(str(error)) from None
    # A server that drops packets rather than refusing them fails within 10 s, not never.
    env = {**os.environ, "PGCONNECT_TIMEOUT": os.environ.get("PGCONNECT_TIMEOUT", "10")}
    done = subprocess.run([tool, *args], env=env, capture_output=True, text=True)
    if done.returncode != 0:
        said = next((line.strip() for line in done.stderr.splitlines() if line.strip()), f"exit {done.returncode}")
        shown = make_url(url).render_as_string(hide_password=True)
        raise BackupError(f"{failure.format(shown)}: {said}")


def restore(cfg: Settings, folder: Path) -> list[str]:
    """Put both databases back as they were in `folder` (stop the assistant first). What was
    restored. BackupError, one line, when the folder or a database is not what it should be."""
    done = []
    for name, target in _targets(cfg).items():
        path = _sqlite_path(target)
        if path is not None:
            _sqlite_restore(name, folder / f"{name}.sqlite", path)
        else:
            _pg_restore(name, folder / f"{name}.pgdump", target)
        done.append(name)
    return done


def _sqlite_restore(name: str, saved: Path, path: Path) -> None:
    if not saved.exists():
        raise BackupError(f"{saved} is missing (a PostgreSQL backup? restore it with DATABASE_URL set)")
    try:
        with sqlite3.connect(f"{saved.resolve().as_uri()}?mode=ro", uri=True) as source, sqlite3.connect(path) as live:
            source.backup(live)
    except sqlite3.Error as error:
        raise BackupError(f"the {name} database {path} could not be restored from {saved}: {error}") from None
    os.chmod(path, 0o600)


def _pg_restore(name: str, saved: Path, url: str) -> None:
    if not saved.exists():
        raise BackupError(f"{saved} is missing (a SQLite backup?)")
    _run_pg("pg_restore", ["--clean", "--if-exists", "--no-owner", f"--dbname={url}", str(saved)],
            f"the {name} database {{}} could not be restored", url)
