"""End to end, letting time pass: a person who comes back days later (the conversation session
expired) resumes from their case (bot/case.py) instead of a new screening.

Time passes the way it does for Rasa: the conversation's events are moved back in the tracker
store (Rasa then starts a new session, its slots empty), and the reminder or invitation rows of
the outbox fall due (the SMS worker of the launcher sends them to the fake Twilio)."""
import json
import os
import sqlite3
import subprocess
import sys
from datetime import date, datetime, timedelta, timezone

import pytest
from dateutil.relativedelta import relativedelta
from sqlalchemy import select

from bot import case, people
from bot.booking import appointments
from bot.database import session_scope
from bot.models import Appointment, CaseAppointment, OutboundSms, Slot
from bot.rendering import SMS, render
from bot.settings import ROOT

pytestmark = pytest.mark.e2e

# Answers by question (the tracker's requested_slot), in words, as people text; "digits": by number.
ANSWERS = {
    "fr": {"consent_given": "oui d'accord", "health_problem": "oui j'ai tres mal au dos",
           "current_cover": "j'ai rien du tout pas de carte vitale", "can_advance_fees": "non c'est trop cher pour moi",
           "saint_denis_link": "oui j'habite a saint denis", "urgent": "non", "nationality_group": "je suis malien",
           "residence_status": "je n'ai pas de papiers", "age": "30 ans", "months_in_france": "depuis 8 mois",
           "prior_ame_end": "jamais", "household_size": "je vis seul", "annual_resources": "rien du tout",
           "has_stable_address": "oui", "has_domiciliation": "oui j'ai une domiciliation",
           "hosted_by_third_party": "non", "has_photo_id": "oui j'ai mon passeport", "unaccompanied_minor": "non"},
    "en": {"consent_given": "yes ok", "health_problem": "yes my back hurts a lot",
           "current_cover": "nothing at all, no carte vitale", "can_advance_fees": "no I can't",
           "saint_denis_link": "yes I live in st denis", "urgent": "no", "nationality_group": "I am from Mali",
           "residence_status": "I don't have papers", "age": "30 years old", "months_in_france": "8 months",
           "prior_ame_end": "never", "household_size": "just me", "annual_resources": "nothing",
           "has_stable_address": "yes", "has_domiciliation": "yes I have a domiciliation",
           "hosted_by_third_party": "no", "has_photo_id": "yes I have my passport", "unaccompanied_minor": "no"},
    "digits": {"consent_given": "1", "health_problem": "1", "current_cover": "1", "can_advance_fees": "2",
               "saint_denis_link": "1", "urgent": "2", "nationality_group": "3", "residence_status": "4",
               "age": "30", "months_in_france": "8", "prior_ame_end": "1", "household_size": "1",
               "annual_resources": "0", "has_stable_address": "1", "has_domiciliation": "1",
               "hosted_by_third_party": "2", "has_photo_id": "1", "unaccompanied_minor": "2"},
}
LANGUAGE_WORD = {"fr": "francais", "en": "english"}
DOCS = {"fr": "DOCS", "en": "what papers do I still need?"}
MOVE = {"fr": "CHANGER", "en": "I need to change my appointment"}
BOOK = {"fr": "RDV", "en": "I want an appointment"}
# (language of the conversation, how the answers are given)
# In words, in two languages: answering with numbers is tried by the booking and rights
# conversation tests already, and a third run of each case here cost a minute of the suite.
WAYS = [("fr", "fr"), ("en", "en")]


def converse(send, slots, language, way, greet=True):
    """From the first message to the end of the questions: every question answered from ANSWERS."""
    if greet:
        send("bonjour")
    replies = send("1" if (way == "digits" and language == "fr") else LANGUAGE_WORD[language])
    seen = []
    while (asked := slots().get("requested_slot")) is not None:
        assert asked not in seen, f"{asked} asked again: {replies}"  # every answer understood the first time
        seen.append(asked)
        replies = send(ANSWERS[way][asked])
    assert "has_photo_id" in seen
    return replies


PARAMS = {"when": "2026-12-10T09:00:00+01:00", "site": "CMS", "sms_site": "CMS", "reference": "ABC234"}


def sms_prefix(name, language):
    """The first words of a text, before any parameter."""
    return render(name, language, SMS, PARAMS).text.split("{")[0][:12]


