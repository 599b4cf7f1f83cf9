"""SMS reminders for web-chat people, and the one-time codes that prove a number (issue 17).

After a booking in the web chat, someone without a confirmed number is offered SMS reminders
(action_book_slot calls `offer`). They answer in words: "oui", "non merci", "06 12 34 56 78",
"my number is …", in any of our languages. A number is only kept once the code sent to it by
SMS is typed back (so a misread or mistyped number never gets someone else's reminders); it is
then kept encrypted like an SMS person's (bot/crypto.py), and the reminder rows the booking
already wrote (bot/reminders.py) go to it. "Supprimer mon numéro" asks first, then removes it.

Plain Python over the app database: the web chat channel (bot/channels/webchat.py) calls
`reply` for each message before Rasa sees it; None means "not ours, Rasa answers".
The same codes let a returning browser show who it is (bot/webchat.py, `unlock`).
"""
from __future__ import annotations

import hashlib
import hmac
import re
import secrets
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from typing import Any, Mapping, Sequence

from sqlalchemy import select
from sqlalchemy.orm import Session

from bot import choices, confirm, crypto, opt_out, outbox, people, phones
from bot.i18n import N_, gettext
from bot.models import Appointment, OutboundSms, Person, PhoneCheck, Slot, utcnow
from bot.rendering import SMS, WEB, _format
from bot.sms import fold_to_gsm7

CODE_DIGITS = 6
CODE_VALIDITY = timedelta(minutes=15)
MAX_CODE_ATTEMPTS = 5
ANSWER_SMS_EVERY = timedelta(hours=12)  # at most one "an answer is waiting" SMS in that time
REMINDERS, UNLOCK = "reminders", "unlock"
# Outbox kinds of the code SMS: the first goes to the number waiting for its code, the second
# to the person's confirmed number (bot/sms_worker.py asks `destination`).
CODE_KIND, UNLOCK_KIND, ANSWER_KIND = "phone_code", "unlock_code", "answer_waiting"

# The choices' payloads: only ever seen by the web channel (checked against the open menu).
YES, NO = "/reminders_yes", "/reminders_no"
# A confirmation in bot.choices' form, so "oui" / "1" / "نعم" confirm it as for a cancellation.
WITHDRAW = '/affirm{"confirm": "withdraw_number"}'
KEEP = "/reminders_keep"

TEXTS = {
    "offer": N_("No reminder will come unless you give a mobile number: please note the date, {when}. "
                "Would you like a reminder by SMS? Write your mobile number (for example 06 12 34 56 78), "
                "or answer no."),
    "yes": N_("Yes, by SMS"),
    "no": N_("No thanks"),
    "ask_number": N_("Write your mobile number, for example 06 12 34 56 78."),
    "not_mobile": N_("This number cannot receive SMS. Please write a mobile number, or answer no."),
    "not_a_number": N_("This is not a full phone number. Please write it again, for example 06 12 34 56 78, "
                       "or answer no."),
    "code_sent": N_("We have sent a code by SMS to the number ending in {last}. Write the code here."),
    "code_wrong": N_("This code is not right. Please check the SMS and write the code again."),
    "code_expired": N_("This code no longer works. Write your number again to get a new one."),
    "confirmed": N_("Thank you: your reminders will come by SMS to the number ending in {last}. To remove "
                    "your number, write: remove my number."),
    "declined": N_("All right: no reminder will come. Please note the date of your appointment: {when}."),
    "withdraw_ask": N_("Remove your number ending in {last}? No more SMS will come."),
    "withdraw_yes": N_("Yes, remove it"),
    "withdraw_no": N_("No, keep it"),
    "withdrawn": N_("Your number has been removed: no more SMS will come."),
    "kept": N_("Your number is kept."),
    # SMS: neutral (no "PASS", "AME" or reason: a phone is often shared), GSM-7 in Latin scripts.
    "sms_code": N_("Your code: {code}. Write it in the chat. If you did not ask for it, ignore this message."),
    "sms_answer": N_("You have a new answer in the chat. Open the chat to read it."),
}

