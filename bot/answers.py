"""Free-text answers to the rights questions -> values: months in France, monthly resources,
household size, age.

People answer by SMS, the way people text: no accents, SMS spellings, digits or words, French
and English mixed in with their own language. Each parser returns a value, or None when the
answer is not understood; the conversation then asks again, and after two failures hands over
to a human. A wrong value is worse than None, so the whole answer must be read: once the
filler words ("ça fait", "environ", "euros", "merci"...) are dropped, what is left must be
exactly the expected quantity. Anything else (another number, a range, a comparison, a word
we do not know, a phone number) gives None rather than a guess.

Words are data: one file per language, bot/languages/words/<lang>.yaml (its quantities
section); month names come from Babel's locale data. Every answer is read with the person's
language first, then French and English, because people in Saint-Denis mix them. Adding a
language means adding its words file, not code.
"""
from __future__ import annotations

import math
import re
import unicodedata
from datetime import date
from fractions import Fraction
from functools import lru_cache
from typing import Optional, Union

from babel import Locale, UnknownLocaleError
from babel.dates import get_month_names

from bot.languages import words as language_words

# --- limits ------------------------------------------------------------------------------------

MAX_MONTHS = 600  # 50 years in France: beyond, the number is something else (a year, a phone...)
# "All my life" when the age is not asked (a French national): a lower bound, as "plus de 2 ans"
# is 24. Someone answering for themselves has lived at least this long, and the rules only
# compare the time in France with 3 and 6 months.
LIFETIME_WITHOUT_AGE_MONTHS = 18 * 12
MAX_AMOUNT = 1_000_000  # euros per month: beyond, it is not an income
MAX_HOUSEHOLD = 20
MAX_AGE = 120
FIRST_YEAR = 1900  # a 4-digit number before this is not a year of arrival

# --- words, by language -------------------------------------------------------------------------
# The words are data, one file per language: bot/languages/words/<lang>.yaml (its quantities
# section), checked against its schema. Here they become the tables the lexicon reads: for each
# kind of word, phrase -> value (None for a plain list of phrases).

READ_ALSO = ("fr", "en")  # read with every language, after the person's own

DAY = Fraction(48, 1461)  # in months: 12 months / 365.25 days
WEEK = 7 * DAY
UNITS = {"day": DAY, "week": WEEK, "month": 1, "half_year": 6, "year": 12}  # the files' units, in months
DATE_SEPARATORS = "/, -"  # 03/2025, 15-03-2025: day first, as in France and the countries people come from
QUESTIONS = ("duration", "amount", "count", "age")  # the sections of the questions' own words


def _entries(words: Union[list, dict]) -> dict:
    """A list of phrases, or a map phrase -> value, as phrase -> value (None for a list)."""
    return dict.fromkeys(words) if isinstance(words, list) else dict(words)


def _number(value: Union[int, float]) -> Union[int, Fraction]:
    return value if isinstance(value, int) else Fraction(str(value))  # 1.5 -> 3/2


def _composed_numbers(compose: dict) -> dict[str, Union[int, Fraction]]:
    """Arabic numbers by rule: the words, a unit before the tens with the glue ("أربعة وثلاثين",
    "اربعة و ثلاثين": units come first), and the glue before any word ("مية وعشرين")."""
    glue, units, tens = compose["glue"], compose["units"], compose["tens"]
    words = {**units, **compose.get("teens", {}), **tens, **compose.get("hundreds", {})}
    composed = {
        f"{unit} {glue}{space}{ten}": unit_value + ten_value
        for unit, unit_value in units.items()
        if unit_value > 0 and unit not in compose.get("not_before_tens", ())
        for ten, ten_value in tens.items()
        for space in ("", " ")
    }
    return {**words, **composed, **{f"{glue}{word}": value for word, value in words.items()}}


def _number_words(data: dict) -> dict[str, dict]:
    numbers = data.get("numbers")
    if not numbers:
        return {}
    composed = _composed_numbers(numbers["compose"]) if "compose" in numbers else {}
    number = {**composed, **numbers.get("number", {})}
    return {
        "number": {word: _number(value) for word, value in number.items()},
        "multiplier": {word: _number(value) for word, value in numbers.get("multiplier", {}).items()},
        "and": _entries(numbers.get("and", [])),
    }