def tracker_db(bot):
    return bot.var_dir / "tracker.db"


def let_time_pass(bot, sender, **delta):
    """Move the whole conversation back in time, as if that long had passed since."""
    seconds = timedelta(**delta).total_seconds()
    with sqlite3.connect(tracker_db(bot)) as db:
        rows = db.execute("SELECT id, data FROM events WHERE sender_id = ?", (sender,)).fetchall()
        for row_id, data in rows:
            event = json.loads(data)
            event["timestamp"] = event["timestamp"] - seconds
            db.execute("UPDATE events SET timestamp = timestamp - ?, data = ? WHERE id = ?",
                       (seconds, json.dumps(event), row_id))


def app_db(bot):
    return f"sqlite:///{bot.var_dir / 'pass.db'}"


def person_key(bot, sender):
    return people.person_key(sender, (bot.var_dir / "hash.key").read_text().strip())


def texts_of(replies):
    return [r.get("text", "") if isinstance(r, dict) else r for r in replies]


def no_question(bot, sender):
    return bot.slots(sender).get("requested_slot") is None


@pytest.mark.parametrize("language, way", WAYS)
def test_docs_two_days_later_lists_what_is_still_missing(bot, open_slots, language, way):
    sender = f"case-docs-{language}-{way}"
    converse(lambda text: bot.texts(sender, text), lambda: bot.slots(sender), language, way)
    bot.texts(sender, "non" if language == "fr" else "not now")  # no appointment now
    let_time_pass(bot, sender, days=2)

    texts = bot.texts(sender, DOCS[language])
    assert bot.slots(sender)["rights"], "the case was not resumed"  # a new session, filled from the case
    missing = next(t for t in texts if t.startswith(render("utter_documents_missing", language).text.split("\n")[0]))
    held = next(t for t in texts if t.startswith(render("utter_documents_held", language).text.split("\n")[0]))
    # They said they have a passport: the photo ID is among the papers they have, not missing.
    photo = render("utter_doc_id_with_photo", language).text
    assert photo not in missing and photo in held
    assert render("utter_doc_resources_12_months", language).text in missing
    assert render("utter_ask_consent_given", language).text not in texts and no_question(bot, sender)


def sms_person(bot, phone, language, way):
    """A person who texted, was screened and booked the first time offered. The first message
    comes by SMS (their number is kept, encrypted); the questions go on in the same conversation
    through the REST channel, which is quicker to drive than SMS (no wait for the last SMS)."""
    sender = bot.sms_sender(phone)
    bot.sms(phone, "bonjour")
    converse(lambda text: bot.texts(sender, text), lambda: bot.slots(sender), language, way, greet=False)
    booked = bot.texts(sender, "1")  # the first free time
    assert any(t.startswith(render("utter_booked", language, params=PARAMS).text[:10]) for t in booked), booked
    return sender


def send_due(bot, phone, kind_prefix):
    """The outbox row of this kind falls due now: the SMS worker sends it (to the fake Twilio)."""
    with session_scope(app_db(bot)) as session:
        person = case.person_for(session, person_key(bot, bot.sms_sender(phone)))
        rows = session.execute(select(OutboundSms).where(
            OutboundSms.person_id == person.id, OutboundSms.kind.startswith(kind_prefix),
            OutboundSms.status == "pending").order_by(OutboundSms.due_at.desc())).scalars().all()
        if not rows and kind_prefix == "reminder":  # booked for tomorrow: its 1-day reminder was not written
            upcoming = appointments.upcoming_for_person(session, person.id, datetime.now(timezone.utc))
            rows = [OutboundSms(person_id=person.id, appointment_id=upcoming.id, kind="reminder_test",
                                status="pending", valid_until=upcoming.slot.start_at, quiet_hours=True, attempts=0)]
            session.add(rows[0])
        assert rows, f"no {kind_prefix} SMS waiting"
        rows[0].due_at = datetime.now(timezone.utc) - timedelta(seconds=1)
    before = len(bot.twilio.sent_to(phone))
    return bot.wait_for_sms(phone, before)


