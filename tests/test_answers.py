from datetime import date

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from bot.answers import MAX_AGE, MAX_AMOUNT, MAX_HOUSEHOLD, MAX_MONTHS, normalise, parse_age, parse_amount, parse_count, parse_months

TODAY = date(2026, 11, 24)

# Answers that no parser may read: a wrong value is worse than None.
NOT_A_QUANTITY = ["", "   ", "?", "je ne sais pas", "I don't know", "+33612345678", "06 12 34 56 78", "rdv a 14h", "oui", "ok"]


def test_normalise():
    assert normalise("  J’ai  34 ANS!  ") == "j ai 34 ans !"
    assert normalise("Février, trente-quatre, 800€") == "fevrier, trente quatre, 800 €"
    assert normalise("٨ mois") == "8 mois"  # Arabic-Indic digit


# --- months ---------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "language, text, months",
    [
        # a duration
        ("fr", "8 mois", 8),
        ("fr", "8", 8),
        ("fr", "8mois", 8),
        ("fr", "8 MOIS.", 8),
        ("en", "8 months", 8),
        ("en", "6 mo", 6),
        ("fr", "2 ans", 24),
        ("fr", "1 an et demi", 18),
        ("fr", "un an et demi", 18),
        ("fr", "une année et demie", 18),
        ("fr", "1,5 an", 18),
        ("fr", "1 an et 3 mois", 15),
        ("fr", "1 an 6 mois", 18),
        ("fr", "2 ans et demi", 30),
        ("fr", "deux mois", 2),
        ("fr", "huit mois", 8),
        ("fr", "quatre-vingt-dix-sept mois", 97),
        ("en", "a year", 12),
        ("en", "a year and a half", 18),
        ("en", "one and a half years", 18),
        ("en", "1.5 years", 18),
        ("en", "two years", 24),
        ("fr", "3 semaines", 0),  # weeks and days: whole months, rounded down
        ("fr", "15 jours", 0),
        ("fr", "6 semaines", 1),
        ("fr", "0", 0),
        # in a sentence, mixed languages
        ("fr", "ça fait 8 mois que je suis en France", 8),
        ("fr", "Je suis là depuis 1 an, merci", 12),
        ("fr", "il y a 2 ans", 24),
        ("fr", "depuis 8 months", 8),
        ("en", "i've been here for 2 years", 24),
        ("en", "3 months ago", 3),
        ("en", "2 ans", 24),
        ("fr", "plus de 2 ans", 24),  # a lower bound is kept
        ("fr", "+ de 3 mois", 3),
        ("fr", "environ 8 mois", 8),
        # just arrived
        ("fr", "je viens d'arriver", 0),
        ("fr", "Je viens d arriver en France", 0),
        ("fr", "je suis arrivé aujourd'hui", 0),
        ("en", "just arrived", 0),
        ("en", "I just arrived", 0),
        # since a month: from its 1st, the last one not after today
        ("fr", "depuis mars", 8),
        ("fr", "mars", 8),
        ("fr", "depuis Mars", 8),
        ("fr", "je suis arrivé en mars", 8),
        ("fr", "depuis novembre", 0),  # the current month
        ("fr", "depuis décembre", 11),  # last December
        ("fr", "depuis decembre", 11),
        ("fr", "depuis fev", 9),  # a shortening people type
        ("fr", "depuis févr.", 9),  # Babel's abbreviation
        ("fr", "depuis mars 2025", 20),
        ("fr", "depuis janvier 2026", 10),
        ("en", "since March", 8),
        ("en", "I arrived in March 2025", 20),
        ("fr", "depuis le 15 mars 2025", 20),
        ("fr", "depuis le 24 novembre", 0),
        ("fr", "depuis le 25 novembre", 11),
        ("fr", "depuis 03/2025", 20),
        ("fr", "15/03/2025", 20),
        ("fr", "15-03-2025", 20),
        # since a year: from the end of that year, the least the answer allows
        ("en", "since 2024", 22),
        ("fr", "en 2024", 22),
        ("fr", "depuis 2019", 82),
        ("fr", "depuis 1990", 430),
        # Spanish: month names from Babel, words from the table
        ("es", "desde marzo", 8),
        ("es", "desde marzo de 2025", 20),
        ("es", "hace 3 meses", 3),
        ("es", "un año y medio", 18),
        ("es", "dos meses", 2),
        # languages without a word table: Babel's month names, digits, French and English words
        ("ro", "martie", 8),
        ("ar", "مارس", 8),
        ("ar", "٨ mois", 8),
        ("ar", "depuis mars", 8),
        ("fr-FR", "8 mois", 8),
    ],
)
def test_months(language, text, months):
    assert parse_months(text, language, TODAY) == months


