"""Every text the assistant says, by response name (the `utter_*` names of domain.yml).

Texts are English msgids wrapped in N_() so `make catalogs-update` extracts them; they are
translated from locales/ at render time. Keep them short and plain: on SMS every 160
characters (70 in non-Latin scripts) is another paid segment. An `sms` variant is used on
SMS-like channels where the web text is longer or names something that must not appear in an
SMS (the words "PASS" or "AME", a diagnosis): other people may read the person's phone.
"""
from __future__ import annotations

import json
from dataclasses import dataclass

from bot.i18n import N_


@dataclass(frozen=True)
class Choice:
    payload: str  # what the button sends, and what a numbered reply stands for
    label: str  # msgid, or a fixed text when translate is False (language names)
    translate: bool = True
    sms_label: str | None = None  # SMS label, where the label would force UCS-2 or is indiscreet


@dataclass(frozen=True)
class Response:
    text: str
    sms: str | None = None
    choices: tuple[Choice, ...] = ()


def payload(intent: str, **entities: str) -> str:
    """A Rasa intent payload, e.g. /choose_language{"language": "en"}."""
    return f"/{intent}{json.dumps(entities, ensure_ascii=False)}" if entities else f"/{intent}"


YES_NO = (Choice(payload("affirm"), N_("Yes")), Choice(payload("deny"), N_("No")))

LANGUAGE_CHOICES = (
    Choice(payload("choose_language", language="fr"), "Français", translate=False, sms_label="Francais"),
    Choice(payload("choose_language", language="en"), "English", translate=False),
)

COVER_CHOICES = (
    Choice(payload("inform_cover", current_cover="none"), N_("No cover at all")),
    Choice(payload("inform_cover", current_cover="puma_only"), N_("Carte Vitale only, no mutuelle")),
    Choice(payload("inform_cover", current_cover="puma_complementary"), N_("Carte Vitale and a mutuelle or CSS")),
    Choice(payload("inform_cover", current_cover="ame"), N_("State medical aid card (AME)"),
           sms_label=N_("State medical aid card")),
    Choice(payload("inform_cover", current_cover="closed"), N_("My rights are closed")),
    Choice(payload("inform_cover", current_cover="unknown"), N_("I don't know")),
)

