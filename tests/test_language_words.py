"""The words of each language (bot/languages/words/<lang>.yaml) are checked data."""
import copy

import jsonschema
import pytest

from bot import answers
from bot.i18n import SUPPORTED_LANGUAGES
from bot.interview import QUESTIONS
from bot.languages import words
from bot.rights.codes import CURRENT_COVERS
from bot.rights.rules import default_rules

LANGUAGES = words.languages()


def test_every_supported_language_has_its_words():
    assert set(SUPPORTED_LANGUAGES) <= set(LANGUAGES)


@pytest.mark.parametrize("language", LANGUAGES)
def test_every_file_loads_against_the_schema(language):
    data = words.load(language)
    assert data["language"] == language
    assert all(data["reading"].values()), [key for key, phrases in data["reading"].items() if not phrases]
    assert data["numbers"]["number"] and data["polite"]


@pytest.mark.parametrize("change", [
    lambda data: data["numbers"]["number"].update({"un": "one"}),  # a number word mapped to a string
    lambda data: data["duration"]["unit"].update({"mois": "fortnight"}),  # a unit not in the vocabulary
    lambda data: data["duration"].update({"counted": {"x": [0, "year"]}}),
    lambda data: data["reading"]["affirm"].append(""),
    lambda data: data["reading"]["deny"].append(3),
    lambda data: data["values"]["current_cover"].update({"ame": "aide médicale"}),  # not a list
    lambda data: data["amount"].update({"zeros": ["rien"]}),  # a misspelt section
    lambda data: data.pop("reading"),
])
def test_the_schema_rejects_a_wrong_file(change):
    data = copy.deepcopy(words.load("fr"))
    jsonschema.validate(data, words.schema())
    change(data)
    with pytest.raises(jsonschema.ValidationError):
        jsonschema.validate(data, words.schema())


def _meanings(languages, fact):
    """Normalised phrase -> the values it is listed under, in these languages together."""
    meanings: dict[str, set[str]] = {}
    for language in languages:
        for value, phrases in words.load(language)["values"].get(fact, {}).items():
            for phrase in phrases:
                meanings.setdefault(answers.normalise(phrase), set()).add(value)
    return meanings


FACTS = ["current_cover", "nationality_group", "residence_status", "benefits", "prior_ame_end", "documents"]
CHOICES = {"current_cover": CURRENT_COVERS, "documents": {rule.document for rule in default_rules().documents},
           **{fact: QUESTIONS[fact].choices for fact in FACTS[1:5]}}


@pytest.mark.parametrize("language", LANGUAGES)
def test_values_are_the_choices_of_their_question(language):
    values = words.load(language)["values"]
    assert set(values) == set(FACTS)
    assert {fact: set(by) - set(CHOICES[fact]) for fact, by in values.items()} == {fact: set() for fact in FACTS}


@pytest.mark.parametrize("fact", FACTS)
@pytest.mark.parametrize("language", LANGUAGES)
def test_no_phrase_names_two_values_of_a_fact(language, fact):
    """A language is read with French and English (answers.READ_ALSO): together, a phrase
    (as normalised) stands for one value."""
    meanings = _meanings(dict.fromkeys((language, *answers.READ_ALSO)), fact)
    assert {phrase: values for phrase, values in meanings.items() if len(values) > 1} == {}


@pytest.mark.parametrize("language", LANGUAGES)
def test_no_word_is_both_a_yes_and_a_no(language):
    reading = words.load(language)["reading"]
    yes = {answers.normalise(p) for p in reading["affirm"]}
    no = {answers.normalise(p) for p in reading["deny"] + reading["hedges_no"] + reading["unknown"]}
    assert yes & no == set()


def test_a_wrong_file_is_refused_on_load_with_where(tmp_path, monkeypatch):
    text = (words.WORDS_DIR / "fr.yaml").read_text(encoding="utf-8")
    assert " un: 1," in text
    (tmp_path / "fr.yaml").write_text(text.replace(" un: 1,", " un: one,"), encoding="utf-8")
    monkeypatch.setattr(words, "WORDS_DIR", tmp_path)
    with pytest.raises(words.WordsError, match="numbers/number/un"):
        words.load.__wrapped__("fr")


def test_yes_and_no_are_words_not_booleans():
    assert "yes" in words.load("en")["reading"]["affirm"] and "no" in words.load("en")["reading"]["deny"]
