"""Twilio SMS / WhatsApp gateway: `POST /webhooks/twilio/webhook` (incoming messages) and
`POST /webhooks/twilio/status` (delivery reports), replacing Rasa's stock Twilio channel.

What the stock channel gets wrong and this one does (rasa-3.6-facts.md §1):
- every request must carry a valid `X-Twilio-Signature` for the configured public URL
  (PASS_PUBLIC_URL, so a TLS proxy in front changes nothing), else 403 and the bot never sees it;
- each `MessageSid` is processed once: it is marked as seen (a row in `inbound_message`) only
  once its turn and answers are stored, so Twilio's retry of a message already taken is
  acknowledged and dropped, while a message that met an outage is taken again when retried;
- Twilio gets an empty TwiML answer once the turn is stored (sending waits for nothing), one
  turn at a time per person, so their messages are answered in order; a turn that cannot be
  stored (a database away) gets HTTP 503, so that Twilio retries, and the person one "try again
  later" SMS in their language when it is known;
- an empty or photo-only message gets a polite answer instead of an HTTP 500;
- the texts of a turn are joined into as few SMS as possible (bot.sms.join_turn), choices are
  numbered lines (the NLG renders for SMS), and sending goes through the outbox and a thread,
  never blocking the server;
- the Rasa conversation id is a keyed hash of the number; the number itself is kept only
  encrypted, to send (bot.people.set_phone);
- STOP / ARRET / STOP SMS and each language's keywords (bot/opt_out.py, as data) stop every SMS
  only as the whole message (confirmed once), START resumes (bot.people.stop_sms); after STOP a
  safety message (emergency, suicidal thoughts, violence) still gets its safety answer, once,
  and reaches the console as urgent.
"""
from __future__ import annotations

import asyncio
import logging
import traceback
from collections import OrderedDict
from datetime import timedelta
from typing import Any, Awaitable, Callable
from urllib.parse import parse_qs

from rasa.core.channels.channel import CollectingOutputChannel, InputChannel, UserMessage
from sanic import Blueprint, response
from sanic.request import Request
from sanic.response import HTTPResponse
from sqlalchemy.exc import IntegrityError
from twilio.request_validator import RequestValidator

from bot import metrics, opt_out, outage, outbox, people, phones, settings
from bot.channels import incoming
from bot.database import session_scope
from bot.models import InboundMessage, Person
from bot.rendering import SMS, render
from bot.sms import join_turn
from bot.sms_transport import transport_for
from bot.sms_worker import INBOUND_IDS_KEPT, Worker

logger = logging.getLogger(__name__)

EMPTY_TWIML = '<?xml version="1.0" encoding="UTF-8"?><Response></Response>'
MAX_TEXT_LENGTH = 2000
TURN_WAIT_SECONDS = 10  # Twilio gives up on a webhook after 15 s
SMS_ORDER_PREFIX = "sms-order-"  # lock store key of a person's SMS turns
SMS_ORDER_LIFETIME = 120  # seconds: longer than any turn; a crashed replica's ticket expires
REMEMBERED = 10_000  # sizes of the in-memory caches above


def keyword(text: str) -> str | None:
    """'stop', 'start' or None: the whole message is an opt-out keyword ("Arrêt.", " start ");
    CANCEL is not one: here it cancels an appointment (not an opt-out keyword in the Twilio
    console either)."""
    return opt_out.keyword(text)


