"""From a rights outcome to the messages of the checklist: what to ask for, where, which papers.

Returns response names and parameters only; the texts live in the catalogs (bot/responses.py).
Addresses come from bot/rights/places.yaml and are shown only once the city has confirmed them.
"""
from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any, Mapping

from bot.rights import Place, places_for, places_for_right

# Rights the checklist explains, in the order the engine lists them (contract order).
EXPLAINED_RIGHTS = (
    "PUMA", "PUMA_MAINTAINED", "CSS_FREE", "CSS_PARTICIPATION", "AME_FIRST_IN_PERSON", "AME_RENEWAL",
    "AME_MINOR", "SOINS_URGENTS", "DOMICILIATION", "PASS_CONSULTATION", "REMIND_AT_3_MONTHS",
    "NO_NEW_APPLICATION",
)


@dataclass(frozen=True)
class Message:
    response: str
    params: dict[str, Any] = field(default_factory=dict)


def right_response(right: str) -> str:
    return f"utter_right_{right.lower()}"


IDENTITY_PAPERS = frozenset({"ID_DOCUMENT", "ID_WITH_PHOTO"})  # the hint's example, a passport, is one


def document_response(document: str) -> str:
    return f"utter_doc_{document.lower()}"


def checklist(outcome: Mapping[str, Any], held: list[str] | None = None) -> list[Message]:
    """The checklist of an outcome. With `held` (the papers the person's case says they have),
    the papers still to get come first, then those they have, to bring too."""
    rights = outcome["rights"]
    if "EMERGENCY" in rights:  # R0: care first, the paperwork can wait
        return [Message("utter_emergency")]
    messages = []
    for right in (r for r in rights if r in EXPLAINED_RIGHTS):
        messages.append(Message(right_response(right)))
        messages += [place_message(p) for p in places_for_right(right) if p.confirmed and p.address]
    if outcome.get("css_monthly_contribution"):
        messages.append(Message("utter_css_contribution", {"amount": outcome["css_monthly_contribution"]}))
    if held is None and outcome["documents"]:
        messages.append(Message("utter_documents", {"items": [document_response(d) for d in outcome["documents"]]}))
    elif held is not None:
        missing = [d for d in outcome["documents"] if d not in held]
        have = [d for d in outcome["documents"] if d in held]
        if missing:
            messages.append(Message("utter_documents_missing", {"items": [document_response(d) for d in missing]}))
        if have:
            messages.append(Message("utter_documents_held", {"items": [document_response(d) for d in have]}))
    if "HANDOFF" in rights:
        messages.append(Message("utter_rights_handoff"))
    return messages


def documents_noted(noted: list[str], missing: list[str]) -> list[Message]:
    """A person said they have some papers: those noted, then what is still to get (or that
    nothing is); nothing noted: the papers still to get, and how to say which one they have."""
    missing_items = [document_response(d) for d in missing]
    if not noted:
        hint = "utter_document_name_hint" if any(d in IDENTITY_PAPERS for d in missing) else "utter_document_name_hint_plain"
        return [Message("utter_documents_missing", {"items": missing_items}), Message(hint)] \
            if missing else [Message("utter_documents_all_held")]
    messages = [Message("utter_documents_noted", {"items": [document_response(d) for d in noted]})]
    if missing:
        return messages + [Message("utter_documents_missing", {"items": missing_items})]
    return messages + [Message("utter_documents_all_held")]


# The answers an outcome rests on, said back in one short list (a misread one can be corrected).
SAID_CHOICES = ("nationality_group", "residence_status")


def what_you_said(slots: Mapping[str, Any]) -> Message | None:
    items: list[Any] = [f"utter_said_{fact}_{slots[fact]}" for fact in SAID_CHOICES if slots.get(fact)]
    if slots.get("months_in_france") is not None:
        months = round(slots["months_in_france"])
        if months >= 24 and months % 12 == 0:  # "5 ans", not "60 mois"
            items.append(["utter_said_years_in_france", {"years": months // 12}])
        else:
            items.append(["utter_said_months_in_france", {"months": months}])
    if slots.get("annual_resources") is not None:
        items.append(["utter_said_monthly_resources", {"amount": round(slots["annual_resources"] / 12)}])
    if slots.get("household_size") is not None:
        items.append(["utter_said_household_size", {"count": round(slots["household_size"])}])
    if slots.get("age") is not None and slots["age"] < 18:
        items.append(["utter_said_age", {"age": round(slots["age"])}])
    return Message("utter_you_said", {"items": items}) if items else None


# "Where do I go?" before the rights are known: care now, and help with the paperwork.
GENERAL_PURPOSES = ("care_without_fees", "rights_support")


def place_message(place: Place) -> Message:
    """A place as one line; its details only once the city has confirmed them."""
    names = {"name": place.name, "sms_name": place.sms_name}
    if not place.confirmed:
        return Message("utter_place_to_confirm", names)
    details = ", ".join(filter(None, (place.address, place.hours, place.phone)))
    return Message("utter_place", {**names, "details": details})


def where_to_go(rights: list[str] | None) -> list[Message]:
    """The places for this person's rights (or the general ones), from the directory."""
    found: dict[str, Place] = {}
    if rights:
        for right in rights:
            for place in places_for_right(right):
                found.setdefault(place.id, place)
    else:
        for purpose in GENERAL_PURPOSES:
            for place in places_for(purpose):
                found.setdefault(place.id, place)
    return [Message("utter_where_intro")] + [place_message(p) for p in found.values()]
