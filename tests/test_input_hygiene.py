"""Bad input closed at the door: text normalised on entry in every channel, typed commands are
plain text, request bodies capped at 64 kB, and the console answers absurd dates with a 400
carrying its security headers (Sanic's own error pages included)."""
import asyncio
import json
import os
import re
import subprocess
import sys
import time
import unicodedata

import pytest
import requests

from bot.channels import incoming
from bot.settings import ROOT
from tests.e2e import free_port


def test_text_is_normalised_on_entry():
    assert incoming.clean("caf\u0065\u0301 \ud83d!") == "café \ufffd!"  # NFC; a lone surrogate replaced
    assert incoming.clean("a\x00b\x1bc\x7f\r\nd\te") == "abc\nd\te"  # control characters go
    zwnj = "می\u200cخواهم"  # Persian needs its zero-width non-joiner
    assert incoming.clean(zwnj) == zwnj
    cleaned = incoming.clean("\ud800\udfff" * 3)
    cleaned.encode("utf-8")  # whatever came in can be written out again
    assert unicodedata.is_normalized("NFC", cleaned)
    assert incoming.clean_value({"k\x00": ["\udc00", 3, {"x": "e\u0301"}]}) == {"k": ["\ufffd", 3, {"x": "é"}]}


class NoMenuAgent:
    """What incoming.prepare needs of Rasa's agent: no menu open, a parser that reads nothing."""

    def __init__(self) -> None:
        self.tracker_store = self

    async def retrieve(self, sender):
        return None

    async def parse_message(self, text):
        return {"intent": {"name": "nlu_fallback", "confidence": 0.0}}


@pytest.mark.parametrize("typed", ["/restart", " /restart", "\x00/restart", "/session_start", "/affirm",
                                   '/choose_slot{"slot_id": "1"}'])
def test_typed_commands_are_plain_text(typed):
    text, _ = asyncio.run(incoming.prepare(NoMenuAgent(), "web-x", typed, None))
    assert text == "/nlu_fallback"  # "not understood", never a restart or a choice


def test_a_lone_surrogate_never_reaches_rasa():
    text, metadata = asyncio.run(incoming.prepare(NoMenuAgent(), "web-x", "bonjour \ud800", None))
    assert text.startswith("bonjour") and "\ud800" not in text
    (text + json.dumps(metadata, ensure_ascii=False)).encode("utf-8")


CHANNEL_SERVER = """
import sys
from sanic import Sanic, Blueprint, response
from bot.channels import incoming
app = Sanic("capped")
bp = Blueprint("bp")
incoming.cap_request_bodies(bp)
@bp.post("/echo")
async def echo(request):
    return response.json({"bytes": len(request.body)})
app.blueprint(bp)
app.run(host="127.0.0.1", port=int(sys.argv[1]), access_log=False)
"""


def wait_up(url: str, process: subprocess.Popen) -> None:
    for _ in range(150):
        assert process.poll() is None, process.stderr.read() if process.stderr else "exited"
        try:
            requests.get(url, timeout=1)
            return
        except requests.ConnectionError:
            time.sleep(0.2)
    raise AssertionError(f"{url} never answered")


def test_a_channel_caps_the_bodies_of_the_server_it_runs_in():
    port = free_port()
    process = subprocess.Popen([sys.executable, "-c", CHANNEL_SERVER, str(port)], cwd=ROOT,
                               env={**os.environ, "PYTHONPATH": str(ROOT)},
                               stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True)
    try:
        wait_up(f"http://127.0.0.1:{port}/", process)
        assert requests.post(f"http://127.0.0.1:{port}/echo", data=b"x" * 60_000, timeout=10).json() == {"bytes": 60_000}
        assert requests.post(f"http://127.0.0.1:{port}/echo", data=b"x" * 70_000, timeout=10).status_code == 413
    finally:
        process.terminate()
        process.wait(timeout=20)


@pytest.fixture(scope="module")
def console(tmp_path_factory):
    var = tmp_path_factory.mktemp("var")
    port = free_port()
    env = {**os.environ, "PASS_VAR_DIR": str(var), "CONSOLE_PORT": str(port), "PYTHONPATH": str(ROOT),
           "PASS_CONSOLE_PASSWORD": "a long test password"}
    env.pop("DATABASE_URL", None)
    subprocess.run([sys.executable, "-m", "bot", "db", "upgrade"], cwd=ROOT, env=env, capture_output=True, timeout=120)
    created = subprocess.run([sys.executable, "-m", "bot", "users", "create", "--role", "coordinator", "cora"],
                             cwd=ROOT, env=env, capture_output=True, text=True, timeout=120)
    assert created.returncode == 0, created.stderr
    process = subprocess.Popen([sys.executable, "-m", "bot", "console"], cwd=ROOT, env=env,
                               stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True)
    url = f"http://127.0.0.1:{port}"
    try:
        wait_up(f"{url}/health", process)
        http = requests.Session()
        token = re.search(r'name="login_token" value="([^"]+)"', http.get(f"{url}/login", timeout=10).text)[1]
        http.post(f"{url}/login", data={"login_token": token, "name": "cora", "password": "a long test password"},
                  timeout=30).raise_for_status()
        yield url, http
    finally:
        process.terminate()
        process.wait(timeout=20)


def has_security_headers(reply: requests.Response) -> bool:
    return (reply.headers.get("X-Content-Type-Options") == "nosniff" and reply.headers.get("Cache-Control") == "no-store"
            and "frame-ancestors 'none'" in reply.headers.get("Content-Security-Policy", ""))


@pytest.mark.parametrize("query", ["from=0001-01-01", "to=9999-12-31", "from=2026-13-01", "from=yesterday"])
def test_absurd_dashboard_dates_are_a_400(console, query):
    url, http = console
    for page in ("/dashboard", "/dashboard.csv"):
        reply = http.get(f"{url}{page}?{query}", timeout=10)
        assert reply.status_code == 400 and has_security_headers(reply), (page, reply.status_code)
    reply = http.get(f"{url}/appointments?day={query.split('=')[1]}", timeout=10)
    assert reply.status_code == 400 and has_security_headers(reply)
    assert http.get(f"{url}/dashboard?from=2026-11-01&to=2026-11-30", timeout=10).status_code == 200


def test_the_consoles_error_pages_carry_its_headers_and_bodies_are_capped(console):
    url, http = console
    missing = http.get(f"{url}/no-such-page", timeout=10)
    assert missing.status_code == 404 and has_security_headers(missing)
    wrong_method = http.delete(f"{url}/login", timeout=10)
    assert wrong_method.status_code == 405 and has_security_headers(wrong_method)
    huge = requests.post(f"{url}/login", data={"name": "x" * 100_000}, timeout=10)
    assert huge.status_code == 413 and has_security_headers(huge)