RESPONSES: dict[str, Response] = {
    # Greeting and consent notice (first contact).
    "utter_greet": Response(
        N_("Hello! I am the health assistant of the city of Saint-Denis (PASS de ville). "
           "I help you get care without paying upfront and open your health rights."),
        sms=N_("Hello! I am the health assistant of the city of Saint-Denis. "
               "I help you get care without paying upfront and open your health rights."),
    ),
    "utter_consent_notice": Response(
        N_("Your answers are kept 12 months to guide you, and seen only by the social workers "
           "of the city. To erase them, write DELETE."),
    ),
    "utter_ask_language": Response(N_("Choose your language:"), choices=LANGUAGE_CHOICES),
    "utter_ask_consent_given": Response(
        N_("Do you agree that we keep your answers for this?"), choices=YES_NO
    ),
    "utter_no_consent": Response(
        N_("OK, we keep nothing. You can still go to a municipal health centre and ask for the "
           "social worker. Write HELLO to start again."),
    ),
    # The four inclusion questions.
    "utter_ask_health_problem": Response(
        N_("Do you have a health problem, or do you need care (doctor, medicine, tests)?"),
        choices=YES_NO,
    ),
    "utter_ask_current_cover": Response(N_("Do you have health cover today?"), choices=COVER_CHOICES),
    "utter_ask_can_advance_fees": Response(
        N_("Can you pay the doctor upfront (about 30 euros) and wait to be paid back?"),
        choices=YES_NO,
    ),
    "utter_ask_saint_denis_link": Response(
        N_("Do you live in Saint-Denis or Pierrefitte, or does a social worker, an association "
           "or a doctor there follow you?"),
        choices=YES_NO,
    ),
    # Outcome of the screening.
    "utter_pass_eligible": Response(
        N_("Good news: the PASS de ville can help you. You can see a doctor in a municipal "
           "health centre without paying, and a social worker will help you open your rights."),
        sms=N_("Good news: the city can help you. You can see a doctor in a municipal health "
               "centre without paying, and a social worker will help you open your rights."),
    ),
    "utter_pass_next_steps": Response(
        N_("Next step: a social worker will tell you which papers to bring and give you an "
           "appointment."),
    ),
    "utter_pass_not_eligible": Response(N_("This service is probably not the right one for you.")),
    "utter_not_eligible_no_health_problem": Response(
        N_("It is for people who need care. For your health rights, call the Assurance "
           "Maladie: 3646."),
    ),
    "utter_not_eligible_has_active_cover": Response(
        N_("You already have health cover: you can see any doctor and ask for the tiers payant "
           "(nothing to pay upfront). Questions: 3646."),
    ),
    "utter_not_eligible_can_advance_fees": Response(
        N_("You can pay upfront: see a doctor as usual, for example in a municipal health "
           "centre. For your rights: 3646."),
    ),
    "utter_not_eligible_no_saint_denis_link": Response(
        N_("It is for Saint-Denis. Go to the PASS of the hospital nearest to you: it offers "
           "the same help."),
        sms=N_("It is for Saint-Denis. Ask for the social service of the hospital nearest to "
               "you: it offers the same help."),
    ),
    # Safety net: always first, whatever the state of the conversation.
    "utter_emergency": Response(
        N_("Emergency: call 15 (SAMU) or 112 now. Deaf or hard of hearing: send an SMS to 114."),
    ),
    "utter_suicidal_thoughts": Response(
        N_("You are not alone. Call 3114 now: free, day and night. In immediate danger: 15 or "
           "112."),
    ),
    "utter_violence": Response(
        N_("In danger now: call 17 or 112 (SMS: 114). Violence against women: 3919, free and "
           "anonymous."),
    ),
    "utter_safety_continue": Response(N_("When you are ready, you can continue here.")),
    # Everything else.
    "utter_not_understood": Response(
        N_("Sorry, I did not understand. Answer with a number from the list, or write HUMAN to "
           "talk to a person."),
    ),
    # action_default_fallback (core fallback) says utter_default.
    "utter_default": Response(
        N_("Sorry, I did not understand. Answer with a number from the list, or write HUMAN to "
           "talk to a person."),
    ),
    "utter_out_of_scope": Response(
        N_("I can only help with care and health rights in Saint-Denis. Write HUMAN to talk to "
           "a person."),
    ),
    "utter_human_requested": Response(
        N_("Noted: a social worker will contact you. For an urgent health problem, call 15."),
    ),
    "utter_erasure_requested": Response(
        N_("Noted: your data will be erased. You will get a confirmation."),
    ),
    "utter_opt_out": Response(
        N_("Noted: we will not send you text messages any more. Write START to get them again."),
    ),
    "utter_no_appointment": Response(
        N_("You have no appointment yet. Answer a few questions first, then we can offer you one."),
    ),
    "utter_documents_after_screening": Response(
        N_("I will give you the exact list of papers after a few questions."),
    ),
    "utter_goodbye": Response(N_("Goodbye, take care.")),
    "utter_you_are_welcome": Response(N_("You're welcome.")),
}

# Why the person is not included -> what to tell them instead (see bot.screening).
NOT_ELIGIBLE_RESPONSES = {
    "NO_HEALTH_PROBLEM": "utter_not_eligible_no_health_problem",
    "HAS_ACTIVE_COVER": "utter_not_eligible_has_active_cover",
    "CAN_ADVANCE_FEES": "utter_not_eligible_can_advance_fees",
    "NO_SAINT_DENIS_LINK": "utter_not_eligible_no_saint_denis_link",
}