# "Remove my number": a word for "number" and a word for "remove", in any of our languages
# (normalised as bot.confirm reads them: lower case, no accents). Or STOP alone.
WITHDRAW_WORDS = {
    "fr": (("numero", "telephone"), ("supprim", "retir", "effac", "enlev")),
    "en": (("number", "phone"), ("remove", "delete", "erase", "withdraw")),
    "ar": (("رقم", "تلفون", "هاتف"), ("احذف", "حذف", "امسح", "مسح", "ازال", "شيل", "الغاء")),
    "ro": (("numar", "telefon"), ("sterg", "elimin", "retrag", "scoate")),
    "es": (("numero", "telefono"), ("borr", "elimin", "quit", "retir", "suprim")),
    "pt": (("numero", "telefone"), ("apag", "remov", "retir", "elimin", "exclu")),
    "fa": (("شماره", "تلفن"), ("حذف", "پاک", "بردار")),
    "bn": (("নম্বর", "নাম্বার", "ফোন"), ("মুছ", "সরি", "বাদ")),
}


@dataclass
class Turn:
    """What the web chat answers, and how the person's message is kept in the conversation
    (digits masked: a number or a code never reaches the conversation's history)."""

    messages: list[dict] = field(default_factory=list)
    shown: str = ""


def text(name: str, language: str, kind: str = WEB, **params: Any) -> str:
    said = gettext(TEXTS[name], language)
    return said.format(**{k: _format(v, language, kind) for k, v in params.items()}) if params else said


def message(name: str, language: str, buttons: Sequence[tuple[str, str]] = (), **params: Any) -> dict:
    return {"text": text(name, language, **params),
            "buttons": [{"title": text(title, language), "payload": payload} for title, payload in buttons]}


def mask(typed: str) -> str:
    return re.sub(r"\d", "•", typed)


def _last(address: phones.Address) -> str:
    return address.e164[-2:]


def _code_hash(code: str, hash_key: str) -> str:
    return hmac.new(hash_key.encode(), f"phone-code:{code}".encode(), hashlib.sha256).hexdigest()


def _check(session: Session, person_id: int, purpose: str) -> PhoneCheck | None:
    return session.execute(select(PhoneCheck).where(PhoneCheck.person_id == person_id,
                                                    PhoneCheck.purpose == purpose)).scalar_one_or_none()


def _set_check(session: Session, person_id: int, purpose: str, step: str) -> PhoneCheck:
    check = _check(session, person_id, purpose)
    if check is None:
        check = PhoneCheck(person_id=person_id, purpose=purpose, step=step, attempts=0)
        session.add(check)
    check.step = step
    session.flush()
    return check


def _drop(session: Session, check: PhoneCheck | None) -> None:
    if check is not None:
        session.delete(check)
        session.flush()


def _next_when(session: Session, person_id: int, now: datetime) -> str | None:
    from bot.booking.appointments import start_iso  # the booking package imports bot.reminders

    slot = session.execute(
        select(Slot).join(Appointment, Appointment.slot_id == Slot.id)
        .where(Appointment.person_id == person_id, Appointment.status == "booked", Slot.start_at > now)
        .order_by(Slot.start_at).limit(1)).scalar_one_or_none()
    return start_iso(slot) if slot else None


def _when(iso: str | None) -> datetime | None:
    return datetime.fromisoformat(iso) if iso else None


# --- the booking's hook ---------------------------------------------------------------------

def offer(session: Session, key: str, language: str, when: str, data_key: str) -> dict | None:
    """After a web-chat booking: the offer of SMS reminders (which also says plainly that none
    will come without a number, with the date to note), or None for someone whose reminders
    already have a number."""
    person = people.find(session, key)
    if person is None or (people.phone_of(person, data_key) and person.sms_opted_out_at is None):
        return None
    _set_check(session, person.id, REMINDERS, "offered")
    return message("offer", language, [("yes", YES), ("no", NO)], when=_when(when))


# --- one-time codes -------------------------------------------------------------------------

