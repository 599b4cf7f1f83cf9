"""`python -m bot backup` and `restore`: what was there comes back (docs/operations.md)."""
from __future__ import annotations

import os
import sqlite3
import stat
import subprocess
import sys

import pytest

from bot import backup, database, people, settings
from bot.database import session_scope
from bot.settings import ROOT
from tests.e2e import free_port

POSTGRES = os.environ.get("TEST_POSTGRES_URL")


def _tracker(path) -> None:
    with sqlite3.connect(path) as db:
        db.execute("CREATE TABLE IF NOT EXISTS events (id INTEGER PRIMARY KEY, sender_id TEXT, data TEXT)")
        db.execute("INSERT INTO events (sender_id, data) VALUES ('web-abc', '{}')")


def _events(path) -> int:
    with sqlite3.connect(path) as db:
        return db.execute("SELECT count(*) FROM events").fetchone()[0]


def test_a_sqlite_backup_restores_both_databases_from_the_command_line(tmp_path, monkeypatch):
    var = tmp_path / "var"
    env = {**os.environ, "PASS_VAR_DIR": str(var), "DATABASE_URL": f"sqlite:///{var / 'pass.db'}",
           "TRACKER_DB": str(var / "tracker.db")}
    env.pop("TRACKER_DATABASE_URL", None)
    for name, value in env.items():
        monkeypatch.setenv(name, value)
    cfg = settings.load()
    database.upgrade(cfg.database_url)
    with session_scope(cfg.database_url) as session:
        people.set_language(session, "kept-person", "ar")
    _tracker(cfg.tracker_db)
    made = subprocess.run([sys.executable, "-m", "bot", "backup"], cwd=ROOT, env=env, capture_output=True, text=True)
    assert made.returncode == 0, made.stderr
    folder = var / "backups" / made.stdout.strip().rsplit("/", 1)[-1]
    assert stat.S_IMODE(folder.stat().st_mode) == 0o700
    assert stat.S_IMODE(folder.parent.stat().st_mode) == 0o700  # nor the list of backups
    assert sorted(p.name for p in folder.iterdir()) == ["app.sqlite", "tracker.sqlite"]  # no key in it
    # Something goes wrong after the backup: the person is gone, the conversation grows.
    with session_scope(cfg.database_url) as session:
        session.delete(people.find(session, "kept-person"))
    _tracker(cfg.tracker_db)
    database.engine(cfg.database_url).dispose()
    restored = subprocess.run([sys.executable, "-m", "bot", "restore", str(folder)], cwd=ROOT, env=env,
                              capture_output=True, text=True)
    assert restored.returncode == 0, restored.stderr
    assert "restored: app, tracker" in restored.stdout
    with session_scope(cfg.database_url) as session:
        assert people.find(session, "kept-person").language == "ar"
    assert _events(cfg.tracker_db) == 1


@pytest.mark.skipif(not POSTGRES, reason="TEST_POSTGRES_URL not set (make test sets it)")
def test_a_postgres_backup_restores_with_pg_restore(tmp_path, monkeypatch):
    monkeypatch.setenv("PASS_VAR_DIR", str(tmp_path / "var"))
    monkeypatch.setenv("DATABASE_URL", POSTGRES)
    monkeypatch.setenv("TRACKER_DATABASE_URL", POSTGRES)
    cfg = settings.load()
    database.upgrade(POSTGRES)
    with session_scope(POSTGRES) as session:
        people.set_language(session, "pg-kept-person", "ro")
    folder = backup.backup(cfg)
    assert sorted(p.name for p in folder.iterdir()) == ["app.pgdump", "tracker.pgdump"]
    with session_scope(POSTGRES) as session:
        session.delete(people.find(session, "pg-kept-person"))
    database.engine(POSTGRES).dispose()
    assert backup.restore(cfg, folder) == ["app", "tracker"]
    with session_scope(POSTGRES) as session:
        assert people.find(session, "pg-kept-person").language == "ro"


