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
    languages: tuple[str, ...] = ()  # said in these languages at once, whatever the person's
    items: bool = False  # followed by one line per response named in the `items` parameter
    slot_choices: bool = False  # first choices: the free times in the `slots` parameter


def payload(intent: str, **entities: str) -> str:
    """A Rasa intent payload, e.g. /choose_language{"language": "en"}."""
    return f"/{intent}{json.dumps(entities, ensure_ascii=False)}" if entities else f"/{intent}"


YES_NO = (Choice(payload("affirm"), N_("Yes")), Choice(payload("deny"), N_("No")))

# Each language in its own name (never translated), in the order of bot.i18n.SUPPORTED_LANGUAGES.
LANGUAGE_NAMES = {
    "fr": ("Français", "Francais"),
    "en": ("English", None),
    "ar": ("العربية", None),
    "ro": ("Română", "Romana"),
    "bn": ("বাংলা", None),
    "fa": ("دری / فارسی", None),
    "es": ("Español", None),
    "pt": ("Português", "Portugues"),
}
LANGUAGE_CHOICES = tuple(
    Choice(payload("choose_language", language=code), name, translate=False, sms_label=sms_name)
    for code, (name, sms_name) in LANGUAGE_NAMES.items()
)

COVER_CHOICES = (
    Choice(payload("inform_cover", current_cover="none"), N_("No cover at all"), sms_label=N_("None")),
    Choice(payload("inform_cover", current_cover="puma_only"), N_("Carte Vitale only, no mutuelle"),
           sms_label=N_("Carte Vitale only")),
    Choice(payload("inform_cover", current_cover="puma_complementary"), N_("Carte Vitale and a mutuelle or CSS"),
           sms_label=N_("Carte Vitale and mutuelle or CSS")),
    Choice(payload("inform_cover", current_cover="ame"), N_("State medical aid card (AME)"),
           sms_label=N_("State medical aid")),
    Choice(payload("inform_cover", current_cover="closed"), N_("My rights are closed"), sms_label=N_("Rights closed")),
    Choice(payload("inform_cover", current_cover="unknown"), N_("I don't know")),
)

NATIONALITY_CHOICES = (
    Choice(payload("inform", nationality_group="FR"), N_("French")),
    Choice(payload("inform", nationality_group="EU_EEA_CH"), N_("Another EU country, or Switzerland, Norway, Iceland, Liechtenstein")),
    Choice(payload("inform", nationality_group="THIRD_COUNTRY"), N_("Another country")),
)

RESIDENCE_CHOICES = (
    Choice(payload("inform", residence_status="regular"), N_("Valid residence permit or receipt"),
           sms_label=N_("Valid permit or receipt")),  # without the French name: one SMS segment
    Choice(payload("inform", residence_status="asylum_seeker"), N_("Asylum seeker")),
    Choice(payload("inform", residence_status="permit_expired"), N_("My permit has expired")),
    Choice(payload("inform", residence_status="irregular"), N_("No residence permit")),
)

BENEFIT_CHOICES = (
    Choice(payload("inform", benefits="RSA"), "RSA", translate=False),
    Choice(payload("inform", benefits="AAH"), "AAH", translate=False),
    Choice(payload("inform", benefits="FAMILY"), N_("Family allowances (CAF)")),
    Choice(payload("inform", benefits="STUDENT"), N_("I am a student")),
    Choice(payload("inform", benefits="REFUGEE"), N_("I am a refugee")),
    Choice(payload("inform", benefits="none"), N_("None of these")),
)

PRIOR_AME_CHOICES = (
    Choice(payload("inform", prior_ame_end="never"), N_("Never")),
    Choice(payload("inform", prior_ame_end="less_than_2_years"), N_("Yes, it ended less than 2 years ago")),
    Choice(payload("inform", prior_ame_end="more_than_2_years"), N_("Yes, it ended more than 2 years ago")),
)

def _value(choice: Choice) -> str:
    """The value a choice's payload carries: /inform{"residence_status": "irregular"} -> irregular."""
    entities = json.loads(choice.payload[choice.payload.index("{"):])
    return next(iter(entities.values()))