def send_code(session: Session, person: Person, purpose: str, address: phones.Address | None,
              language: str, hash_key: str, data_key: str, now: datetime | None = None) -> PhoneCheck:
    """A new code, by SMS (through the outbox, at once), replacing any earlier one. For
    `reminders` the number waits encrypted on the check until the code comes back."""
    now = now or utcnow()
    code = f"{secrets.randbelow(10 ** CODE_DIGITS):0{CODE_DIGITS}d}"
    check = _set_check(session, person.id, purpose, "code")
    check.code_hash, check.expires_at = _code_hash(code, hash_key), now + CODE_VALIDITY
    if purpose == REMINDERS:  # a returning browser's wrong guesses count across codes (bot.webchat)
        check.attempts = 0
    check.phone_encrypted = crypto.encrypt(address.twilio, data_key) if address else None
    body = fold_to_gsm7(text("sms_code", language, SMS, code=code))
    outbox.enqueue_reply(session, person.id, body, kind=CODE_KIND if purpose == REMINDERS else UNLOCK_KIND, now=now)
    return check


def typed_code(typed: str | None) -> str | None:
    """The code in a message: six digits, maybe spaced ("123 456"), maybe in another script."""
    digits = "".join(str(int(c)) for c in typed or "" if c.isdigit())
    rest = re.sub(r"[\d\s.\-]", "", typed or "")
    return digits if len(digits) == CODE_DIGITS and len(rest) <= 12 else None


def check_code(session: Session, check: PhoneCheck, code: str, hash_key: str, now: datetime | None = None) -> str:
    """'ok', 'wrong' (try again) or 'expired' (too old or too many tries: the check is gone)."""
    now = now or utcnow()
    if check.expires_at is None or now > check.expires_at or check.attempts >= MAX_CODE_ATTEMPTS:
        _drop(session, check)
        return "expired"
    if hmac.compare_digest(check.code_hash or "", _code_hash(code, hash_key)):
        return "ok"
    check.attempts += 1
    if check.attempts >= MAX_CODE_ATTEMPTS:
        _drop(session, check)
        return "expired"
    return "wrong"


def destination(session: Session, row, person: Person, data_key: str) -> phones.Address | None:
    """Where an outbox row goes: a reminders code to the number waiting for it; anything else
    to the person's confirmed number."""
    if row.kind == CODE_KIND:
        check = _check(session, person.id, REMINDERS)
        if check is None or not check.phone_encrypted:
            return None
        return phones.parse(crypto.decrypt(check.phone_encrypted, data_key))
    return people.phone_of(person, data_key)


def confirm_number(session: Session, person: Person, check: PhoneCheck, hash_key: str, data_key: str) -> phones.Address:
    """The confirmed number becomes the person's, kept as an SMS person's is. Its keyed hash
    (to recognise it) only if no other person holds that number already."""
    address = phones.parse(crypto.decrypt(check.phone_encrypted, data_key))
    phone_key = people.person_key(address.e164, hash_key)
    taken = session.execute(select(Person.id).where(Person.phone_key == phone_key, Person.id != person.id)).first()
    person.phone_key = None if taken else phone_key
    person.phone_encrypted = crypto.encrypt(address.twilio, data_key)
    person.sms_opted_out_at = None  # they just asked for SMS, and proved the number
    _drop(session, check)
    return address


def withdraw_number(session: Session, person: Person) -> None:
    person.phone_key = None
    person.phone_encrypted = None
    _drop(session, _check(session, person.id, REMINDERS))


# --- reading the answers --------------------------------------------------------------------

def _is_yes(typed: str, language: str) -> bool:
    return confirm.clear_yes(typed, language)


MAX_WORDS_FOR_NO = 3  # "non merci", "no, gracias": longer sentences go to Rasa (a negation is not a no)


def _is_no(typed: str, language: str) -> bool:
    plain = confirm._plain(typed)
    _, no, _ = confirm.vocabulary(language)
    words = plain.split()
    return (0 < len(words) <= MAX_WORDS_FOR_NO and phones.digit_count(typed) == 0
            and (plain in no or words[0] in no))


def asks_withdrawal(typed: str) -> bool:
    """ "supprimer mon numéro", "remove my number", "احذف رقمي", or STOP alone."""
    if opt_out.keyword(typed) == "stop":
        return True
    plain = confirm._plain(typed)
    return any(any(n in plain for n in nouns) and any(v in plain for v in verbs)
               for nouns, verbs in WITHDRAW_WORDS.values())


def may_reply(session: Session, key: str) -> bool:
    """Whether `reply` may answer this person at all (offered reminders, or holding a number)."""
    person = people.find(session, key)
    return person is not None and (person.phone_encrypted is not None
                                   or _check(session, person.id, REMINDERS) is not None)


