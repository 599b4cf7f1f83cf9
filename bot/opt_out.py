"""SMS opt-out by keyword only: STOP, ARRET, STOP SMS… (and each language's words, listed as data
in bot/languages/words/<lang>.yaml under `keywords:`) stop every SMS only when they are the whole
message; case, accents, spaces and punctuation are ignored ("Arrêt.", " s t o p ", "Stop SMS!").
A word inside a sentence ("arrête de m'appeler", "inscription", "prescription") is never a
keyword, and the intent model never stops SMS: a request in words gets a question ("to stop
every SMS, reply STOP"), bot/actions/requests.py.

French carrier rules (the FFTélécoms / AF2M code of conduct for SMS+ and A2P SMS): every
commercial or service SMS flow must honour STOP (also "STOP SMS") sent to the number, free of
charge, at once, and confirm it with one last SMS; nothing else may be sent afterwards until the
person asks again. The assistant does exactly that (bot/channels/twilio_sms.py), with one
exception required by its duty of care: a message about an emergency, suicidal thoughts or
violence still gets its safety answer (and reaches the console, urgent)."""
from __future__ import annotations

import unicodedata
from functools import lru_cache

from bot.answers import normalise
from bot.languages import words

STOP, START = "stop", "start"


def squeeze(text: str) -> str:
    """The letters of a message, lowercased, without accents, spaces or punctuation."""
    plain = normalise(text or "")
    return "".join(c for c in plain if unicodedata.category(c)[0] in "LMN")


@lru_cache(maxsize=None)
def table() -> dict[str, str]:
    """Squeezed keyword -> 'stop' or 'start', over every language (a person may write STOP in
    any of them). A keyword listed for both would be a data error."""
    found: dict[str, str] = {}
    for language in words.languages():
        for kind in (STOP, START):
            for phrase in (words.load(language).get("keywords") or {}).get(kind, []):
                key = squeeze(phrase)
                if found.get(key, kind) != kind:
                    raise words.WordsError(f"{language}.yaml: {phrase!r} is both a stop and a start keyword")
                found[key] = kind
    return found


def keyword(text: str | None) -> str | None:
    """'stop', 'start' or None: whether the whole message is one of the keywords."""
    key = squeeze(text or "")
    if not key or len(key) > 40:
        return None
    return table().get(key)