RESPONSES: dict[str, Response] = {
    # Greeting and consent notice (first contact).
    "utter_greet": Response(
        N_("Hello! I am the health assistant of the city of Saint-Denis (PASS de ville). "
           "I help you get care without paying upfront and open your health rights."),
        # Short on SMS: with the notice it must fit in two segments.
        sms=N_("Hello! I am the health assistant of Saint-Denis, for care without paying upfront."),
    ),
    "utter_consent_notice": Response(
        # What is kept, why, for how long, who sees it, how to erase (docs/privacy.md). Bump
        # bot.people.CONSENT_VERSION whenever this text changes.
        N_("We keep your language and your answers (and your number, encrypted, for SMS) to guide "
           "you to care, until 12 months after your last message. Only the social workers of the "
           "city see them. To erase everything, write DELETE."),
        # The same five points in fewer words (what, why, how long, who, how to erase).
        sms=N_("We keep your language, answers and number (encrypted) to guide you to care, until 12 "
               "months after your last message. Only the city's social workers see them. To erase "
               "all: DELETE."),
    ),
    "utter_ask_language": Response(N_("Choose your language:"), choices=LANGUAGE_CHOICES),
    # For someone whose language we do not speak: French, English and Arabic at once.
    "utter_unsupported_language": Response(
        N_("I don't speak your language yet. Pick one below, or write HUMAN for an interpreter."),
        languages=("fr", "en", "ar"),
    ),
    "utter_ask_consent_given": Response(
        N_("Do you agree that we keep your answers for this?"), choices=YES_NO
    ),
    "utter_no_consent": Response(
        # Exactly what a refusal keeps (bot/channels/tracker_store.py, docs/privacy.md).
        N_("OK: nothing you wrote is kept. We keep only your language (and for SMS your number, "
           "encrypted, to answer you), 12 months at most. You can still go to a municipal health "
           "centre and ask for the social worker. Write HELLO to start again."),
        sms=N_("OK: nothing you wrote is kept, only your language and your number (encrypted), 12 "
               "months at most. Write HELLO to start again."),
    ),
    # The four inclusion questions.
    "utter_ask_health_problem": Response(
        N_("Do you have a health problem, or do you need care (doctor, medicine, tests)?"),
        choices=YES_NO,
    ),
    "utter_ask_current_cover": Response(
        N_("Do you have health cover today?"), sms=N_("Do you have health cover?"), choices=COVER_CHOICES
    ),
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
        sms=N_("Good news: the city can help you: a doctor without paying, and a social worker for "
               "your rights."),
    ),
    "utter_pass_next_steps": Response(
        N_("Next: a few questions to know which health cover to ask for and which papers to "
           "bring."),
        sms=N_("Now a few questions to find your rights and your papers."),
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
    # The rights questions (bot/interview.py): only those the rules need for this person.
    "utter_ask_urgent": Response(
        N_("Do you need care urgently today (strong pain, bleeding, trouble breathing)?"), choices=YES_NO
    ),
    "utter_ask_nationality_group": Response(N_("What is your nationality?"), choices=NATIONALITY_CHOICES),
    "utter_ask_residence_status": Response(N_("What are your papers in France?"), choices=RESIDENCE_CHOICES),
    "utter_ask_age": Response(N_("How old are you? Write a number, for example 34.")),
    "utter_ask_unaccompanied_minor": Response(
        N_("Are you under 18 and in France without your parents?"), choices=YES_NO
    ),
    "utter_ask_months_in_france": Response(
        N_("How long have you been living in France? For example: 8 months, 2 years, since March.")
    ),
    "utter_ask_months_since_permit_expiry": Response(
        N_("How long ago did your residence permit expire? For example: 2 months.")
    ),
    "utter_ask_works_in_france": Response(N_("Do you work in France, with a declared job?"), choices=YES_NO),
    "utter_ask_benefits": Response(N_("Do you receive one of these?"), choices=BENEFIT_CHOICES),
    "utter_ask_prior_ame_end": Response(
        N_("Have you had the State medical aid (AME) before?"),
        sms=N_("Have you had the State medical aid before?"),
        choices=PRIOR_AME_CHOICES,
    ),
    "utter_ask_household_size": Response(
        N_("How many people are in your household: you, your partner and the children under 25 "
           "you support? Write a number.")
    ),
    "utter_ask_annual_resources": Response(
        N_("How much money does your household get per month, all included (work, benefits, "
           "help)? Write a number in euros, 0 if nothing.")
    ),
    "utter_ask_has_stable_address": Response(
        N_("Do you have an address where you can receive letters?"), choices=YES_NO
    ),
    "utter_ask_has_domiciliation": Response(
        N_("Do you have a domiciliation (an address given by the CCAS or an association to "
           "receive letters)?"),
        choices=YES_NO,
    ),
    "utter_ask_hosted_by_third_party": Response(
        N_("Are you staying at someone's home (a host)?"), choices=YES_NO
    ),
    "utter_ask_has_photo_id": Response(
        N_("Do you have an identity paper with your photo (passport, ID card, old residence "
           "permit)?"),
        choices=YES_NO,
    ),
    "utter_rights_unclear": Response(
        N_("Sorry, I did not understand your answer. Try again, or write HUMAN to talk to a "
           "person."),
    ),
    # A question asked again (bot.conversation.asking): the hint of the answer expected, then
    # the question with its choices; the second time the way to a human too; then a person.
    "utter_hint_yes_no": Response(N_("Sorry, I did not understand. Please answer yes or no.")),
    "utter_hint_choice": Response(
        N_("Sorry, I did not understand. Answer with the number of your choice, or in a few words.")
    ),
    "utter_hint_months": Response(
        N_("Sorry, I did not understand. Write how long, for example: 8 months, or 2 years.")
    ),
    "utter_hint_amount": Response(
        N_("Sorry, I did not understand. Write one amount in euros per month, for example: 600. "
           "Write 0 if there is nothing.")
    ),
    "utter_hint_count": Response(N_("Sorry, I did not understand. Write one number, for example: 3.")),
    "utter_hint_age": Response(N_("Sorry, I did not understand. Write your age in numbers, for example: 34.")),
    "utter_hint_human": Response(N_("If you prefer, write HUMAN to talk to a person.")),
    "utter_unclear_handoff": Response(
        N_("I could not understand all your answers: a social worker will go through them with you."),
    ),
    # What the outcome was decided on, so that a misread answer can be seen and corrected
    # (bot.checklist.what_you_said). The choice lines reuse the buttons' labels.
    "utter_you_said": Response(N_("What I understood (write BACK if something is wrong):"), items=True),
    "utter_said_months_in_france": Response(N_("{months} months in France")),
    "utter_said_years_in_france": Response(N_("{years} years in France")),
    "utter_said_monthly_resources": Response(N_("{amount} euros a month")),
    "utter_said_household_size": Response(N_("household of {count}")),
    "utter_said_age": Response(N_("{age} years old")),
    **{f"utter_said_{fact}_{_value(choice)}": Response(choice.label, sms=choice.sms_label)
       for fact, choices in (("residence_status", RESIDENCE_CHOICES), ("nationality_group", NATIONALITY_CHOICES))
       for choice in choices},
    # The checklist (bot/checklist.py): what to ask for, where, which papers.
    "utter_right_puma": Response(
        N_("Health insurance (PUMa, Sécurité sociale): ask the CPAM with form S1106, by post or "
           "at the counter."),
    ),
    "utter_right_puma_maintained": Response(
        N_("Your health insurance (PUMa) stays open until 6 months after your permit expired. "
           "Renew your permit quickly."),
    ),
    "utter_right_css_free": Response(
        N_("Complémentaire santé solidaire (CSS), free: ask with form cerfa 12504, on your "
           "ameli account, by post or at the CPAM."),
    ),
    "utter_right_css_participation": Response(
        N_("Complémentaire santé solidaire (CSS) with a small monthly payment: ask with form "
           "cerfa 12504, on your ameli account, by post or at the CPAM."),
    ),
    "utter_css_contribution": Response(N_("Your CSS payment: {amount} euros per month.")),
    "utter_right_ame_first_in_person": Response(
        N_("State medical aid (AME): form cerfa 11573. The first request is made in person: at "
           "the CPAM, at the hospital PASS or at an authorised health centre."),
        sms=N_("State medical aid: form cerfa 11573, the first time in person (CPAM or hospital)."),
    ),
    "utter_right_ame_renewal": Response(
        N_("Renewal of the State medical aid (AME): form cerfa 11573, by post or at the CPAM, "
           "2 months before the end."),
        sms=N_("Renewal of the State medical aid: form cerfa 11573, by post or at the CPAM, "
               "2 months before the end."),
    ),
    "utter_right_ame_minor": Response(
        N_("State medical aid (AME) for the child, right away: form cerfa 11573, made in person."),
        sms=N_("State medical aid for the child, right away: form cerfa 11573, made in person."),
    ),
    "utter_right_soins_urgents": Response(
        N_("For urgent care, go to the hospital: it is covered even without health insurance."),
    ),
    "utter_right_domiciliation": Response(
        N_("Ask for a domiciliation (an address to receive letters) at the CCAS or an approved "
           "association: form cerfa 15548."),
    ),
    "utter_right_pass_consultation": Response(
        N_("You can already see a doctor without paying in a municipal health centre (PASS de "
           "ville)."),
        sms=N_("See a doctor without paying: municipal health centre."),
    ),
    "utter_right_remind_at_3_months": Response(
        N_("After 3 months in France you can ask for more: keep proofs of your arrival date "
           "(tickets, letters, receipts) and write to us again then."),
    ),
    "utter_right_no_new_application": Response(
        N_("Your rights are open: nothing new to ask for. Renew them 2 months before the end."),
    ),
    "utter_where_intro": Response(N_("Where to go:")),
    "utter_place": Response(N_("{name}: {details}"), sms=N_("{sms_name}: {details}")),
    "utter_place_to_confirm": Response(
        N_("{name}: address being confirmed, ask the social worker."),
        sms=N_("{sms_name}: address being confirmed, ask the social worker."),
    ),
    "utter_documents": Response(N_("Papers to bring:"), items=True),
    "utter_doc_id_document": Response(N_("an identity paper (passport, ID card or residence permit)")),
    "utter_doc_id_with_photo": Response(
        N_("an identity paper with your photo (passport, ID card, old residence permit)"),
        sms=N_("identity paper with photo"),
    ),
    "utter_doc_residence_permit": Response(N_("your residence permit or receipt (récépissé)")),
    "utter_doc_asylum_certificate": Response(
        N_("your asylum seeker certificate (attestation de demande d'asile)")
    ),
    "utter_doc_proof_of_activity": Response(N_("a proof of work (pay slip or contract)")),
    "utter_doc_proof_of_residence_3_months": Response(
        N_("proofs that you have lived in France for more than 3 months, each less than 12 "
           "months old (bills, rent receipts, hosting certificate, hospital papers)"),
        sms=N_("proofs of more than 3 months in France, each less than a year old"),
    ),
    "utter_doc_birth_certificate": Response(N_("your birth certificate")),
    "utter_doc_resources_12_months": Response(
        N_("proofs of your money over the last 12 months (pay slips, benefits, or a signed "
           "statement)"),
        sms=N_("proofs of your money over the last 12 months"),
    ),
    "utter_doc_tax_notice": Response(
        N_("your tax notice (avis d'imposition or avis de situation déclarative)")
    ),
    "utter_doc_domiciliation_certificate": Response(
        N_("your domiciliation certificate (attestation d'élection de domicile)")
    ),
    "utter_doc_host_sworn_statement": Response(
        N_("a sworn statement signed by the person who hosts you")
    ),
    "utter_doc_child_identity": Response(
        N_("the child's birth certificate or family record book (livret de famille)")
    ),
    "utter_rights_handoff": Response(
        N_("Your situation needs a closer look: a social worker will contact you to check it "
           "with you."),
    ),
    # Appointments with a social worker (bot/booking, bot/actions/booking.py).
    "utter_offer_slots": Response(
        N_("Would you like an appointment with a social worker? Free times:"),
        sms=N_("An appointment with a social worker?"),
        choices=(Choice(payload("deny"), N_("Not now")),),
        slot_choices=True,
    ),
    "utter_no_slots": Response(
        N_("There is no free time in the coming weeks. A social worker will contact you."),
    ),
    "utter_slot_taken": Response(N_("Sorry, this time was just taken by someone else.")),
    "utter_booked": Response(
        N_("Your appointment: {when}, {site}. Reference: {reference}. Bring your papers. To "
           "cancel, write CANCEL; to move it, write CHANGE."),
        sms=N_("Appointment: {when}, {sms_site}. Ref. {reference}. To cancel, write CANCEL; to "
               "move it, CHANGE."),
    ),
    "utter_no_booking": Response(N_("OK. Write APPOINTMENT when you want one.")),
    "utter_cancelled": Response(N_("Your appointment {reference} is cancelled.")),
    "utter_appointment_status": Response(
        N_("You have an appointment: {when}, {site}."),
        sms=N_("You have an appointment: {when}, {sms_site}."),
        choices=(
            Choice(payload("affirm"), N_("Keep it")),
            Choice(payload("reschedule_appointment"), N_("Move it")),
            Choice(payload("cancel_appointment"), N_("Cancel it")),
        ),
    ),
    "utter_see_you": Response(N_("See you then. Bring your papers.")),
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
    # The same where no list was shown (bot.actions.fallback).
    "utter_not_understood_free": Response(
        N_("Sorry, I did not understand. Tell me in a few words what you need, for example: I need "
           "a doctor."),
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
    # Handoff to a social worker (bot/actions/handoff.py); the hours are bot.handoff.DEFAULT_HOURS.
    "utter_handoff_open": Response(
        N_("A social worker will answer you here soon (Monday to Friday, 9:00 to 17:00). "
           "Meanwhile I go on helping you. Emergency: call 15."),
    ),
    "utter_handoff_closed": Response(
        N_("The social workers are not here now. One of them will answer you here, Monday to "
           "Friday, 9:00 to 17:00. You can also write APPOINTMENT to get a time."),
    ),
    # Erasure (DELETE / SUPPRIMER): asked once, then done at once (bot/privacy.py).
    "utter_erasure_confirm": Response(
        N_("Erase everything we keep about you: your answers, your contact for appointments and "
           "this conversation? This cannot be undone."),
        choices=(Choice(payload("affirm", confirm="erase"), N_("Yes")), Choice(payload("deny"), N_("No"))),
    ),
    "utter_erasure_done": Response(
        N_("Done: everything we kept about you is erased. If you write again, we start from the beginning."),
    ),
    "utter_erasure_kept": Response(N_("OK, nothing is erased.")),
    "utter_opt_out": Response(
        N_("Noted: we will not send you text messages any more. Write START to get them again."),
    ),
    "utter_no_appointment": Response(
        N_("You have no appointment yet. Answer a few questions first, then we can offer you one."),
    ),
    "utter_documents_after_screening": Response(
        N_("I will give you the exact list of papers after a few questions."),
    ),
    "utter_booking_after_questions": Response(
        N_("We will book your appointment right after these few questions."),
    ),
    # A person who comes back: their case (bot/case.py) answers, re-checked when it is old.
    "utter_case_changed": Response(
        N_("Since last time, the rules or your situation have changed. Here is what applies to you now:"),
    ),
    "utter_documents_missing": Response(N_("Papers you still need to get:"), items=True),
    "utter_documents_held": Response(N_("Papers you already have (bring them too):"), items=True),
    "utter_documents_noted": Response(N_("Noted, you have:"), items=True),
    "utter_documents_all_held": Response(N_("You have every paper on the list: bring them all to the appointment.")),
    "utter_document_name_hint": Response(N_("If you have one of them, write its name (for example: passport).")),
    # When no identity paper is still to get: "passport" would name one they already have.
    "utter_document_name_hint_plain": Response(N_("If you have one of them, write its name.")),
    "utter_renewal_offer": Response(
        N_("Your health cover must be renewed before it ends: a social worker can help you with that."),
    ),
    # Texts only a phone receives (bot/channels/twilio_sms.py, bot/reminders.py). Reminders are
    # neutral: a phone is often shared, so no cover name, no reason, no diagnosis.
    "sms_started": Response(N_("Text messages are on again. Write to us any time.")),
    "sms_media_only": Response(
        N_("We cannot open photos, sound or files. Please write your message in words. "
           "Emergency: call 15 or 112."),
    ),
    "sms_reminder": Response(
        N_("Reminder: appointment {when}, {sms_site}. Ref. {reference}. To cancel, write CANCEL; "
           "to move it, write CHANGE."),
    ),
    "sms_three_months": Response(
        N_("Hello, you can now ask for your health cover. Write APPOINTMENT to get a time with a "
           "social worker."),
    ),
    "sms_renewal": Response(
        N_("Hello, your health cover ends on {until}. Ask to renew it now: write APPOINTMENT to "
           "get a time with a social worker."),
    ),
    # A slot blocked by staff (bot/booking/openings.py): the person is moved, or told why not.
    "sms_moved": Response(
        N_("Your appointment of {old_when} cannot take place. New time: {when}, {sms_site}. Ref. "
           "{reference}. To cancel, write CANCEL; to move it, write CHANGE."),
    ),
    "sms_cancelled_by_team": Response(
        N_("Your appointment of {when} cannot take place and no other time is free yet. A social "
           "worker will contact you. Write APPOINTMENT to ask for a new one."),
    ),
    "utter_goodbye": Response(N_("Goodbye, take care.")),
    "utter_you_are_welcome": Response(N_("You're welcome.")),
}

# --- Safety and confirmations (issue 15): opt-out by keyword only, irreversible actions
# restated and confirmed, the safety net while handed over. Kept apart for clean merges.
# A confirmation's first choice carries `confirm`: only that choice (its button, its number or a
# clear yes of the person's language, bot/confirm.py) carries the action out.
CONFIRM_CANCEL = payload("affirm", confirm="cancel")
CONFIRM_MOVE = payload("affirm", confirm="move")
CONFIRM_ERASE = payload("affirm", confirm="erase")
RESPONSES.update({
    "utter_opt_out_how": Response(N_("To stop all our text messages, reply STOP (that word alone).")),
    "utter_handoff_waiting": Response(
        N_("A social worker has your message and will answer you here in opening hours (Monday to "
           "Friday, 9:00 to 17:00). Emergency: call 15."),
    ),
    "utter_confirm_cancel": Response(
        N_("Reply 1 to cancel your appointment of {when}."),
        choices=(Choice(CONFIRM_CANCEL, N_("Cancel it")), Choice(payload("deny"), N_("Keep it"))),
    ),
    "utter_confirm_move": Response(
        N_("Reply 1 to move your appointment of {when} to another time."),
        choices=(Choice(CONFIRM_MOVE, N_("Move it")), Choice(payload("deny"), N_("Keep it"))),
    ),
    "utter_appointment_kept": Response(N_("Nothing is changed: your appointment is kept.")),
    "utter_slot_not_offered": Response(N_("This time cannot be booked.")),
})

# Why the person is not included -> what to tell them instead (see bot.screening).
NOT_ELIGIBLE_RESPONSES = {
    "NO_HEALTH_PROBLEM": "utter_not_eligible_no_health_problem",
    "HAS_ACTIVE_COVER": "utter_not_eligible_has_active_cover",
    "CAN_ADVANCE_FEES": "utter_not_eligible_can_advance_fees",
    "NO_SAINT_DENIS_LINK": "utter_not_eligible_no_saint_denis_link",
}
