"""The figures an operator watches (bot/metrics.py), read from each process of a running
assistant as Prometheus would."""
from __future__ import annotations

import re

import pytest
import requests

pytestmark = pytest.mark.e2e


def _value(text: str, name: str, **labels: str) -> float:
    wanted = ",".join(f'{k}="{v}"' for k, v in labels.items())
    pattern = rf"^{re.escape(name)}{{{re.escape(wanted)}}} (\S+)$" if labels else rf"^{re.escape(name)} (\S+)$"
    found = re.search(pattern, text, re.MULTILINE)
    return float(found[1]) if found else 0.0


def test_turns_are_counted_and_timed_by_channel(bot):
    before = _value(bot.metrics("rasa"), "pass_turn_seconds_count", channel="rest")
    bot.say("metrics-turns", "bonjour")
    bot.say("metrics-turns", "1")
    figures = bot.metrics("rasa")
    assert _value(figures, "pass_turn_seconds_count", channel="rest") == before + 2
    assert _value(figures, "pass_turn_seconds_sum", channel="rest") > 0


def test_web_chat_turns_are_counted_too(bot):
    """The main channel was not counted at all: no latency, no failures."""
    from tests.test_webchat_http import Chat

    before = _value(bot.metrics("rasa"), "pass_turn_seconds_count", channel="web")
    chat = Chat(bot, "?lang=fr")
    chat.say(start=True, lang="fr")
    chat.say(text="1")
    assert _value(bot.metrics("rasa"), "pass_turn_seconds_count", channel="web") == before + 2


def test_the_worker_shows_handoffs_waiting_and_the_outbox_without_anything_personal(bot):
    number = "+33698761234"
    bot.sms(number, "bonjour")
    bot.sms(number, "1")
    bot.sms(number, "je veux parler à une personne s'il vous plaît")
    figures = bot.metrics("sms")
    assert _value(figures, "pass_handoffs_waiting", urgent="no") >= 1
    assert _value(figures, "pass_handoff_oldest_wait_seconds") > 0
    assert _value(figures, "pass_sms_sent_24h", kind="reply") >= 3
    assert "pass_outbox_due" in figures
    assert "98761234" not in figures and "bonjour" not in figures and "personne" not in figures


def test_failed_console_logins_are_counted(bot):
    before = _value(bot.metrics("console"), "pass_console_login_failures_total")
    assert bot.create_user("metrics-coordinator", "coordinator").returncode == 0
    for _ in range(2):
        with pytest.raises(requests.HTTPError):
            bot.console_login("metrics-coordinator", "not the password")
    assert _value(bot.metrics("console"), "pass_console_login_failures_total") == before + 2