@pytest.mark.parametrize("language, way", WAYS)
def test_changer_on_a_reminder_a_day_later_offers_new_times_without_a_question(bot, open_slots, language, way):
    phone = {"digits": "+33611100001", "fr": "+33611100002", "en": "+33611100003"}[way]
    sender = sms_person(bot, phone, language, way)
    reminder = send_due(bot, phone, "reminder")
    assert reminder and reminder[0].startswith(sms_prefix("sms_reminder", language))
    let_time_pass(bot, sender, days=1)

    offer = bot.sms(phone, MOVE[language])
    assert any(render("utter_offer_slots", language, SMS).text.split("\n")[0] in t for t in offer), offer
    assert not any(sms_prefix("utter_confirm_move", language) in t for t in offer)
    assert no_question(bot, sender)
    with session_scope(app_db(bot)) as session:
        before = appointments.upcoming_for_person(session, case.person_for(session, person_key(bot, sender)).id,
                                                  datetime.now(timezone.utc)).reference
    moved = bot.sms(phone, "2")
    with session_scope(app_db(bot)) as session:
        after = appointments.upcoming_for_person(session, case.person_for(session, person_key(bot, sender)).id,
                                                 datetime.now(timezone.utc))
        assert after.reference != before and session.execute(
            select(Appointment.status).where(Appointment.reference == before)).scalar_one() == "cancelled"
    assert any(after.reference in t for t in moved)


@pytest.mark.parametrize("language, way", WAYS)
def test_the_renewal_invitation_books_a_renewal_appointment(bot, open_slots, language, way):
    phone = {"digits": "+33611100011", "fr": "+33611100012", "en": "+33611100013"}[way]
    sender = sms_person(bot, phone, language, way)
    with session_scope(app_db(bot)) as session:  # they came, and got their AME (recorded by staff)
        person = case.person_for(session, person_key(bot, sender))
        first = appointments.upcoming_for_person(session, person.id, datetime.now(timezone.utc))
        appointments.record_visit(session, first.id, "attended", {"AME": "opened"})
        reference = first.reference
    # The renewal SMS goes two months before the end: a few days ahead, so that it waits in the
    # outbox until send_due makes it due (due today after 10:00, the worker sent it at once and
    # the test found nothing waiting: it failed every afternoon).
    ends = date.today() + relativedelta(months=2) + timedelta(days=3)
    env = {**os.environ, "DATABASE_URL": app_db(bot), "PASS_VAR_DIR": str(bot.var_dir)}
    subprocess.run([sys.executable, "-m", "bot", "renewal", reference, ends.isoformat()], cwd=ROOT, env=env, check=True,
                   capture_output=True)
    invitation = send_due(bot, phone, "renewal")
    assert invitation and "AME" not in invitation[0]
    let_time_pass(bot, sender, days=1)

    # They write RDV (or ask in words): a renewal, no screening question, the free times.
    offer = bot.sms(phone, BOOK[language])
    joined = "\n".join(offer)
    assert render("utter_renewal_offer", language, SMS).text in joined
    assert render("utter_offer_slots", language, SMS).text.split("\n")[0] in joined
    assert no_question(bot, sender)
    booked = bot.sms(phone, "1")
    with session_scope(app_db(bot)) as session:
        person = case.person_for(session, person_key(bot, sender))
        renewal = appointments.upcoming_for_person(session, person.id, datetime.now(timezone.utc))
        assert case.purpose_of(session, renewal.id) == "renewal" and renewal.reference != reference
    assert any(renewal.reference in t for t in booked)


@pytest.mark.parametrize("language, way, written", [("fr", "fr", "{ref}"), ("en", "en", "ref: {ref}"),
                                                     ("fr", "digits", "Réf. {lower}")])
def test_the_booking_reference_resumes_the_case_in_another_conversation(bot, open_slots, language, way, written):
    first = f"case-ref-first-{language}-{way}"
    converse(lambda text: bot.texts(first, text), lambda: bot.slots(first), language, way)
    booked = bot.texts(first, "1")
    with session_scope(app_db(bot)) as session:
        person = case.person_for(session, person_key(bot, first))
        reference = appointments.upcoming_for_person(session, person.id, datetime.now(timezone.utc)).reference
    assert any(reference in t for t in booked)

    other = f"web-case-ref-other-{language}-{way}"  # another device, days later, no cookie of theirs
    status = bot.say(other, written.format(ref=reference, lower=reference.lower()))
    assert status[-1]["text"].startswith(sms_prefix("utter_appointment_status", language))  # in their language
    assert [b["payload"] for b in status[-1]["buttons"]] == ["/affirm", "/reschedule_appointment", "/cancel_appointment"]
    texts = bot.texts(other, DOCS[language])
    assert any(t.startswith(render("utter_documents_missing", language).text.split("\n")[0]) for t in texts)
    asked = bot.texts(other, "ANNULER" if language == "fr" else "CANCEL")[-1]
    assert asked.startswith(sms_prefix("utter_confirm_cancel", language)) and no_question(bot, other)


