"""Render a response for a language and a kind of channel.

Web-like channels get the text and buttons; SMS-like channels get the choices as numbered lines
in the text (a basic phone has no buttons), and the buttons are kept alongside so that a reply
"2" can be mapped back to the second button's payload (see bot.choices).
"""
from __future__ import annotations

from dataclasses import dataclass, field
from string import Formatter
from typing import Any, Mapping

from datetime import date, datetime

from babel.dates import format_date, format_datetime
from babel.numbers import format_decimal

from bot.i18n import gettext
from bot.responses import RESPONSES, Choice, Response
from bot.settings import PARIS
from bot.sms import fold_to_gsm7

SMS = "sms"
WEB = "web"
# Output channel names (as Rasa calls them) that reach a phone as text messages.
SMS_CHANNELS = frozenset({"twilio", "sms", "whatsapp"})


@dataclass(frozen=True)
class Rendered:
    text: str
    buttons: list[dict[str, str]] = field(default_factory=list)

    def as_rasa(self) -> dict[str, Any]:
        return {"text": self.text, "buttons": self.buttons}


class UnknownResponse(KeyError):
    pass


def channel_kind(output_channel: str | None, metadata: Mapping[str, Any] | None = None) -> str:
    """SMS for phone channels; a REST client may ask for the SMS rendering with
    metadata {"render": "sms"} (used by tests and to preview what a phone receives)."""
    if (metadata or {}).get("render") == SMS:
        return SMS
    return SMS if (output_channel or "").lower() in SMS_CHANNELS else WEB


def placeholders(text: str) -> set[str]:
    return {name for _, name, _, _ in Formatter().parse(text) if name}


def _label(choice: Choice, language: str, kind: str) -> str:
    label = choice.sms_label if kind == SMS and choice.sms_label else choice.label
    return gettext(label, language) if choice.translate else label


# Parameters holding a moment as ISO 8601 text (actions send JSON): said as a date and time.
MOMENT_PARAMS = frozenset({"when", "old_when"})


def _param(name: str, value: Any) -> Any:
    return datetime.fromisoformat(value) if name in MOMENT_PARAMS and isinstance(value, str) else value


def _format(value: Any, language: str, kind: str) -> Any:
    if isinstance(value, datetime):
        # "mardi 24 novembre 14:30": weekday, day, month and time, the person's way
        value = format_datetime(value, "EEEE d MMMM HH:mm", tzinfo=PARIS, locale=language)
    elif isinstance(value, date):
        value = format_date(value, "d MMMM y", locale=language)  # "1 juin 2027"
    elif isinstance(value, (int, float)) and not isinstance(value, bool):
        value = format_decimal(value, locale=language)  # 8,5 in French, 8.5 in English
    # Data put into a text must not turn a GSM-7 SMS into UCS-2 (a Romanian "marți").
    return fold_to_gsm7(value) if kind == SMS and isinstance(value, str) else value


def format_param(name: str, value: Any, language: str) -> str:
    """One placeholder's value as a text shows it (a WhatsApp template's variable)."""
    return str(_format(_param(name, value), language, WEB))


def render(name: str, language: str, kind: str = WEB, params: Mapping[str, Any] | None = None) -> Rendered:
    """`params` fill the {placeholders}; for a response with `items`, the param `items`
    (response names, or [name, params]) adds one line each, for lists such as the papers to bring; for one with
    `slot_choices`, the param `slots` ({"payload", "start": ISO 8601}) gives the first choices."""
    try:
        response: Response = RESPONSES[name]
    except KeyError:
        raise UnknownResponse(name) from None
    msgid = response.sms if kind == SMS and response.sms else response.text
    text = "\n".join(gettext(msgid, lang) for lang in response.languages or (language,))
    params = params or {}
    # Only the placeholders of this text are formatted (the NLG passes every slot value).
    if names := placeholders(text):
        text = text.format(**{name: _format(_param(name, params[name]), language, kind) for name in names})
    if response.items:  # an item is a response name, or [name, its params]
        for item in params.get("items") or ():
            item_name, item_params = (item, None) if isinstance(item, str) else item
            text += "\n- " + render(item_name, language, kind, item_params).text
    buttons = [
        {"title": _format(datetime.fromisoformat(slot["start"]), language, kind), "payload": slot["payload"]}
        for slot in (params.get("slots") or [] if response.slot_choices else [])
    ] + [
        {"title": _label(choice, language, kind), "payload": choice.payload}
        for choice in response.choices
    ]
    if kind == SMS and buttons:
        text = "\n".join([text] + [f"{number} {b['title']}" for number, b in enumerate(buttons, 1)])
    return Rendered(text=text, buttons=buttons)
