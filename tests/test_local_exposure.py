"""What another user of the same machine can see or reach: no secret on a command line, var/
closed, the action server only for Rasa, the REST channel never writing into another channel's
conversation and off in production without its token (issue 19, point 5)."""
from __future__ import annotations

import os
import stat
from pathlib import Path
from types import SimpleNamespace

import pytest
import requests

from bot.channels.rest import RestInput
from bot.serve import ACTION_TOKEN_HEADER
from bot.webchat import PAGE_HEADERS

SECRET_FILES = ("rasa.token", "action.token", "hash.key", "data.key", "webchat.key", "twilio-dev.token")


def _command_lines(var_dir: Path) -> list[str]:
    """The command lines of this assistant's processes (those started with its var/; other
    checkouts may run on the machine), as `ps` shows them to any local user."""
    found, ours = [], f"PASS_VAR_DIR={var_dir}".encode()
    for process in Path("/proc").glob("[0-9]*"):
        try:
            if ours in (process / "environ").read_bytes().split(b"\0"):
                found.append((process / "cmdline").read_bytes().replace(b"\0", b" ").decode(errors="replace"))
        except OSError:
            continue  # a process that ended meanwhile, or not ours to read
    return found


@pytest.mark.e2e
def test_no_secret_is_on_any_command_line(bot):
    secrets = [bot.token] + [(bot.var_dir / name).read_text().strip() for name in SECRET_FILES
                             if (bot.var_dir / name).exists()]
    lines = _command_lines(bot.var_dir)
    assert any("bot.serve rasa" in line for line in lines) and any("bot.serve actions" in line for line in lines)
    leaked = [line[:80] for line in lines for secret in secrets if secret and secret in line]
    assert leaked == []


@pytest.mark.e2e
def test_var_and_everything_in_it_is_closed_to_other_users(bot):
    assert stat.S_IMODE(bot.var_dir.stat().st_mode) == 0o700
    files = [path for path in bot.var_dir.rglob("*") if path.is_file()]
    assert {"pass.db", "tracker.db", "hash.key", "data.key", "action.token"} <= {p.name for p in files}
    opened = {str(p.relative_to(bot.var_dir)): oct(stat.S_IMODE(p.stat().st_mode)) for p in files
              if p.stat().st_mode & (stat.S_IRWXG | stat.S_IRWXO)}
    assert opened == {}


@pytest.mark.e2e
def test_the_action_server_runs_actions_only_for_rasa(bot):
    url = f"http://127.0.0.1:{bot.action_port}"
    assert requests.get(f"{url}/health", timeout=5).status_code == 200
    call = {"next_action": "action_session_start", "sender_id": "intruder", "tracker": {"sender_id": "intruder"},
            "domain": {}, "version": "3.6.2"}
    assert requests.post(f"{url}/webhook", json=call, timeout=5).status_code == 401
    wrong = requests.post(f"{url}/webhook", json=call, headers={ACTION_TOKEN_HEADER: "guess"}, timeout=5)
    assert wrong.status_code == 401
    # Its refusals and Sanic's own error pages carry the same headers as every page.
    for reply in (wrong, requests.get(f"{url}/no-such-page", timeout=5),
                  requests.delete(f"{url}/webhook", timeout=5)):
        for name, value in PAGE_HEADERS.items():
            assert reply.headers.get(name) == value, (reply.status_code, name)
    # ...and Rasa itself, holding the token, still runs them: a conversation goes on.
    assert bot.texts("exposure-check", "bonjour")


@pytest.mark.parametrize("sender", ["web-0123456789abcdef", "sms-0123456789abcdef"])
def test_the_rest_channel_never_writes_into_a_web_chat_or_sms_conversation(monkeypatch, sender):
    monkeypatch.delenv("PASS_REST_ANY_CONVERSATION", raising=False)
    assert not RestInput().accepts(sender) and RestInput().accepts("integration-0123")
    monkeypatch.setenv("PASS_PROFILE", "prod")
    monkeypatch.setenv("PASS_REST_ANY_CONVERSATION", "1")  # the test harness's switch: never in production
    assert not RestInput().accepts(sender)


def _request(authorization: str | None = None):
    return SimpleNamespace(headers={"Authorization": authorization} if authorization else {})


def test_in_production_the_rest_channel_is_off_without_its_token(monkeypatch):
    monkeypatch.setenv("PASS_PROFILE", "prod")
    monkeypatch.delenv("PASS_REST_TOKEN", raising=False)
    assert not RestInput().allowed(_request()) and not RestInput().allowed(_request("Bearer anything"))
    monkeypatch.setenv("PASS_REST_TOKEN", "the-integration-token")
    channel = RestInput()
    assert channel.allowed(_request("Bearer the-integration-token"))
    assert not channel.allowed(_request("Bearer another")) and not channel.allowed(_request())


def test_in_development_the_rest_channel_is_open_on_the_machine(monkeypatch):
    monkeypatch.delenv("PASS_PROFILE", raising=False)
    monkeypatch.delenv("PASS_REST_TOKEN", raising=False)
    assert RestInput().allowed(_request())


@pytest.mark.skipif(os.geteuid() != 0, reason="giving a directory to another user needs root")
def test_var_stays_reachable_for_the_postgresql_cluster_it_holds(tmp_path):
    """make run-prod keeps PostgreSQL's cluster in var/postgres, owned by postgres: var/ at 0700
    made the running server fail its first checkpoint (pg_control: permission denied) and the
    next start fail. var/ is then 0711: the server reaches its own files, nobody lists var/."""
    from bot import settings

    var = tmp_path / "var"
    (var / "postgres").mkdir(parents=True)
    (var / "pass.db").write_text("x")
    os.chown(var / "postgres", 65534, 65534)  # nobody: another user
    settings.close_var_dir(var)
    assert stat.S_IMODE(var.stat().st_mode) == 0o711
    assert stat.S_IMODE((var / "pass.db").stat().st_mode) == 0o600
    os.chown(var / "postgres", os.getuid(), os.getgid())
    settings.close_var_dir(var)
    assert stat.S_IMODE(var.stat().st_mode) == 0o700