def _backup_cli(tmp_path, tracker: str) -> subprocess.CompletedProcess:
    """`python -m bot backup` with a sound app database (SQLite, copied first) and this tracker store."""
    var = tmp_path / "var"
    var.mkdir(exist_ok=True)
    env = {**os.environ, "PASS_VAR_DIR": str(var), "DATABASE_URL": f"sqlite:///{var / 'pass.db'}",
           "TRACKER_DATABASE_URL": tracker}
    database.upgrade(env["DATABASE_URL"])
    database.engine(env["DATABASE_URL"]).dispose()
    return subprocess.run([sys.executable, "-m", "bot", "backup"], cwd=ROOT, env=env, capture_output=True, text=True)


def test_a_backup_with_postgresql_away_says_which_database_and_leaves_no_folder(tmp_path):
    """The app database (SQLite) is copied first, then the tracker store cannot be reached: no
    half backup stays in var/backups/ to be taken for a good one."""
    try:
        backup._pg_tool("pg_dump")
    except RuntimeError:
        pytest.skip("pg_dump is not installed")
    closed = free_port()  # nothing listens there
    made = _backup_cli(tmp_path, f"postgresql://pass:secret-pw@127.0.0.1:{closed}/pass_tracker")
    assert made.returncode == 1
    assert "Traceback" not in made.stderr and len(made.stderr.strip().splitlines()) == 1, made.stderr
    assert "tracker database" in made.stderr and f"127.0.0.1:{closed}/pass_tracker" in made.stderr
    assert "secret-pw" not in made.stderr
    assert made.stdout == ""
    assert list((tmp_path / "var" / "backups").iterdir()) == []


@pytest.mark.parametrize("damage", ["missing", "not a database"])
def test_a_backup_of_a_missing_or_unreadable_sqlite_file_fails_cleanly(tmp_path, damage):
    tracker = tmp_path / "var" / "tracker.db"
    tracker.parent.mkdir()
    if damage == "not a database":
        tracker.write_text("this is not SQLite " * 100)
    made = _backup_cli(tmp_path, f"sqlite:///{tracker}")
    assert made.returncode == 1
    assert "Traceback" not in made.stderr and len(made.stderr.strip().splitlines()) == 1, made.stderr
    assert "tracker database" in made.stderr and str(tracker) in made.stderr
    assert list((tmp_path / "var" / "backups").iterdir()) == []
    assert tracker.exists() == (damage != "missing")  # no empty database made where the real one was


def test_a_restore_with_postgresql_away_says_which_database_in_one_line(tmp_path):
    """The operator restores while the database server is down: one line saying which, no traceback."""
    try:
        backup._pg_tool("pg_restore")
    except RuntimeError:
        pytest.skip("pg_restore is not installed")
    folder = tmp_path / "saved"
    folder.mkdir()
    (folder / "app.pgdump").write_bytes(b"PGDMP")
    (folder / "tracker.pgdump").write_bytes(b"PGDMP")
    closed = free_port()
    url = f"postgresql://pass:secret-pw@127.0.0.1:{closed}/pass"
    env = {**os.environ, "PASS_VAR_DIR": str(tmp_path / "var"), "DATABASE_URL": url, "TRACKER_DATABASE_URL": url}
    done = subprocess.run([sys.executable, "-m", "bot", "restore", str(folder)], cwd=ROOT, env=env,
                          capture_output=True, text=True)
    assert done.returncode == 1
    assert "Traceback" not in done.stderr and len(done.stderr.strip().splitlines()) == 1, done.stderr
    assert done.stderr.startswith("restore failed: the app database") and f"127.0.0.1:{closed}/pass" in done.stderr
    assert "secret-pw" not in done.stderr


def test_a_restore_from_a_folder_that_is_no_backup_fails_cleanly(tmp_path, monkeypatch):
    var = tmp_path / "var"
    monkeypatch.setenv("PASS_VAR_DIR", str(var))
    monkeypatch.setenv("DATABASE_URL", f"sqlite:///{var / 'pass.db'}")
    monkeypatch.delenv("TRACKER_DATABASE_URL", raising=False)
    monkeypatch.setenv("TRACKER_DB", str(var / "tracker.db"))
    var.mkdir()
    wrong = tmp_path / "not-a-backup"
    wrong.mkdir()
    with pytest.raises(backup.BackupError, match="app.sqlite is missing"):
        backup.restore(settings.load(), wrong)
    (wrong / "app.sqlite").write_text("this is not SQLite " * 100)
    with pytest.raises(backup.BackupError, match="could not be restored"):
        backup.restore(settings.load(), wrong)
