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

from bot.settings import Settings


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
    """Write a backup folder; returns it."""
    folder = into or cfg.var_dir / "backups" / datetime.now(timezone.utc).strftime("%Y-%m-%dT%H%M%SZ")
    folder.mkdir(mode=0o700, parents=True, exist_ok=False)
    for name, target in _targets(cfg).items():
        path = _sqlite_path(target)
        if path is not None:
            with sqlite3.connect(path) as source, sqlite3.connect(folder / f"{name}.sqlite") as copy:
                source.backup(copy)
        else:
            subprocess.run([_pg_tool("pg_dump"), "--format=custom", "--no-owner", f"--file={folder / (name + '.pgdump')}",
                            f"--dbname={target}"], check=True)
    for file in folder.iterdir():
        file.chmod(0o600)
    return folder


def restore(cfg: Settings, folder: Path) -> list[str]:
    """Put both databases back as they were in `folder` (stop the assistant first). What was restored."""
    done = []
    for name, target in _targets(cfg).items():
        path = _sqlite_path(target)
        if path is not None:
            saved = folder / f"{name}.sqlite"
            if not saved.exists():
                raise FileNotFoundError(f"{saved} is missing (a PostgreSQL backup? restore it with DATABASE_URL set)")
            with sqlite3.connect(saved) as source, sqlite3.connect(path) as live:
                source.backup(live)
            os.chmod(path, 0o600)
        else:
            saved = folder / f"{name}.pgdump"
            if not saved.exists():
                raise FileNotFoundError(f"{saved} is missing (a SQLite backup?)")
            subprocess.run([_pg_tool("pg_restore"), "--clean", "--if-exists", "--no-owner", f"--dbname={target}",
                            str(saved)], check=True)
        done.append(name)
    return done
