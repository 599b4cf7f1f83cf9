"""End to end in every language: the menu, a full screening, detection, switching, and a
language we do not speak."""
import uuid

import pytest
import requests

from bot.i18n import SUPPORTED_LANGUAGES
from bot.rendering import render

pytestmark = pytest.mark.e2e


@pytest.mark.parametrize("number, language", list(enumerate(SUPPORTED_LANGUAGES, 1)))
def test_a_full_screening_in_each_language(bot, number, language):
    sender = f"lang-{language}"
    menu = bot.say(sender, "bonjour")[-1]
    assert len(menu["buttons"]) == len(SUPPORTED_LANGUAGES)
    assert bot.texts(sender, str(number))[-1] == render("utter_ask_consent_given", language).text
    assert bot.texts(sender, "1")[-1] == render("utter_ask_health_problem", language).text
    assert bot.texts(sender, "1")[-1] == render("utter_ask_current_cover", language).text
    assert bot.texts(sender, "1")[-1] == render("utter_ask_can_advance_fees", language).text
    assert bot.texts(sender, "2")[-1] == render("utter_ask_saint_denis_link", language).text
    outcome = bot.texts(sender, "1")
    assert outcome[0] == render("utter_pass_eligible", language).text
    slots = bot.slots(sender)
    assert (slots["language"], slots["pass_eligible"]) == (language, True)


# The same screening answered in words, as people text (the twin of the test above): the
# language named, a yes with details, the cover in words (French words mixed in), a no with a
# reason, the city named.
IN_WORDS = {
    "fr": ["francais", "oui d'accord", "oui j'ai tres mal au dos", "j'ai rien du tout pas de carte vitale",
           "non c'est trop cher pour moi", "oui j'habite a saint denis"],
    "en": ["english", "yes ok", "yes my back hurts a lot", "nothing at all, no carte vitale", "no I can't",
           "yes I live in st denis"],
    "ar": ["العربية", "نعم موافق", "نعم عندي مرض السكري", "ما عنديش حتى تغطية", "لا ما نقدرش", "نعم ساكن في سان دوني"],
    "ro": ["romana", "da, sunt de acord", "da, ma doare spatele", "nu am nimic", "nu pot, e prea scump",
           "da, stau in saint denis"],
    "bn": ["বাংলা", "হ্যাঁ রাজি", "হ্যাঁ আমার জ্বর", "কিছু নাই", "না পারব না", "হ্যাঁ saint denis এ থাকি"],
    "fa": ["فارسی", "بله موافقم", "بله فشار خون دارم", "هیچ بیمه ندارم", "نه نمیتوانم", "بله در saint denis زندگی میکنم"],
    "es": ["espanol", "si, de acuerdo", "si me duele mucho la espalda", "no tengo nada", "no puedo, es muy caro",
           "si vivo en saint denis"],
    "pt": ["portugues", "sim concordo", "sim tenho muitas dores", "nao tenho nada", "nao consigo, e caro",
           "sim moro em saint denis"],
}


@pytest.mark.parametrize("language", SUPPORTED_LANGUAGES)
def test_a_full_screening_in_each_language_answered_in_words(bot, language):
    sender = f"words-{language}"
    bot.say(sender, "bonjour")
    language_name, consent, health, cover, fees, link = IN_WORDS[language]
    assert bot.texts(sender, language_name)[-1] == render("utter_ask_consent_given", language).text
    assert bot.texts(sender, consent)[-1] == render("utter_ask_health_problem", language).text
    assert bot.texts(sender, health)[-1] == render("utter_ask_current_cover", language).text
    assert bot.texts(sender, cover)[-1] == render("utter_ask_can_advance_fees", language).text
    assert bot.texts(sender, fees)[-1] == render("utter_ask_saint_denis_link", language).text
    outcome = bot.texts(sender, link)
    assert outcome[0] == render("utter_pass_eligible", language).text
    slots = bot.slots(sender)
    assert (slots["health_problem"], slots["current_cover"], slots["can_advance_fees"], slots["saint_denis_link"]) == (
        True, "none", False, True)


def test_a_first_message_clearly_in_romanian_is_answered_in_romanian(bot):
    texts = bot.texts("detect-ro", "Buna ziua, sunt bolnav si nu am asigurare")
    assert render("utter_ask_consent_given", "ro").text in texts or render("utter_greet", "ro").text in texts
    assert bot.slots("detect-ro")["language"] == "ro"