def reply(session: Session, key: str, language: str, typed: str, said: str, menu: Sequence[Mapping[str, str]],
          hash_key: str, data_key: str, now: datetime | None = None) -> Turn | None:
    """The web chat's answer to a message about reminders, or None when it is not one.
    `typed` is what the person wrote ("" for a button), `said` what it stands for (the
    button's payload, or what bot.channels.incoming.prepare made of the text)."""
    now = now or utcnow()
    person = people.find(session, key)
    if person is None:
        return None
    offered = [b.get("payload") for b in menu]
    shown = mask(typed) if typed else said

    # Removing the number: asked for in words, then confirmed.
    if WITHDRAW in offered:
        if said == WITHDRAW:
            withdraw_number(session, person)
            return Turn([message("withdrawn", language)], shown)
        if said in (KEEP, choices.DENY):
            return Turn([message("kept", language)], shown)
    address = people.phone_of(person, data_key)
    if address and typed and asks_withdrawal(typed):
        return Turn([message("withdraw_ask", language, [("withdraw_yes", WITHDRAW), ("withdraw_no", KEEP)],
                             last=_last(address))], shown)

    check = _check(session, person.id, REMINDERS)
    if check is None:
        return None
    found = phones.find(typed)
    if check.step == "code" and (code := typed_code(typed)) and not found:
        outcome = check_code(session, check, code, hash_key, now)
        if outcome == "ok":
            kept = confirm_number(session, person, check, hash_key, data_key)
            return Turn([message("confirmed", language, last=_last(kept))], shown)
        return Turn([message("code_wrong" if outcome == "wrong" else "code_expired", language)], shown)
    if found:
        if not found.mobile:
            _set_check(session, person.id, REMINDERS, "number")
            return Turn([message("not_mobile", language, [("no", NO)])], shown)
        send_code(session, person, REMINDERS, found.address, language, hash_key, data_key, now)
        return Turn([message("code_sent", language, last=_last(found.address))], shown)
    if said == YES or (check.step == "offered" and typed and _is_yes(typed, language)):
        _set_check(session, person.id, REMINDERS, "number")
        return Turn([message("ask_number", language, [("no", NO)])], shown)
    if said == NO or (typed and _is_no(typed, language)):
        when = _next_when(session, person.id, now)
        _drop(session, check)
        return Turn([message("declined", language, when=_when(when) or "")], shown)
    if check.step in ("offered", "number") and phones.digit_count(typed) >= 6:
        return Turn([message("not_a_number", language, [("no", NO)])], shown)
    if check.step != "code":
        _drop(session, check)  # the person moved on: the offer lapses, Rasa answers
    return None


def answer_waiting(session: Session, person: Person, data_key: str, now: datetime | None = None) -> bool:
    """A social worker answered a web-chat person: an SMS says an answer is waiting (neutral),
    if they gave a number and did not write STOP. Whether one was queued."""
    now = now or utcnow()
    if people.phone_of(person, data_key) is None or person.sms_opted_out_at is not None:
        return False
    recent = session.execute(select(OutboundSms.id).where(
        OutboundSms.person_id == person.id, OutboundSms.kind == ANSWER_KIND,
        OutboundSms.due_at > now - ANSWER_SMS_EVERY).limit(1)).first()
    if recent:  # one SMS says it; more answers in the same day need no more
        return False
    body = fold_to_gsm7(text("sms_answer", person.language or "fr", SMS))
    outbox.enqueue_reply(session, person.id, body, kind=ANSWER_KIND, now=now)
    return True


async def after_booking(dispatcher, tracker, when: str) -> None:
    """action_book_slot's hook: in the web chat, the offer follows the booking's confirmation
    (an SMS or WhatsApp person's reminders already have their number)."""
    from bot import settings, webchat
    from bot.actions import store

    if not tracker.sender_id.startswith(webchat.SENDER_PREFIX):
        return
    key, language = store.key_for(tracker.sender_id), tracker.get_slot("language") or "fr"
    data_key = settings.load().data_key
    offered = await store.run(lambda session: offer(session, key, language, when, data_key))
    if offered:
        dispatcher.utter_message(text=offered["text"], buttons=offered["buttons"])
