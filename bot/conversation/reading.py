"""Reading a reply in the frame of the question it answers.

A person answers "oui j'ai très mal au dos", "non c'est trop cher", "nu am", "ما عنديش الوراق",
"j'ai mon passeport": each question knows the shape of its answer (yes/no, a choice, a number),
so the reply is read in that frame first, with the words of the person's language
(bot/languages/words/<lang>.yaml), then French and English, which people mix in.

A wrong value is worse than none: where the words do not decide, the reading is None and the
conversation asks again, differently. Plain Python: the Rasa form validators only pass text in.
"""
from __future__ import annotations

import unicodedata
from dataclasses import dataclass
from functools import lru_cache
from typing import Any, Iterable, Optional

from bot.answers import normalise
from bot.languages import words

READ_ALSO = ("fr", "en")  # read with every language, after the person's own
NEGATION_WINDOW = 3  # a negation this many words before (or after, in fa/bn) a phrase negates it

# What a plain "no" means where a choice question is answered by one (AME before? no = never).
PLAIN_NO = {"current_cover": "none", "prior_ame_end": "never", "benefits": "none", "residence_status": "irregular"}
# Several covers named at once: the one that tells most ("carte vitale et mutuelle").
COVER_PRECEDENCE = ("closed", "ame", "puma_complementary", "puma_only", "none", "unknown")
UNKNOWN = "unknown"


@dataclass(frozen=True)
class Match:
    start: int
    end: int
    value: Any
    negated: bool


def tokens(text: str) -> list[str]:
    """Words of a message as normalise makes them, punctuation and emoji left out ("da, pot"
    is "da" "pot": normalise leaves "." and "," on words, as they may be inside a number)."""
    words = (t.strip(".,") for t in normalise(text or "").split())
    return [t for t in words if t and not all(_is_sign(c) for c in t)]


def _is_sign(char: str) -> bool:
    return unicodedata.category(char)[0] in "PSZC"


def _languages(language: str) -> tuple[str, ...]:
    return tuple(dict.fromkeys((language, *READ_ALSO)))


@lru_cache(maxsize=None)
def _phrases(language: str, key: str) -> tuple[tuple[str, ...], ...]:
    """Phrases of one `reading` list, normalised, in the languages read for this person."""
    found = []
    for lang in _languages(language):
        for phrase in words.load(lang).get("reading", {}).get(key, []):
            if phrase_tokens := tuple(tokens(phrase)):
                found.append(phrase_tokens)
    return tuple(dict.fromkeys(found))


@lru_cache(maxsize=None)
def _value_phrases(language: str, fact: str) -> tuple[tuple[tuple[str, ...], str], ...]:
    """(phrase, value) for a fact's values, longest phrases first."""
    found = {}
    for lang in _languages(language):
        for value, phrases in (words.load(lang).get("values", {}).get(fact) or {}).items():
            for phrase in phrases:
                if phrase_tokens := tuple(tokens(phrase)):
                    found.setdefault(phrase_tokens, value)
    return tuple(sorted(found.items(), key=lambda item: -len(item[0])))


@lru_cache(maxsize=None)
def _negation_after(language: str) -> bool:
    return bool(words.load(language).get("reading", {}).get("negation_after"))


def _find(said: list[str], phrases: Iterable[tuple[str, ...]]) -> list[tuple[int, int]]:
    spans = []
    for phrase in phrases:
        size = len(phrase)
        spans += [(i, i + size) for i in range(len(said) - size + 1) if tuple(said[i : i + size]) == phrase]
    return spans


def _has(said: list[str], language: str, key: str) -> bool:
    return bool(_find(said, _phrases(language, key)))


def _starts_with(said: list[str], language: str, key: str) -> bool:
    return any(start == 0 for start, _ in _find(said, _phrases(language, key)))


def _negation_at(said: list[str], language: str) -> set[int]:
    positions = set()
    for start, end in _find(said, _phrases(language, "negations")):
        positions.update(range(start, end))
    return positions


def _is_negated(start: int, end: int, negations: set[int], language: str) -> bool:
    if negations & set(range(start, end)):
        return False  # the phrase holds its own negation: "pas de mutuelle"
    before = set(range(max(0, start - NEGATION_WINDOW), start))
    after = set(range(end, end + NEGATION_WINDOW)) if _negation_after(language) else set()
    return bool(negations & (before | after))


