"""The web chat: its page, its conversation cookie, its rate limit and the history shown on a
reload. Plain Python; the Rasa channel (bot/channels/webchat.py) only wires it to HTTP.

The conversation id is made here, on the server, and only travels in a signed cookie: the
browser never names a conversation, so it cannot read or write anyone else's.
"""
from __future__ import annotations

import hashlib
import hmac
import logging
import re
import secrets
import time
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path
from typing import Callable, Iterable, Mapping
from urllib.parse import urlsplit

from jinja2 import Environment, FileSystemLoader, select_autoescape

from bot import limits
from bot.i18n import DEFAULT_LANGUAGE, N_, gettext, supported

# Conversations are health data: never cached, never framed, no third party. Every server a
# person or another local process can reach sends them (bot/serve.py: Rasa and action servers).
PRIVATE = {"Cache-Control": "no-store", "X-Content-Type-Options": "nosniff", "Referrer-Policy": "no-referrer"}
PAGE_HEADERS = {
    **PRIVATE,
    "Content-Security-Policy": "default-src 'none'; script-src 'self'; style-src 'self'; connect-src 'self'; "
                               "base-uri 'none'; form-action 'none'; frame-ancestors 'none'",
}

WEB_DIR = Path(__file__).resolve().parent / "web"
ASSETS = ("chat.css", "chat.js")
RIGHT_TO_LEFT = frozenset({"ar", "fa"})
COOKIE = "pass_chat"
COOKIE_MAX_AGE = 30 * 24 * 3600  # a person who comes back within a month is recognised
SENDER_PREFIX = "web-"

# Every text of the page itself (the assistant's own texts are in bot/responses.py).
UI_TEXTS = {
    "title": N_("Health assistant of Saint-Denis"),
    "log": N_("Conversation with the assistant"),
    "you": N_("You:"),
    "assistant": N_("Assistant:"),
    "choices": N_("Choose an answer"),
    "input": N_("Your message"),
    "placeholder": N_("Write your message here"),
    "send": N_("Send"),
    "typing": N_("The assistant is writing…"),
    "offline": N_("The message was not sent. Check your connection and try again."),
    "expired": N_("This conversation has ended. Reload the page to start again."),
    "too_fast": N_("You are sending messages too fast. Please wait one minute, then try again."),
    "too_many_new": N_("Too many new conversations were opened from this connection. Please try again in "
                       "an hour, or ask at the health centre."),
    "stale_choice": N_("This choice is no longer open. Please answer the last question."),
    "no_script": N_("This chat needs JavaScript. Please turn it on in your browser."),
}


# The texts the page's script needs (the others are in the HTML).
SCRIPT_TEXTS = ("you", "assistant", "choices", "offline", "expired")


def ui_texts(language: str) -> dict[str, str]:
    return {name: gettext(msgid, language) for name, msgid in UI_TEXTS.items()}


def direction(language: str) -> str:
    return "rtl" if language in RIGHT_TO_LEFT else "ltr"


def page_language(*candidates: str | None, accept_language: str = "") -> str:
    """The first supported language among the candidates (conversation, ?lang=), else the
    browser's preferred one we speak (browsers list them best first), else French."""
    preferred = [part.split(";")[0] for part in accept_language.split(",")]
    for code in (*candidates, *preferred):
        if language := supported(code):
            return language
    return DEFAULT_LANGUAGE


# --- The conversation cookie: a random id (192 bits) and its HMAC, nothing else.

def new_conversation_id() -> str:
    return secrets.token_urlsafe(24)


def _signature(conversation_id: str, key: str) -> str:
    return hmac.new(key.encode(), f"webchat:{conversation_id}".encode(), hashlib.sha256).hexdigest()


def cookie_value(conversation_id: str, key: str) -> str:
    return f"{conversation_id}.{_signature(conversation_id, key)}"


def conversation_from_cookie(value: str | None, key: str) -> str | None:
    """The conversation id of a cookie we issued, or None for anything else."""
    conversation_id, _, signature = (value or "").partition(".")
    expected = _signature(conversation_id, key)
    if not conversation_id or not hmac.compare_digest(signature.encode(), expected.encode()):
        return None
    return conversation_id


def sender_id(conversation_id: str) -> str:
    """The Rasa conversation (and person key) behind a web chat conversation."""
    return SENDER_PREFIX + conversation_id


def origin_allowed(origin: str | None, host: str, allowed: Iterable[str]) -> bool:
    """A browser names the page that posts (Origin). Without a list, only pages served by this
    host may post; a proxy may end TLS, so the scheme is not compared then. No Origin: not a
    browser, which could not carry someone else's cookie anyway."""
    if origin is None:
        return True
    allowed = tuple(allowed)
    if allowed:
        return origin.rstrip("/") in allowed
    return urlsplit(origin).netloc == host


