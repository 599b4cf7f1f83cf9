"""Which language a message is written in: a hint, never forced on short texts.

Offline (lingua, models inside the package), restricted to the languages we speak plus the
other languages most often heard in Saint-Denis that we do not speak yet, so that a Turkish or
Tamil message is recognised as "not ours" instead of being forced into the nearest of ours.
"""
from __future__ import annotations

import re
import unicodedata
from collections import defaultdict
from dataclasses import dataclass
from functools import lru_cache

from lingua import Language, LanguageDetectorBuilder

OURS = {
    "fr": Language.FRENCH, "en": Language.ENGLISH, "ar": Language.ARABIC, "ro": Language.ROMANIAN,
    "bn": Language.BENGALI, "fa": Language.PERSIAN, "es": Language.SPANISH, "pt": Language.PORTUGUESE,
}
# Other languages of the people the PASS meets (rights-facts.md §6), that lingua knows.
NOT_YET_OURS = (
    Language.TURKISH, Language.TAMIL, Language.URDU, Language.HINDI, Language.PUNJABI, Language.RUSSIAN,
    Language.UKRAINIAN, Language.GEORGIAN, Language.ARMENIAN, Language.ALBANIAN, Language.POLISH,
    Language.CHINESE, Language.VIETNAMESE, Language.ITALIAN, Language.GERMAN,
)
# Not listed although spoken here: Swahili, Yoruba and Somali, written in Latin letters, swallow
# the Latin-script Persian, Bengali and darija our users write ("nemitunam nafas bekesham").
MIN_WORDS = 3  # "ok merci", "hello" or a name say nothing reliable about a language
MIN_LETTERS = 10
MIN_CONFIDENCE = 0.5  # share of the probability among the candidate languages
# Or a clear lead: "hi, I need a doctor" is English at 0.46, three times the next language. On
# the held-out NLU sets (1,348 messages) this reads 29 more right and 5 more wrong: 3 of them as
# French, what an unread message gets anyway, one "thank you bhai" as English, one Latin-script
# Dari as Portuguese.
MIN_LEAD_CONFIDENCE, LEAD = 0.45, 2.5
# Saying "we don't speak your language" to someone we could have understood is worse than
# answering in French: Latin-script Persian or Bengali can look like Swahili or Yoruba.
MIN_CONFIDENCE_UNSUPPORTED = 0.8

_LETTERS = re.compile(r"[^\W\d_]", re.UNICODE)


@dataclass(frozen=True)
class Detection:
    language: str | None = None  # one of ours, clearly
    unsupported: str | None = None  # ISO 639-1 code of a language we do not speak, clearly


@lru_cache(maxsize=1)
def _detector():
    return LanguageDetectorBuilder.from_languages(*OURS.values(), *NOT_YET_OURS).build()


@lru_cache(maxsize=1)
def _greetings() -> dict[str, frozenset[str]]:
    """A greeting (normalised) -> our languages that have it (words files, `greetings`)."""
    from bot.languages import words

    found: dict[str, set[str]] = defaultdict(set)
    for language in OURS:
        for phrase in words.load(language).get("greetings", []):
            found[_plain(phrase)].add(language)
    return {phrase: frozenset(languages) for phrase, languages in found.items()}


def _greeting_languages(plain: str) -> frozenset[str]:
    """The languages a message made only of greetings shares: "hola buenos dias" is Spanish,
    "salam bonjour" is none. Read left to right, the longest greeting first."""
    greetings, said, shared = _greetings(), plain.split(), None
    longest = max((len(g.split()) for g in greetings), default=0)
    while said:
        for size in range(min(longest, len(said)), 0, -1):
            languages = greetings.get(" ".join(said[:size]))
            if languages:
                shared = languages if shared is None else shared & languages
                said = said[size:]
                break
        else:
            return frozenset()  # a word that is no greeting: the model decides
    return shared or frozenset()


def _plain(text: str) -> str:
    return " ".join(re.findall(r"[^\W_]+", unicodedata.normalize("NFC", text).casefold()))


def detect(text: str) -> Detection:
    # "bună ziua" or "مرحبا" alone is too short for the model, yet says the language: the
    # greetings each words file lists, when only one of our languages has it.
    greeting_of = _greeting_languages(_plain(text or ""))
    if len(greeting_of) == 1:
        return Detection(language=next(iter(greeting_of)))
    if not text or text.startswith("/") or len(text.split()) < MIN_WORDS or len(_LETTERS.findall(text)) < MIN_LETTERS:
        return Detection()
    values = _detector().compute_language_confidence_values(text)
    best = values[0]
    code = best.language.iso_code_639_1.name.lower()
    if best.language in OURS.values():
        second = values[1].value if len(values) > 1 else 0.0
        clear = best.value >= MIN_CONFIDENCE or (best.value >= MIN_LEAD_CONFIDENCE and best.value >= LEAD * second)
        return Detection(language=code) if clear else Detection()
    # Russian or Ukrainian: all that matters is that it is none of ours.
    not_ours = sum(v.value for v in values if v.language not in OURS.values())
    return Detection(unsupported=code) if not_ours >= MIN_CONFIDENCE_UNSUPPORTED else Detection()


def annotate(text: str, metadata: dict | None, detection: Detection) -> tuple[str, dict]:
    """What a channel hands to Rasa: a message in a language we do not speak becomes the
    `unsupported_language` intent (answered in French, English and Arabic, with a human and an
    interpreter); one clearly in one of ours is noted, for the greeting of a new conversation.
    The channel clears `unsupported` first when the model understood the message anyway: the
    safety net must never be skipped ("فکر خودکشی دارم" can look like Urdu)."""
    metadata = dict(metadata or {})
    if detection.unsupported:
        metadata["unsupported_language"] = detection.unsupported
        return "/unsupported_language", metadata
    if detection.language:
        metadata["detected_language"] = detection.language
    return text, metadata


SAFETY_INTENTS = frozenset({"emergency", "suicidal_thoughts", "violence"})
NOT_UNDERSTOOD = frozenset({"nlu_fallback", "out_of_scope", "unsupported_language"})
UNDERSTOOD_CONFIDENCE = 0.7


def understood(intent: str, confidence: float) -> bool:
    """The model's reading of a message wins over "not our language" when it is a safety
    intent, or any intent it is confident about."""
    if intent in SAFETY_INTENTS:
        return True
    return intent not in NOT_UNDERSTOOD and confidence >= UNDERSTOOD_CONFIDENCE
