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

# Month names: Babel's for the language, and for these regional locales too.
MONTH_LOCALES = {
    "ar": ("ar_MA", "ar_DZ", "ar_LB"),  # ماي غشت دجنبر; جانفي جوان أوت; آذار نيسان تشرين الأول
    "fa": ("fa_AF",),  # Dari: جنوری مارچ اپریل
    "bn": ("bn_IN",),
    "pt": ("pt_PT",),
}


def _spellings(words: dict[int, str]) -> dict[str, int]:
    """{4: "أربعة, أربع"} -> {"أربعة": 4, "أربع": 4}."""
    return {word.strip(): value for value, spellings in words.items() for word in spellings.split(",")}


# Arabic numbers, standard and dialects (Maghrebi, Egyptian, Levantine). Letter variants (أ إ آ ا,
# ي ى ی, ة ه, ئ ي) are folded by normalise: one spelling stands for all of them.
_AR_UNITS = {
    0: "صفر",
    1: "واحد, واحدة",
    2: "اثنان, اثنين, اتنين, تنين, جوج, زوج",
    3: "ثلاثة, ثلاث, تلاتة, تلات, تلاثة",
    4: "أربعة, أربع, ربعة",
    5: "خمسة, خمس",
    6: "ستة, ست",
    7: "سبعة, سبع",
    8: "ثمانية, ثماني, ثمان, تمنية, تمانية, ثمنية",
    9: "تسعة, تسع, تسعود",
}
_AR_TEENS = {
    10: "عشرة, عشر",
    11: "أحد عشر, إحدى عشرة, احدعش, حداش, احداش, حداشر",
    12: "اثنا عشر, اثني عشر, اثنتا عشرة, اطناش, طناش, اتناشر, اتنعش",
    13: "ثلاثة عشر, ثلاث عشرة, تلطاش, طلطاش, تلتاشر, تلتعش",
    14: "أربعة عشر, أربع عشرة, اربعطاش, ربعطاش, اربعتاشر, اربعتعش",
    15: "خمسة عشر, خمس عشرة, خمسطاش, خمستاشر, خمستعش, خمسطعش",
    16: "ستة عشر, ست عشرة, سطاش, ستاشر, ستعش, سطعش",
    17: "سبعة عشر, سبع عشرة, سبعطاش, سبعتاشر, سبعتعش",
    18: "ثمانية عشر, ثماني عشرة, ثمنطاش, تمنطاش, تمنتاشر, تمانتاشر, تمنتعش",
    19: "تسعة عشر, تسع عشرة, تسعطاش, تسعتاشر, تسعتعش",
}
_AR_TENS = {
    20: "عشرون, عشرين",
    30: "ثلاثون, ثلاثين, تلاتين, تلاثين",
    40: "أربعون, أربعين, ربعين",
    50: "خمسون, خمسين",
    60: "ستون, ستين",
    70: "سبعون, سبعين",
    80: "ثمانون, ثمانين, تمانين, ثمنين, تمنين",
    90: "تسعون, تسعين",
}
_AR_HUNDREDS = {
    200: "مئتان, مئتين, مائتان, مائتين, ميتين, متين",
    300: "ثلاثمئة, ثلاثمائة, تلتمية, تلاتمية",
    400: "أربعمئة, أربعمائة, ربعمية",
    500: "خمسمئة, خمسمائة",
    600: "ستمئة, ستمائة",
    700: "سبعمئة, سبعمائة",
    800: "ثمانمئة, ثمانمائة, ثمنمية, تمنمية, تمانمية",
    900: "تسعمئة, تسعمائة",
}
_AR_NUMBERS = {
    **_spellings(_AR_UNITS), **_spellings(_AR_TEENS), **_spellings(_AR_TENS), **_spellings(_AR_HUNDREDS)
}

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
    "pt": {
        "number": {
            "zero": 0, "um": 1, "uma": 1, "dois": 2, "duas": 2, "três": 3, "quatro": 4, "cinco": 5,
            "seis": 6, "sete": 7, "oito": 8, "nove": 9, "dez": 10, "onze": 11, "doze": 12, "treze": 13,
            "catorze": 14, "quatorze": 14, "quinze": 15,
            # Portugal and Africa / Brazil
            "dezasseis": 16, "dezesseis": 16, "dezassete": 17, "dezessete": 17, "dezoito": 18,
            "dezanove": 19, "dezenove": 19,
            "vinte": 20, "trinta": 30, "quarenta": 40, "cinquenta": 50, "cincoenta": 50, "sessenta": 60,
            "setenta": 70, "oitenta": 80, "noventa": 90, "cem": 100, "cento": 100, "duzentos": 200,
            "duzentas": 200, "trezentos": 300, "trezentas": 300, "quatrocentos": 400, "quinhentos": 500,
            "seiscentos": 600, "setecentos": 700, "oitocentos": 800, "novecentos": 900,
        },
        "multiplier": {"mil": 1000},
        "and": "e",  # trinta e quatro, mil e duzentos ("800e" is then not read as euros)
    },
    "ro": {
        "number": {
            "zero": 0, "unu": 1, "una": 1, "un": 1, "doi": 2, "două": 2, "trei": 3, "patru": 4,
            "cinci": 5, "șase": 6, "șapte": 7, "opt": 8, "nouă": 9, "zece": 10,
            # with the spoken shortenings: unșpe, doișpe...
            "unsprezece": 11, "unșpe": 11, "doisprezece": 12, "douăsprezece": 12, "doișpe": 12,
            "douășpe": 12, "treisprezece": 13, "treișpe": 13, "paisprezece": 14, "patrusprezece": 14,
            "paișpe": 14, "cincisprezece": 15, "cinșpe": 15, "cincișpe": 15, "șaisprezece": 16,
            "șaișpe": 16, "șaptesprezece": 17, "șapteșpe": 17, "optsprezece": 18, "optișpe": 18,
            "optspe": 18, "nouăsprezece": 19, "nouășpe": 19,
            "douăzeci": 20, "douăj": 20, "treizeci": 30, "patruzeci": 40, "cincizeci": 50,
            "șaizeci": 60, "șaptezeci": 70, "optzeci": 80, "nouăzeci": 90,
        },
        # not bare "sută", "mie": "mie" is also "to me"; 100 and 1000 are "o sută", "o mie"
        "multiplier": {"o sută": 100, "sute": 100, "o mie": 1000, "mii": 1000},
        "and": "și",
    },
    "ar": {
        # Arabic script (standard, Maghrebi, Egyptian, Levantine; letter variants are folded by
        # normalise) and Latin-script darija, where 3 = ع, 7 = ح, 9 = ق: "3chra" is 10.
        "number": {
            **_AR_NUMBERS,
            "ألفين": 2000, "ألفان": 2000,
            # units come first, "and" glued to the tens: أربعة وثلاثين, اربعة و ثلاثين
            **{
                f"{unit}{sep}{tens}": unit_value + tens_value
                for unit, unit_value in _spellings(_AR_UNITS).items()
                if unit_value > 0 and unit not in ("جوج", "زوج")
                for tens, tens_value in _spellings(_AR_TENS).items()
                for sep in (" و", " و ")
            },
            # "and" glued to the next number: مية وعشرين, ألف وخمسمية
            **{f"و{word}": value for word, value in _AR_NUMBERS.items()},
            "wa7ed": 1, "wahed": 1, "wahd": 1, "jouj": 2, "zouj": 2, "joj": 2, "zoj": 2, "tnin": 2,
            "tlata": 3, "tleta": 3, "rb3a": 4, "reb3a": 4, "arba3a": 4, "khamsa": 5, "5amsa": 5,
            "setta": 6, "stta": 6, "sb3a": 7, "seb3a": 7, "saba3a": 7, "tmnya": 8, "tmanya": 8,
            "tamanya": 8, "tes3oud": 9, "ts3oud": 9, "tes3a": 9, "tis3a": 9, "3chra": 10, "3achra": 10,
            "3ashra": 10, "7dach": 11, "tnach": 12, "tlettach": 13, "rba3tach": 14, "khmastach": 15,
            "settach": 16, "sba3tach": 17, "tmentach": 18, "tsa3tach": 19, "3chrin": 20,
            "3echrin": 20, "3ishrin": 20, "tlatin": 30, "rb3in": 40, "arb3in": 40, "khamsin": 50,
            "sttin": 60, "settin": 60, "sab3in": 70, "sb3in": 70, "tmanin": 80, "tmenin": 80,
            "ts3in": 90, "tis3in": 90,
        },
        "multiplier": {
            "مئة": 100, "مائة": 100, "ومئة": 100, "ومائة": 100, "ألف": 1000, "وألف": 1000, "آلاف": 1000,
            "mya": 100, "miya": 100, "alf": 1000,
        },
        "and": "و, w, wa, o",
    },
    "fa": {
        # Persian and Dari; Latin ("Finglish") too.
        "number": {
            "صفر": 0, "یک": 1, "یه": 1, "دو": 2, "سه": 3, "چهار": 4, "چار": 4, "پنج": 5, "شش": 6,
            "شیش": 6, "هفت": 7, "هشت": 8, "ده": 10, "یازده": 11, "دوازده": 12, "سیزده": 13,
            "چهارده": 14, "پانزده": 15, "پونزده": 15, "شانزده": 16, "شونزده": 16, "هفده": 17,
            "هیفده": 17, "هجده": 18, "هیجده": 18, "هژده": 18, "نوزده": 19, "بیست": 20, "سی": 30,
            "چهل": 40, "پنجاه": 50, "شصت": 60, "هفتاد": 70, "هشتاد": 80, "نود": 90, "یکصد": 100,
            "دویست": 200, "سیصد": 300, "چهارصد": 400, "پانصد": 500, "پونصد": 500, "ششصد": 600,
            "هفتصد": 700, "هشتصد": 800, "نهصد": 900,
            # نه (9) is also "no": alone it is not a number, "بیست و نه" (29) is read whole
            **{f"{tens} و نه": value + 9 for tens, value in (
                ("بیست", 20), ("سی", 30), ("چهل", 40), ("پنجاه", 50), ("شصت", 60), ("هفتاد", 70),
                ("هشتاد", 80), ("نود", 90))},
            "yek": 1, "do": 2, "se": 3, "chahar": 4, "char": 4, "panj": 5, "shesh": 6, "shish": 6,
            "haft": 7, "hasht": 8, "noh": 9, "dah": 10, "yazdah": 11, "davazdah": 12, "sizdah": 13,
            "chahardah": 14, "panzdah": 15, "poonzdah": 15, "shanzdah": 16, "hefdah": 17,
            "hijdah": 18, "hejdah": 18, "noozdah": 19, "nuzdah": 19, "bist": 20,  # not "si": yes
            "chehel": 40, "panjah": 50, "shast": 60, "haftad": 70, "hashtad": 80, "navad": 90,
        },
        "multiplier": {"صد": 100, "هزار": 1000, "hezar": 1000},
        "and": "و, o, va",
    },
    "bn": {
        # Bengali has a word for each number to 100; Latin ("Banglish") to 12.
        "number": {
            "শূন্য": 0, "এক": 1, "একটা": 1, "একটি": 1, "দুই": 2, "দু": 2, "দুটো": 2, "দুটি": 2,
            "দুইটা": 2, "তিন": 3, "তিনটা": 3, "তিনটি": 3, "চার": 4, "চারটা": 4, "চারটি": 4, "পাঁচ": 5,
            "পাঁচটা": 5, "ছয়": 6, "ছয়টা": 6, "সাত": 7, "আট": 8, "নয়": 9, "দশ": 10, "এগারো": 11,
            "এগার": 11, "বারো": 12, "তেরো": 13, "তের": 13, "চৌদ্দ": 14, "পনেরো": 15, "পনের": 15,
            "ষোলো": 16, "ষোল": 16, "সতেরো": 17, "সতের": 17, "আঠারো": 18, "আঠার": 18, "উনিশ": 19,
            "ঊনিশ": 19, "বিশ": 20, "কুড়ি": 20, "একুশ": 21, "বাইশ": 22, "তেইশ": 23, "চব্বিশ": 24,
            "পঁচিশ": 25, "ছাব্বিশ": 26, "সাতাশ": 27, "আটাশ": 28, "ঊনত্রিশ": 29, "উনত্রিশ": 29,
            "ত্রিশ": 30, "তিরিশ": 30, "একত্রিশ": 31, "বত্রিশ": 32, "তেত্রিশ": 33, "চৌত্রিশ": 34,
            "পঁয়ত্রিশ": 35, "ছত্রিশ": 36, "সাঁইত্রিশ": 37, "আটত্রিশ": 38, "ঊনচল্লিশ": 39,
            "উনচল্লিশ": 39, "চল্লিশ": 40, "একচল্লিশ": 41, "বিয়াল্লিশ": 42, "তেতাল্লিশ": 43,
            "চুয়াল্লিশ": 44, "পঁয়তাল্লিশ": 45, "ছেচল্লিশ": 46, "সাতচল্লিশ": 47, "আটচল্লিশ": 48,
            "ঊনপঞ্চাশ": 49, "উনপঞ্চাশ": 49, "পঞ্চাশ": 50, "একান্ন": 51, "বাহান্ন": 52, "তিপ্পান্ন": 53,
            "চুয়ান্ন": 54, "পঞ্চান্ন": 55, "ছাপ্পান্ন": 56, "সাতান্ন": 57, "আটান্ন": 58, "ঊনষাট": 59,
            "উনষাট": 59, "ষাট": 60, "একষট্টি": 61, "বাষট্টি": 62, "তেষট্টি": 63, "চৌষট্টি": 64,
            "পঁয়ষট্টি": 65, "ছেষট্টি": 66, "সাতষট্টি": 67, "আটষট্টি": 68, "ঊনসত্তর": 69, "উনসত্তর": 69,
            "সত্তর": 70, "একাত্তর": 71, "বাহাত্তর": 72, "তিয়াত্তর": 73, "চুয়াত্তর": 74, "পঁচাত্তর": 75,
            "ছিয়াত্তর": 76, "সাতাত্তর": 77, "আটাত্তর": 78, "ঊনআশি": 79, "উনআশি": 79, "আশি": 80,
            "একাশি": 81, "বিরাশি": 82, "তিরাশি": 83, "চুরাশি": 84, "পঁচাশি": 85, "ছিয়াশি": 86,
            "সাতাশি": 87, "অষ্টাশি": 88, "ঊননব্বই": 89, "উননব্বই": 89, "নব্বই": 90, "একানব্বই": 91,
            "বিরানব্বই": 92, "তিরানব্বই": 93, "চুরানব্বই": 94, "পঁচানব্বই": 95, "ছিয়ানব্বই": 96,
            "সাতানব্বই": 97, "আটানব্বই": 98, "নিরানব্বই": 99, "একশো": 100, "একশ": 100, "দুইশো": 200,
            "দুশো": 200, "দুইশ": 200, "তিনশো": 300, "তিনশ": 300, "চারশো": 400, "চারশ": 400,
            "পাঁচশো": 500, "পাঁচশ": 500, "ছয়শো": 600, "ছয়শ": 600, "সাতশো": 700, "সাতশ": 700,
            "আটশো": 800, "আটশ": 800, "নয়শো": 900, "নয়শ": 900,
            # one and a half, two and a half; সাড়ে: "and a half" before the number
            "দেড়": Fraction(3, 2), "আড়াই": Fraction(5, 2), "der": Fraction(3, 2), "arai": Fraction(5, 2),
            **{f"সাড়ে {word}": Fraction(2 * value + 1, 2) for word, value in (
                ("তিন", 3), ("চার", 4), ("পাঁচ", 5), ("ছয়", 6), ("সাত", 7), ("আট", 8), ("নয়", 9),
                ("দশ", 10), ("এগারো", 11), ("বারো", 12))},
            "ek": 1, "dui": 2, "tin": 3, "char": 4, "pach": 5, "panch": 5, "choy": 6, "chhoy": 6,
            "sat": 7, "aat": 8, "noy": 9, "dosh": 10, "egaro": 11, "baro": 12,
        },
        "multiplier": {"শো": 100, "শ": 100, "হাজার": 1000, "hajar": 1000, "hazar": 1000},
        "and": "আর, এবং, ও, ar, abong",
    },
}

