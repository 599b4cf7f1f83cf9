"""End to end: train the model, start the real Rasa server and action server with the real
launcher, and talk to them over the REST channel as a person would."""
import os
import subprocess
import sys

import pytest
import requests
from bot import training
from bot.rendering import render
from bot.settings import ROOT
from tests import e2e
from tests.test_webchat_http import Chat

pytestmark = pytest.mark.e2e


def test_bonjour_gets_the_consent_notice_and_the_language_choice_in_french(bot):
    messages = bot.say("fr-hello", "bonjour")
    texts = " ".join(m["text"] for m in messages)
    assert "Bonjour" in texts and "12 mois" in texts and "SUPPRIMER" in texts
    assert [b["title"] for b in messages[-1]["buttons"]][:2] == ["Français", "English"]
    assert len(messages[-1]["buttons"]) == 8  # each language in its own name


def test_full_screening_in_french_answering_with_numbers(bot):
    sender = "fr-numbers"
    bot.say(sender, "bonjour")
    assert bot.texts(sender, "1")[-1].startswith("Acceptez-vous")  # 1 = Français
    assert "problème de santé" in bot.texts(sender, "1")[-1]  # 1 = Oui, I agree
    assert "couverture" in bot.texts(sender, "1")[-1]  # 1 = Oui, a health problem
    assert "payer le médecin" in bot.texts(sender, "2")[-1]  # 2 = Carte Vitale seule
    assert "Saint-Denis" in bot.texts(sender, "2")[-1]  # 2 = Non, cannot pay
    outcome = bot.texts(sender, "1")  # 1 = Oui, lives in Saint-Denis
    assert outcome[0].startswith("Bonne nouvelle")
    slots = bot.slots(sender)
    assert (slots["language"], slots["health_problem"], slots["current_cover"], slots["can_advance_fees"],
            slots["saint_denis_link"], slots["pass_eligible"]) == ("fr", True, "puma_only", False, True, True)
    person, screenings, _ = bot.stored(sender)
    assert person.consent_at is not None and person.language == "fr"
    assert [(s.current_cover, s.pass_eligible) for s in screenings] == [("puma_only", True)]


def test_full_screening_in_english_in_words_with_the_reason_and_where_to_go(bot):
    sender = "en-words"
    bot.say(sender, "hello")
    assert bot.texts(sender, "English")[-1].startswith("Do you agree")
    bot.say(sender, "yes")
    bot.say(sender, "i am sick")
    bot.say(sender, "i have no insurance")
    bot.say(sender, "no i can't")
    outcome = bot.texts(sender, "no i don't live there")
    assert outcome[0] == "This service is probably not the right one for you."
    assert "hospital nearest to you" in outcome[1]
    slots = bot.slots(sender)
    assert slots["current_cover"] == "none" and slots["pass_eligible"] is False
    assert slots["pass_reasons"] == ["NO_SAINT_DENIS_LINK"]


@pytest.mark.parametrize("text, language", [("je parle en francais", "fr"), ("in english please", "en")])
def test_a_language_named_in_words_is_the_one_chosen(bot, text, language):
    sender = f"named-{language}"
    bot.say(sender, "salut")
    bot.say(sender, text)
    assert bot.slots(sender)["language"] == language


def test_chest_pain_mid_form_gets_15_and_112_first_and_the_answer_it_holds_is_kept(bot):
    sender = "fr-emergency"
    bot.say(sender, "bonjour")
    bot.say(sender, "francais")
    bot.say(sender, "oui")
    texts = bot.texts(sender, "j'ai très mal à la poitrine et je respire mal")
    assert "15" in texts[0] and "112" in texts[0] and "114" in texts[0]
    assert "couverture santé" in texts[-1]  # a health problem, said: the next question, not the same one
    assert bot.slots(sender)["health_problem"] is True
    bot.say(sender, "1")
    bot.say(sender, "non")
    bot.say(sender, "oui")
    assert bot.slots(sender)["pass_eligible"] is True


def test_chest_pain_as_a_first_message_gets_15_and_112(bot):
    texts = bot.texts("fr-first-emergency", "j'ai très mal à la poitrine et je respire mal")
    assert "15" in texts[0] and "112" in texts[0]


