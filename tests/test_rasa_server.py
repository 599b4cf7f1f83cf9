"""The Rasa server alone, started with the launcher's own command line (bot/serve.py): every
reply carries the web chat's security headers, Sanic's own error pages included, and the web
chat's history answers a tracker store outage with a 503 the page shows as "try again later"."""
import subprocess
import time
from dataclasses import dataclass
from pathlib import Path

import pytest
import requests

from bot import database, launcher, outage, settings, training, webchat
from bot.channels.webchat import PAGE_HEADERS
from bot.i18n import gettext
from bot.settings import ROOT
from tests.e2e import free_port


@dataclass
class Server:
    url: str
    var: Path
    log: Path


@pytest.fixture(scope="module")
def rasa(tmp_path_factory):
    var = tmp_path_factory.mktemp("var")
    env = {"PASS_VAR_DIR": str(var), "DATABASE_URL": f"sqlite:///{var / 'pass.db'}", "TRACKER_DB": str(var / "tracker.db"),
           "RASA_PORT": str(free_port()), "ACTION_PORT": str(free_port()), "RASA_TOKEN": "rasa-server-token",
           "RASA_TELEMETRY_ENABLED": "false"}
    with pytest.MonkeyPatch.context() as patch:
        for name, value in env.items():
            patch.setenv(name, value)
        patch.delenv("TRACKER_DATABASE_URL", raising=False)
        cfg = settings.load()
        database.upgrade(cfg.database_url)
        database.engine(cfg.database_url).dispose()
        service = next(s for s in launcher.services(cfg, training.ensure_model()) if s.name == "rasa")
        child_env = launcher.child_environment(cfg)
    log = var / "rasa.log"
    process = subprocess.Popen(service.argv, cwd=ROOT, env=child_env, stdout=log.open("w"), stderr=subprocess.STDOUT)
    try:
        deadline = time.monotonic() + 300
        while not launcher._ready(service.ready_url):
            if process.poll() is not None or time.monotonic() > deadline:
                raise RuntimeError("Rasa did not start:\n" + log.read_text()[-5000:])
            time.sleep(0.5)
        yield Server(cfg.rasa_url, var, log)
    finally:
        process.terminate()
        try:
            process.wait(timeout=30)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait()


def test_rasas_own_error_pages_carry_the_security_headers(rasa):
    missing = requests.get(f"{rasa.url}/no-such-page", timeout=10)
    assert missing.status_code == 404
    wrong_method = requests.delete(f"{rasa.url}/webhooks/webchat/history", timeout=10)
    assert wrong_method.status_code == 405
    huge = requests.post(f"{rasa.url}/webhooks/webchat/message", data=b"x" * 100_000, timeout=10)
    assert huge.status_code == 413
    for reply in (missing, wrong_method, huge, requests.get(f"{rasa.url}/", timeout=10)):
        for name, value in PAGE_HEADERS.items():
            assert reply.headers.get(name) == value, (reply.request.method, reply.url, name)
    # A route's own headers win: the page's assets stay cacheable.
    asset = requests.get(f"{rasa.url}/webhooks/webchat/chat.css", timeout=10)
    assert asset.headers["Cache-Control"] == "no-cache" and "frame-ancestors 'none'" in asset.headers["Content-Security-Policy"]


def test_the_web_chat_history_during_a_tracker_store_outage_is_a_503_the_page_can_show(rasa):
    http = requests.Session()
    http.get(f"{rasa.url}/webhooks/webchat/", timeout=10).raise_for_status()  # the cookie
    history = f"{rasa.url}/webhooks/webchat/history"
    assert http.get(history, timeout=10).json()["messages"] == []
    tracker = rasa.var / "tracker.db"
    tracker.rename(rasa.var / "tracker.away")
    tracker.mkdir()  # SQLite cannot open a folder: the tracker store's database is away
    try:
        away = http.get(history, headers={"Accept-Language": "en"}, timeout=10)
        reloaded = http.get(f"{rasa.url}/webhooks/webchat/", timeout=10)  # the page itself still loads
    finally:
        tracker.rmdir()
        (rasa.var / "tracker.away").rename(tracker)
    assert away.status_code == 503
    assert away.json() == {"error": "unavailable", "text": gettext(outage.TRY_AGAIN_LATER, "en")}
    for name, value in PAGE_HEADERS.items():
        assert away.headers.get(name) == value, name
    assert "a web chat history failed: OperationalError" in rasa.log.read_text()
    assert reloaded.status_code == 200 and reloaded.cookies.get(webchat.COOKIE) == http.cookies[webchat.COOKIE]
    assert http.get(history, timeout=10).status_code == 200  # back: the page shows the conversation again
