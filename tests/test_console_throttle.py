"""Console logins under attack (bot/console/throttle.py): a growing wait after a few failures,
the password not even checked meanwhile, an account locked after many, unlocked by a
coordinator (audited); in production the counts are shared through Redis by every console."""
from __future__ import annotations

import os
import re
import shutil
import subprocess
import time
from pathlib import Path

import pytest
import requests
from sqlalchemy import select

from bot.console import throttle
from bot.database import session_scope
from bot.limits import MemoryStore
from bot.models import AuditEntry
from bot.settings import ROOT
from tests import console_harness
from tests.console_harness import PASSWORD


def attempt(console, name: str, password: str, http: requests.Session | None = None) -> requests.Response:
    http = http or requests.Session()
    page = http.get(f"{console.url}/login", timeout=10).text
    token = re.search(r'name="login_token" value="([^"]+)"', page)[1]
    return http.post(f"{console.url}/login", data={"login_token": token, "name": name, "password": password},
                     timeout=30, allow_redirects=False)


def test_the_wait_grows_after_three_failures_and_a_success_clears_it():
    store, waits = MemoryStore(), []
    for _ in range(7):
        throttle.failed(store, "claire", "10.0.0.7", "key")
        waits.append(round(throttle.wait_seconds(store, "claire", "10.0.0.7", "key")))
    assert waits == [0, 0, 0, 1, 2, 4, 8]
    assert throttle.wait_seconds(store, "someone else", "10.0.0.7", "key") > 0  # the address waits too
    throttle.succeeded(store, "claire", "10.0.0.7", "key")
    assert throttle.wait_seconds(store, "claire", "10.0.0.7", "key") == 0


@pytest.fixture
def console(tmp_path):
    started = console_harness.start(tmp_path, PASS_LOGIN_LOCK_AFTER="6")
    yield started
    started.process.terminate()
    started.rasa.stop()


def test_after_failures_even_the_right_password_waits_then_works(console):
    console.login("claire")  # creates the account
    for _ in range(4):
        assert attempt(console, "claire", "guess").status_code == 401
    waiting = attempt(console, "claire", PASSWORD)  # within the imposed second
    assert waiting.status_code == 429 and "réessayez dans" in waiting.text
    time.sleep(1.2)
    assert attempt(console, "claire", PASSWORD).status_code == 302  # signed in


def test_an_account_locked_after_many_failures_is_unlocked_by_a_coordinator(tmp_path):
    console = console_harness.start(tmp_path, PASS_LOGIN_FREE_FAILURES="50", PASS_LOGIN_LOCK_AFTER="3")
    try:
        coordinator = console.login("chloe", role="coordinator")
        console.login("claire")
        for _ in range(3):
            assert attempt(console, "claire", "guess").status_code == 401
        locked = attempt(console, "claire", PASSWORD)  # the right password, too late
        assert locked.status_code == 403 and "verrouillé" in locked.text
        page = coordinator.get(f"{console.url}/accounts", timeout=10).text
        assert "verrouillé depuis" in page
        csrf = re.search(r'name="csrf" value="([^"]+)"', page)[1]
        account_id = re.search(r"/accounts/(\d+)/unlock", page)[1]
        coordinator.post(f"{console.url}/accounts/{account_id}/unlock", data={"csrf": csrf},
                         timeout=10).raise_for_status()
        assert attempt(console, "claire", PASSWORD).status_code == 302
        with session_scope(console.db_url) as session:
            actions = [e.action for e in session.execute(select(AuditEntry).order_by(AuditEntry.id)).scalars()]
        assert "account_locked" in actions and "account_unlocked" in actions
    finally:
        console.process.terminate()
        console.rasa.stop()


def test_with_redis_two_consoles_share_the_count(tmp_path):
    if not (shutil.which("redis-server") or Path("/usr/bin/redis-server").exists()):
        pytest.skip("needs Debian's redis-server (make test installs it)")
    env = {**os.environ, "PASS_REDIS_PORT": str(console_harness.free_port()), "PASS_REDIS_DIR": str(tmp_path / "redis")}
    redis_url = subprocess.run([str(ROOT / "scripts/redis.sh"), "start"], env=env, check=True,
                               capture_output=True, text=True).stdout.strip()
    (tmp_path / "a").mkdir()
    first = console_harness.start(tmp_path / "a", REDIS_URL=redis_url)
    try:
        first.login("claire")
        second_var = tmp_path / "b"
        second_var.mkdir()
        shutil.copy(tmp_path / "a" / "hash.key", second_var / "hash.key")  # one deployment, one key
        second = console_harness.start(second_var, REDIS_URL=redis_url, DATABASE_URL=first.db_url)
        try:
            for _ in range(5):
                attempt(first, "claire", "guess")
            assert attempt(second, "claire", PASSWORD).status_code == 429  # the other console knows
        finally:
            second.process.terminate()
            second.rasa.stop()
    finally:
        first.process.terminate()
        first.rasa.stop()
        subprocess.run([str(ROOT / "scripts/redis.sh"), "stop"], env=env)
