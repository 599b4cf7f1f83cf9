"""Issue 17 (web chat): a web-chat person gives a number for SMS reminders, answered in words in
their language and confirmed by a code sent by SMS (through the outbox and the real twilio
client to the fake Twilio), then gets the reminders; can remove the number; a social worker's
late answer is shown and announced by SMS; an expired conversation on a shared browser shows
nothing of the case until the reference or a code proves who is there."""
import re
from datetime import timedelta

import pytest
from sqlalchemy import select

from bot import choices, crypto, people, webchat
from bot.actions import reminder_number as rn
from bot.database import session_scope
from bot.i18n import SUPPORTED_LANGUAGES, gettext
from bot.models import Appointment, OutboundSms, Person, PhoneCheck
from bot.sms import is_gsm7
from tests.test_sms_outbox import IN_THREE_DAYS, book, make_due, rows, worker

PHONE = "+33612345678"


def web_person(cfg, language: str = "fr") -> str:
    """A web-chat person who agreed to the notice; their person key."""
    key = people.person_key(webchat.sender_id(webchat.new_conversation_id()), cfg.hash_key)
    with session_scope(cfg.database_url) as session:
        person = people.record_consent(session, key, "web")
        person.language = language
    return key


def person_id(cfg, key: str) -> int:
    with session_scope(cfg.database_url) as session:
        return people.find(session, key).id


class Web:
    """One web-chat conversation, as the channel drives bot.actions.reminder_number."""

    def __init__(self, cfg, key: str, language: str) -> None:
        self.cfg, self.key, self.language, self.menu = cfg, key, language, []

    def offer(self, when: str) -> dict:
        with session_scope(self.cfg.database_url) as session:
            offered = rn.offer(session, self.key, self.language, when, self.cfg.data_key)
        self.menu = offered["buttons"] if offered else []
        return offered

    def write(self, typed: str = "", said: str | None = None) -> list[dict] | None:
        """What the person writes (or `said`: the payload of a button, or what the channel made
        of the words); the web chat's answer, or None when it is left to Rasa."""
        if said is None:
            said = choices.confirmation(self.menu) if (choices.confirmation(self.menu) and typed.lower() in (
                "oui", "yes", "نعم", "si", "sim")) else typed
        with session_scope(self.cfg.database_url) as session:
            turn = rn.reply(session, self.key, self.language, typed, said, self.menu,
                            self.cfg.hash_key, self.cfg.data_key)
        if turn is None:
            return None
        self.menu = turn.messages[-1]["buttons"]
        assert not re.search(r"\d{4}", turn.shown)  # no number nor code reaches the conversation
        return turn.messages


def text(name: str, language: str, **params) -> str:
    return rn.text(name, language, **params)


def code_in(body: str) -> str:
    return re.search(r"\d{6}", body)[0]


@pytest.mark.parametrize("language, number, yes", [("en", "my number is 06 12 34 56 78", None),
                                                   ("fr", "06 12 34 56 78", "oui"),
                                                   ("ar", "رقمي ٠٦١٢٣٤٥٦٧٨", None)])
def test_a_web_chat_person_gets_the_sms_code_then_the_reminders_in_the_fake_twilio(cfg, fake, language, number, yes):
    key = web_person(cfg, language)
    book(cfg, person_id(cfg, key), IN_THREE_DAYS)
    with session_scope(cfg.database_url) as session:
        when = rn._next_when(session, person_id(cfg, key), rn.utcnow())
    chat = Web(cfg, key, language)
    offered = chat.offer(when)
    assert offered["text"] == text("offer", language, when=rn._when(when))
    if yes:
        assert chat.write(yes)[0]["text"] == text("ask_number", language)
    assert chat.write(number)[0]["text"] == text("code_sent", language, last="78")

    sender = worker(cfg)
    sender.run_once()
    [code_sms] = fake.sent_to(PHONE)
    assert not re.search(r"\b(PASS|AME)\b", code_sms)
    with session_scope(cfg.database_url) as session:  # not the person's number until the code comes back
        assert people.find(session, key).phone_encrypted is None

    assert chat.write(code_in(code_sms))[0]["text"] == text("confirmed", language, last="78")
    with session_scope(cfg.database_url) as session:
        person = people.find(session, key)
        assert PHONE not in person.phone_encrypted and crypto.decrypt(person.phone_encrypted, cfg.data_key) == PHONE
        assert session.execute(select(PhoneCheck)).first() is None

    make_due(cfg)
    assert sender.run_once() == 2
    reminders = fake.sent_to(PHONE)[1:]
    sent = {r.body for r in rows(cfg, status="sent") if r.kind.startswith("reminder_")}
    assert len(reminders) == 2 and set(reminders) == sent


