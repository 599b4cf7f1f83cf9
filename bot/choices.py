"""Numbered replies: "2" on a basic phone means the second choice of the last menu shown."""
from __future__ import annotations

import re
from typing import Iterable, Mapping, Sequence

NUMBER = re.compile(r"^\s*(\d{1,2})\s*[.)]?\s*$")


def resolve(text: str | None, buttons: Sequence[Mapping[str, str]]) -> str | None:
    """The payload a numbered reply stands for, or None if the text is not such a reply."""
    if not text or not buttons:
        return None
    match = NUMBER.match(text)
    if not match:
        return None
    number = int(match.group(1))
    if 1 <= number <= len(buttons):
        return buttons[number - 1]["payload"]
    return None


def last_menu(events: Iterable[Mapping]) -> list[Mapping[str, str]]:
    """Buttons of the last menu the bot showed in this conversation, given tracker events
    (oldest first, as Rasa serialises them). Only the menu of the bot's latest turn counts:
    a number typed after the person has moved on must not pick an old choice."""
    for event in reversed(list(events)):
        kind = event.get("event")
        if kind == "user":
            break  # menus before the person's last message were already answered
        if kind == "bot":
            buttons = (event.get("data") or {}).get("buttons")
            if buttons:
                return list(buttons)
    return []