ENDED = {"current_cover": "closed", "residence_status": "permit_expired"}  # an ended cover, an ended permit
ENDS_WHAT = {"current_cover": ("ame", "puma_only", "puma_complementary"), "residence_status": ("regular",)}


def _ended(said: list[str], match: Match, fact: str, language: str) -> bool:
    """"ma carte AME elle est finie", "se me venció la AME": a cover or a permit named with a
    word saying it ended, close by."""
    if match.value not in ENDS_WHAT.get(fact, ()):
        return False
    window = range(max(0, match.start - NEGATION_WINDOW - 2), match.end + NEGATION_WINDOW + 2)
    return any(start in window for start, _ in _find(said, _phrases(language, "ended")))


def matches(text: str, fact: str, language: str) -> list[Match]:
    """The values of a fact named in a message, longest phrase first, none overlapping."""
    said = tokens(text)
    negations = _negation_at(said, language)
    taken: set[int] = set()
    found = []
    for phrase, value in _value_phrases(language, fact):
        for start, end in _find(said, [phrase]):
            if taken & set(range(start, end)):
                continue
            taken.update(range(start, end))
            match = Match(start, end, value, _is_negated(start, end, negations, language))
            if not match.negated and _ended(said, match, fact, language):
                match = Match(start, end, ENDED[fact], False)
            found.append(match)
    return sorted(found, key=lambda m: m.start)


def documents_named(text: str, language: str) -> list[str]:
    """The papers a message says the person has ("j'ai maintenant mon acte de naissance" ->
    BIRTH_CERTIFICATE); not a negated one ("je n'ai pas encore le passeport")."""
    return list(dict.fromkeys(m.value for m in matches(text, "documents", language) if not m.negated))


# --- the frames -----------------------------------------------------------------------------


def is_unknown(text: str, language: str) -> bool:
    """"je sais pas", "idk", "نمیدونم": the person does not know."""
    return _has(tokens(text), language, "unknown")


def wants_back(text: str, language: str) -> bool:
    """"retour", "non c'est faux", "back": go back to the previous question. Only a short
    message: "c'est faux" inside a long sentence is something else."""
    said = tokens(text)
    return any(len(said) - (end - start) <= 2 for start, end in _find(said, _phrases(language, "back")))


def yes_no(text: str, language: str, *, statements: bool = True, health: bool = False,
           strict: bool = False) -> Optional[bool]:
    """True, False, or None when the words do not decide.

    The answer usually comes first ("oui j'ai très mal", "non c'est trop cher", "sim pode
    ser"); without a yes or a no, a negation answers no ("je n'ai pas de domiciliation", "nu
    am", "ما عنديش") and a statement of having answers yes ("j'ai mon passeport") when
    `statements` allows it; for the health question, a health word is a yes ("j'ai de la
    fièvre") unless it is negated. `strict` (consent): only a yes-word or a no-word decides.
    """
    said = tokens(text)
    if not said or _starts_with(said, language, "unknown"):
        return None
    unsure = _has(said, language, "unknown")
    if _has(said, language, "hedges_no"):
        return None if strict else False  # "pas vraiment", "not really"
    if _starts_with(said, language, "deny"):
        return None if unsure else False  # "non je sais pas" is not a no
    if _starts_with(said, language, "affirm") or tuple(said) in _phrases(language, "affirm_alone"):
        return True
    if unsure:
        return None
    if strict:
        yes, no = _has(said, language, "affirm"), _has(said, language, "deny")
        return yes if yes != no else None
    negations = _negation_at(said, language)
    if health:
        spans = _find(said, _phrases(language, "health"))
        if spans:
            return not all(_is_negated(s, e, negations, language) for s, e in spans)
    if negations or _has(said, language, "deny"):
        return False
    if _has(said, language, "affirm"):
        return True
    if statements and _has(said, language, "have"):
        return True
    return None