@pytest.mark.parametrize("text, numbers", [
    ("je veux mourir", ["3114"]),
    ("mon mari me frappe", ["17", "3919"]),
    ("i want to kill myself", ["3114"]),
])
def test_suicidal_thoughts_and_violence_get_their_numbers_mid_form(bot, text, numbers):
    sender = f"safety-{text}"
    bot.say(sender, "bonjour")
    bot.say(sender, "1")
    texts = bot.texts(sender, text)
    assert all(number in texts[0] for number in numbers)
    assert texts[-1].startswith("Acceptez-vous")  # the pending question comes back
    assert bot.stored(sender)[2] == ["human"]  # and a social worker sees it in the console


def test_refusing_consent_keeps_no_answer(bot):
    sender = "fr-no-consent"
    bot.say(sender, "bonjour")
    bot.say(sender, "1")
    texts = bot.texts(sender, "non")
    assert texts[-1].startswith("D'accord : rien de ce que vous avez écrit n'est gardé.")
    person, screenings, _ = bot.stored(sender)
    assert screenings == [] and (person is None or person.consent_at is None)


def test_sms_rendering_numbers_the_choices(bot):
    messages = bot.say("preview-sms", "bonjour", render="sms")
    assert "\n1 Francais\n2 English\n3 العربية\n4 Romana" in messages[-1]["text"]
    assert "PASS" not in " ".join(m["text"] for m in messages)


def test_a_person_who_comes_back_keeps_their_language(bot):
    sender = "en-returning"
    bot.say(sender, "hello")
    bot.say(sender, "2")
    bot.say(sender, "/session_start")  # a new session, as after 12 hours of silence
    assert bot.texts(sender, "hi")[0].startswith("Hello!")


def test_asking_for_a_human_is_recorded_and_the_bot_goes_on_until_a_social_worker_claims_it(bot):
    sender = "fr-human"
    bot.say(sender, "bonjour")
    texts = bot.texts(sender, "je veux parler à quelqu'un")
    assert texts == ["Une assistante sociale va vous répondre ici dès que possible (du lundi au vendredi, "
                     "de 9h à 17h). En attendant, je continue à vous aider. Urgence : appelez le 15."]
    assert bot.stored(sender)[2] == ["human"]
    assert bot.texts(sender, "vous êtes là ?")  # never silent before the claim (tests/test_handoff.py after it)
    bot.texts(sender, "je veux parler à quelqu'un")
    assert bot.stored(sender)[2] == ["human"]  # one request, not two


def test_out_of_scope_is_answered_kindly_with_a_way_to_a_human(bot):
    assert "HUMAIN" in bot.texts("fr-oos", "je cherche un logement")[0]


def test_gibberish_as_a_first_message_starts_the_conversation_and_never_loops(bot):
    sender = "fr-gibberish"
    first = bot.say(sender, "zzkq wxv plouf")
    assert any(m["text"].startswith("Bonjour") for m in first)
    assert [b["title"] for b in first[-1]["buttons"]][:2] == ["Français", "English"]  # the language menu
    turns = [bot.texts(sender, text) for text in ("qqqq", "mmmm plop", "xkcd", "blorp", "zut zut")]
    assert all(a != b for a, b in zip(turns, turns[1:])), turns  # never the same turn twice in a row
    assert any("HUMAIN" in text for turn in turns for text in turn)
    assert bot.stored(sender)[2] == ["human"]  # then a social worker is asked to take over


def test_the_tracker_api_needs_the_token(bot):
    assert requests.get(f"{bot.url}/conversations/fr-hello/tracker", timeout=10).status_code == 401


@pytest.mark.parametrize("body", ["not json", "[]", '{"message": "hi"}', '{"sender": "x", "message": 3}'])
def test_malformed_requests_get_a_400_not_a_crash(bot, body):
    reply = requests.post(f"{bot.url}/webhooks/rest/webhook", data=body, timeout=10)
    assert reply.status_code == 400 and "error" in reply.json()


def test_test_stories_pass(tmp_path):
    result = subprocess.run(
        [sys.executable, "-m", "rasa", "test", "core", "--model", str(training.ensure_model()),
         "--stories", "tests/stories", "--fail-on-prediction-errors", "--out", str(tmp_path)],
        cwd=ROOT, capture_output=True, text=True, env={**os.environ, "RASA_TELEMETRY_ENABLED": "false"},
    )
    assert result.returncode == 0, result.stdout[-4000:] + result.stderr[-4000:]