def test_a_six_letter_word_is_not_taken_for_a_reference(bot):
    # Not one of ours: read as any message (here the greeting and the language menu).
    replies = bot.texts("case-ref-word", "BANANE")
    assert replies and not any(sms_prefix("utter_appointment_status", "fr") in t for t in replies)


@pytest.mark.parametrize("language, cover", [("fr", "j'ai l'AME"), ("en", "I have AME")])
def test_on_an_ame_that_ends_the_screening_offers_a_renewal_not_already_covered(bot, open_slots, language, cover):
    sender = f"case-renewal-screening-{language}"
    converse(lambda text: bot.texts(sender, text), lambda: bot.slots(sender), language, language)
    bot.texts(sender, "1")  # booked; they came and got their AME, ending in two months
    with session_scope(app_db(bot)) as session:
        person = case.person_for(session, person_key(bot, sender))
        first = appointments.upcoming_for_person(session, person.id, datetime.now(timezone.utc))
        appointments.record_visit(session, first.id, "attended", {"AME": "opened"})
        person.cover_ends_on = date.today() + relativedelta(months=2)
    let_time_pass(bot, sender, days=3)

    # A new screening: "I have AME" would fail "no active cover"; an AME that ends is renewed.
    answers = {**ANSWERS[language], "current_cover": cover}
    bot.texts(sender, "bonjour" if language == "fr" else "hello")
    replies = bot.texts(sender, LANGUAGE_WORD[language])
    while (asked := bot.slots(sender).get("requested_slot")) is not None:
        replies = bot.texts(sender, answers[asked])
    assert bot.slots(sender)["current_cover"] == "ame"
    joined = "\n".join(replies)
    assert render("utter_renewal_offer", language).text in joined and joined.count(render("utter_renewal_offer", language).text) == 1
    assert render("utter_pass_not_eligible", language).text not in joined
    assert render("utter_offer_slots", language).text in joined


@pytest.mark.parametrize("language, way", [("fr", "fr"), ("en", "en"), ("fr", "digits")])
def test_the_three_months_invitation_rechecks_the_months_then_offers_a_slot(bot, open_slots, language, way):
    phone = {"digits": "+33611100021", "fr": "+33611100022", "en": "+33611100023"}[way]
    sender = bot.sms_sender(phone)
    bot.sms(phone, "bonjour")
    answers = {**ANSWERS[way], "months_in_france": {"fr": "depuis 1 mois", "en": "1 month", "digits": "1"}[way]}
    send = lambda text: bot.texts(sender, text)
    send("1" if way == "digits" else LANGUAGE_WORD[language])
    while (asked := bot.slots(sender).get("requested_slot")) is not None:
        send(answers[asked])
    assert "REMIND_AT_3_MONTHS" in bot.slots(sender)["rights"]
    send("non" if language == "fr" else "not now")
    with session_scope(app_db(bot)) as session:  # two months and a day pass
        person = case.person_for(session, person_key(bot, sender))
        case.latest(session, person.id).decided_on = date.today() - relativedelta(months=2, days=1)
    invitation = send_due(bot, phone, "three_months")
    assert invitation and "AME" not in invitation[0]
    let_time_pass(bot, sender, days=62)

    replies = bot.sms(phone, BOOK[language])
    # Only what the rules need now that the 3 months are passed (the money, the household...),
    # never the screening or the months again; then the new checklist and the free times.
    asked = []
    while (fact := bot.slots(sender).get("requested_slot")) is not None:
        asked.append(fact)
        replies = bot.texts(sender, answers[fact])
    assert asked and not {"consent_given", "health_problem", "months_in_france", "residence_status"} & set(asked)
    joined = "\n".join(replies)
    assert render("utter_right_ame_first_in_person", language).text in joined
    assert render("utter_offer_slots", language).text.split("\n")[0] in joined
    bot.texts(sender, "1")
    with session_scope(app_db(bot)) as session:
        person = case.person_for(session, person_key(bot, sender))
        latest = case.latest(session, person.id)
        booked = appointments.upcoming_for_person(session, person.id, datetime.now(timezone.utc))
        assert latest.cause == "three_months" and "AME_FIRST_IN_PERSON" in latest.rights
        assert case.purpose_of(session, booked.id) == "three_months"


