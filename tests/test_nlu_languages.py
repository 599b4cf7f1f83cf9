"""Understanding in every language, measured on held-out examples (tests/nlu/<lang>.yml)."""
import pytest
import yaml

from bot import nlu_report, training
from bot.i18n import SUPPORTED_LANGUAGES

CONTRACT_INTENTS = {
    "greet", "affirm", "deny", "request_human", "emergency", "suicidal_thoughts", "violence", "ask_documents",
    "book_appointment", "cancel_appointment", "reschedule_appointment", "opt_out", "delete_my_data",
    "change_language", "out_of_scope",
}


@pytest.mark.parametrize("language", SUPPORTED_LANGUAGES)
def test_every_contract_intent_has_held_out_examples(language):
    data = yaml.safe_load((nlu_report.TEST_DIR / f"{language}.yml").read_text())
    intents = {block["intent"] for block in data["nlu"] if "intent" in block}
    assert CONTRACT_INTENTS <= intents, sorted(CONTRACT_INTENTS - intents)


def test_every_training_example_has_a_language():
    # `make nlu-report` gives figures per language: an example of a shared file without
    # `metadata: {language: xx}` stopped the whole report (back.yml, irreversible.yml did).
    data, languages = nlu_report.training_examples()
    assert len(languages) == len(data.intent_examples)
    assert set(languages) <= set(SUPPORTED_LANGUAGES) | {nlu_report.OTHER}


@pytest.fixture(scope="module")
def report():
    return nlu_report.evaluate(training.ensure_model())


@pytest.mark.parametrize("language", SUPPORTED_LANGUAGES)
def test_intents_are_understood_in_every_language(report, language):
    figures = report[language]
    assert figures["macro_f1"] >= nlu_report.MIN_MACRO_F1, figures


# Not in the training data (bot/data/nlu/basics.yml has other gibberish): a model that learnt
# "short unknown string = yes" would fail here.
GIBBERISH = ["asdf", "🙂", "qwerty123", "zzzz", "....", "sdfghjk", "😂😂😂", "azertyuiop", "xxxxxxx", "lkjlkj",
             "1a2b3c", "?!?!", "hgfd jklm", "🙂🙂"]
# Health or money told in passing (issue 14): a health problem or a no, never the emergency numbers.
NOT_SAFETY = ["yes my back hurts a lot", "j'ai de la fièvre", "bonjour je n'arrive pas à avancer les frais chez le dentiste",
              "non c'est trop cher pour moi", "my knee hurts since yesterday", "j'ai mal aux dents depuis une semaine"]
SAFETY = ["mon bébé a 40 de fièvre", "je n'en peux plus", "j'ai mal à la poitrine je respire mal"]


@pytest.fixture(scope="module")
def read():
    import asyncio

    model = training.ensure_model()
    return lambda texts: dict(zip(texts, asyncio.run(nlu_report._predict(model, texts))))


def test_gibberish_is_never_a_yes_a_no_or_a_request(read):
    wrong = {text: intent for text, intent in read(GIBBERISH).items() if intent not in {"out_of_scope", "nlu_fallback"}}
    assert not wrong, wrong


def test_ordinary_health_and_money_sentences_are_not_safety_intents(read):
    alarms = {text: intent for text, intent in read(NOT_SAFETY).items() if intent in nlu_report.SAFETY_INTENTS}
    assert not alarms, alarms


def test_real_emergencies_stay_safety_intents(read):
    missed = {text: intent for text, intent in read(SAFETY).items() if intent not in nlu_report.SAFETY_INTENTS}
    assert not missed, missed
