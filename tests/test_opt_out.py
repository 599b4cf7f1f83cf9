"""SMS opt-out by keyword only (bot/opt_out.py): the whole message, in any of the eight
languages, case, accents, spaces and punctuation ignored; never a word inside a sentence."""
import pytest

from bot import opt_out
from bot.languages import words


@pytest.mark.parametrize("text", ["STOP", "stop", " Stop. ", "S T O P", "ARRET", "Arrêt", "arrêt !", "STOP SMS",
                                  "stop sms", "STOPALL", "Unsubscribe", "désabonner", "توقف", "إيقاف", "OPREȘTE",
                                  "opreste", "বন্ধ করুন", "توقف", "لغو اشتراک", "BAJA", "parar", "sair"])
def test_a_stop_keyword_alone_stops(text):
    assert opt_out.keyword(text) == "stop"


@pytest.mark.parametrize("text", ["START", " start ", "Démarrer", "ابدأ", "PORNESTE", "চালু", "شروع", "alta", "iniciar"])
def test_a_start_keyword_alone_resumes(text):
    assert opt_out.keyword(text) == "start"


@pytest.mark.parametrize("text", [
    "inscription", "prescription", "laissez-moi tranquille", "arrête de m'appeler", "je veux arrêter",
    "stop je veux mourir", "STOP!!! urgence", "ne m'envoyez plus de sms", "stopper", "bus stop", "cancel",
    "ANNULER", "لغو", "حذف", "إلغاء", "پاک کردن", "", "   ", "!!!", "1", "STOP" * 20, "<script>stop</script>",
    "🛑",
])
def test_anything_else_is_not_a_keyword(text):
    assert opt_out.keyword(text) is None


@pytest.mark.parametrize("language", words.languages())
def test_every_language_lists_its_stop_and_start_words_and_they_are_recognised(language):
    listed = words.load(language)["keywords"]
    assert listed["stop"] and listed["start"]
    assert all(opt_out.keyword(word) == "stop" for word in listed["stop"])
    assert all(opt_out.keyword(word.lower()) == "start" for word in listed["start"])


def test_stop_and_start_words_never_overlap_across_languages():
    stops = {opt_out.squeeze(w) for lang in words.languages() for w in words.load(lang)["keywords"]["stop"]}
    starts = {opt_out.squeeze(w) for lang in words.languages() for w in words.load(lang)["keywords"]["start"]}
    assert stops and starts and not stops & starts
    # The words that cancel an appointment or erase data are never opt-out keywords.
    for word in ("cancel", "annuler", "لغو", "إلغاء", "حذف", "supprimer", "delete"):
        assert opt_out.squeeze(word) not in stops