HAVE_NOW = {"fr": "c'est bon j'ai les relevés de compte maintenant", "en": "I have the bank statements now"}


@pytest.mark.parametrize("language, way", WAYS)
def test_a_paper_said_held_later_is_left_out_of_docs(bot, open_slots, language, way):
    """"I already have X" after the checklist: noted in the case, DOCS days later leaves it out."""
    sender = f"case-have-{language}-{way}"
    converse(lambda text: bot.texts(sender, text), lambda: bot.slots(sender), language, way)
    bot.texts(sender, "non" if language == "fr" else "not now")  # no appointment now
    texts = bot.texts(sender, HAVE_NOW[language])
    resources = render("utter_doc_resources_12_months", language).text
    proofs = render("utter_doc_proof_of_residence_3_months", language).text
    assert texts[0].startswith(render("utter_documents_noted", language).text.split("\n")[0]) and resources in texts[0]
    assert proofs in texts[1] and resources not in texts[1]  # still to get

    let_time_pass(bot, sender, days=2)
    texts = bot.texts(sender, DOCS[language])
    missing = next(t for t in texts if t.startswith(render("utter_documents_missing", language).text.split("\n")[0]))
    held = next(t for t in texts if t.startswith(render("utter_documents_held", language).text.split("\n")[0]))
    assert proofs in missing and resources not in missing and resources in held


UNREADABLE_HOUSEHOLD = {"fr": ["moi et mes deux enfants", "c'est compliqué", "je ne sais pas trop"],
                        "en": ["me and my two kids", "it's complicated", "hard to say"]}
STRAY = {"fr": "je ne sais pas ce que c'est", "en": "I need a doctor"}


@pytest.mark.parametrize("language", ["fr", "en"])
def test_after_a_question_given_up_a_stray_message_does_not_start_the_questions_again(bot, open_slots, language):
    """Three unreadable answers: a social worker will see them, and the times are offered. What
    the person writes next ("je ne sais pas ce que c'est", "I need a doctor") once started the
    questions again, "good news" and the question given up on, then the handoff, in turn."""
    sender = f"given-up-{language}"
    answers = dict(ANSWERS[language])
    send = lambda text: bot.say(sender, text)  # noqa: E731
    send("bonjour")
    send(LANGUAGE_WORD[language])
    while (asked := bot.slots(sender).get("requested_slot")) not in (None, "household_size"):
        send(answers[asked])
    assert asked == "household_size"
    for text in UNREADABLE_HOUSEHOLD[language]:
        replies = texts_of(send(text))
    assert render("utter_unclear_handoff", language).text in replies  # a person will see them
    for _ in range(2):
        replies = send(STRAY[language])
        said = texts_of(replies)
        assert render("utter_pass_eligible", language).text not in said
        assert bot.slots(sender).get("requested_slot") is None  # no question again
        assert replies[-1].get("buttons"), said  # the times, to book with the social worker


def test_after_the_outcome_a_booked_person_s_stray_message_offers_no_times_that_would_move_it(bot, open_slots):
    """The times offered again after a stray message would move a booked appointment with the
    next reply that names one (the bad-input wall did it with "🉑🕹9️⃣"): not offered then."""
    from tests.test_safety import appointment_status, give_appointment

    sender = "given-up-booked"
    send = lambda text: bot.say(sender, text)  # noqa: E731
    send("bonjour")
    send(LANGUAGE_WORD["fr"])
    while (asked := bot.slots(sender).get("requested_slot")) not in (None, "household_size"):
        send(ANSWERS["fr"][asked])
    for text in UNREADABLE_HOUSEHOLD["fr"]:
        send(text)
    reference = give_appointment(bot, sender, "fr")["reference"]
    replies = send(STRAY["fr"])
    assert not any(r.get("buttons") for r in replies), texts_of(replies)
    assert texts_of(replies) == [render("utter_not_understood_free", "fr").text]
    assert appointment_status(bot, reference) == "booked"