# Ignored in every answer.
POLITE = {
    "fr": "merci, merci beaucoup, svp, stp, s'il vous plaît, s'il te plaît, bonjour, bonsoir, "
    "salut, ok, d'accord, voilà, euh",
    "en": "thanks, thank you, thx, please, pls, plz, hello, hi, ok, okay",
    "es": "gracias, muchas gracias, por favor, porfa, hola, buenas, buenos días, buenas tardes, "
    "buenas noches, vale",
    "pt": "obrigado, obrigada, muito obrigado, muito obrigada, brigado, brigada, valeu, por favor, "
    "olá, oi, bom dia, boa tarde, boa noite",
    "ro": "mulțumesc, mulțumesc frumos, mersi, vă rog, te rog, bună, bună ziua, salut",
    "ar": "شكرا, شكرا جزيلا, من فضلك, لو سمحت, عفاك, الله يخليك, السلام عليكم, سلام, مرحبا, أهلا, "
    "الحمد لله, الحمدلله, إن شاء الله, ان شاء الله, إنشاء الله, chokran, choukran, shukran, "
    "3afak, salam, salam alikoum, hamdoulah, hamdullah, lhamdoulah, inchallah, inshallah",
    # "جون" (dear) after a thank-you is not Dari "June"
    "fa": "ممنون, ممنونم, مرسی, متشکرم, سپاس, لطفا, سلام, مرسی جون, ممنون جون, mamnoon, mamnun, "
    "mersi, lotfan, salam, motashakeram",
    "bn": "ধন্যবাদ, দয়া করে, আসসালামু আলাইকুম, সালাম, নমস্কার, হ্যালো, জি, জ্বি, dhonnobad, "
    "donnobad, salam, assalamu alaikum, ji",
}

