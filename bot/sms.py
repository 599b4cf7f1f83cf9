"""SMS encoding and segment counting (what an SMS costs).

GSM-7 fits 160 characters in one segment and 153 per part when concatenated; a single
character outside the GSM 03.38 alphabet (ê, ç, œ, curly quotes, emoji, Arabic…) turns the
whole message into UCS-2: 70 characters, 67 per part. Extension characters (€ { } [ ] …) take
two septets; the gsm0338 codec encodes them as two bytes, so its length is the septet count.
"""
from __future__ import annotations

import math

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