def test_a_wrong_code_keeps_nothing_and_no_reminder_goes(cfg, fake):
    key = web_person(cfg, "fr")
    book(cfg, person_id(cfg, key), IN_THREE_DAYS)
    chat = Web(cfg, key, "fr")
    chat.offer(IN_THREE_DAYS.isoformat())
    chat.write("mon numéro c'est le 06 12 34 56 78")
    worker(cfg).run_once()
    real = code_in(fake.sent_to(PHONE)[0])
    wrong = f"{(int(real) + 1) % 10 ** 6:06d}"
    for _ in range(rn.MAX_CODE_ATTEMPTS - 1):
        assert chat.write(wrong)[0]["text"] == text("code_wrong", "fr")
    assert chat.write(wrong)[0]["text"] == text("code_expired", "fr")
    assert chat.write(real) is None  # the check is gone: the right code no longer works either
    make_due(cfg)
    worker(cfg).run_once()
    assert len(fake.sent_to(PHONE)) == 1  # only the code
    assert {r.status for r in rows(cfg, appointment_id=rows(cfg, kind="reminder_1d")[0].appointment_id)} == {"skipped"}


def test_no_thanks_says_no_reminder_will_come_with_the_date_to_note(cfg):
    for day, (language, no) in enumerate((("fr", "non merci"), ("es", "no, gracias"), ("en", "no thanks"))):
        key = web_person(cfg, language)
        book(cfg, person_id(cfg, key), IN_THREE_DAYS + timedelta(days=day))
        chat = Web(cfg, key, language)
        chat.offer(IN_THREE_DAYS.isoformat())
        with session_scope(cfg.database_url) as session:
            when = rn._next_when(session, person_id(cfg, key), rn.utcnow())
        assert chat.write(no)[0]["text"] == text("declined", language, when=rn._when(when))


def test_a_landline_or_half_a_number_is_asked_again_and_another_subject_goes_to_rasa(cfg):
    key = web_person(cfg, "fr")
    chat = Web(cfg, key, "fr")
    chat.offer(IN_THREE_DAYS.isoformat())
    assert chat.write("01 45 67 89 10")[0]["text"] == text("not_mobile", "fr")
    assert chat.write("06 12 34")[0]["text"] == text("not_a_number", "fr")
    assert chat.write("je ne veux plus vivre") is None  # a negation is not a "no": Rasa (and its safety answer)
    assert chat.write("où est le centre ?") is None  # the offer lapses, Rasa answers
    assert chat.write("06 12 34 56 78") is None


def test_the_number_is_removed_only_after_a_clear_request_and_a_yes(cfg, fake):
    key = web_person(cfg, "fr")
    book(cfg, person_id(cfg, key), IN_THREE_DAYS)
    chat = Web(cfg, key, "fr")
    chat.offer(IN_THREE_DAYS.isoformat())
    chat.write("06 12 34 56 78")
    worker(cfg).run_once()
    chat.write(code_in(fake.sent_to(PHONE)[0]))
    assert chat.write("bonjour") is None
    asked = chat.write("je veux supprimer mon numéro")[0]
    assert asked["text"] == text("withdraw_ask", "fr", last="78")
    assert chat.write("euh", said=choices.DENY)[0]["text"] == text("kept", "fr")  # a no (or unclear): kept
    chat.write("please delete my phone number")
    assert chat.write("oui")[0]["text"] == text("withdrawn", "fr")
    with session_scope(cfg.database_url) as session:
        person = people.find(session, key)
        assert person.phone_encrypted is None and person.phone_key is None
    make_due(cfg)
    worker(cfg).run_once()
    assert len(fake.sent_to(PHONE)) == 1  # the code only: no reminder after the removal


def test_a_late_answer_is_announced_once_by_a_neutral_sms(cfg, fake):
    key = web_person(cfg, "pt")
    with session_scope(cfg.database_url) as session:
        person = people.find(session, key)
        person.phone_encrypted = crypto.encrypt(PHONE, cfg.data_key)
        assert rn.answer_waiting(session, person, cfg.data_key)
        assert not rn.answer_waiting(session, person, cfg.data_key)  # the second answer of the day: no SMS
    worker(cfg).run_once()
    assert fake.sent_to(PHONE) == [text("sms_answer", "pt")]
    with session_scope(cfg.database_url) as session:
        nobody = people.find(session, web_person(cfg, "fr"))
        assert not rn.answer_waiting(session, nobody, cfg.data_key)  # no number: nothing


def test_an_expired_conversation_shows_only_the_late_answers_of_a_social_worker():
    events = [{"event": "user", "text": "HUMAIN", "timestamp": 0},
              {"event": "bot", "text": "Votre rendez-vous : mardi, référence AB12CD", "timestamp": 1},
              {"event": "bot", "text": "Bonjour, ici Claire.", "metadata": {"staff": True}, "timestamp": 2}]
    assert webchat.history(events, 720, now=721 * 60) == [{"from": "bot", "text": "Bonjour, ici Claire.", "buttons": []}]