# "How long have you been in France?"
#   unit: length in months; half: "and a half"; since: marks a date ("depuis 2024");
#   more: a lower bound, kept ("plus de 3 mois" -> 3); less: an upper bound or "not yet" -> None;
#   now: the whole answer means 0 months; article: "a" before a unit means 1; skip: ignored;
#   counted: (count, unit), a noun that carries its count when no number comes before it (Arabic
#   singular and dual: "سنة" a year, "سنتين" two years); month: month names Babel lacks.
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
        "more": "más de, al menos, por lo menos, como mínimo, y pico, y algo",
        "less": "menos de, casi, todavía no, aún no, no todavía",
        "now": "acabo de llegar, acabamos de llegar, recién llegado, recién llegada, recién llegué, "
        "apenas llegué, llegué hoy, llegué ayer, hoy, ayer, esta semana",
        "skip": "hace, desde hace, llevo, estoy, estoy aquí, aquí, acá, estoy acá, en francia, vivo, "
        "vivo aquí, llegué, vine, ya, que, de, unos, unas, como, alrededor de, aproximadamente, "
        "más o menos, cerca de, atrás",  # 15 de marzo
    },
    "pt": {
        "unit": {
            "mês": 1, "meses": 1, "ano": 12, "anos": 12, "semana": WEEK, "semanas": WEEK,
            "dia": DAY, "dias": DAY,
        },
        "half": "e meio, e meia",
        "since": "desde, desde o, desde a, desde o dia, em, no dia, a partir de, a partir do, "
        "a partir da",
        "more": "mais de, pelo menos, no mínimo, e pouco, e tal",  # um ano e pouco: 12 at least
        "less": "menos de, quase, ainda não, nem",
        "now": "acabei de chegar, acabo de chegar, cheguei agora, cheguei hoje, cheguei ontem, "
        "acabamos de chegar, recém-chegado, recém-chegada, recém chegado, recém chegada, hoje, "
        "ontem, esta semana, essa semana, agora mesmo",
        "skip": "há, faz, já faz, já há, estou, estou aqui, estou cá, aqui, cá, em frança, na frança, "
        "eu, moro, moro aqui, vivo, vivo aqui, cheguei, cheguei aqui, vim, já, que, de, uns, umas, "
        "cerca de, mais ou menos, aproximadamente, por volta de, tipo, atrás",
    },
    "ro": {
        "unit": {
            "lună": 1, "luni": 1, "an": 12, "ani": 12, "săptămână": WEEK, "săptămâni": WEEK,
            "săpt": WEEK, "zi": DAY, "zile": DAY,
        },
        "half": "și jumătate, și jumate, jumătate, jumate",  # "jumătate de an" stays None
        "since": "din, de la, începând cu, începând din, în",
        "more": "mai mult de, mai bine de, peste, cel puțin, minim, și ceva",
        "less": "mai puțin de, sub, aproape, încă nu, nici",
        "now": "tocmai am ajuns, abia am ajuns, am ajuns azi, am ajuns astăzi, am ajuns ieri, azi, "
        "astăzi, ieri, săptămâna asta, săptămâna aceasta, chiar acum",
        # not "am": "am 34 de ani" is an age; "noi" (we) is not a shortened "noiembrie"
        "skip": "de, sunt, noi, suntem, sunt aici, aici, în franța, eu, stau, stau aici, locuiesc, "
        "locuiesc aici, trăiesc, am venit, am ajuns, am sosit, venit, ajuns, acum, în urmă, deja, că, "
        "aproximativ, cam, vreo, circa, în jur de",
        "article": "o",  # o lună
    },
    "ar": {
        # A singular noun alone is one of it, the dual is two: "سنة" a year, "سنتين" two years;
        # after a number the singular is the unit: "20 سنة".
        "counted": {
            "شهر": (1, 1), "شهر واحد": (1, 1), "سنة": (1, 12), "سنة واحدة": (1, 12),
            "سنة وحدة": (1, 12), "عام": (1, 12), "عام واحد": (1, 12), "أسبوع": (1, WEEK),
            "جمعة": (1, WEEK), "سيمانة": (1, WEEK), "يوم": (1, DAY), "نهار": (1, DAY),
            "نص سنة": (1, 6), "نصف سنة": (1, 6), "نص عام": (1, 6), "نصف عام": (1, 6),
            "شهرين": (2, 1), "شهران": (2, 1), "سنتين": (2, 12), "سنتان": (2, 12), "عامين": (2, 12),
            "عامان": (2, 12), "أسبوعين": (2, WEEK), "أسبوعان": (2, WEEK), "جمعتين": (2, WEEK),
            "سيمانتين": (2, WEEK), "يومين": (2, DAY), "يومان": (2, DAY),
            "chhar": (1, 1), "chhr": (1, 1), "shhar": (1, 1), "shahr": (1, 1), "chahr": (1, 1),
            "sna": (1, 12), "simana": (1, WEEK), "smana": (1, WEEK),
            "ousbou3": (1, WEEK), "osbo3": (1, WEEK), "usbu3": (1, WEEK), "nhar": (1, DAY),
            "youm": (1, DAY), "yom": (1, DAY), "chhrayn": (2, 1), "chhrin": (2, 1), "chahrin": (2, 1),
            "shahrayn": (2, 1), "shahrin": (2, 1), "shahreen": (2, 1), "3amayn": (2, 12),
            "3amin": (2, 12), "3amine": (2, 12), "3amein": (2, 12), "3amen": (2, 12),
            "simantin": (2, WEEK), "smantin": (2, WEEK), "yomayn": (2, DAY), "youmayn": (2, DAY),
            "yumin": (2, DAY),
        },
        "unit": {
            "شهور": 1, "أشهر": 1, "شهرا": 1, "سنوات": 12, "سنين": 12, "أعوام": 12, "عاما": 12,
            "أسابيع": WEEK, "سيمانات": WEEK, "جمعات": WEEK, "أيام": DAY, "يوما": DAY,
            "chhor": 1, "chhour": 1, "chhur": 1, "shhor": 1, "shour": 1, "shhour": 1, "shhur": 1,
            "ashhor": 1, "ashhur": 1, "ashor": 1, "shohour": 1, "shuhur": 1, "snin": 12, "snine": 12,
            "snen": 12, "sinin": 12, "snawat": 12, "sanawat": 12, "3wam": 12, "a3wam": 12,
            # not one year alone: "3 am" may as well be a mistyped "3 an"
            "3am": 12,
            "simanat": WEEK, "smanat": WEEK, "asabi3": WEEK, "iyam": DAY, "ayam": DAY, "ayyam": DAY,
            "iyyam": DAY,
        },
        "half": "ونص, و نص, ونصف, و نصف, w nass, wnass, w nss, w ness, w nos, wnos, o nos, u nos",
        "since": "منذ, مذ, من, من تاريخ, ابتداء من, في, mn, men, min, mnd, f, fi",
        "more": "أكثر من, فوق, على الأقل, عالأقل, وشوية, و شوية, ktar mn, kter mn, aktar mn, fo9, "
        "fou9, w chwiya, wchwiya, w shwaya",
        "less": "أقل من, قل من, قريب, قرابة, ما زال, مازال, مزال, لسه ما, لسا ما, "
        "mazal, ma zal, 9al mn, qal mn, a9al mn, 9rib, qrib",
        "now": "وصلت اليوم, وصلت للتو, وصلت توا, لسه واصل, لسه واصلة, لسا واصل, لسا واصلة, توني واصل, "
        "توني وصلت, عاد وصلت, عاد جيت, يالاه جيت, يالله جيت, يالاه وصلت, جيت اليوم, اليوم, البارح, "
        "البارحة, أمس, امبارح, هذا الأسبوع, هاد السيمانة, 3ad jit, 3ad wselt, yalah jit, "
        "yallah jit, yalah wselt, lyoum, lyouma, lbare7, lbar7",
        # "قبل" is "ago" ("قبل 3 شهور"); "قبل مارس" (before March) then reads as since March, a
        # lower bound, as "plus de" is.
        "skip": "أنا, عندي, لي, ليا, إلي, بقالي, صار لي, صارلي, هادي, هادي عندي, هنا, هون, هنايا, "
        "في فرنسا, ف فرنسا, بفرنسا, فرنسا, فرانسا, في فرانسا, دابا, الآن, تقريبا, حوالي, يعني, غير, "
        "بس, عشت, أعيش, عايش, عايشة, ساكن, ساكنة, وصلت, جيت, قدمت, قبل, مدة, لمدة, تاع, ديال, "
        "ana, 3ndi, 3andi, 3endi, li, liya, lia, baqali, ba2ali, bi2ali, sarli, sar li, hadi, "
        "hadi 3ndi, hna, hena, f fransa, fi fransa, ffransa, fransa, daba, dba, taqriban, "
        "ta9riban, t9riban, ghir, bss, 9bel, qbel",
    },
    "fa": {
        # Persian and Dari; Latin ("Finglish") too. "۸ ماهه" (it has been 8 months), "۲ ساله".
        "unit": {
            "ماه": 1, "ماهه": 1, "ماهست": 1, "سال": 12, "ساله": 12, "سالست": 12, "هفته": WEEK,
            "روز": DAY, "روزه": DAY,
            "mah": 1, "maah": 1, "mahe": 1, "maahe": 1, "sal": 12, "saal": 12, "sale": 12,
            "saale": 12, "hafte": WEEK, "hafteh": WEEK, "rooz": DAY, "ruz": DAY, "rouz": DAY,
            "rooze": DAY,
        },
        "half": "و نیم, ونیم, o nim, va nim, onim",
        "since": "از, در, تو, توی, az, dar",
        "more": "بیش از, بیشتر از, بالای, حداقل, دست کم, bish az, bishtar az, hadeaghal, hadaghal",
        "less": "کمتر از, کم تر از, زیر, نزدیک, نزدیک به, هنوز, هنوز نه, kamtar az, nazdik, hanooz, "
        "hanuz",
        "now": "تازه رسیدم, تازه اومدم, تازه آمدم, همین الان رسیدم, همین امروز رسیدم, امروز رسیدم, "
        "امروز اومدم, امروز, دیروز رسیدم, دیروز اومدم, دیروز, این هفته, همین هفته, تازه, "
        "taze residam, taze oomadam, taze umadam, emrooz, emruz, dirooz, diruz",
        "skip": "من, هستم, هست, است, ست, ام, که, اینجا, اینجام, اینجا هستم, در فرانسه, "
        "تو فرانسه, توی فرانسه, فرانسه, میشه, می شه, می شود, میشود, شده, شد, پیش, قبل, حدود, "
        "حدودا, تقریبا, الان, دیگه, زندگی میکنم, زندگی می کنم, ساکن, ساکنم, اومدم, آمدم, رسیدم, "
        "man, hastam, hast, ast, ke, inja, injam, dar faranse, too faranse, faranse, mishe, "
        "shode, pish, ghabl, hodud, hodood, hodoodan, taghriban, alan, oomadam, umadam, residam",
    },
    "bn": {
        # দেড় (1.5), আড়াই (2.5), সাড়ে তিন (3.5) are number words; "থেকে" (since) follows the date.
        "unit": {
            "মাস": 1, "মাসের": 1, "বছর": 12, "বছরের": 12, "বৎসর": 12, "সপ্তাহ": WEEK,
            "সপ্তাহের": WEEK, "হপ্তা": WEEK, "দিন": DAY, "দিনের": DAY,
            "mash": 1, "mas": 1, "maash": 1, "masher": 1, "maser": 1, "bochor": 12, "bochhor": 12,
            "bosor": 12, "boshor": 12, "bochr": 12, "bachar": 12, "bochorer": 12, "bosorer": 12,
            "soptaho": WEEK, "shoptaho": WEEK, "hopta": WEEK, "din": DAY, "diner": DAY,
        },
        # also spelt with ি: জানুয়ারি (Babel: জানুয়ারী)
        "month": {"জানুয়ারি": 1, "ফেব্রুয়ারি": 2, "আগষ্ট": 8, "সেপ্টেম্বার": 9, "নভেম্বার": 11},
        "since": "থেকে, থেকেই, হতে, theke, theka, hote",
        "more": "এর বেশি, এর বেশী, এরও বেশি, বেশি, বেশী, অন্তত, কমপক্ষে, er beshi, beshi, besi",
        "less": "এর কম, কম, প্রায়, এখনো না, এখনও না, er kom, kom, pray, praye, prai, ekhono na",
        "now": "মাত্র এসেছি, এইমাত্র এসেছি, সবে এসেছি, আজ এসেছি, আজকে এসেছি, আজ, আজকে, গতকাল, "
        "গতকাল এসেছি, এই সপ্তাহে, matro eshechi, matro asechi, ei matro, aj, aaj, ajke, aajke, "
        "gotokal",
        "skip": "আমি, আমরা, এখানে, ফ্রান্সে, ফ্রান্স, আছি, হলো, হল, হয়েছে, হয়ে গেছে, হইছে, ধরে, "
        "যাবত, যাবৎ, আগে, এসেছি, আসছি, এসেছিলাম, থাকি, থাকছি, এখন, মতো, মত, সাল, "
        "ami, amra, ekhane, france e, achi, asi, holo, hoise, hoyeche, dhore, age, eshechi, "
        "asechi, aschi, thaki, ekhon, moto, mot",
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
        "zero": "nada, nada de nada, ninguno, ninguna, sin ingresos, sin dinero, no tengo, "
        "no tengo nada, no tenemos nada, no tengo ingresos, no tenemos ingresos, no tengo dinero, "
        "ningún ingreso, no recibo nada, no gano nada",
        "skip": "euros, al mes, por mes, / mes, cada mes, mensual, mensuales, mensualmente, gano, "
        "ganamos, recibo, recibimos, cobro, cobramos, tengo, tenemos, unos, unas, como, "
        "alrededor de, aproximadamente, más o menos, cerca de, en total",
    },
    "pt": {
        "zero": "nada, nada mesmo, nenhum, nenhuma, sem renda, sem rendimento, sem rendimentos, "
        "sem dinheiro, sem rendas, não tenho, não tenho nada, não temos nada, não tenho renda, "
        "não tenho rendimentos, não tenho dinheiro, não recebo nada, não ganho nada, nenhum rendimento, "
        "nenhuma renda",
        "skip": "euros, euro, por mês, ao mês, / mês, cada mês, todo mês, todos os meses, mensal, "
        "mensais, mensalmente, ganho, ganhamos, recebo, recebemos, tenho, temos, eu, uns, umas, "
        "cerca de, mais ou menos, aproximadamente, por volta de, em total, no total, ao todo, total",
    },
    "ro": {
        "zero": "nimic, nimic deloc, deloc, niciun venit, nici un venit, niciun ban, nici un ban, "
        "fără venit, fără venituri, fără bani, n-am nimic, nu am nimic, nu avem nimic, n-avem nimic, "
        "nu primesc nimic, nu câștig nimic, nu am venit, nu am venituri, nu am bani, n-am bani",
        "skip": "euro, eur, pe lună, lunar, lunară, în fiecare lună, câștig, câștigăm, primesc, "
        "primim, am, avem, eu, cam, aproximativ, în jur de, vreo, circa, în total, total, de",
    },
    "ar": {
        "zero": "والو, والو ماكاين, ماكاين والو, ما كاين والو, ماكاين حتى حاجة, ما عندي والو, "
        "ماعندي والو, معندي والو, ما عنديش, ماعنديش, معنديش, ما عندي شي, ماعندي شي, ما عندي حتى شي, "
        "لا شيء, لاشيء, لا شي, ولا شي, ولا شيء, ولا حاجة, مفيش, مافيش, مفيش حاجة, ما في شي, مافي شي, "
        "لا يوجد, لا يوجد دخل, لا دخل, بدون دخل, بلا دخل, ما عندي دخل, ليس لدي دخل, ليس لدي شيء, "
        "ليس لدي أي دخل, حتى شي, حتى حاجة, والو والو, "
        "walou, walo, walu, wallou, wlou, walou walou, makayn walou, makayen walou, makaynch, "
        "makaynch walou, ma3ndi walou, ma 3ndi walou, ma3ndich, ma3andich, ma3ndi walo, hta haja, "
        "7ta 7aja, 7ta haja, hta chi, 7ta chi, 7ta shi, la shay, la chay, la shi, mafi shi, "
        "ma fi shi, mafish, mafeesh, mafish 7aga, mafeesh 7aga, wala 7aga, wala haga, wala shi",
        "skip": "يورو, أورو, في الشهر, فالشهر, ف الشهر, بالشهر, الشهر, كل شهر, شهريا, شهري, عندي, "
        "عندنا, أنا, كنشد, نشد, كنقبض, نقبض, أتقاضى, أحصل على, ناخذ, ناخد, كناخد, يجيني, تجيني, "
        "كيجيني, ندخل, كندخل, دخلي, دخلنا, الدخل, مدخولي, تقريبا, حوالي, يعني, المجموع, في المجموع, "
        "بالمجموع, euro, orou, ourou, f chhar, fchhar, fi chhar, kol chhar, kola chhar, fshhar, "
        "fi shahr, 3ndi, 3andi, 3endi, 3ndna, kanchd, kanchad, kan9bed, kanakhod, kayjini, "
        "ta9riban, taqriban, t9riban, ana",
    },
    "fa": {
        "zero": "هیچی, هیچ, هیچ چیز, هیچچیز, هیچی ندارم, هیچ درآمدی ندارم, درآمد ندارم, درآمدی ندارم, "
        "پول ندارم, هیچ پولی ندارم, ندارم, نداریم, هیچی نداریم, نه هیچی, بدون درآمد, "
        "hichi, hich, hich chi, hichi nadaram, nadaram, pool nadaram, daramad nadaram",
        "skip": "یورو, در ماه, ماهی, ماهانه, ماهیانه, هر ماه, در هر ماه, حدود, حدودا, تقریبا, دارم, "
        "داریم, میگیرم, می گیرم, میگیریم, می گیریم, درآمدم, درآمد من, درآمد ما, درآمدمون, کلا, در کل, "
        "جمعا, من, ما, yoro, dar mah, mahi, mahane, har mah, hodud, hodood, taghriban, daram, "
        "migiram, kollan, jaman",
    },
    "bn": {
        "zero": "কিছু না, কিছুই না, কিছু নাই, কিছুই নাই, কিছু নেই, কিছুই নেই, কিছু নয়, কোনো আয় নেই, "
        "কোন আয় নেই, কোনো আয় নাই, কোন আয় নাই, আয় নেই, আয় নাই, টাকা নেই, টাকা নাই, কোনো টাকা নেই, "
        "কিছু পাই না, কিছুই পাই না, নেই, নাই, "
        "kichu na, kichui na, kisu na, kisui na, kicchu na, kichu nai, kisu nai, kichu nei, "
        "kichui nai, kono income nai, taka nai, kichui pai na",
        "skip": "ইউরো, প্রতি মাসে, প্রতিমাসে, মাসে, মাসিক, আমি, আমরা, পাই, পাচ্ছি, আয়, আমার আয়, "
        "মোট, সব মিলিয়ে, প্রায়, মতো, মত, euro, mase, prati mase, proti mase, pai, ami, ami pai, "
        "amar ay, amar income, prai, moto, mot, total",
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
        "alone": "solo, sola, solito, solita, solo yo, yo solo, yo sola, solamente yo, únicamente yo, "
        "nada más yo, yo nomás, nomás yo, vivo solo, vivo sola, estoy solo, estoy sola",
        "skip": "personas, persona, miembros, somos, nosotros somos, en total, conmigo, contándome, "
        "incluyéndome, en casa, en mi casa, en el hogar, familia de, una familia de",
    },
    "pt": {
        "alone": "sozinho, sozinha, só eu, somente eu, apenas eu, eu sozinho, eu sozinha, moro sozinho, "
        "moro sozinha, vivo sozinho, vivo sozinha, estou sozinho, estou sozinha, sou só eu, só mesmo eu",
        "skip": "pessoas, pessoa, membros, somos, nós somos, no total, em total, ao todo, comigo, "
        "contando comigo, incluindo eu, em casa, família de, uma família de",
    },
    "ro": {
        "alone": "singur, singură, doar eu, numai eu, eu singur, eu singură, sunt singur, sunt singură, "
        "locuiesc singur, locuiesc singură, stau singur, stau singură, o persoană, doar o persoană, "
        "o singură persoană",
        "skip": "persoane, persoană, oameni, membri, suntem, noi suntem, în total, cu mine, inclusiv eu, "
        "eu inclus, în familie, în casă, acasă, familie de, o familie de, de",
    },
    "ar": {
        "alone": "وحدي, لوحدي, بوحدي, بحدي, انا وحدي, أنا لوحدي, أنا بوحدي, غير أنا, بس أنا, أنا بس, "
        "فقط أنا, أنا فقط, ساكن وحدي, ساكنة وحدي, أعيش وحدي, عايش وحدي, عايشة وحدي, شخص واحد, "
        "فرد واحد, نفر واحد, "
        "bu7di, bou7di, bo7di, b7di, bohdi, bouhdi, wa7di, wahdi, lwa7di, l wa7di, ana bu7di, "
        "ana bo7di, ana wa7di, ana wahdi, ghir ana, ghi ana, gher ana, ghir ana bu7di, bas ana, "
        "ana bas",
        "number": {"شخصين": 2, "شخصان": 2, "فردين": 2, "نفرين": 2},  # the dual: two people
        "skip": "أشخاص, شخص, أفراد, فرد, أنفار, نفر, ناس, نحن, نحنا, احنا, حنا, معايا, معي, بيا, "
        "بما فيهم أنا, في العائلة, فالعائلة, في الدار, فالدار, في البيت, في المنزل, عائلة من, "
        "بالمجموع, في المجموع, المجموع, كاملين, كلنا, "
        "nass, 7na, a7na, hna, m3aya, m3ana, kamlin, f dar, fdar, fi dar, f ddar",
    },
    "fa": {
        "alone": "تنها, تنهام, تنها هستم, من تنها, من تنهام, من تنها هستم, تنها زندگی میکنم, "
        "تنها زندگی می کنم, فقط من, فقط خودم, خودم تنها, خودم, "
        "tanha, tanham, man tanha, man tanham, faghat man, faqat man, faghat khodam, khodam",
        "skip": "نفر, نفریم, نفر هستیم, هستیم, ما, با من, با خودم, همراه من, در خانه, تو خونه, "
        "توی خونه, خانواده, در کل, جمعا, کلا, شخص, عضو, nafar, nafarim, hastim, ma, ba man, "
        "ba khodam, khanevade, kollan, jaman",
    },
    "bn": {
        "alone": "একা, আমি একা, একাই, আমি একাই, একলা, আমি একলা, শুধু আমি, শুধুমাত্র আমি, কেবল আমি, "
        "একা থাকি, আমি একা থাকি, eka, ami eka, ekai, ekla, ami ekla, shudhu ami, sudhu ami, "
        "shudu ami, sudu ami",
        # জন counts people: "চারজন" (four people)
        "number": {
            "একজন": 1, "দুইজন": 2, "দুজন": 2, "তিনজন": 3, "চারজন": 4, "পাঁচজন": 5, "ছয়জন": 6,
            "সাতজন": 7, "আটজন": 8, "নয়জন": 9, "দশজন": 10,
        },
        "skip": "জন, লোক, মানুষ, সদস্য, আমরা, আছি, পরিবারে, পরিবার, আমাকে সহ, আমি সহ, মোট, "
        "সব মিলিয়ে, বাসায়, বাড়িতে, jon, jn, lok, manush, amra, achi, poribar, ami soho, mot, "
        "shob miliye",
    },
}