@pytest.mark.parametrize("greeting, language", [("buna ziua", "ro"), ("مرحبا", "ar")])
def test_a_greeting_alone_is_answered_in_its_language_and_again_at_the_menu_chooses_it(bot, greeting, language):
    """"bună ziua" was answered in French, and again at the menu got the whole welcome again."""
    sender = f"greet-{language}-{uuid.uuid4().hex[:6]}"
    assert render("utter_greet", language).text in bot.texts(sender, greeting)
    assert bot.texts(sender, greeting) == [render("utter_ask_consent_given", language).text]
    assert bot.slots(sender)["language"] == language


def test_a_greeting_that_says_no_language_at_the_menu_gets_the_menu_not_the_welcome_again(bot):
    sender = f"greet-salam-{uuid.uuid4().hex[:6]}"
    first = bot.texts(sender, "salam")
    again = bot.texts(sender, "salam")
    assert again != first and again[-1] == first[-1] == render("utter_ask_language", "fr").text
    assert render("utter_greet", "fr").text not in again


def test_a_short_first_message_is_not_forced_into_a_language(bot):
    bot.say("detect-short", "ok merci")
    assert bot.slots("detect-short")["language"] == "fr"


def test_a_language_we_do_not_speak_gets_french_english_arabic_and_an_interpreter(bot):
    messages = bot.say("detect-tr", "Merhaba, hastayım ve sigortam yok")
    answer = messages[0]["text"]
    assert answer == render("utter_unsupported_language", "fr").text
    assert "HUMAIN" in answer and "HUMAN" in answer and len(answer.splitlines()) == 3
    assert len(messages[-1]["buttons"]) == len(SUPPORTED_LANGUAGES)  # the language menu
    assert "interpreter" in bot.stored("detect-tr")[2]


def test_salam_ma3andich_l_assurance_is_understood(bot):
    parse = requests.post(f"{bot.url}/model/parse", params={"token": bot.token},
                          json={"text": "salam, ma3andich l'assurance"}, timeout=10).json()
    assert parse["intent"]["name"] == "inform_cover"
    assert {(e["entity"], e["value"]) for e in parse["entities"]} >= {("current_cover", "none")}


@pytest.mark.parametrize("keyword", ["LANGUE", "LANGUAGE", "LIMBA", "اللغة"])
def test_the_language_keyword_brings_the_menu_back_at_any_time(bot, keyword):
    sender = f"keyword-{keyword}"
    bot.say(sender, "bonjour")
    bot.say(sender, "1")
    texts = bot.texts(sender, keyword)
    assert texts[-1].startswith(render("utter_ask_language", "fr").text)


@pytest.mark.parametrize("text", ["daktar dekhte chai ami", "nemitunam nafas bekesham", "فکر خودکشی دارم"])
def test_latin_script_or_close_languages_are_not_sent_away(bot, text):
    # Banglish can look Turkish, Persian can look Urdu: the model's reading wins.
    texts = bot.texts(f"not-away-{text}", text)
    assert texts[0] != render("utter_unsupported_language", "fr").text


@pytest.mark.parametrize("first, menu, consent, health, language", [
    ("salam 3andi l'AME w kamlet w ana mridh bel sokkor", "arabi", "ey behi", "ey", "ar"),  # Tunisian
    ("bonjour j'avais l'AME mais elle est finie", "francais", "oui d'accord", "oui", "fr"),
    ("buna am avut AME dar s-a terminat", "romana", "da", "da", "ro"),
])
def test_a_first_message_is_read_in_the_language_the_person_then_chooses(bot, first, menu, consent, health, language):
    """Read in French before the menu, "3andi l'AME w kamlet" (I had AME, it ended) was an
    active AME, and the person was told the service was not for them."""
    sender = f"first-{language}-{uuid.uuid4().hex[:6]}"
    bot.say(sender, first)
    bot.say(sender, menu)
    assert bot.texts(sender, consent)[-1] == render("utter_ask_health_problem", language).text
    assert bot.slots(sender)["current_cover"] == "closed"
    # the cover question is not asked: it was answered in the first message
    assert bot.texts(sender, health)[-1] == render("utter_ask_can_advance_fees", language).text