def test_a_locked_conversation_opens_with_the_reference_or_the_sms_code_and_not_me_leaves_it(cfg, fake):
    key = web_person(cfg, "fr")
    reference = book(cfg, person_id(cfg, key), IN_THREE_DAYS)
    gate = lambda typed="", said="": webchat.gate_reply(session, key, "fr", typed, said, cfg.hash_key, cfg.data_key)
    with session_scope(cfg.database_url) as session:
        prompt = webchat.gate_prompt(webchat.lockable(session, key), "fr", cfg.data_key)
        assert prompt["text"] == gettext(webchat.GATE_TEXTS["locked_reference"], "fr")
        assert [b["payload"] for b in prompt["buttons"]] == [webchat.NOT_ME]  # no number: no code
        assert reference not in str(gate("bonjour").messages) and not gate("bonjour").unlocked
        assert gate(said=webchat.NOT_ME).new_conversation
        assert gate(f"ma référence est {reference.lower()}").unlocked
        person = people.find(session, key)
        person.phone_encrypted = crypto.encrypt(PHONE, cfg.data_key)
        sent = gate(said=webchat.SEND_CODE)
        assert sent.messages[0]["text"] == rn.text("code_sent", "fr", last="78")
    worker(cfg).run_once()
    with session_scope(cfg.database_url) as session:
        assert gate(code_in(fake.sent_to(PHONE)[0])).unlocked
        assert session.get(Appointment, 1).status == "booked"  # nothing of the case was changed


def test_guessing_references_stops_after_a_few_tries(cfg):
    key = web_person(cfg, "en")
    reference = book(cfg, person_id(cfg, key), IN_THREE_DAYS)
    with session_scope(cfg.database_url) as session:
        for _ in range(webchat.MAX_GUESSES):
            assert not webchat.gate_reply(session, key, "en", "ZZ99ZZ", "", cfg.hash_key, cfg.data_key).unlocked
        after = webchat.gate_reply(session, key, "en", reference, "", cfg.hash_key, cfg.data_key)
        assert not after.unlocked and after.messages[0]["text"] == gettext(webchat.GATE_TEXTS["too_many"], "en")


LATIN = {"fr", "en", "ro", "es", "pt"}


@pytest.mark.parametrize("language", SUPPORTED_LANGUAGES)
def test_every_new_text_is_translated_and_the_sms_are_neutral_and_gsm7(language):
    for msgid in [*rn.TEXTS.values(), *webchat.GATE_TEXTS.values()]:
        translated = gettext(msgid, language)
        assert translated and (language == "en" or translated != msgid), (language, msgid)
        assert re.findall(r"\{\w+\}", translated) == re.findall(r"\{\w+\}", msgid), (language, msgid)
    for name in ("sms_code", "sms_answer"):
        body = rn.text(name, language, code="123456")
        assert not re.search(r"\b(PASS|AME)\b", body)
        if language in LATIN:
            assert is_gsm7(body), (language, body)


@pytest.mark.parametrize("language", SUPPORTED_LANGUAGES)
def test_the_words_the_confirmation_suggests_for_removing_the_number_are_understood(language):
    suggested = rn.text("confirmed", language, last="78").rsplit(":", 1)[1]
    assert rn.asks_withdrawal(suggested), (language, suggested)
    assert rn.asks_withdrawal("STOP")
    assert not rn.asks_withdrawal(gettext(rn.TEXTS["no"], language))
    assert not rn.asks_withdrawal(rn.text("ask_number", language))


WORDS = {"fr": ("oui", "non merci"), "en": ("yes", "no thanks"), "ar": ("نعم", "لا شكرا"),
         "pt": ("sim", "não, obrigado"), "ro": ("da", "nu, mulțumesc"), "es": ("sí", "no gracias"),
         "fa": ("بله", "نه ممنون"), "bn": ("হ্যাঁ", "না ধন্যবাদ")}


@pytest.mark.parametrize("language", SUPPORTED_LANGUAGES)
def test_the_offer_is_answered_by_a_yes_or_a_no_in_words_in_every_language(cfg, language):
    yes, no = WORDS[language]
    key = web_person(cfg, language)
    book(cfg, person_id(cfg, key), IN_THREE_DAYS)
    chat = Web(cfg, key, language)
    chat.offer(IN_THREE_DAYS.isoformat())
    assert chat.write(yes)[0]["text"] == text("ask_number", language)
    with session_scope(cfg.database_url) as session:
        when = rn._when(rn._next_when(session, person_id(cfg, key), rn.utcnow()))
    assert chat.write(no)[0]["text"] == text("declined", language, when=when)
    assert chat.write(yes) is None  # the offer is closed: a later "yes" is Rasa's
