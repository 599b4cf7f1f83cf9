"""Every text goes through the catalogs, renders in every language on every channel kind,
and fits what an SMS should be (GSM-7 for Latin scripts, nothing indiscreet)."""
import re

import pytest
import yaml
from babel.messages.pofile import read_po

from bot.i18n import LOCALES_DIR, SOURCE_LANGUAGE, SUPPORTED_LANGUAGES
from bot.rendering import SMS, WEB, channel_kind, placeholders, render
from bot.responses import RESPONSES
from bot.settings import ROOT
from bot.sms import is_gsm7
from bot.sms_report import SAMPLE_PARAMS, costs

TRANSLATED = [lang for lang in SUPPORTED_LANGUAGES if lang != SOURCE_LANGUAGE]
LATIN_SCRIPT = {"fr", "en", "ro", "es", "pt"}
# Words that must never appear in an SMS: someone else may read the phone.
INDISCREET = re.compile(r"\b(PASS|AME)\b")
# Texts that must show other scripts (language names, the Arabic of the "we don't speak your
# language" answer): UCS-2 whatever the language of the conversation.
MULTISCRIPT = {"utter_ask_language", "utter_unsupported_language"}


def source_msgids():
    ids = set()
    for response in RESPONSES.values():
        ids.update(filter(None, [response.text, response.sms]))
        for choice in response.choices:
            if choice.translate:
                ids.update(filter(None, [choice.label, choice.sms_label]))
    return ids


def catalog(language):
    with open(LOCALES_DIR / language / "LC_MESSAGES" / "messages.po", "rb") as handle:
        return read_po(handle)


@pytest.mark.parametrize("language", TRANSLATED)
def test_catalog_is_complete_and_checked(language):
    messages = {m.id: m for m in catalog(language) if m.id}
    assert source_msgids() <= set(messages), "run `make catalogs-update` and translate"
    for msgid, message in messages.items():
        assert message.string, f"{language}: untranslated {msgid!r}"
        assert not message.fuzzy, f"{language}: fuzzy {msgid!r}"
        assert placeholders(message.string) == placeholders(msgid), f"{language}: placeholders of {msgid!r}"


def test_domain_lists_exactly_the_responses_and_holds_no_prose():
    domain = yaml.safe_load((ROOT / "domain.yml").read_text())
    assert set(domain["responses"]) == set(RESPONSES)
    for name, variations in domain["responses"].items():
        assert variations == [{"custom": {"catalog": name}}], name


@pytest.mark.parametrize("language", SUPPORTED_LANGUAGES)
@pytest.mark.parametrize("kind", [WEB, SMS])
def test_every_response_renders(language, kind):
    for name in RESPONSES:
        rendered = render(name, language, kind, SAMPLE_PARAMS)
        assert rendered.text.strip(), name


def test_french_is_really_french():
    assert render("utter_ask_consent_given", "fr").text.startswith("Acceptez-vous")
    assert [b["title"] for b in render("utter_ask_consent_given", "fr").buttons] == ["Oui", "Non"]
    assert render("utter_ask_consent_given", "en").text.startswith("Do you agree")


def test_web_gets_buttons_and_sms_gets_numbered_lines_with_the_same_payloads():
    web = render("utter_ask_current_cover", "fr", WEB)
    sms = render("utter_ask_current_cover", "fr", SMS)
    assert "1 " not in web.text and len(web.buttons) == 6
    lines = sms.text.splitlines()
    assert lines[1] == "1 Aucune" and lines[6] == "6 Je ne sais pas"  # short SMS labels, same choices
    assert [b["payload"] for b in sms.buttons] == [b["payload"] for b in web.buttons]


@pytest.mark.parametrize("language", [lang for lang in SUPPORTED_LANGUAGES if lang in LATIN_SCRIPT])
def test_sms_texts_in_latin_scripts_are_gsm7(language):
    for name in set(RESPONSES) - MULTISCRIPT:
        text = render(name, language, SMS, SAMPLE_PARAMS).text
        assert is_gsm7(text), f"{language} {name}: {text!r} would be sent as UCS-2"


@pytest.mark.parametrize("language", SUPPORTED_LANGUAGES)
def test_sms_texts_never_name_pass_or_ame(language):
    for name in RESPONSES:
        text = render(name, language, SMS, SAMPLE_PARAMS).text
        assert not INDISCREET.search(text), f"{language} {name}: {text!r}"


def test_safety_numbers_are_in_every_language():
    for language in SUPPORTED_LANGUAGES:
        for kind in (WEB, SMS):
            assert {"15", "112", "114"} <= set(re.findall(r"\d+", render("utter_emergency", language, kind).text))
            assert "3114" in render("utter_suicidal_thoughts", language, kind).text
            assert {"3919", "17"} <= set(re.findall(r"\d+", render("utter_violence", language, kind).text))


