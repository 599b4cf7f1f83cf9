"""Free-text answers to the rights questions -> values: months in France, monthly resources,
household size, age.

People answer by SMS, the way people text: no accents, SMS spellings, digits or words, French
and English mixed in with their own language. Each parser returns a value, or None when the
answer is not understood; the conversation then asks again, and after two failures hands over
to a human. A wrong value is worse than None, so the whole answer must be read: once the
filler words ("ça fait", "environ", "euros", "merci"...) are dropped, what is left must be
exactly the expected quantity. Anything else (another number, a range, a comparison, a word
we do not know, a phone number) gives None rather than a guess.

Words are data, keyed by ISO 639-1 language, at the top of this module; month names come
from Babel's locale data. Every answer is read with the person's language first, then French
and English, because people in Saint-Denis mix them. Adding a language means adding its words
here, not code.
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

# --- limits ------------------------------------------------------------------------------------

MAX_MONTHS = 600  # 50 years in France: beyond, the number is something else (a year, a phone...)
MAX_AMOUNT = 1_000_000  # euros per month: beyond, it is not an income
MAX_HOUSEHOLD = 20
MAX_AGE = 120
FIRST_YEAR = 1900  # a 4-digit number before this is not a year of arrival

# --- words, by language -------------------------------------------------------------------------
# Phrases are written naturally (accents, apostrophes, hyphens): they are normalised like the
# answers. A string holds comma-separated phrases; a dict maps phrases to values.

READ_ALSO = ("fr", "en")  # read with every language, after the person's own

DAY = Fraction(48, 1461)  # in months: 12 months / 365.25 days
WEEK = 7 * DAY

NUMBER_WORDS = {
    "fr": {
        "number": {
            "zéro": 0, "un": 1, "une": 1, "deux": 2, "trois": 3, "quatre": 4, "cinq": 5, "six": 6,
            "sept": 7, "huit": 8, "neuf": 9, "dix": 10, "onze": 11, "douze": 12, "treize": 13,
            "quatorze": 14, "quinze": 15, "seize": 16, "vingt": 20, "trente": 30, "quarante": 40,
            "cinquante": 50, "soixante": 60, "quatre-vingt": 80, "quatre-vingts": 80,
            # Belgian and Swiss French, also spoken in the DRC
            "septante": 70, "huitante": 80, "octante": 80, "nonante": 90,
        },
        "multiplier": {"cent": 100, "cents": 100, "mille": 1000},
        "and": "et",
    },
    "en": {
        "number": {
            "zero": 0, "one": 1, "two": 2, "three": 3, "four": 4, "five": 5, "six": 6, "seven": 7,
            "eight": 8, "nine": 9, "ten": 10, "eleven": 11, "twelve": 12, "thirteen": 13,
            "fourteen": 14, "fifteen": 15, "sixteen": 16, "seventeen": 17, "eighteen": 18,
            "nineteen": 19, "twenty": 20, "thirty": 30, "forty": 40, "fifty": 50, "sixty": 60,
            "seventy": 70, "eighty": 80, "ninety": 90,
        },
        "multiplier": {"hundred": 100, "thousand": 1000},
        "and": "and",
    },
    "es": {
        "number": {
            "cero": 0, "un": 1, "uno": 1, "una": 1, "dos": 2, "tres": 3, "cuatro": 4, "cinco": 5,
            "seis": 6, "siete": 7, "ocho": 8, "nueve": 9, "diez": 10, "once": 11, "doce": 12,
            "trece": 13, "catorce": 14, "quince": 15, "dieciséis": 16, "diecisiete": 17,
            "dieciocho": 18, "diecinueve": 19, "veinte": 20, "veintiuno": 21, "veintiún": 21,
            "veintidós": 22, "veintitrés": 23, "veinticuatro": 24, "veinticinco": 25,
            "veintiséis": 26, "veintisiete": 27, "veintiocho": 28, "veintinueve": 29,
            "treinta": 30, "cuarenta": 40, "cincuenta": 50, "sesenta": 60, "setenta": 70,
            "ochenta": 80, "noventa": 90, "cien": 100, "ciento": 100, "doscientos": 200,
            "trescientos": 300, "cuatrocientos": 400, "quinientos": 500, "seiscientos": 600,
            "setecientos": 700, "ochocientos": 800, "novecientos": 900,
        },
        "multiplier": {"mil": 1000},
        "and": "y",
    },
}

# Ignored in every answer.
POLITE = {
    "fr": "merci, merci beaucoup, svp, stp, s'il vous plaît, s'il te plaît, bonjour, bonsoir, "
    "salut, ok, d'accord, voilà, euh",
    "en": "thanks, thank you, thx, please, pls, plz, hello, hi, ok, okay",
    "es": "gracias, por favor, hola, vale",
}

# "How long have you been in France?"
#   unit: length in months; half: "and a half"; since: marks a date ("depuis 2024");
#   more: a lower bound, kept ("plus de 3 mois" -> 3); less: an upper bound or "not yet" -> None;
#   now: the whole answer means 0 months; article: "a" before a unit means 1; skip: ignored.
DURATION_WORDS = {
    "fr": {
        "unit": {
            "mois": 1, "an": 12, "ans": 12, "année": 12, "années": 12, "semaine": WEEK,
            "semaines": WEEK, "sem": WEEK, "jour": DAY, "jours": DAY, "jr": DAY, "jrs": DAY, "j": DAY,
        },
        "half": "et demi, et demie",  # not bare "demi": "un demi-mois" is half a month
        "since": "depuis, depuis le, depuis l', depuis le mois de, en, le, au mois de, à partir de",
        "more": "plus de, plus d', + de, au moins",
        "less": "moins de, moins d', - de, presque, près de, pas encore, bientôt",
        "now": "je viens d'arriver, viens d'arriver, je viens juste d'arriver, viens juste d'arriver, "
        "juste arrivé, juste arrivée, aujourd'hui, hier, ce matin, cette semaine",
        "skip": "ça fait, cela fait, ça va faire, ça fera, il y a, je suis, suis, je suis arrivé, "
        "je suis arrivée, arrivé, arrivée, là, ici, en france, que, j'habite, j'habite ici, je vis, "
        "je vis ici, maintenant, déjà, environ, à peu près, plus ou moins, vers, ~",
    },
    "en": {
        "unit": {
            "month": 1, "months": 1, "mo": 1, "mos": 1, "mth": 1, "mths": 1, "mnth": 1, "mnths": 1,
            "year": 12, "years": 12, "yr": 12, "yrs": 12, "week": WEEK, "weeks": WEEK, "wk": WEEK,
            "wks": WEEK, "day": DAY, "days": DAY,
        },
        "half": "and a half, and half",
        "since": "since, in, from",
        "more": "more than, over, at least",
        "less": "less than, under, almost, nearly, not yet, soon",
        "now": "just arrived, i just arrived, i have just arrived, i've just arrived, just got here, "
        "i just got here, today, yesterday, this morning, this week",
        "skip": "i, i am, i'm, im, i have been, i've been, ive been, been, i arrived, arrived, "
        "i came, came, here, in france, for, ago, already, now, i live, i live here, living, "
        "living here, about, around, approximately, approx, roughly, ~",
        "article": "a",
    },
    "es": {
        "unit": {
            "mes": 1, "meses": 1, "año": 12, "años": 12, "semana": WEEK, "semanas": WEEK,
            "día": DAY, "días": DAY,
        },
        "half": "y medio, y media",
        "since": "desde, desde el, en, el, a partir de",
        "more": "más de, al menos",
        "less": "menos de, casi, todavía no, aún no",
        "now": "acabo de llegar, recién llegado, recién llegada, hoy, ayer, esta semana",
        "skip": "hace, desde hace, llevo, estoy, estoy aquí, aquí, en francia, vivo, vivo aquí, "
        "llegué, ya, que, de, unos, unas, aproximadamente, más o menos, cerca de",  # 15 de marzo
    },
}
DATE_SEPARATORS = "/, -"  # 03/2025, 15-03-2025: day first, as in France and the countries people come from

# "How much money does your household receive per month?" The caller asks per month:
# "par mois" is ignored and any other period ("par an") is not understood.
#   zero: the whole answer means 0 euros; skip: ignored.
AMOUNT_WORDS = {
    "fr": {
        "zero": "rien, rien du tout, aucun, aucune, aucun revenu, aucune ressource, pas de revenu, "
        "pas de revenus, pas de ressources, pas d'argent, sans revenu, sans revenus, "
        "sans ressources, j'ai rien, je n'ai rien, on a rien, on n'a rien, nous n'avons rien, "
        "je touche rien, je ne touche rien",
        "skip": "€, e, eur, euro, euros, par mois, / mois, chaque mois, tous les mois, mensuel, "
        "mensuels, je touche, on touche, nous touchons, je gagne, on gagne, nous gagnons, "
        "je reçois, on reçoit, nous recevons, j'ai, on a, nous avons, environ, à peu près, "
        "plus ou moins, vers, ~, en tout, au total, total, c'est",
    },
    "en": {
        "zero": "nothing, nothing at all, none, no income, no money, i have nothing, we have nothing",
        "skip": "€, eur, euro, euros, per month, a month, / month, / mo, monthly, every month, "
        "each month, i get, we get, i earn, we earn, i receive, we receive, i have, we have, "
        "about, around, approximately, approx, roughly, in total, total",
    },
    "es": {
        "zero": "nada, ninguno, ninguna, sin ingresos, no tengo nada, no tenemos nada, "
        "no tengo ingresos",
        "skip": "euros, al mes, por mes, / mes, cada mes, mensual, mensuales, gano, ganamos, "
        "recibo, recibimos, tengo, tenemos, unos, unas, aproximadamente, más o menos, "
        "cerca de, en total",
    },
}

# "How many people live in your household, you included?"
#   alone: the whole answer means 1; skip: ignored. Bare "moi" / "me" is not read as 1.
COUNT_WORDS = {
    "fr": {
        "alone": "seul, seule, tout seul, toute seule, je suis seul, je suis seule, je vis seul, "
        "je vis seule, j'habite seul, j'habite seule, juste moi, que moi, moi seul, moi seule, "
        "moi seulement, seulement moi, uniquement moi",
        "skip": "personnes, personne, pers, membres, nous sommes, on est, il y a, en tout, "
        "au total, avec moi, moi compris, moi inclus, y compris moi, dans le foyer, à la maison, "
        "famille de, une famille de",
    },
    "en": {
        "alone": "alone, only me, just me, me only, me alone, just myself, only myself, myself, "
        "i live alone, i am alone, i'm alone, by myself, on my own",
        "skip": "people, persons, person, members, we are, we're, there are, in total, total, "
        "with me, including me, me included, in the household, at home, family of, a family of",
    },
    "es": {
        "alone": "solo, sola, solo yo, yo solo, yo sola, solamente yo, vivo solo, vivo sola",
        "skip": "personas, persona, miembros, somos, en total, conmigo, en casa, familia de, "
        "una familia de",
    },
}

# "How old are you?" A year of birth is not read (it would need today's date).
AGE_WORDS = {
    "fr": {"skip": "ans, an, j'ai, jai, moi, âge, mon âge"},
    "en": {"skip": "years, year, yrs, yr, years old, year old, old, yo, y/o, i am, i'm, im, age, "
           "my age, my age is, aged"},
    "es": {"skip": "años, año, tengo, edad, mi edad, mi edad es"},
}

WORD_TABLES = {"duration": DURATION_WORDS, "amount": AMOUNT_WORDS, "count": COUNT_WORDS, "age": AGE_WORDS}

# --- reading an answer ------------------------------------------------------------------------

APOSTROPHES = "'’‘`ʼ′"
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
    """Lowercase, without accents (nor Arabic short vowels), ASCII digits, each sign apart,
    single spaces: "J’ai 34 ANS!" -> "j ai 34 ans !"."""
    decomposed = unicodedata.normalize("NFKD", text.casefold())  # é -> e + accent
    chars = [c for c in decomposed if unicodedata.category(c) not in ("Mn", "Me")]
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
    """Month names and abbreviations of one language, from Babel, as token tuples. A name
    shared by two months (none known today) is left out rather than guessed."""
    if not language:
        return {}
    try:
        locale = Locale.parse(language)
    except (UnknownLocaleError, ValueError, TypeError):
        return {}
    months: dict[tuple[str, ...], set[int]] = {}
    for width in ("wide", "abbreviated"):
        for context in ("format", "stand-alone"):
            for month, name in get_month_names(width, context, locale).items():
                key = tuple(_tokens(name))  # "févr." -> ("fevr",)
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


def parse_months(text: str, language: str, today: date) -> Optional[int]:
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
    """
    items = _read(text, "duration", language)
    if not items or any(kind == "less" for kind, _ in items):
        return None
    since = any(kind == "since" for kind, _ in items)
    items = [item for item in items if item[0] not in ("since", "more")]
    for i, (kind, _) in enumerate(items[:-1]):
        if kind == "article" and items[i + 1][0] == "unit":
            items[i] = ("num", Fraction(1))  # "a year"; elsewhere "a" is not understood
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