class TwilioInput(InputChannel):
    @classmethod
    def name(cls) -> str:
        return "twilio"  # bot.rendering renders for SMS on this channel

    @classmethod
    def from_credentials(cls, credentials: dict[str, Any] | None) -> "TwilioInput":
        return cls()  # everything comes from bot.settings (environment), secrets included

    def __init__(self) -> None:
        self.cfg = settings.load()
        self.validator = RequestValidator(self.cfg.twilio.auth_token)
        self.worker = Worker(self.cfg, transport_for(self.cfg))
        self.languages: OrderedDict[str, str] = OrderedDict()  # sender → language, the latest few
        self.told_later: dict[str, None] = {}  # MessageSids already told "try again later"

    # --- HTTP ------------------------------------------------------------------------------

    def blueprint(self, on_new_message: Callable[[UserMessage], Awaitable[Any]]) -> Blueprint:
        webhook = Blueprint("pass_twilio_webhook", __name__)
        incoming.cap_request_bodies(webhook)

        @webhook.route("/", methods=["GET"])
        async def health(_: Request) -> HTTPResponse:
            return response.json({"status": "ok"})

        @webhook.route("/webhook", methods=["POST"])
        async def receive(request: Request) -> HTTPResponse:
            form = self._signed_form(request)
            if form is None:
                return response.text("invalid signature", status=403)
            sid, address = form.get("MessageSid") or form.get("SmsSid"), phones.parse(form.get("From"))
            if not sid or address is None:
                return response.text("MessageSid and a valid From are required", status=400)
            text = incoming.clean(form.get("Body") or "").strip()[:MAX_TEXT_LENGTH]
            turn = asyncio.ensure_future(self._turn(request, on_new_message, sid, address, text))
            # Twilio waits 15 s: a turn still running after TURN_WAIT_SECONDS goes on in the
            # background (shielded) and Twilio gets its answer; it is marked as seen when it ends.
            done, _ = await asyncio.wait({turn}, timeout=TURN_WAIT_SECONDS)
            if not done:
                turn.add_done_callback(lambda t: not t.cancelled() and t.exception() is not None and request.app.add_task(
                    asyncio.to_thread(self._try_again_later, sid, address, text)))
            elif turn.exception() is not None:
                await asyncio.to_thread(self._try_again_later, sid, address, text)
                return response.text("temporarily unavailable, retry", status=503)
            return _twiml()

        @webhook.route("/status", methods=["POST"])
        async def status(request: Request) -> HTTPResponse:
            form = self._signed_form(request)
            if form is None:
                return response.text("invalid signature", status=403)
            sid, state = form.get("MessageSid"), form.get("MessageStatus")
            if not sid or not state:
                return response.text("MessageSid and MessageStatus are required", status=400)
            await asyncio.to_thread(self._record_status, sid, state, form.get("ErrorCode"))
            return response.empty()

        return webhook

    def _signed_form(self, request: Request) -> dict[str, str] | None:
        """The form fields if Twilio signed them for our public URL, else None. The body is parsed
        here with blank values kept: Twilio signs `Body=` too (Sanic's form drops it)."""
        signature = request.headers.get("X-Twilio-Signature")
        if not signature or not request.content_type.startswith("application/x-www-form-urlencoded"):
            return None
        try:
            fields = parse_qs(request.body.decode("utf-8"), keep_blank_values=True, strict_parsing=False)
        except UnicodeDecodeError:
            return None
        form = {name: values[0] for name, values in fields.items()}
        url = self.cfg.public_url + request.path + (f"?{request.query_string}" if request.query_string else "")
        return form if self.validator.validate(url, form, signature) else None

    def _seen(self, sid: str) -> bool:
        with session_scope(self.cfg.database_url) as session:
            return session.get(InboundMessage, sid) is not None

    def _replayed(self, sid: str) -> bool:
        """Twilio's requests carry no time: a captured one, replayed after its id was purged
        from `inbound_message`, is told apart by the date Twilio holds for that message."""
        received = self.worker.transport.received_at(sid)
        return received is not None and outbox.utcnow() - received > INBOUND_IDS_KEPT

    def _mark_seen(self, sid: str) -> None:
        try:
            with session_scope(self.cfg.database_url) as session:
                session.add(InboundMessage(sid=sid))
        except IntegrityError:
            pass  # another replica took the same retry meanwhile: it is seen either way

    def _try_again_later(self, sid: str, address: phones.Address, text: str) -> None:
        """One "try again later" SMS per message that met an outage, sent straight to Twilio
        (the outbox is in the database that is away), in the person's language if known."""
        if sid in self.told_later:
            return  # Twilio's retries of it during the same outage
        self.told_later[sid] = None
        while len(self.told_later) > REMEMBERED:
            self.told_later.pop(next(iter(self.told_later)))
        sender = people.sms_sender_id(address, self.cfg.hash_key)
        try:
            body = outage.try_again_later(text, language=self.languages.get(sender))
            now = outbox.utcnow()
            result = self.worker.transport.send(address.twilio, body, now + timedelta(minutes=30), now)
        except Exception as error:  # Twilio gets its 503 whatever happens here
            logger.error("the try-again-later SMS failed: %s", type(error).__name__)
            return
        if result.outcome not in ("sent", "dry_run"):
            logger.warning("the try-again-later SMS was not sent (%s)", result.error)

    def _record_status(self, sid: str, state: str, error: str | None) -> None:
        with session_scope(self.cfg.database_url) as session:
            outbox.record_status(session, sid, state, error)

    # --- one turn, in the background ---------------------------------------------------------

    async def _turn(self, request: Request, on_new_message, sid: str, address: phones.Address, text: str) -> None:
        """The whole turn of one message: answered, its answers stored in the outbox, then
        marked as seen; the sending goes on in the background. Raises if anything could not be
        stored (the message is then not seen, and Twilio's retry takes it again)."""
        sender = people.sms_sender_id(address, self.cfg.hash_key)
        # This person's messages one after the other, in the order they came, whichever replica
        # got them: a ticket of the conversation lock store (Redis in production, this
        # process's memory in development), under a key of its own (Rasa takes the
        # conversation's own lock inside the turn).
        order = request.app.ctx.agent.lock_store.lock(SMS_ORDER_PREFIX + sender, lock_lifetime=SMS_ORDER_LIFETIME,
                                                      wait_time_in_seconds=0.05)
        try:
            async with order:
                if await asyncio.to_thread(self._seen, sid):
                    return  # a retry of a message already taken: acknowledged, not processed
                if await asyncio.to_thread(self._replayed, sid):
                    logger.warning("a signed message older than %d days was refused", INBOUND_IDS_KEPT.days)
                    return
                with metrics.turn("sms"):
                    queued = await self._answer(request, on_new_message, sender, address, text)
                await asyncio.to_thread(self._mark_seen, sid)
            request.app.add_task(self._deliver(queued))
        except Exception as error:
            # The type and where, not the message: an exception's text may quote what they wrote.
            frame = traceback.extract_tb(error.__traceback__)[-1]
            logger.error("an SMS turn failed: %s at %s:%s", type(error).__name__, frame.filename, frame.lineno)
            raise

    async def _answer(self, request: Request, on_new_message, sender: str, address: phones.Address, text: str) -> list[int]:
        """Answer one message; the outbox rows of the answer, to send."""
        key = people.person_key(sender, self.cfg.hash_key)
        word = keyword(text)
        person_id, language, stopped, changed = await asyncio.to_thread(self._contact, key, address, word)
        self._remember_language(sender, language)
        if word == "stop":
            if changed:  # confirmed once
                return await self._queue(person_id, [render("utter_opt_out", language, SMS).text], kind="opt_out")
            return []
        if word == "start" and changed:
            return await self._queue(person_id, [render("sms_started", language, SMS).text])
        if stopped:
            # They asked for no SMS: nothing goes out until START, except the safety answer to
            # a message about an emergency, suicidal thoughts or violence (once per message).
            return await self._safety_while_stopped(request, on_new_message, sender, person_id, text)
        if not text:  # a photo, a voice note, an empty message
            return await self._queue(person_id, [render("sms_media_only", language, SMS).text])
        text, metadata = await incoming.prepare(request.app.ctx.agent, sender, text, {"render": SMS})
        collector = CollectingOutputChannel()
        await on_new_message(UserMessage(text, collector, sender, input_channel=self.name(), metadata=metadata))
        said = await incoming.never_silent(request.app.ctx.agent, sender, collector.messages, SMS)
        texts = [m["text"] for m in said if m.get("text")]
        after = await asyncio.to_thread(self._state, person_id)
        if after == "erased":
            # They have just erased their data (outbox included): the confirmation goes straight
            # out, stored nowhere, so nothing of them is written again.
            await asyncio.to_thread(self._send_unstored, address, texts)
            return []
        # "No more SMS" said in words stops them during the turn: its confirmation still goes.
        return await self._queue(person_id, texts, kind="opt_out" if after == "stopped" else "reply")

    async def _safety_while_stopped(self, request: Request, on_new_message, sender: str, person_id: int,
                                    text: str) -> list[int]:
        if not text or not incoming.safety_intent(await request.app.ctx.agent.parse_message(text)):
            return []
        # Through Rasa, so the message is in the conversation the console shows; of its answer
        # only the safety text leaves (bot.channels.incoming.never_silent raises it to urgent).
        text, metadata = await incoming.prepare(request.app.ctx.agent, sender, text, {"render": SMS})
        await on_new_message(UserMessage(text, CollectingOutputChannel(), sender, input_channel=self.name(),
                                         metadata=metadata))
        said = await incoming.never_silent(request.app.ctx.agent, sender, [], SMS)
        return await self._queue(person_id, [m["text"] for m in said[:1] if m.get("text")], kind="safety")

    def _contact(self, key: str, address: phones.Address, word: str | None) -> tuple[int, str, bool, bool]:
        """Record the number (encrypted) and a STOP/START; the person's id, language, whether
        SMS are stopped, and whether this keyword changed that."""
        with session_scope(self.cfg.database_url) as session:
            person = people.set_phone(session, key, address, self.cfg.hash_key, self.cfg.data_key)
            if address.whatsapp:  # WhatsApp's 24-hour window opens again (bot/whatsapp.py)
                person.whatsapp_inbound_at = outbox.utcnow()
            changed = (people.stop_sms(session, key) if word == "stop"
                       else people.resume_sms(session, key) if word == "start" else False)
            return person.id, person.language or "fr", person.sms_opted_out_at is not None, changed

    def _state(self, person_id: int) -> str:
        """After a turn: 'erased', 'stopped' (no more SMS) or 'active'."""
        with session_scope(self.cfg.database_url) as session:
            person = session.get(Person, person_id)
            return "erased" if person is None else "stopped" if person.sms_opted_out_at else "active"

    def _send_unstored(self, address: phones.Address, texts: list[str]) -> None:
        now = outbox.utcnow()
        for body in join_turn(texts):
            result = self.worker.transport.send(address.twilio, body, now + timedelta(hours=1), now)
            if result.outcome not in ("sent", "dry_run"):
                logger.warning("the erasure confirmation was not sent (%s)", result.error)

    async def _queue(self, person_id: int, texts: list[str], kind: str = "reply") -> list[int]:
        def enqueue() -> list[int]:
            with session_scope(self.cfg.database_url) as session:
                return [outbox.enqueue_reply(session, person_id, body, kind).id for body in join_turn(texts)]

        return await asyncio.to_thread(enqueue)

    async def _deliver(self, row_ids: list[int]) -> None:
        """Send a turn's answers now; a row that fails here stays in the outbox for the worker."""
        for row_id in row_ids:
            try:
                await asyncio.to_thread(self.worker.send_now, row_id)
            except Exception as error:
                logger.error("sending an answer failed (%s); the SMS worker will send it", type(error).__name__)

    def _remember_language(self, sender: str, language: str) -> None:
        """Kept in memory only, for the "try again later" of an outage (the database is away then)."""
        self.languages[sender] = language
        self.languages.move_to_end(sender)
        while len(self.languages) > REMEMBERED:
            self.languages.popitem(last=False)


def _twiml() -> HTTPResponse:
    return response.text(EMPTY_TWIML, content_type="text/xml")
