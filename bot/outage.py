"""What a person reads when the assistant cannot answer right now (a database is away): a polite
"try again later" in their language if the message shows it, else French. The conversation is
not lost: the message was not recorded, so writing it again later works."""
from __future__ import annotations

from bot import language_detection
from bot.i18n import DEFAULT_LANGUAGE, N_, gettext, supported

TRY_AGAIN_LATER = N_("Sorry, we cannot answer right now because of a technical problem. Please write "
                     "again in a few minutes.")


def try_again_later(text: str, metadata: dict | None = None, language: str | None = None) -> str:
    """`language`: the person's own, when known (it wins over what the message looks like)."""
    language = (supported(language) or language_detection.detect(text).language
                or supported((metadata or {}).get("language")))
    return gettext(TRY_AGAIN_LATER, language or DEFAULT_LANGUAGE)
