import pytest

from bot.language_detection import Detection, annotate, detect, understood


@pytest.mark.parametrize("text, language", [
    ("bonjour je suis malade et je n'ai pas de carte vitale", "fr"),
    ("hello I am sick and I have no insurance", "en"),
    ("السلام عليكم عندي مشكل في الصحة", "ar"),
    ("Buna ziua, sunt bolnav si nu am asigurare", "ro"),
    ("আমি অসুস্থ, আমার কোনো বীমা নেই", "bn"),
    ("سلام، من مریض هستم و بیمه ندارم", "fa"),
    ("hola estoy enfermo y no tengo seguro", "es"),
    ("ola estou doente e nao tenho seguro", "pt"),
    # Under half the probability, but three times the next language: a clear lead.
    ("hi, I need a doctor", "en"),
])
def test_a_clear_message_in_one_of_our_languages_is_recognised(text, language):
    assert detect(text) == Detection(language=language)


@pytest.mark.parametrize("text", ["ok merci", "hello", "1", "Mohamed", "/affirm", "", "ok ok ok",
                                  "hello I am sick"])  # English at 0.23, German 0.13: no clear lead
def test_short_texts_and_payloads_say_nothing(text):
    assert detect(text) == Detection()


@pytest.mark.parametrize("text, code", [
    ("Merhaba, hastayım ve sigortam yok", "tr"),
    ("Здравствуйте, я болен и у меня нет страховки", "ru"),
    ("வணக்கம், எனக்கு உடம்பு சரியில்லை", "ta"),
])
def test_a_language_we_do_not_speak_is_named_not_forced_into_ours(text, code):
    assert detect(text) == Detection(unsupported=code)


@pytest.mark.parametrize("text", ["nemitunam nafas bekesham", "shoharam kotakam mizane", "mikham khodamo bekosham"])
def test_latin_script_persian_is_never_taken_for_a_language_we_do_not_speak(text):
    assert detect(text).unsupported is None


def test_a_safety_message_is_understood_whatever_the_detection_says():
    assert understood("suicidal_thoughts", 0.2) and understood("emergency", 0.1)
    assert understood("greet", 0.9) and not understood("greet", 0.4)
    assert not understood("nlu_fallback", 0.9)


def test_annotate_diverts_only_what_is_still_unsupported():
    assert annotate("Merhaba hastayım", None, Detection(unsupported="tr")) == (
        "/unsupported_language", {"unsupported_language": "tr"})
    assert annotate("bonjour je suis malade", {"src": "mdm"}, Detection(language="fr")) == (
        "bonjour je suis malade", {"src": "mdm", "detected_language": "fr"})


def test_every_language_we_speak_is_detected_as_ours():
    from bot.i18n import SUPPORTED_LANGUAGES
    from bot.language_detection import OURS

    assert set(OURS) == set(SUPPORTED_LANGUAGES)


@pytest.mark.parametrize("text, language", [("buna ziua", "ro"), ("Bună ziua!", "ro"), ("مرحبا", "ar"),
                                            ("hola", "es"), ("bom dia", "pt"), ("নমস্কার", "bn"), ("درود", "fa"),
                                            ("hola buenos dias", "es"), ("مرحبا السلام عليكم", "ar")])
def test_a_greeting_alone_says_its_language_when_only_one_of_ours_has_it(text, language):
    """Too short for the model, yet "bună ziua" at the language menu is a Romanian speaker."""
    assert detect(text) == Detection(language=language)


@pytest.mark.parametrize("text", ["salam", "سلام", "hello", "ok", "merci", "salam bonjour"])
def test_a_greeting_several_of_our_languages_share_says_nothing(text):
    assert detect(text) == Detection()
