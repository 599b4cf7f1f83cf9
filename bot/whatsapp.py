"""WhatsApp's 24-hour rule: a free-form message may go only within 24 hours of the person's
last message; after that only an approved template (bot/whatsapp_templates.yaml, Twilio
Content API `content_sid`). The SMS worker asks here how to send a row to a WhatsApp number:
free-form, a template, or by SMS to the same number (no template approved for that kind and
language). A send Twilio refuses with 63016 falls back to SMS too (bot.outbox.fall_back_to_sms);
when nothing can reach the person, the console shows it as a task (request "undelivered").
"""
from __future__ import annotations

import json
import os
from dataclasses import dataclass
from datetime import datetime, timedelta
from functools import lru_cache
from pathlib import Path
from typing import Any

import yaml

WINDOW = timedelta(hours=24)
OUTSIDE_WINDOW_ERROR = "63016"  # Twilio: "outside the allowed window" for a free-form message
TEMPLATES = Path(__file__).with_name("whatsapp_templates.yaml")


@dataclass(frozen=True)
class Template:
    content_sid: str
    variables: tuple[str, ...]

    def content_variables(self, values: dict[str, str]) -> str:
        """Twilio's ContentVariables: {"1": …, "2": …} in the template's order."""
        return json.dumps({str(n): str(values[name]) for n, name in enumerate(self.variables, 1)},
                          ensure_ascii=False)


@lru_cache(maxsize=None)
def _templates(path: str) -> dict[str, Any]:
    return yaml.safe_load(Path(path).read_text(encoding="utf-8")) or {}


def template_for(kind: str, language: str) -> Template | None:
    """The approved template of an outbox kind (`reminder_1d` is a reminder) in a language."""
    family = "reminder" if kind.startswith("reminder_") else kind
    entry = _templates(os.environ.get("PASS_WHATSAPP_TEMPLATES") or str(TEMPLATES)).get(family) or {}
    sid = (entry.get("content_sid") or {}).get(language) or ""
    return Template(sid, tuple(entry.get("variables") or ())) if sid.strip() else None


def window_open(last_message_at: datetime | None, now: datetime) -> bool:
    return last_message_at is not None and now - last_message_at < WINDOW