def _question_words(section: dict) -> dict[str, dict]:
    tables = {}
    for kind, phrases in section.items():
        if kind == "unit":
            tables[kind] = {phrase: UNITS[unit] for phrase, unit in phrases.items()}
        elif kind == "counted":
            tables[kind] = {phrase: (count, UNITS[unit]) for phrase, (count, unit) in phrases.items()}
        else:
            tables[kind] = _entries(phrases)
    return tables


_WORDS = {language: language_words.load(language) for language in language_words.languages()}
NUMBER_WORDS = {language: _number_words(data) for language, data in _WORDS.items()}
POLITE = {language: _entries(data.get("polite", [])) for language, data in _WORDS.items()}  # ignored everywhere
WORD_TABLES = {
    question: {language: _question_words(data.get(question, {})) for language, data in _WORDS.items()}
    for question in QUESTIONS
}
# Month names: Babel's for the language, and for these regional locales too.
MONTH_LOCALES = {
    language: tuple(data["month_locales"]) for language, data in _WORDS.items() if "month_locales" in data
}

# --- reading an answer ------------------------------------------------------------------------

APOSTROPHES = "'’‘`ʼ′"
# Letters typed either way on Arabic and Persian keyboards, one kept: Persian ی and Arabic ي
# (and ى), ک and ك, ة and ه; the tatweel (شهــور) goes. A zero-width non-joiner (Persian ماه‌ها)
# is a space, as people without one type it; other invisible marks (right-to-left marks that
# phones add, joiners) go. The Arabic decimal and thousands separators and percent sign are ASCII.
SCRIPT_FOLDS = str.maketrans({
    "ی": "ي", "ى": "ي", "ک": "ك", "ة": "ه", "ە": "ه", "ـ": None, "\u200c": " ",
    "٫": ",", "٬": ".", "٪": "%",
})
# A number as typed: 8, 1,5, 1200.50, 1.200, 1 200 (joined before), 1.200,50, 1,200.50.
DECIMAL = re.compile(r"(\d+)(?:[.,](\d{1,2}))?")
GROUPED = re.compile(r"(\d{1,3}(?:([.,])\d{3})(?:\2\d{3})*)(?:[.,](\d{1,2}))?")
SPACED_THOUSANDS = re.compile(r"\b\d{1,3}(?: \d{3})+\b")  # amounts only: "1 200" is 1200
TOKEN = re.compile(r"\d+(?:[.,]\d+)*|[^\s\d.,]+|\S")
# Shapes of a duration answer, one letter per item: n number, u unit, h half, & and.
_GROUP = r"n(?:&?h)?u(?:&?h)?"  # 1 an, 1 an et demi, one and a half years
DURATION_SHAPE = re.compile(rf"{_GROUP}(?:&?{_GROUP})*")  # 1 an et 6 mois
# A date: where the day, month and year are in the shape (m: month name, /: separator).
# Numeric dates need the year: "12/03" may as well be "3 or 4 months".
DATE_SHAPES = {
    "m": (None, 0, None),  # mars
    "nm": (0, 1, None),  # 15 mars
    "mn": (None, 0, 1),  # mars 2025
    "nmn": (0, 1, 2),  # 15 mars 2025
    "n/n": (None, 0, 2),  # 03/2025
    "n/n/n": (0, 2, 4),  # 15/03/2025
}
SHAPE_LETTERS = {"num": "n", "unit": "u", "half": "h", "and": "&", "month": "m", "slash": "/"}

Item = tuple[str, object]  # (kind, value)


