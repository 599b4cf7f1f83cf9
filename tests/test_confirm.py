"""Clear requests and clear yeses (bot/confirm.py), in every language, single words included."""
import pytest

from bot import confirm
from bot.i18n import SUPPORTED_LANGUAGES

NEGATED = [("fr", "je veux pas annuler"), ("fr", "non merci je veux pas annuler"), ("fr", "je ne veux pas supprimer"),
           ("en", "I don't want to cancel"), ("en", "no thanks"), ("ar", "ما بغيتش نلغي"), ("ar", "لا"),
           ("fa", "نمی‌خواهم لغو کنم"), ("fa", "نه"), ("ro", "nu vreau sa anulez"), ("bn", "না"),
           ("es", "no quiero anular"), ("pt", "nao quero cancelar")]
YES = {"fr": ["oui", "Oui !", "ok", "d'accord"], "en": ["yes", "Yes."], "ar": ["نعم", "ايوه"], "fa": ["بله", "باشه"],
       "ro": ["da", "Da"], "bn": ["হ্যাঁ"], "es": ["sí", "si", "vale"], "pt": ["sim", "Sim"]}
NOT_YES = ["😀", "👍", "asdf", "?", "", "1234", "ok non", "oui mais non", "/affirm", "oui je veux pas"]


@pytest.mark.parametrize("language, text", NEGATED)
def test_a_negated_request_or_reply_is_never_a_yes(language, text):
    assert confirm.negated(text, language)
    assert not confirm.clear_yes(text, language, "affirm", 0.99)


@pytest.mark.parametrize("language", SUPPORTED_LANGUAGES)
def test_the_yes_words_of_each_language_are_a_clear_yes_alone(language):
    for text in YES[language]:
        assert confirm.clear_yes(text, language), (language, text)
        assert not confirm.negated(text, language)


@pytest.mark.parametrize("language", SUPPORTED_LANGUAGES)
def test_emoji_gibberish_and_weak_affirms_are_not_a_yes(language):
    for text in NOT_YES:
        assert not confirm.clear_yes(text, language, "affirm", 0.6), (language, text)
    assert not confirm.clear_yes("😀", language, "affirm", 0.99)  # no word: never, whatever the model says
    assert not confirm.clear_yes("asdf qwer zxcv uiop hjkl", language, "affirm", 0.95)  # too long to be a yes


def test_the_model_counts_only_above_its_floor():
    assert confirm.clear_yes("yep sure thing", "en", "affirm", 0.95)
    assert not confirm.clear_yes("yep sure thing", "en", "affirm", 0.8)
    assert not confirm.clear_yes("yep sure thing", "en", "greet", 0.99)


def test_bengali_words_keep_their_vowel_signs():
    assert not confirm.negated("আমার তথ্য মুছে দেন", "bn")  # "delete my data": not a "no"
    assert confirm.negated("না", "bn") and confirm.clear_yes("হ্যাঁ", "bn")
