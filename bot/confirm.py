"""Irreversible actions (cancel or move an appointment, erase data) need a clear request and a
clear yes. Plain Python: the channels (bot/channels/incoming.py) and actions use it.

- A request is *negated* when it holds a negation word of the person's language ("je veux pas
  annuler", "non merci"): it never acts.
- A reply is a *clear yes* when it is the offered choice (its button or number), a yes-word of
  the person's language alone ("oui", "ok", "نعم", "بله"), or read as `affirm` with a high
  confidence and no negation. An emoji, "asdf", "ok non" or a weak affirm is not.

The words come from bot/languages/words/<lang>.yaml (`reading: affirm, deny, negations`); for a
language whose lists are not filled yet, a few common words below stand in.
"""
from __future__ import annotations

import re
import unicodedata
from functools import lru_cache

from bot.answers import normalise
from bot.languages import words

# The model's `affirm` counts as a clear yes only this sure (and for a short, worded reply).
AFFIRM_CONFIDENCE = 0.9
MAX_WORDS_FOR_INTENT = 4

# Until bot/languages/words/<lang>.yaml has them: common yes-words, no-words and negations.
FALLBACK = {
    "fr": ({"oui", "ouais", "ok", "d accord"}, {"non", "nan"}, {"pas", "ne", "n", "jamais", "non", "plus"}),
    "en": ({"yes", "yeah", "yep", "ok", "okay", "sure"}, {"no", "nope"}, {"not", "no", "never", "don t", "dont", "nt"}),
    "ar": ({"نعم", "ايوه", "ايه", "اه", "اجل", "واخا", "موافق", "ok", "oui", "yes"}, {"لا", "لاء", "no", "non"},
           {"لا", "لن", "لم", "مش", "ما", "ماشي", "بلاش", "ليس", "no", "non", "pas"}),
    "ro": ({"da", "sigur", "ok", "bine"}, {"nu"}, {"nu", "nici", "niciodata"}),
    "bn": ({"হ্যা", "হা", "জি", "ঠিক আছে", "ok", "yes"}, {"না", "no"}, {"না", "নয়", "নেই", "নাই"}),
    "fa": ({"بله", "بلی", "اره", "باشه", "درسته", "ok", "yes"}, {"نه", "خیر", "no"},
           {"نه", "نمی", "نکن", "نکنید", "نمیخواهم", "نمیخوام", "خیر", "no"}),
    "es": ({"si", "vale", "claro", "ok", "de acuerdo"}, {"no"}, {"no", "nunca", "jamas"}),
    "pt": ({"sim", "claro", "ok", "esta bem", "pode ser"}, {"nao"}, {"nao", "nunca", "jamais"}),
}
# Persian verbs are negated by a prefix written into the word: نمی‌خواهم, نکنید.
NEGATIVE_PREFIXES = {"fa": ("نمی", "نخواه", "نکن")}


def _plain(text: str) -> str:
    """normalise, then without signs: "Oui !" -> "oui". Letters, marks and digits are kept
    together (Bengali vowel signs are marks: না is one word)."""
    kept = "".join(c if unicodedata.category(c)[0] in "LMN" else " " for c in normalise(text))
    return " ".join(kept.split())


@lru_cache(maxsize=None)
def vocabulary(language: str) -> tuple[frozenset, frozenset, frozenset]:
    """(yes phrases, no phrases, negation words) of a language, normalised."""
    reading = (words.load(language) or {}).get("reading") or {}
    fallback = FALLBACK.get(language, (set(), set(), set()))
    pick = lambda name, index: frozenset(_plain(w) for w in (reading.get(name) or fallback[index]))
    return pick("affirm", 0), pick("deny", 1), pick("negations", 2) | frozenset(_plain(w) for w in fallback[2])


def negated(text: str | None, language: str) -> bool:
    """Whether a request or a reply holds a negation ("je veux pas annuler", "ما بغيتش")."""
    plain = _plain(text or "")
    _, no, negations = vocabulary(language)
    tokens = plain.split()
    if plain in no or any(token in negations for token in tokens):
        return True
    if any(phrase in f" {plain} " for phrase in (f" {n} " for n in negations if " " in n)):
        return True
    return any(token.startswith(NEGATIVE_PREFIXES.get(language, ("\0",))) for token in tokens)


def clear_yes(text: str | None, language: str, intent: str | None = None, confidence: float = 0.0) -> bool:
    """Whether a reply to a confirmation question is a clear yes (see the module's docstring)."""
    plain = _plain(text or "")
    if not plain or negated(text, language):
        return False
    yes, _, _ = vocabulary(language)
    if plain in yes:
        return True
    worded = re.search(r"[^\W\d_]{2,}", plain) is not None
    return (intent == "affirm" and confidence >= AFFIRM_CONFIDENCE and worded
            and len(plain.split()) <= MAX_WORDS_FOR_INTENT)