def _hashed(value: str) -> str:
    """A counter's key: never the cookie's conversation id or an address itself."""
    return hashlib.sha256(value.encode()).hexdigest()[:32]


class RateLimiter:
    """At most `per_minute` messages per conversation in a minute, and at most
    `new_per_hour` new conversations per client address in an hour, counted in the shared store
    (bot/limits.py: Redis in production, so two replicas count together; this process in
    development, or the `clock` a test gives)."""

    def __init__(self, per_minute: int, new_per_hour: int = 120, store=None,
                 clock: Callable[[], float] | None = None) -> None:
        self.per_minute, self.new_per_hour = per_minute, new_per_hour
        self.store = store or (limits.MemoryStore(clock) if clock else limits.store())

    def allow(self, conversation_id: str) -> bool:
        return self._within(f"web:messages:{_hashed(conversation_id)}", 60, self.per_minute)

    def allow_new(self, address: str) -> bool:
        """A new conversation from `address` (a health centre's waiting room shares one)."""
        return self._within(f"web:new:{_hashed(address)}", 3600, self.new_per_hour)

    def _within(self, key: str, seconds: int, limit: int) -> bool:
        try:
            return self.store.hit(key, seconds) <= limit
        except Exception as error:  # Redis is away: the person is answered (it was a bare 500)
            logging.getLogger(__name__).error("web chat limits unavailable: %s", type(error).__name__)
            return True


def expired(events: Iterable[Mapping], expiration_minutes: float, now: float | None = None) -> bool:
    """Whether the person's last message is older than a session (12 hours): whoever holds the
    browser now may be someone else."""
    last_user = [e["timestamp"] for e in events if e.get("event") == "user"]
    now = time.time() if now is None else now
    return bool(last_user and expiration_minutes and (now - last_user[-1]) / 60 > expiration_minutes)


def late_answers(events: Iterable[Mapping]) -> list[dict]:
    """A social worker's answers since the person's last message (bot.console keeps them as bot
    messages marked `staff`): shown whatever the conversation's age, since they answer the
    question this browser asked, and nothing of the case before it."""
    answers: list[dict] = []
    for event in events:
        if event.get("event") == "user":
            answers = []
        elif event.get("event") == "bot" and (event.get("metadata") or {}).get("staff"):
            answers.append({"from": "bot", "text": event.get("text") or "", "buttons": []})
    return answers


def history(events: Iterable[Mapping], expiration_minutes: float, now: float | None = None) -> list[dict]:
    """What the page shows again on a reload: the messages of the current session, oldest
    first. A choice is shown as its title, as it was when clicked; messages the person did not
    write (the opening greeting payload) are left out. Once the session has expired only a
    social worker's late answers: the next person on a shared phone must not read the rest."""
    events = list(events)
    if expired(events, expiration_minutes, now):
        return late_answers(events)
    shown: list[dict] = []
    buttons: list[Mapping] = []
    for event in events:
        if event.get("event") == "bot":
            buttons = (event.get("data") or {}).get("buttons") or []
            shown.append({"from": "bot", "text": event.get("text") or "", "buttons": list(buttons)})
        elif event.get("event") == "user":
            text = event.get("text") or ""
            titles = [b["title"] for b in buttons if b.get("payload") == text]
            if titles:
                shown.append({"from": "user", "text": titles[0]})
            elif not text.startswith("/"):
                shown.append({"from": "user", "text": text})
            buttons = []
    return shown


# --- The page.

@lru_cache(maxsize=1)
def _templates() -> Environment:
    env = Environment(loader=FileSystemLoader(WEB_DIR), autoescape=select_autoescape(["html"]))
    env.policies["json.dumps_kwargs"] = {"ensure_ascii": False, "sort_keys": True}  # Arabic stays 2 bytes a letter
    return env


@lru_cache(maxsize=None)
def asset(name: str) -> tuple[bytes, str]:
    """An asset's bytes and a short hash of them, so its URL changes when it does and
    browsers may keep it for long (one download on a slow connection)."""
    if name not in ASSETS:
        raise KeyError(name)
    content = (WEB_DIR / name).read_bytes()
    return content, hashlib.sha256(content).hexdigest()[:12]


def page(base: str, language: str, source: str | None) -> str:
    """The page at `base` (its URL path, ending in /), in `language`."""
    ui = ui_texts(language)
    return _templates().get_template("chat.html").render(
        base=base,
        lang=language,
        dir=direction(language),
        ui=ui,
        script_texts={name: ui[name] for name in SCRIPT_TEXTS},
        source=source or "",
        versions={name: asset(name)[1] for name in ASSETS},
    )


# --- A shared browser (issue 17): after a session, the earlier case is shown again only to
# someone who proves it is theirs: the reference of their appointment, or a code sent by SMS to
# the number they confirmed. "This is not me" gives the browser a new conversation and leaves
# the other person's untouched. While locked nothing reaches Rasa (whose greeting would show the
# appointment) nor the conversation (a message would make the session current again).