def test_what_people_write_never_reaches_the_logs(bot):
    sender = "private-log"
    bot.say(sender, "bonjour")
    bot.say(sender, "j'ai une douleur au ventre, appelez moi au 0612345678")
    bot.say(sender, "1")
    # The same through the SMS gateway and the web chat, with a full screening's answers.
    number = "+33698765432"
    for text in ["bonjour", "1", "oui", "j'ai une toux qui ne passe pas", "1", "non", "oui"]:
        bot.sms(number, text)
    chat = Chat(bot)
    chat.say(start=True)
    chat.say(text="je m'appelle Zorglub Tartempion")
    log = bot.log.read_text()
    assert "0612345678" not in log and "douleur au ventre" not in log and sender not in log
    assert "698765432" not in log and "toux qui ne passe" not in log and bot.sms_sender(number) not in log
    assert "Zorglub" not in log and chat.sender not in log and chat.cookie.split(".")[0] not in log
    assert "SlotSet(" not in log and "slot_was_set" not in log  # no slot value either


def test_ctrl_c_stops_every_process(tmp_path):
    assistant = e2e.start(tmp_path)
    assert e2e.port_open(assistant.rasa_port) and e2e.port_open(assistant.action_port)
    assert e2e.stop(assistant) == 0
    assert not e2e.port_open(assistant.rasa_port) and not e2e.port_open(assistant.action_port)


def test_gibberish_is_not_taken_as_consent(bot):
    sender = "fr-consent-gibberish"
    bot.say(sender, "bonjour")
    bot.say(sender, "1")  # Français
    asked = bot.texts(sender, "パーティーへ行かないか")
    assert bot.stored(sender)[0] is None or bot.stored(sender)[0].consent_at is None
    assert any("Acceptez-vous" in text for text in asked)  # the consent question again
    bot.say(sender, "oui")
    assert bot.stored(sender)[0].consent_at is not None


@pytest.mark.parametrize("sender, first, menu", [
    ("first-docs-fr", "DOCS", "francais"),
    ("first-paper-fr", "j'ai maintenant mon acte de naissance", "francais"),
    ("first-paper-en", "I have my birth certificate now", "english"),
])
def test_docs_or_a_paper_as_a_first_message_gets_the_welcome_and_what_is_kept_first(bot, sender, first, menu):
    """"DOCS" as a first message asked for consent "for this" with no notice said before."""
    texts = bot.texts(sender, first)
    language = bot.slots(sender)["language"]
    assert texts[0] == render("utter_greet", language).text
    assert render("utter_consent_notice", language).text in texts
    assert texts[-1] == render("utter_ask_language", language).text
    assert not any(text.startswith(render("utter_not_understood_free", language).text[:12]) for text in texts)
    assert bot.texts(sender, menu)[-1] == render("utter_ask_consent_given", menu[:2]).text


@pytest.mark.parametrize("sender, choice, language", [
    ("notice-es-words", "español", "es"), ("notice-es-number", "7", "es"), ("notice-ro-words", "romana", "ro"),
])
def test_the_notice_comes_again_in_the_language_chosen_before_consent_is_asked(bot, sender, choice, language):
    """The welcome of a first message is in French until the language is known; the consent
    question asks "for this", so what "this" is must have been said in the person's language."""
    bot.say(sender, "bonjour")
    texts = bot.texts(sender, choice)
    notice = render("utter_consent_notice", language, "rest").as_rasa()["text"]
    assert texts[-2:] == [notice, render("utter_ask_consent_given", language, "rest").as_rasa()["text"]]
    assert notice not in bot.texts(sender, "???")  # asked again, the notice is not said twice


def test_the_notice_is_not_said_twice_in_the_same_language(bot):
    bot.say("notice-fr", "bonjour")
    texts = bot.texts("notice-fr", "français")
    assert texts == [render("utter_ask_consent_given", "fr", "rest").as_rasa()["text"]]


@pytest.mark.parametrize("sender, language, choice, reply", [
    ("model-alone-es", "es", "español", "el jueves a las 9 y media por favor"),
    ("model-alone-pt", "pt", "português", "trabalho como faxineira, ganho uns 600 por mês"),
])
def test_a_reply_only_the_model_reads_as_an_emergency_gets_the_question_again_not_the_numbers(
        bot, sender, language, choice, reply):
    parsed = requests.post(f"{bot.url}/model/parse", params={"token": bot.token}, json={"text": reply}, timeout=30).json()
    assert parsed["intent"]["name"] == "emergency" and parsed["intent"]["confidence"] < 0.9  # what this exercises
    bot.say(sender, "bonjour")
    bot.say(sender, choice)
    texts = bot.texts(sender, reply)
    assert render("utter_emergency", language, "rest").as_rasa()["text"] not in texts
    assert texts[-1] == render("utter_ask_consent_given", language, "rest").as_rasa()["text"]
    assert bot.slots(sender)["consent_given"] is None