@pytest.mark.parametrize(
    "language, text",
    [
        ("en", "since last year"),
        ("fr", "longtemps"),
        ("en", "a long time"),
        ("fr", "quelques mois"),
        ("fr", "601"),  # a bare number > 600
        ("fr", "2024"),  # a year needs "depuis"
        ("fr", "-3"),
        ("fr", "-3 mois"),
        ("fr", "j'ai 2 enfants"),
        ("fr", "2 enfants"),
        ("fr", "j'ai 34 ans"),  # an age, not a duration
        ("fr", "il a 3 ans"),
        ("fr", "rdv a 14h"),
        ("fr", "2 ou 3 mois"),  # a range
        ("fr", "2-3 mois"),
        ("fr", "deux trois mois"),
        ("fr", "6 mois 1 an"),
        ("fr", "moins de 3 mois"),  # an upper bound
        ("fr", "presque 3 mois"),
        ("en", "almost a year"),
        ("fr", "je viens d'arriver il y a 3 semaines"),
        ("fr", "depuis décembre 2026"),  # in the future
        ("fr", "depuis 2026"),  # this year: anything from 0 to 10 months
        ("fr", "depuis 2025"),  # last year: anything from 10 to 22 months
        ("fr", "depuis 2027"),
        ("fr", "depuis 1920"),  # > 600 months
        ("fr", "depuis 8"),
        ("fr", "mars 25"),  # day or year?
        ("fr", "depuis le 12/03"),  # numeric dates need the year
        ("fr", "3/4"),
        ("fr", "12.03.2025"),
        ("fr", "depuis le 31 février"),
        ("fr", "an"),
        ("fr", "a"),
        *[("fr", text) for text in NOT_A_QUANTITY],
    ],
)
def test_months_not_understood(language, text):
    assert parse_months(text, language, TODAY) is None


def test_months_since_a_year_only_when_far_enough_for_the_doubt_not_to_matter():
    assert parse_months("since 2024", "en", date(2026, 1, 5)) == 12
    assert parse_months("since 2025", "en", date(2026, 12, 31)) is None


def test_months_since_a_month_counts_from_the_last_first_of_that_month():
    assert parse_months("depuis mars", "fr", date(2026, 3, 1)) == 0
    assert parse_months("depuis mars", "fr", date(2026, 2, 28)) == 11
    assert parse_months("depuis mars", "fr", date(2027, 1, 5)) == 10


# --- amounts --------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "language, text, amount",
    [
        ("fr", "800", 800.0),
        ("fr", "800 euros", 800.0),
        ("fr", "800€", 800.0),
        ("fr", "800 eur", 800.0),
        ("fr", "800e", 800.0),
        ("fr", "1 200", 1200.0),
        ("fr", "1 200 €", 1200.0),
        ("fr", "1200,50", 1200.5),
        ("fr", "1.200", 1200.0),
        ("fr", "1.200,50", 1200.5),
        ("en", "1,200.50", 1200.5),
        ("en", "12.5", 12.5),
        ("fr", "environ 600", 600.0),
        ("fr", "600 par mois", 600.0),
        ("fr", "800€/mois", 800.0),
        ("fr", "je touche 800 € par mois", 800.0),
        ("en", "about 600 euros a month", 600.0),
        ("fr", "mille euros", 1000.0),
        ("fr", "huit cents", 800.0),
        ("fr", "deux mille cinq cents euros", 2500.0),
        ("fr", "1 000 000", 1_000_000.0),
        ("fr", "rien", 0.0),
        ("fr", "0", 0.0),
        ("fr", "0 €", 0.0),
        ("fr", "pas de revenus", 0.0),
        ("fr", "aucun", 0.0),
        ("fr", "Je n'ai rien", 0.0),
        ("en", "nothing", 0.0),
        ("en", "no income", 0.0),
        ("es", "nada", 0.0),
        ("es", "mil euros al mes", 1000.0),
    ],
)
def test_amount(language, text, amount):
    assert parse_amount(text, language) == amount


