"""SMS encoding and segment counting (what an SMS costs).

GSM-7 fits 160 characters in one segment and 153 per part when concatenated; a single
character outside the GSM 03.38 alphabet (ê, ç, œ, curly quotes, emoji, Arabic…) turns the
whole message into UCS-2: 70 characters, 67 per part. Extension characters (€ { } [ ] …) take
two septets; the gsm0338 codec encodes them as two bytes, so its length is the septet count.
"""
from __future__ import annotations

import math
import unicodedata

import gsm0338  # noqa: F401  (registers the "gsm03.38" codec)

MAX_CONCATENATED_CHARS = 1600  # Twilio's limit for one message body


def is_gsm7(text: str) -> bool:
    try:
        text.encode("gsm03.38")
    except UnicodeEncodeError:
        return False
    return True


def segments(text: str) -> int:
    if not text:
        return 1
    if is_gsm7(text):
        septets = len(text.encode("gsm03.38"))
        return 1 if septets <= 160 else math.ceil(septets / 153)
    units = len(text.encode("utf-16-le")) // 2  # emoji count as two UCS-2 units
    return 1 if units <= 70 else math.ceil(units / 67)


def fold_to_gsm7(text: str) -> str:
    """Drop the accents GSM-7 lacks (ț → t, ç → c, á → a), keep those it has (é, è, à, ñ…).
    For data put into a text (a date from Babel, a place name): the catalogs themselves are
    written in GSM-7 already and checked by the tests."""
    folded = []
    for char in text:
        if not is_gsm7(char):
            base = unicodedata.normalize("NFD", char)[0]
            if is_gsm7(base):
                char = base
        folded.append(char)
    return "".join(folded)


def join_turn(texts: list[str]) -> list[str]:
    """The texts of one turn as few messages and segments as possible: consecutive texts are
    joined when the result fits in one message and costs no more segments than sending them
    apart (joining a GSM-7 text with an Arabic one would turn both into UCS-2)."""
    messages: list[str] = []
    for text in texts:
        if messages:
            joined = f"{messages[-1]}\n{text}"
            if len(joined) <= MAX_CONCATENATED_CHARS and segments(joined) <= segments(messages[-1]) + segments(text):
                messages[-1] = joined
                continue
        messages.append(text)
    return messages
