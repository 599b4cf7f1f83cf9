"""What each SMS text costs, in segments, per language (`make sms-report`)."""
from __future__ import annotations

from datetime import date

from bot.i18n import SUPPORTED_LANGUAGES
from bot.rendering import SMS, render
from bot.responses import RESPONSES
from bot.sms import is_gsm7, segments

# Typical values for the responses that take parameters.
SAMPLE_PARAMS = {
    "name": "CPAM de la Seine-Saint-Denis", "sms_name": "CPAM de la Seine-Saint-Denis",
    "details": "1 rue de la Poste, 9h-16h", "amount": 14, "reference": "K7M2QX",
    "when": "2026-12-07T09:00:00+01:00", "old_when": "2026-12-04T14:00:00+01:00", "site": "CMS Moulins", "sms_site": "CMS Moulins",
    "slots": [{"payload": "/choose_slot{\"slot_id\": \"1\"}", "start": "2026-12-07T09:00:00+01:00"},
              {"payload": "/choose_slot{\"slot_id\": \"2\"}", "start": "2026-12-08T14:30:00+01:00"}],
    "until": date(2027, 6, 1), "months": 8, "years": 5, "count": 3, "age": 16,
    "items": ["utter_doc_id_with_photo", "utter_doc_proof_of_residence_3_months", "utter_doc_resources_12_months"],
}


def costs(languages=SUPPORTED_LANGUAGES) -> list[tuple[int, str, str, bool]]:
    """(segments, language, response, GSM-7?) for every response as an SMS, costliest first."""
    rows = []
    for language in languages:
        for name in RESPONSES:
            text = render(name, language, SMS, SAMPLE_PARAMS).text
            rows.append((segments(text), language, name, is_gsm7(text)))
    return sorted(rows, key=lambda row: (-row[0], row[1], row[2]))


def main(top: int = 25) -> int:
    rows = costs()
    print("| segments | language | response | encoding |\n|---|---|---|---|")
    for count, language, name, gsm in rows[:top]:
        print(f"| {count} | {language} | {name} | {'GSM-7' if gsm else 'UCS-2'} |")
    print("\nsegments for all texts, per language:")
    for language in SUPPORTED_LANGUAGES:
        print(f"  {language}: {sum(r[0] for r in rows if r[1] == language)}")
    return 0