def choice(text: str, fact: str, language: str, choices: tuple[str, ...]) -> Any:
    """The value of a choice question named in words, or what a plain no means for it; None
    when nothing, or more than one value, is named. `benefits` gives the list of values."""
    mentioned = matches(text, fact, language)
    named = [m for m in mentioned if not m.negated]
    values = list(dict.fromkeys(m.value for m in named if m.value in choices))
    if not values:
        if fact == "current_cover" and is_unknown(text, language):
            return UNKNOWN
        if fact == "current_cover" and not mentioned and _only_ended(tokens(text), language):
            return ENDED[fact]  # "baste shode", "c'est fini": the cover asked about has ended
        plain = yes_no(text, language, statements=False)
        if plain is False and fact in PLAIN_NO:
            return PLAIN_NO[fact]
        if fact == "prior_ame_end" and _has(tokens(text), language, "never"):
            return "never"
        if fact == "prior_ame_end" and plain is not False and (ago := one_duration(text, language)) is not None:
            # "oui elle s'est arrêtée il y a 8 mois": the choice the time says (2 years exactly: ask)
            return "less_than_2_years" if ago < 24 else ("more_than_2_years" if ago > 24 else None)
        return None
    if fact == "benefits":
        return values if "none" not in values else (None if len(values) > 1 else "none")
    if len(values) == 1:
        return values[0]
    if fact == "current_cover":
        return min(values, key=COVER_PRECEDENCE.index)
    return None  # two different answers: ask again rather than pick one


def _only_ended(said: list[str], language: str) -> bool:
    """A word saying it ended ("expired", "baste shode"), not negated."""
    return not _negation_at(said, language) and bool(_find(said, _phrases(language, "ended")))


def saint_denis(text: str, language: str) -> Optional[bool]:
    """"j'habite à Saint-Denis", "I live in st denis": the city named is a yes, unless negated."""
    said = tokens(text)
    negations = _negation_at(said, language)
    spans = _find(said, _phrases(language, "here"))
    if spans:
        return not any(_is_negated(s, e, negations, language) for s, e in spans)
    return None


def hosted(text: str, language: str) -> bool:
    """"me aloja un amigo", "chez mon frère": staying at someone's, said and not negated."""
    said = tokens(text)
    spans = _find(said, _phrases(language, "hosted"))
    negations = _negation_at(said, language)
    return bool(spans) and not any(_is_negated(s, e, negations, language) for s, e in spans)


def facts_stated(text: str, language: str) -> dict[str, Any]:
    """Facts a message states beyond the question asked, each only when the words are clear:
    "je suis demandeur d'asile et je suis malade" -> residence_status, health_problem;
    "oui, chez mon frère" -> hosted_by_third_party."""
    facts: dict[str, Any] = {}
    said = tokens(text)
    negations = _negation_at(said, language)
    spans = _find(said, _phrases(language, "health"))
    if spans and not any(_is_negated(s, e, negations, language) for s, e in spans):
        facts["health_problem"] = True
    # "je suis hébergé chez un ami" told at the address question: the hosting question is answered.
    if hosted(text, language):
        facts["hosted_by_third_party"] = True
    # Not the nationality: "en France depuis 8 mois" names a country, not the person's.
    for fact in ("residence_status", "current_cover"):
        named = {m.value for m in matches(text, fact, language) if not m.negated}
        if len(named) == 1 and UNKNOWN not in named:
            facts[fact] = named.pop()
    if (here := saint_denis(text, language)) is not None:
        facts["saint_denis_link"] = here
    return facts


# --- numbers said with an explanation --------------------------------------------------------
# The strict parsers of bot.answers read a reply that is only a quantity. People add who or what:
# "l'ADA 200 euros par mois", "4 me my wife 2 kids". These read the number the reply is about,
# only where nothing else could be meant.


def _digit_numbers(said: list[str]) -> list[tuple[int, float]]:
    found = []
    for i, token in enumerate(said):
        try:
            found.append((i, float(token.replace(",", "."))))
        except ValueError:
            continue
    return found


@lru_cache(maxsize=None)
def _other_periods(language: str) -> frozenset[str]:
    """Words for a year, a week or a day: an amount "par an" is not a monthly one."""
    found = set()
    for lang in _languages(language):
        for word, unit in ((words.load(lang).get("duration") or {}).get("unit") or {}).items():
            if unit != "month":
                found.update(tokens(word))
    return frozenset(found)