def test_channel_kinds():
    assert channel_kind("twilio") == SMS
    assert channel_kind("collector") == WEB
    assert channel_kind("socketio") == WEB
    assert channel_kind("collector", {"render": "sms"}) == SMS


def test_numbers_are_written_the_local_way():
    assert render("utter_css_contribution", "fr", WEB, {"amount": 8.5}).text == "Votre participation CSS : 8,5 euros par mois."
    assert render("utter_css_contribution", "en", WEB, {"amount": 8.5}).text == "Your CSS payment: 8.5 euros per month."


def test_item_lists_render_one_translated_line_each():
    text = render("utter_documents", "fr", SMS, {"items": ["utter_doc_birth_certificate", "utter_doc_id_with_photo"]}).text
    assert text.splitlines() == [
        "Papiers à apporter :",
        "- votre acte de naissance",
        "- pièce d'identité avec photo",  # the SMS label; the web keeps the examples
    ]
    assert "(passeport, carte d'identité, ancien titre de séjour)" in render("utter_doc_id_with_photo", "fr", WEB).text


def test_no_sms_text_costs_more_than_a_few_segments():
    # The report behind `make sms-report`; a text over this budget should be split or cut.
    worst = costs()[0]
    assert worst[0] <= 6, worst
    latin = [row for row in costs() if row[1] in LATIN_SCRIPT and row[2] not in MULTISCRIPT]
    assert latin[0][0] <= 3, latin[0]


def test_dates_are_said_the_person_s_way_in_paris_time():
    from datetime import datetime, timezone

    from bot.rendering import _format

    when = datetime(2026, 12, 1, 13, 30, tzinfo=timezone.utc)  # 14:30 in Paris (winter)
    assert _format(when, "fr", WEB) == "mardi 1 décembre 14:30"
    assert _format(when, "en", WEB) == "Tuesday 1 December 14:30"
    assert _format(when, "ro", SMS) == "marti 1 decembrie 14:30"
    assert is_gsm7(_format(when, "pt", SMS))


# What a phone receives on the screening path, turn by turn (bench/sms_path.py measures it live
# over the REST channel): each question in one GSM-7 segment, the greeting with the consent notice
# in two, the outcome with the next question in two, the checklist with the booking offer in three.
PATH_TURNS = [
    (2, ["utter_greet", "utter_consent_notice"]),
    (1, ["utter_ask_consent_given"]), (1, ["utter_ask_health_problem"]), (1, ["utter_ask_current_cover"]),
    (1, ["utter_ask_can_advance_fees"]), (1, ["utter_ask_saint_denis_link"]),
    (2, ["utter_pass_eligible", "utter_pass_next_steps", "utter_ask_urgent"]),
    (1, ["utter_ask_nationality_group"]), (1, ["utter_ask_residence_status"]), (1, ["utter_ask_age"]),
    (1, ["utter_ask_months_in_france"]), (1, ["utter_ask_prior_ame_end"]), (1, ["utter_ask_household_size"]),
    (1, ["utter_ask_annual_resources"]), (1, ["utter_ask_has_stable_address"]),
    (1, ["utter_ask_hosted_by_third_party"]), (1, ["utter_ask_has_photo_id"]),
    (3, ["utter_right_ame_first_in_person", "utter_right_pass_consultation", "utter_documents", "utter_offer_slots"]),
    (1, ["utter_booked"]),
]
# The longest names and dates a turn can carry: three long weekdays and months, a long site name.
LONG_PARAMS = {
    **SAMPLE_PARAMS,
    "items": ["utter_doc_id_with_photo", "utter_doc_proof_of_residence_3_months", "utter_doc_resources_12_months"],
    "slots": [{"payload": f"/choose_slot{{\"slot_id\": \"{n}\"}}", "start": f"2026-09-{day}T10:30:00+02:00"}
              for n, day in ((1, 30), (2, 23), (3, 25))],  # mercredi, vendredi in septembre: long names
    "when": "2026-09-30T10:30:00+02:00",
}


@pytest.mark.parametrize("language", sorted(LATIN_SCRIPT))
def test_the_screening_path_costs_few_segments_on_a_phone(language):
    from bot.sms import join_turn, segments

    for budget, names in PATH_TURNS:
        messages = join_turn([render(name, language, SMS, LONG_PARAMS).text for name in names])
        cost = sum(segments(message) for message in messages)
        assert cost <= budget, f"{language} {names}: {cost} segments, budget {budget}: {messages}"