def normalise(text: str) -> str:
    """Lowercase, without accents (nor Arabic short vowels, nor the Bengali candrabindu often
    left out: পাঁচ = পাচ), letter variants folded (see SCRIPT_FOLDS), ASCII digits, each sign
    apart, single spaces: "J’ai 34 ANS!" -> "j ai 34 ans !"."""
    decomposed = unicodedata.normalize("NFKD", text.casefold())  # é -> e + accent, أ -> ا + hamza
    kept = "".join(c for c in decomposed if not _is_accent(c))
    chars = [c for c in kept.translate(SCRIPT_FOLDS) if unicodedata.category(c) != "Cf"]
    out = []
    for i, char in enumerate(chars):
        category = unicodedata.category(char)
        if category == "Nd":
            out.append(str(unicodedata.decimal(char)))  # Arabic, Persian, Bengali digits
        elif char in APOSTROPHES or (
            category == "Pd" and 0 < i < len(chars) - 1 and chars[i - 1].isalpha() and chars[i + 1].isalpha()
        ):
            out.append(" ")  # j'ai -> j ai, trente-quatre -> trente quatre
        elif category[0] in "PS" and char not in ".,":
            out.append(f" {char} ")  # 800€ -> 800 €; "." and "," may be inside a number
        else:
            out.append(char)
    return " ".join("".join(out).split())


def _is_accent(char: str) -> bool:
    """A mark that can go. Not the vowel signs and virama of Indic scripts: they spell the word
    (একুশ, 21, is not একশ, 100)."""
    if unicodedata.category(char) not in ("Mn", "Me"):
        return False
    name = unicodedata.name(char, "")
    return "VOWEL SIGN" not in name and "VIRAMA" not in name


def _tokens(text: str, join_thousands: bool = False) -> list[str]:
    text = normalise(text)
    if join_thousands:
        text = SPACED_THOUSANDS.sub(lambda m: m.group().replace(" ", ""), text)
    # Punctuation carries nothing, except signs that change the meaning: dashes (ranges,
    # negatives), / (dates, "€/mois"), %, #, @, & ("2 & 3").
    return [t for t in TOKEN.findall(text) if not _is_punctuation(t)]


def _is_punctuation(token: str) -> bool:
    if len(token) != 1 or token in "/%#@&":
        return False
    category = unicodedata.category(token)
    return (category[0] == "P" and category != "Pd") or category == "So"  # So: emoji


def _literal(token: str) -> Optional[Fraction]:
    """The value of a number as typed, None if it is not one (12.03.2025, 1,2345)."""
    match = GROUPED.fullmatch(token)
    if match and match.group(2) not in token[match.end(1):]:  # 1.200,50 yes, 1.200.50 no
        whole, decimals = match.group(1).replace(match.group(2), ""), match.group(3)
    elif match := DECIMAL.fullmatch(token):
        whole, decimals = match.group(1), match.group(2)
    else:
        return None
    return Fraction(f"{whole}.{decimals}" if decimals else whole)


def _base_language(language: str) -> str:
    return str(language or "").strip().lower().replace("_", "-").split("-")[0]


def _month_names(language: str) -> dict[tuple[str, ...], int]:
    """Month names and abbreviations of one language, from Babel (with its MONTH_LOCALES), as
    token tuples. A name shared by two months (none known today) is left out rather than guessed."""
    if not language:
        return {}
    months: dict[tuple[str, ...], set[int]] = {}
    for name in (language, *MONTH_LOCALES.get(language, ())):
        try:
            locale = Locale.parse(name)
        except (UnknownLocaleError, ValueError, TypeError):
            continue
        for width in ("wide", "abbreviated"):
            for context in ("format", "stand-alone"):
                for month, month_name in get_month_names(width, context, locale).items():
                    key = tuple(_tokens(month_name))  # "févr." -> ("fevr",)
                    if key:
                        months.setdefault(key, set()).add(month)
    return {key: next(iter(found)) for key, found in months.items() if len(found) == 1}


def _month_prefixes(languages: tuple[str, ...]) -> dict[tuple[str, ...], int]:
    """Shortenings people type ("fev", "octob"): any start of 3 letters or more of a Latin-script
    month name, when it belongs to a single month in all the languages read ("jui" does not).
    They come last: a word ("sept" is 7 in French) wins over a shortening."""
    months: dict[str, set[int]] = {}
    for language in languages:
        for key, month in _month_names(language).items():
            if len(key) == 1 and key[0].isascii() and key[0].isalpha():
                for end in range(3, len(key[0])):
                    months.setdefault(key[0][:end], set()).add(month)
    return {(prefix,): next(iter(found)) for prefix, found in months.items() if len(found) == 1}