@lru_cache(maxsize=None)
def _bounds(language: str) -> tuple[tuple[str, ...], ...]:
    """"plus de", "moins de", "more than": a bound is not an amount (either side may be wrong)."""
    found = []
    for lang in _languages(language):
        duration = words.load(lang).get("duration") or {}
        for key in ("more", "less"):
            found += [phrase for w in duration.get(key) or [] if (phrase := tuple(tokens(w)))]
    return tuple(found)


def amount_explained(text: str, language: str) -> Optional[float]:
    """One amount in digits among words naming where it comes from ("ADA 200 euros"): that
    amount, unless another period (a year, a week) or a bound ("plus de") is named. Several
    amounts are the household's total when a word adds each to the one before ("900 euros
    mais a CAF 300": 1200); "900 ou 1000", "entre 500 et 800", "avant 900 maintenant 300" are
    not read, nor an amount under 10, which is no income ("2 enfants et 900 euros")."""
    said = tokens(text)
    numbers = _digit_numbers(said)
    if not numbers or _other_periods(language) & set(said) or _find(said, _bounds(language)):
        return None
    if len(numbers) > 1:
        added = {start for start, _ in _find(said, _phrases(language, "added"))}
        joined = all(any(before < i < after for i in added)
                     for (before, _), (after, _) in zip(numbers, numbers[1:]))
        if not joined or any(value < 10 for _, value in numbers) or _has(said, language, "between"):
            return None
    value = sum(value for _, value in numbers)
    return value if 0 <= value <= 1_000_000 else None


def count_explained(text: str, language: str) -> Optional[int]:
    """A count given first, then explained ("4 me my wife 2 kids", "3 eu e os meus dois
    filhos"): the first number, if every number after it is smaller (a part of it);
    "2 adultes 3 enfants" is parts only: None."""
    said = tokens(text)
    numbers = _digit_numbers(said)
    if not numbers or numbers[0][0] != 0 or len(said) < 2:
        return None
    total = numbers[0][1]
    later = [value for _, value in numbers[1:]]
    later += [v for t in said[1:] if (v := _number_word(t, language)) is not None]
    if total != int(total) or not 1 <= total <= 20 or any(v >= total for v in later):
        return None
    return int(total)


MONTHS_IN = {"day": 1 / 30, "week": 7 / 30, "month": 1, "half_year": 6, "year": 12}


@lru_cache(maxsize=None)
def _units(language: str) -> dict[tuple[str, ...], str]:
    """Duration unit words (mois, ans, সাল…), normalised, in the languages read for this person."""
    found: dict[tuple[str, ...], str] = {}
    for lang in _languages(language):
        for word, unit in ((words.load(lang).get("duration") or {}).get("unit") or {}).items():
            if phrase := tuple(tokens(word)):
                found.setdefault(phrase, unit)
    return found


def one_duration(text: str, language: str) -> Optional[float]:
    """The one duration a sentence tells, a number and its unit ("elle s'est arrêtée il y a 8
    mois", "finished 3 years ago"), in months; None when there is none, or more than one."""
    said, units = tokens(text), _units(language)
    found = []
    for i, token in enumerate(said):
        number = _number_word(token, language)
        if number is None:
            try:
                number = float(token.replace(",", "."))
            except ValueError:
                continue
        unit = units.get(tuple(said[i + 1:i + 2]))
        if unit is not None:
            found.append(number * MONTHS_IN[unit])
    return found[0] if len(found) == 1 else None


def _number_word(token: str, language: str) -> Optional[int]:
    for lang in _languages(language):
        value = ((words.load(lang).get("numbers") or {}).get("number") or {}).get(token)
        if isinstance(value, int):
            return value
    return None


# --- safety words ------------------------------------------------------------------------------
# The intent model sometimes reads an ordinary answer as a safety message with high confidence
# ("oui elle s'est arrêtée il y a 8 mois" -> emergency 0.97), and real ones score lower (0.58):
# no threshold tells them apart. A reply that answers the question is a safety message only if
# it also holds a safety word (bot.conversation.asking). Every language's words are read: a
# person in distress writes as they can; the phrases are specific enough to be read in all.
# A word written with "*" at its end (or start) matches any word it begins (or ends): "frapp*".

