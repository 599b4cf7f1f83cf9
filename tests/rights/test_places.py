"""Where to go: places.yaml and its lookups."""
from __future__ import annotations

import pytest

from bot.rights import codes, places_for, places_for_right, procedure_for
from bot.rights.places import default_places
from bot.rights.rules import default_rules


def ids(places):
    return [place.id for place in places]


def test_first_ame_application_is_never_sent_to_a_postal_address():
    # CASF L252-1: the first application is filed in person.
    found = places_for_right("AME_FIRST_IN_PERSON")
    assert "cpam93_accueil_saint_denis" in ids(found)
    assert "hopital_delafontaine_pass" in ids(found)  # a PASS treating the person may receive it
    assert all(place.kind != "postal_address" for place in found)


def test_ame_renewal_can_go_by_post():
    assert "cpam93_courrier" in ids(places_for_right("AME_RENEWAL"))


def test_domiciliation_goes_to_the_ccas():
    assert ids(places_for("domiciliation")) == ["ccas_saint_denis"]
    assert "mdm_caso_saint_denis" in ids(places_for("domiciliation", include_to_confirm=True))


def test_cms_receiving_first_ame_applications_is_only_a_possibility_to_confirm():
    # décret 2021-1152 authorisation of the Saint-Denis CMS: NOT FOUND
    for cms in ("cms_moulins", "cms_plaine"):
        assert cms not in ids(places_for("file_ame_first"))
        assert cms in ids(places_for("file_ame_first", include_to_confirm=True))


def test_emergency_points_to_the_emergency_department():
    assert "hopital_delafontaine_urgences" in ids(places_for_right("EMERGENCY"))


@pytest.mark.parametrize(
    "place_id",
    [
        "cms_moulins",  # addresses NOT FOUND
        "cms_plaine",
        "hopital_delafontaine_pass",  # location/hours NOT FOUND
        "cpam93_accueil_saint_denis",  # street address NOT FOUND
        "cpam93_courrier",  # secondary source only
        "ccas_saint_denis",
        "pharmacie_legion_honneur",  # the seed's partners: no address until the city confirms
        "pharmacie_kayes",
        "laboratoire_centre_cardiologique_du_nord",
    ],
)
def test_places_the_reference_does_not_confirm_are_flagged(place_id):
    place = {place.id: place for place in default_places()}[place_id]
    assert place.confirmed is False


def test_every_place_purpose_needed_by_a_right_has_somewhere_to_go():
    for right, procedure in default_rules().procedures.items():
        for purpose in procedure.place_purposes:
            assert places_for(purpose), f"{right}: no place for {purpose}"


def test_unknown_codes_are_refused():
    with pytest.raises(ValueError, match="unknown purpose"):
        places_for("file_ame")
    with pytest.raises(ValueError, match="unknown right"):
        places_for_right("AME")


def test_every_purpose_code_is_served_by_some_place():
    served = {purpose for place in default_places() for purpose in place.purposes}
    assert served == set(codes.PLACE_PURPOSES)


def test_first_ame_application_is_in_person_and_renewal_by_post():
    first, renewal = procedure_for("AME_FIRST_IN_PERSON"), procedure_for("AME_RENEWAL")
    assert first.in_person_required and first.channels == ("in_person",)
    assert first.form == "cerfa_11573"
    assert not renewal.in_person_required and "post" in renewal.channels
    assert procedure_for("DOMICILIATION").form == "cerfa_15548"
    assert procedure_for("PUMA").form == "S1106"
    assert procedure_for("CSS_FREE").form == procedure_for("CSS_PARTICIPATION").form == "cerfa_12504"


def test_sms_names_are_cheap_and_discreet():
    import re

    from bot.rights.places import default_places
    from bot.sms import is_gsm7

    for place in default_places():
        assert is_gsm7(place.sms_name), place.id
        assert not re.search(r"\b(PASS|AME)\b", place.sms_name), place.id


def test_the_seeds_partners_are_there_by_name_with_no_address_until_confirmed():
    by_id = {place.id: place for place in default_places()}
    assert by_id["pharmacie_legion_honneur"].name == "Pharmacie de la Légion d'Honneur"
    assert by_id["pharmacie_kayes"].purposes == ("medicines_without_fees",)
    assert by_id["laboratoire_centre_cardiologique_du_nord"].purposes == ("lab_tests_without_fees",)
    assert "Delafontaine" in by_id["hopital_delafontaine_pass"].name
    for place in by_id.values():
        assert "EXEMPLE" not in place.name.upper() and "EXAMPLE" not in place.sms_name.upper(), place.id
        if not place.confirmed and place.kind in ("pharmacy", "laboratory", "health_centre"):
            assert place.address is None, place.id
