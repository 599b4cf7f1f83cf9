"""Canned answers a social worker can send in one click, in the person's language. They are
texts for patients, so they live in the Babel catalogs like every other (msgids in English)."""
from __future__ import annotations

from bot.i18n import N_, gettext

CANNED = (
    N_("Hello, I am a social worker of the health centre. I am reading your messages."),
    N_("Can you give me a phone number where I can call you, and when?"),
    N_("Come to your appointment with your identity papers and any letter you received."),
    N_("Thank you. I close this conversation now; you can write to us again at any time."),
)


def replies(language: str | None) -> list[dict[str, str]]:
    """Each canned answer in French (for the social worker) and in the person's language."""
    language = language or "fr"
    return [{"fr": gettext(msgid, "fr"), "text": gettext(msgid, language)} for msgid in CANNED]