NOT_ME, SEND_CODE = "/not_me", "/send_code"
MAX_GUESSES = 5
GATE_TEXTS = {
    "locked": N_("Welcome back. To protect the person who wrote here before, the earlier conversation is "
                 "hidden. If it was you, write the reference of your appointment (6 letters and digits) "
                 "or ask for a code by SMS. If it was not you, start a new conversation."),
    "locked_reference": N_("Welcome back. To protect the person who wrote here before, the earlier "
                           "conversation is hidden. If it was you, write the reference of your appointment "
                           "(6 letters and digits). If it was not you, start a new conversation."),
    "wrong": N_("This does not match. Write the reference of your appointment, or start a new conversation."),
    "too_many": N_("Too many tries. Please start a new conversation."),
    "send_code": N_("Send me a code by SMS"),
    "not_me": N_("This is not me: new conversation"),
}


def gate_text(name: str, language: str) -> str:
    return gettext(GATE_TEXTS[name], language)


@dataclass
class Gate:
    """The answer to a message on a locked conversation."""

    messages: list[dict] = field(default_factory=list)
    unlocked: bool = False
    new_conversation: bool = False


def lockable(session, key: str):
    """The person behind a conversation if it holds a case to protect (they agreed to the
    notice, booked, or gave a number), else None."""
    from sqlalchemy import select

    from bot import people
    from bot.models import Appointment

    person = people.find(session, key)
    if person is None:
        return None
    booked = session.execute(select(Appointment.id).where(Appointment.person_id == person.id).limit(1)).first()
    return person if person.consent_at or person.phone_encrypted or booked else None


def _can_send_code(person, data_key: str) -> bool:
    from bot import people

    return people.phone_of(person, data_key) is not None and person.sms_opted_out_at is None


def gate_prompt(person, language: str, data_key: str, name: str | None = None) -> dict:
    """The locked conversation's question, with its choices."""
    code = _can_send_code(person, data_key)
    buttons = ([{"title": gate_text("send_code", language), "payload": SEND_CODE}] if code else []) + [
        {"title": gate_text("not_me", language), "payload": NOT_ME}]
    return {"text": gate_text(name or ("locked" if code else "locked_reference"), language), "buttons": buttons}


def _reference_in(typed: str, references: Iterable[str]) -> bool:
    said = {token.upper() for token in re.findall(r"[A-Za-z0-9]+", typed)} | {re.sub(r"[\W_]", "", typed).upper()}
    return any(reference.upper() in said for reference in references)


def gate_reply(session, key: str, language: str, typed: str, said: str, hash_key: str, data_key: str,
               now=None) -> Gate:
    """What a message on a locked conversation does: NOT_ME → a new conversation; SEND_CODE →
    a code by SMS; the reference or the code → unlocked; anything else → the question again."""
    from sqlalchemy import select

    from bot import people
    from bot.actions import reminder_number as codes
    from bot.models import Appointment

    if said == NOT_ME:
        return Gate(new_conversation=True)
    person = lockable(session, key)
    if person is None:
        return Gate(unlocked=True)
    check = codes._check(session, person.id, codes.UNLOCK) or codes._set_check(session, person.id, codes.UNLOCK, "reference")
    if check.attempts >= MAX_GUESSES:  # no more guesses, nor codes: only a new conversation
        return Gate([{"text": gate_text("too_many", language),
                      "buttons": [{"title": gate_text("not_me", language), "payload": NOT_ME}]}])
    if said == SEND_CODE and _can_send_code(person, data_key):
        address = people.phone_of(person, data_key)
        codes.send_code(session, person, codes.UNLOCK, None, language, hash_key, data_key, now)
        return Gate([{"text": codes.text("code_sent", language, last=address.e164[-2:]),
                      "buttons": [{"title": gate_text("not_me", language), "payload": NOT_ME}]}])
    if not typed.strip():
        return Gate([gate_prompt(person, language, data_key)])
    references = session.execute(select(Appointment.reference).where(Appointment.person_id == person.id)).scalars()
    code = codes.typed_code(typed)
    by_code = (code is not None and check.step == "code" and check.expires_at is not None
               and (now or codes.utcnow()) <= check.expires_at
               and hmac.compare_digest(check.code_hash or "", codes._code_hash(code, hash_key)))
    if by_code or _reference_in(typed, references):
        codes._drop(session, check)
        return Gate(unlocked=True)
    check.attempts += 1
    if check.attempts >= MAX_GUESSES:
        return Gate([{"text": gate_text("too_many", language),
                      "buttons": [{"title": gate_text("not_me", language), "payload": NOT_ME}]}])
    return Gate([gate_prompt(person, language, data_key, "wrong")])
