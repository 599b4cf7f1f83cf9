from bot import checklist
from bot.rendering import render
from bot.checklist import Message


def outcome(rights, documents=(), contribution=None):
    return {"rights": list(rights), "documents": list(documents), "css_monthly_contribution": contribution}


def test_a_first_ame_request_lists_the_right_then_the_papers():
    messages = checklist.checklist(outcome(
        ["AME_FIRST_IN_PERSON", "PASS_CONSULTATION"], ["ID_WITH_PHOTO", "PROOF_OF_RESIDENCE_3_MONTHS"]))
    assert messages == [
        Message("utter_right_ame_first_in_person"),
        Message("utter_right_pass_consultation"),
        Message("utter_documents", {"items": ["utter_doc_id_with_photo", "utter_doc_proof_of_residence_3_months"]}),
    ]


def test_an_emergency_is_only_the_emergency():
    assert checklist.checklist(outcome(["EMERGENCY", "HANDOFF"])) == [Message("utter_emergency")]


def test_a_contribution_and_a_handoff_are_said():
    messages = checklist.checklist(outcome(["PUMA", "CSS_PARTICIPATION", "HANDOFF"], ["ID_DOCUMENT"], 14.0))
    assert Message("utter_css_contribution", {"amount": 14.0}) in messages
    assert messages[-1] == Message("utter_rights_handoff")


def test_unconfirmed_addresses_are_never_shown():
    # The shipped directory has no address the city has confirmed yet.
    assert not [m for m in checklist.checklist(outcome(["PUMA", "AME_FIRST_IN_PERSON"])) if m.response == "utter_place"]
    where = checklist.where_to_go(["AME_FIRST_IN_PERSON"])
    assert where[0] == Message("utter_where_intro")
    assert {m.response for m in where[1:]} == {"utter_place_to_confirm"}
    assert all("details" not in m.params for m in where)


def test_confirmed_addresses_are_shown(monkeypatch):
    from bot.rights.places import default_places

    confirmed = [p.__class__(**{**p.__dict__, "confirmed": True, "address": "1 place X"}) for p in default_places()]
    monkeypatch.setattr(checklist, "places_for_right", lambda right: [p for p in confirmed if "file_puma" in p.purposes])
    messages = checklist.checklist(outcome(["PUMA"]))
    assert messages[1].response == "utter_place" and messages[1].params["details"].startswith("1 place X")


def test_where_to_go_before_any_rights_names_care_and_help_with_papers():
    names = [m.params["name"] for m in checklist.where_to_go(None)[1:]]
    assert any("CMS Moulins" in name for name in names) and any("CMS Plaine" in name for name in names)


def test_what_was_understood_says_whole_years_as_years():
    """Said back so a misread answer can be corrected: "5 ans en France", not "60 mois"."""
    said = lambda months: checklist.what_you_said({"months_in_france": months}).params["items"]
    assert said(60) == [["utter_said_years_in_france", {"years": 5}]]
    assert said(8) == [["utter_said_months_in_france", {"months": 8}]]
    assert said(18) == [["utter_said_months_in_france", {"months": 18}]]  # a year and a half
    assert said(30) == [["utter_said_months_in_france", {"months": 30}]]


def test_papers_said_held_are_noted_then_what_is_still_missing():
    noted = checklist.documents_noted(["TAX_NOTICE"], ["RESOURCES_12_MONTHS"])
    assert [m.response for m in noted] == ["utter_documents_noted", "utter_documents_missing"]
    assert noted[0].params["items"] == ["utter_doc_tax_notice"]
    assert [m.response for m in checklist.documents_noted(["TAX_NOTICE"], [])] == ["utter_documents_noted",
                                                                                  "utter_documents_all_held"]
    # nothing recognised: what is missing, and how to name a paper; the example, a passport,
    # only when an identity paper is still missing (not one they said they have)
    assert [m.response for m in checklist.documents_noted([], ["TAX_NOTICE", "ID_WITH_PHOTO"])] == [
        "utter_documents_missing", "utter_document_name_hint"]
    plain = [m.response for m in checklist.documents_noted([], ["TAX_NOTICE"])]
    assert plain == ["utter_documents_missing", "utter_document_name_hint_plain"]
    assert "passport" not in render(plain[1], "en").text and "passeport" not in render(plain[1], "fr").text