# "How old are you?" A year of birth is not read (it would need today's date).
AGE_WORDS = {
    "fr": {"skip": "ans, an, j'ai, jai, moi, âge, mon âge"},
    "en": {"skip": "years, year, yrs, yr, years old, year old, old, yo, y/o, i am, i'm, im, age, "
           "my age, my age is, aged"},
    "es": {"skip": "años, año, tengo, yo tengo, edad, de edad, años de edad, mi edad, mi edad es"},
    "pt": {"skip": "anos, ano, tenho, eu tenho, idade, minha idade, a minha idade, minha idade é, "
           "de idade, anos de idade, eu"},
    "ro": {"skip": "ani, an, de ani, am, eu am, vârsta, vârsta mea, vârsta mea este, vârsta mea e, "
           "de"},
    "ar": {"skip": "سنة, سنوات, سنين, عام, أعوام, عاما, من العمر, عمري, العمر, عندي, أنا, سني, "
           "بالعمر, 3mri, 3omri, 3oumri, 3ndi, 3andi, 3endi, ana, sna, snin, 3am, 3wam, l3mr"},
    # "۳۴ سالمه", "۳۴ سالم" (I am 34), "سنم ۳۴ه"
    "fa": {"skip": "سال, سالمه, سالم, ساله, سالم است, سالم هست, ساله هستم, سال دارم, سن, سنم, سنمه, "
           "سن من, من, هستم, دارم, است, ه, salame, salameh, salmeh, salme, salam, sal, saal, sale, "
           "saale, sen, senn, sennam, senam, man, hastam, daram"},
    "bn": {"skip": "বছর, বছরের, বয়স, আমার বয়স, আমার, আমি, bochor, bochhor, bosor, boshor, bochorer, "
           "boyos, boyosh, boyoss, amar boyos, amar boyosh, ami, amar"},
}

WORD_TABLES = {"duration": DURATION_WORDS, "amount": AMOUNT_WORDS, "count": COUNT_WORDS, "age": AGE_WORDS}

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