@lru_cache(maxsize=64)
def _lexicon(table: str, language: str) -> tuple[dict[tuple[str, ...], Item], int]:
    """Phrase (token tuple) -> (kind, value) for one question and language, and the longest
    phrase length. The first language to define a phrase wins: the person's own, then French,
    then English; within a language, the question's words, then numbers, then months."""
    languages = tuple(dict.fromkeys((language, *READ_ALSO)))
    lexicon: dict[tuple[str, ...], Item] = {}

    def add(words: Union[str, dict], kind: str) -> None:
        entries = dict.fromkeys(words.split(",")) if isinstance(words, str) else words
        for phrase, value in entries.items():
            key = tuple(_tokens(phrase))
            if key:
                lexicon.setdefault(key, (kind, value))

    for lang in languages:
        for kind, words in WORD_TABLES[table].get(lang, {}).items():
            add(words, kind)
        for kind, words in NUMBER_WORDS.get(lang, {}).items():
            add(words, kind)
        add(POLITE.get(lang, ""), "skip")
        if table == "duration":
            add(DATE_SEPARATORS, "slash")
            for key, month in _month_names(lang).items():
                lexicon.setdefault(key, ("month", month))
    if table == "duration":
        for key, month in _month_prefixes(languages).items():
            lexicon.setdefault(key, ("month", month))
    return lexicon, max(map(len, lexicon))


def _read(text: str, table: str, language: str, join_thousands: bool = False) -> Optional[list[Item]]:
    """The answer as (kind, value) items, number words joined and filler dropped; None if
    any word is unknown: an answer we only half understand is not understood."""
    if not isinstance(text, str):
        return None
    lexicon, longest = _lexicon(table, _base_language(language))
    tokens = _tokens(text, join_thousands)
    items: list[Item] = []
    i = 0
    while i < len(tokens):
        for size in range(min(longest, len(tokens) - i), 0, -1):  # longest phrase first
            item = lexicon.get(tuple(tokens[i : i + size]))
            if item:
                break
        else:
            value = _literal(tokens[i])
            if value is None:
                return None
            item, size = ("num", value), 1
        items.append(item)
        i += size
    joined = _join_number_words(items)
    return None if joined is None else [item for item in joined if item[0] != "skip"]


def _join_number_words(items: list[Item]) -> Optional[list[Item]]:
    """Runs of number words -> one number ("quatre vingt dix sept" -> 97); None if a run is
    not a number ("deux trois": two numbers, or a range, not 5)."""
    out: list[Item] = []
    run: list[Item] = []
    for i, (kind, value) in enumerate(items):
        next_kind = items[i + 1][0] if i + 1 < len(items) else None
        if kind in ("number", "multiplier"):
            run.append((kind, value))
        elif kind == "and" and run and next_kind == "number":
            pass  # vingt et un, one hundred and twenty, treinta y cuatro
        else:
            if run:
                number = _words_value(run)
                if number is None:
                    return None
                out.append(("num", Fraction(number)))
                run = []
            out.append((kind, value))
    if run:
        number = _words_value(run)
        if number is None:
            return None
        out.append(("num", Fraction(number)))
    return out


def _words_value(run: list[Item]) -> Optional[int]:
    total, current = 0, 0  # thousands done, and the part below a thousand
    for kind, value in run:
        if kind == "multiplier" and value == 1000:
            if total:
                return None
            total, current = (current or 1) * 1000, 0
        elif kind == "multiplier":  # hundred
            if current >= 10:
                return None
            current = (current or 1) * value
        else:
            # A word may only fill places still at zero: 20 + 4, 100 + 20, not 2 + 3. French
            # counts by twenties: soixante-dix (60 + 10), quatre-vingt-douze (80 + 12).
            place = 10 ** len(str(value))
            if current % place and not (value < 20 and current % 100 in (60, 80)):
                return None
            current += value
    return total + current


def _shape(items: list[Item]) -> str:
    return "".join(SHAPE_LETTERS.get(kind, "?") for kind, _ in items)


def _whole(value: object) -> Optional[int]:
    if isinstance(value, Fraction):
        return int(value) if value.denominator == 1 else None
    return value if isinstance(value, int) else None  # a month name


