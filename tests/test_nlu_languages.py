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


@pytest.fixture(scope="module")
def report():
    return nlu_report.evaluate(training.ensure_model())


@pytest.mark.parametrize("language", SUPPORTED_LANGUAGES)
def test_intents_are_understood_in_every_language(report, language):
    figures = report[language]
    assert figures["macro_f1"] >= nlu_report.MIN_MACRO_F1, figures
