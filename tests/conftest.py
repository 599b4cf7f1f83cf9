import os
import subprocess
import sys

import pytest

from bot import database, settings
from bot.settings import ROOT
from tests import e2e
from tests.fake_twilio import ACCOUNT_SID, AUTH_TOKEN, FakeTwilio


@pytest.fixture
def db_url(tmp_path):
    """A fresh app database, migrated with Alembic like `make run` does."""
    url = f"sqlite:///{tmp_path / 'app.db'}"
    database.upgrade(url)
    yield url
    database.engine(url).dispose()


@pytest.fixture(scope="session")
def bot(tmp_path_factory):
    """The real assistant (Rasa server + action server through the launcher), shared by the
    end-to-end tests; conversations are kept apart by their sender ids."""
    assistant = e2e.start(tmp_path_factory.mktemp("var"))
    yield assistant
    e2e.stop(assistant)


@pytest.fixture(scope="session")
def open_slots(bot):
    """A social worker with weekday mornings and three weeks of slots in the shared assistant."""
    env = {**os.environ, "DATABASE_URL": f"sqlite:///{bot.var_dir / 'pass.db'}", "PASS_VAR_DIR": str(bot.var_dir)}
    run = lambda *args: subprocess.run([sys.executable, "-m", "bot", *args], cwd=ROOT, env=env, check=True)
    run("workers", "add", "AS test", "--site", "cms_1", "--weekly",
        "mon 09:00-12:00, tue 09:00-12:00, wed 09:00-12:00, thu 09:00-12:00, fri 09:00-12:00")
    run("slots", "generate", "--days", "21")


@pytest.fixture
def fake():
    """A local fake of Twilio's REST API (tests/fake_twilio.py)."""
    fake = FakeTwilio().start()
    yield fake
    fake.stop()


@pytest.fixture
def cfg(db_url, tmp_path, fake, monkeypatch):
    """Settings of a live Twilio account pointing at the fake, SMS allowed at any hour."""
    for name, value in {"PASS_VAR_DIR": str(tmp_path / "var"), "DATABASE_URL": db_url,
                        "TWILIO_ACCOUNT_SID": ACCOUNT_SID, "TWILIO_AUTH_TOKEN": AUTH_TOKEN,
                        "TWILIO_FROM": "+33700000000", "TWILIO_API_BASE_URL": fake.url,
                        "PASS_SMS_WINDOW": "Mon-Sun 00:00-24:00"}.items():
        monkeypatch.setenv(name, value)
    return settings.load()


@pytest.fixture(scope="module")
def browser():
    """Debian's Chromium (scripts/chromium.sh installs it), headless, driven by Playwright."""
    from playwright.sync_api import sync_playwright

    chromium = subprocess.run([ROOT / "scripts" / "chromium.sh"], check=True, capture_output=True, text=True)
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(
            executable_path=chromium.stdout.strip().splitlines()[-1],
            args=["--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking"],
        )
        yield browser
        browser.close()