# --- the parsers ------------------------------------------------------------------------------


def parse_months(text: str, language: str, today: date, age: Optional[int] = None,
                 lifetime: bool = False) -> Optional[int]:
    """How long the person has been in France, in whole months (rounded down), or None.

    "8", "8 mois", "6 mo", "huit mois", "1 an et demi" (18), "a year", "3 semaines" (0),
    "plus de 2 ans" (24: a lower bound is kept; "moins de", "presque" give None);
    "je viens d'arriver" (0); a date: "depuis mars" (from 1 March, the last one not after
    today), "depuis le 15 mars 2025", "depuis 03/2025", "15/03/2025" (day first);
    "depuis 2024" (a year alone): counted from the END of that year (1 January 2025), the
    least the answer allows, so it never credits time the person did not state. That year
    leaves 12 months of doubt, so it is read only when it is at least two years back (then
    the value is 12 or more, past the 3- and 6-month limits of the rules whichever way the
    doubt goes); "depuis <this year or last year>" is None: the bot asks for the month.
    A date in the future, or more than 600 months, is None.
    "toute ma vie", "since I was born", when `lifetime` (a time in France, not since a permit
    expired): the `age` in months when it is known, else LIFETIME_WITHOUT_AGE_MONTHS (a lower bound).
    """
    items = _read(text, "duration", language)
    if not items or any(kind == "less" for kind, _ in items):
        return None
    if any(kind == "lifetime" for kind, _ in items):
        if not lifetime or not all(kind == "lifetime" for kind, _ in items):
            return None
        return min(int(age) * 12, MAX_MONTHS) if age is not None else LIFETIME_WITHOUT_AGE_MONTHS
    since = any(kind == "since" for kind, _ in items)
    items = [item for item in items if item[0] not in ("since", "more")]
    for i, (kind, _) in enumerate(items[:-1]):
        if kind == "article" and items[i + 1][0] == "unit":
            items[i] = ("num", Fraction(1))  # "a year"; elsewhere "a" is not understood
    items = _counted(_without_month_word(items))
    if items is None:
        return None
    if any(kind == "now" for kind, _ in items):
        return 0 if all(kind == "now" for kind, _ in items) else None

    shape, values = _shape(items), [value for _, value in items]
    if DURATION_SHAPE.fullmatch(shape):
        months = _sum_durations(items)
    elif shape == "n" and since:
        months = _months_since_year(values[0], today)
    elif shape == "n":
        months = values[0]
    else:
        start = _start_date(shape, values, today)
        months = _months_between(start, today) if start else None
    if months is None or not 0 <= months <= MAX_MONTHS:
        return None
    return math.floor(months)


def _without_month_word(items: list[Item]) -> list[Item]:
    """"The month of March": the word for month next to a month name, with no number on either
    side, is dropped ("منذ شهر مارس", "মার্চ মাস থেকে", "din luna martie", "desde o mês de março").
    "8 mois mars" keeps it, and is not understood."""

    def is_month_word(item: Item) -> bool:
        return item in (("unit", 1), ("counted", (1, 1)))

    def kind_at(i: int) -> Optional[str]:
        return items[i][0] if 0 <= i < len(items) else None

    return [
        item
        for i, item in enumerate(items)
        if not (
            is_month_word(item)
            and "month" in (kind_at(i - 1), kind_at(i + 1))
            and "num" not in (kind_at(i - 1), kind_at(i + 1))
        )
    ]


def _counted(items: list[Item]) -> Optional[list[Item]]:
    """Nouns that carry their count (DURATION_WORDS "counted"): alone, the Arabic singular is one
    ("سنة", a year) and the dual two ("سنتين"); after a number the singular is a plain unit
    ("20 سنة"), the dual is not understood ("3 سنتين")."""
    out: list[Item] = []
    for kind, value in items:
        if kind != "counted":
            out.append((kind, value))
            continue
        count, unit = value
        if out and out[-1][0] == "num":
            if count != 1:
                return None
        else:
            out.append(("num", Fraction(count)))
        out.append(("unit", unit))
    return out


