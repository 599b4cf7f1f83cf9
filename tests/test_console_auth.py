"""Console accounts and sessions (bot.console.auth) and handoff records (bot.handoff), on a
fresh migrated database."""
from datetime import datetime, timedelta, timezone

import pytest

from bot import handoff
from bot.console import auth
from bot.database import session_scope
from bot.models import ConsoleSession


def test_passwords_are_argon2id_with_the_owasp_parameters(db_url):
    with session_scope(db_url) as session:
        user = auth.create_user(session, "claire", "social_worker", "a long enough password")
        assert user.password_hash.startswith("$argon2id$v=19$m=19456,t=2,p=1$")
        assert auth.authenticate(session, "claire", "a long enough password").id == user.id
        assert auth.authenticate(session, "claire", "a wrong password!!") is None
        assert auth.authenticate(session, "nobody", "a long enough password") is None
        with pytest.raises(ValueError):
            auth.create_user(session, "short", "coordinator", "too short")
        with pytest.raises(ValueError):
            auth.create_user(session, "boss", "admin", "a long enough password")


def test_a_session_ends_after_the_idle_timeout_and_only_its_hash_is_stored(db_url, monkeypatch):
    monkeypatch.setenv("PASS_CONSOLE_IDLE_MINUTES", "30")
    with session_scope(db_url) as session:
        user = auth.create_user(session, "claire", "social_worker", "a long enough password")
        session_id = auth.start_session(session, user)
        row, _ = auth.current(session, session_id)
        assert row.id_hash != session_id and session.get(ConsoleSession, session_id) is None
        assert auth.csrf_ok(row, row.csrf_token) and not auth.csrf_ok(row, "forged") and not auth.csrf_ok(row, None)
        row.last_seen_at = datetime.now(timezone.utc) - timedelta(minutes=31)
        assert auth.current(session, session_id) is None
        assert auth.current(session, session_id) is None  # and it is gone


def test_opening_hours_are_paris_time(monkeypatch):
    monkeypatch.delenv("PASS_CONSOLE_HOURS", raising=False)
    monday_winter = datetime(2026, 12, 7, 8, 30, tzinfo=timezone.utc)  # 9:30 in Paris
    assert handoff.is_open(monday_winter)
    assert not handoff.is_open(monday_winter.replace(hour=16, minute=5))  # 17:05 in Paris
    assert not handoff.is_open(monday_winter + timedelta(days=5))  # Saturday
    monkeypatch.setenv("PASS_CONSOLE_HOURS", "Mon-Sun 00:00-24:00")
    assert handoff.is_open(monday_winter + timedelta(days=5))


def test_a_person_has_one_open_handoff_at_a_time(db_url, monkeypatch):
    monkeypatch.setattr(handoff, "is_open", lambda moment=None: True)  # else an "after hours" task too
    with session_scope(db_url) as session:
        first, created = handoff.open_handoff(session, "k1", "web-abc", "request_human", "fr", paused=True)
        again, created_again = handoff.open_handoff(session, "k1", "web-abc", "rights_handoff", "fr", paused=True)
        assert created and not created_again and again.id == first.id and first.channel == "web"
        handoff.resolve(session, first)
        assert handoff.inbox(session) == []
        assert [r.status for r in first.person.requests] == ["done"]
        assert handoff.open_handoff(session, "k1", "web-abc", "request_human", "fr", paused=False)[1]


def test_users_create_reads_the_password_from_the_environment_never_the_command_line(tmp_path):
    import os
    import subprocess
    import sys

    from bot.settings import ROOT

    env = {**os.environ, "PASS_VAR_DIR": str(tmp_path), "PASS_CONSOLE_PASSWORD": "a long enough password"}
    env.pop("DATABASE_URL", None)
    command = [sys.executable, "-m", "bot", "users", "create", "--role", "coordinator", "chloe"]
    created = subprocess.run(command, cwd=ROOT, env=env, capture_output=True, text=True, timeout=60)
    assert created.returncode == 0 and "chloe" in created.stdout
    again = subprocess.run(command, cwd=ROOT, env=env, capture_output=True, text=True, timeout=60)
    assert again.returncode == 2 and "already exists" in again.stderr
    with_password = subprocess.run(command + ["--password", "x"], cwd=ROOT, env=env, capture_output=True, text=True, timeout=60)
    assert with_password.returncode == 2  # no such option
    with session_scope(f"sqlite:///{tmp_path / 'pass.db'}") as session:
        assert auth.authenticate(session, "chloe", "a long enough password").role == "coordinator"


def test_canned_answers_go_in_the_persons_language_with_the_french_beside():
    from bot.console import canned

    arabic = canned.replies("ar")
    assert arabic[0]["fr"].startswith("Bonjour, je suis assistante sociale")
    assert arabic[0]["text"].startswith("مرحبًا") and len(arabic) == len(canned.CANNED)