@pytest.mark.parametrize(
    "language, text",
    [
        ("fr", "entre 500 et 800"),  # a range: either bound may be wrong on the wrong side
        ("fr", "500-800"),
        ("fr", "500 ou 800"),
        ("fr", "800 + 200"),
        ("fr", "800 et 200"),
        ("fr", "plus de 1000"),
        ("fr", "moins de 500"),
        ("fr", "-800"),
        ("fr", "2000000"),
        ("fr", "1 000 001"),
        ("fr", "600 par an"),  # another period: not converted
        ("en", "$800"),
        ("fr", "8 mois"),
        ("fr", "aucune idée"),
        ("fr", "je touche le RSA"),
        ("fr", "euros"),
        *[("fr", text) for text in NOT_A_QUANTITY],
    ],
)
def test_amount_not_understood(language, text):
    assert parse_amount(text, language) is None


# --- household size -------------------------------------------------------------------------


@pytest.mark.parametrize(
    "language, text, count",
    [
        ("fr", "3", 3),
        ("fr", "3 personnes", 3),
        ("fr", "trois", 3),
        ("fr", "nous sommes 4", 4),
        ("fr", "on est 4 avec moi", 4),
        ("fr", "seul", 1),
        ("fr", "seule", 1),
        ("fr", "juste moi", 1),
        ("fr", "une seule personne", 1),
        ("en", "alone", 1),
        ("en", "only me", 1),
        ("en", "we are 5", 5),
        ("es", "solo", 1),
        ("es", "somos cuatro", 4),
    ],
)
def test_count(language, text, count):
    assert parse_count(text, language) == count


@pytest.mark.parametrize(
    "language, text",
    [
        ("fr", "moi et ma femme"),  # a description is not counted
        ("fr", "2 adultes 3 enfants"),
        ("fr", "seul avec mes 2 enfants"),
        ("fr", "moi"),
        ("fr", "personne"),  # "nobody"
        ("fr", "0"),
        ("fr", "21"),
        ("fr", "2,5"),
        ("fr", "3 ans"),
        ("fr", "1990"),
        ("fr", "2 ou 3"),
        *[("fr", text) for text in NOT_A_QUANTITY],
    ],
)
def test_count_not_understood(language, text):
    assert parse_count(text, language) is None


# --- age ------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "language, text, age",
    [
        ("fr", "34", 34),
        ("fr", "34 ans", 34),
        ("fr", "j'ai 34 ans", 34),
        ("fr", "jai 34ans", 34),
        ("fr", "trente-quatre ans", 34),
        ("fr", "soixante et onze ans", 71),
        ("en", "34 years old", 34),
        ("en", "I'm 34", 34),
        ("en", "34 y/o", 34),
        ("es", "tengo treinta y cuatro años", 34),
        ("fr", "0", 0),
        ("fr", "120", 120),
    ],
)
def test_age(language, text, age):
    assert parse_age(text, language) == age


@pytest.mark.parametrize(
    "language, text",
    [
        ("fr", "1990"),  # a year of birth is not guessed
        ("fr", "né en 1990"),
        ("fr", "121"),
        ("fr", "-3"),
        ("fr", "34 mois"),
        ("fr", "j'ai 2 enfants"),
        ("fr", "34 ou 35"),
        *[("fr", text) for text in NOT_A_QUANTITY],
    ],
)
def test_age_not_understood(language, text):
    assert parse_age(text, language) is None


# --- properties -----------------------------------------------------------------------------

LANGUAGES = st.sampled_from(["fr", "en", "es", "ar", "bn", "fa", "ro", "xx", "", "fr-FR"])
# Words the parsers know, so that random answers reach past the first unknown word.
KNOWN_WORDS = st.sampled_from(
    "8 0 1,5 1.200 2025 2026 / - + ~ € mois an ans semaines jours et demi depuis since mars "
    "décembre fev a year un vingt quatre cent mille seul moi personnes rien euros par de plus "
    "moins il y a je viens d'arriver".split()
)
ANSWERS = st.one_of(st.text(), st.lists(KNOWN_WORDS, max_size=6).map(" ".join))


@settings(max_examples=300, deadline=None)
@given(text=ANSWERS, language=LANGUAGES, today=st.dates())
def test_parsers_never_raise_and_stay_in_range(text, language, today):
    months = parse_months(text, language, today)
    assert months is None or (type(months) is int and 0 <= months <= MAX_MONTHS)
    amount = parse_amount(text, language)
    assert amount is None or (type(amount) is float and 0 <= amount <= MAX_AMOUNT)
    count = parse_count(text, language)
    assert count is None or (type(count) is int and 1 <= count <= MAX_HOUSEHOLD)
    age = parse_age(text, language)
    assert age is None or (type(age) is int and 0 <= age <= MAX_AGE)