SAFETY_KINDS = ("emergency", "suicidal_thoughts", "violence")
URGENCY = "urgency"  # "urgent", "urgence": an emergency, but the urgency question's own words
Pattern = tuple[tuple[str, bool, bool], ...]  # (core, any start, any end) per word


PERSIAN_PREFIXES = ("مي", "نمي")  # می‌کشم is written میکشم, می کشم, می‌کشم: read as one word


def _safety_tokens(text: str) -> list[str]:
    out: list[str] = []
    for token in tokens(text):
        if out and out[-1] in PERSIAN_PREFIXES:
            out[-1] += token
        else:
            out.append(token)
    return out


def _pattern(phrase: str) -> Pattern:
    out: list[tuple[str, bool, bool]] = []
    for word in phrase.split():
        core = _safety_tokens(word.strip("*"))
        for i, token in enumerate(core):
            out.append((token, i == 0 and word.startswith("*"), i == len(core) - 1 and word.endswith("*")))
    return tuple(out)


@lru_cache(maxsize=None)
def _safety_patterns_by_kind() -> tuple[tuple[Pattern, str], ...]:
    found: dict[Pattern, str] = {}
    for lang in words.languages():
        for kind in (*SAFETY_KINDS, URGENCY):
            for phrase in (words.load(lang).get("safety") or {}).get(kind, []):
                if pattern := _pattern(phrase):
                    found.setdefault(pattern, kind)
    return tuple(found.items())


@lru_cache(maxsize=None)
def _safety_index() -> tuple[dict[str, list[tuple[Pattern, str]]], list[tuple[Pattern, str]]]:
    """The patterns by their first word when it is a whole word (most of them), and the others
    (a "*" on the first word), so that a message is not matched against all thousand."""
    by_first: dict[str, list[tuple[Pattern, str]]] = {}
    others = []
    for pattern, kind in _safety_patterns_by_kind():
        core, any_start, any_end = pattern[0]
        if any_start or any_end:
            others.append((pattern, kind))
        else:
            by_first.setdefault(core, []).append((pattern, kind))
    return by_first, others


def _safety_matches(text: str) -> list[tuple[str, str]]:
    """(the words as written, their kind) for each safety phrase of any language a message
    holds, each phrase once, in the order of the words files."""
    said = _safety_tokens(text)
    by_first, others = _safety_index()
    candidates = {id(p): (p, k) for token in dict.fromkeys(said) for p, k in by_first.get(token, ())}
    candidates.update((id(p), (p, k)) for p, k in others)
    found = []
    for pattern, kind in _safety_patterns_by_kind():
        if id(pattern) not in candidates:
            continue
        size = len(pattern)
        for i in range(len(said) - size + 1):
            if all(_word_matches(said[i + j], *pattern[j]) for j in range(size)):
                found.append((" ".join(said[i : i + size]), kind))
                break
    return found


def _kinds_said(text: str, urgency_question: bool) -> list[tuple[str, str]]:
    """(words, kind); "urgent" is an emergency, except in a reply to the urgency question."""
    return [(said, "emergency" if kind == URGENCY else kind) for said, kind in _safety_matches(text)
            if not (kind == URGENCY and urgency_question)]


def safety_kinds(text: str, urgency_question: bool = False) -> list[str]:
    """The kinds of the safety words a message holds: "bale sineam dard mikone" ->
    ["emergency"], though the intent model read it as a yes. Negated ones count too: "je
    n'arrive plus à respirer" is one. In a reply to the urgency question its own words
    ("non pas urgent") are none."""
    return list(dict.fromkeys(kind for _, kind in _kinds_said(text, urgency_question)))


def _word_matches(token: str, core: str, any_start: bool, any_end: bool) -> bool:
    if any_start and any_end:
        return core in token
    if any_end:
        return token.startswith(core)
    if any_start:
        return token.endswith(core)
    return token == core


def safety_words(text: str, urgency_question: bool = False) -> list[str]:
    """The safety words and phrases of any language a message holds ("j'ai mal à la poitrine"
    -> ["poitrine"]); none in "oui elle s'est arrêtée il y a 8 mois", nor in "le mouch urgent"
    replying to the urgency question."""
    return [said for said, _ in _kinds_said(text, urgency_question)]