def _sum_durations(items: list[Item]) -> Optional[Fraction]:
    """1 an et 6 mois -> 18. Units must go down ("6 mois 1 an" is not understood)."""
    total, unit, number, halved = Fraction(0), None, None, False
    for kind, value in items:
        if kind == "num":
            number, halved = value, False
        elif kind == "unit":
            if unit is not None and value >= unit:
                return None
            unit = value
            total += number * unit
            number = None
        elif kind == "half":
            if halved:
                return None
            halved = True
            if number is not None:
                number += Fraction(1, 2)  # one and a half years
            else:
                total += Fraction(unit) / 2  # un an et demi
    return total


def _start_date(shape: str, values: list, today: date) -> Optional[date]:
    """The date an answer names (see DATE_SHAPES). Without a year, the last such date not
    after today."""
    if shape not in DATE_SHAPES:
        return None
    day_at, month_at, year_at = DATE_SHAPES[shape]
    day = 1 if day_at is None else _whole(values[day_at])
    month = _whole(values[month_at])
    year = None if year_at is None else _whole(values[year_at])
    if day is None or month is None or (year_at is not None and (year is None or year < FIRST_YEAR)):
        return None
    if year is not None:
        return _date(year, month, day)
    start = _date(today.year, month, day)
    return start if start and start <= today else _date(today.year - 1, month, day)


def _date(year: int, month: int, day: int) -> Optional[date]:
    try:
        return date(year, month, day)
    except (ValueError, OverflowError):
        return None


def _months_between(start: date, today: date) -> Optional[int]:
    if start > today:
        return None
    return (today.year - start.year) * 12 + today.month - start.month - (today.day < start.day)


def _months_since_year(value: object, today: date) -> Optional[int]:
    year = _whole(value)
    if year is None or not FIRST_YEAR <= year <= today.year - 2:
        return None  # see parse_months: this year or last year could be 0 or 20 months
    return _months_between(date(year + 1, 1, 1), today)


def parse_amount(text: str, language: str) -> Optional[float]:
    """Monthly household resources in euros, or None.

    "800", "800€", "800 eur", "1 200", "1.200", "1200,50", "environ 600", "600 par mois",
    "mille euros"; "rien", "0", "nothing", "pas de revenus", "aucun" -> 0.0.
    No conversion: the question asks per month, another period ("par an") gives None.
    A range ("entre 500 et 800"), a comparison ("plus de 1000"), two amounts ("800 + 200"),
    a negative or absurd amount give None: the rights engine compares resources to ceilings,
    either bound could be wrong on the wrong side, so a human or a second try decides.
    """
    items = _read(text, "amount", language, join_thousands=True)
    if items == [("zero", None)]:
        return 0.0
    if items and len(items) == 1 and items[0][0] == "num" and items[0][1] <= MAX_AMOUNT:
        return float(items[0][1])
    return None


def parse_count(text: str, language: str) -> Optional[int]:
    """Number of people in the household (1 to 20), or None: "3", "3 personnes", "trois",
    "nous sommes 4", "on est 4 avec moi"; "seul(e)", "alone", "juste moi", "only me" -> 1.
    A description ("moi et ma femme", "2 adultes 3 enfants") is not counted: None."""
    items = _read(text, "count", language)
    if not items:
        return None
    kinds = [kind for kind, _ in items]
    numbers = [_whole(value) for kind, value in items if kind == "num"]
    if kinds.count("alone") + len(numbers) != len(items) or len(items) > 2 or kinds.count("alone") > 1:
        return None
    if "alone" in kinds:
        return 1 if numbers in ([], [1]) else None  # "seul", "une seule personne"
    if len(numbers) == 1 and numbers[0] is not None and 1 <= numbers[0] <= MAX_HOUSEHOLD:
        return numbers[0]
    return None


def parse_age(text: str, language: str) -> Optional[int]:
    """Age in whole years (0 to 120), or None: "34", "34 ans", "j'ai 34 ans", "34 years old",
    "trente-quatre ans". A year of birth ("1990") is None: out of range, not guessed."""
    items = _read(text, "age", language)
    if items and len(items) == 1 and items[0][0] == "num" and 0 <= items[0][1] <= MAX_AGE:
        return math.floor(items[0][1])
    return None
