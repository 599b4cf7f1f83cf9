"""Web chat channel: the page at /webhooks/webchat/ and its JSON endpoints, in place of Rasa's
stock socket.io channel (whose session id is chosen by the browser).

    GET  /webhooks/webchat/?lang=ar&src=assoc   the page; sets the conversation cookie
    GET  /webhooks/webchat/history              the current session's messages, for a reload (and
                                                for a social worker's answers while handed over)
    POST /webhooks/webchat/message              {"text": …} | {"payload": …} | {"start": true, "lang", "src"}

The conversation is the one named by the signed cookie the server issued, never one named by
the browser: a missing or altered cookie gets a new conversation on the page and a 403 on the
endpoints. Posts must come from an allowed origin, and each conversation may send a limited
number of messages per minute (429). Message text never reaches the logs.
"""
from __future__ import annotations

import asyncio
import logging
from html import escape
from typing import Any, Awaitable, Callable

from rasa.core.channels.channel import CollectingOutputChannel, InputChannel, UserMessage
from sanic import Blueprint, response
from sanic.request import Request
from sanic.response import HTTPResponse

from bot import metrics, outage, people, settings, webchat
from bot.channels import incoming
from bot.i18n import DEFAULT_LANGUAGE, gettext, supported
from bot.rendering import WEB, render

logger = logging.getLogger(__name__)

MAX_TEXT_LENGTH = 2000
CONTENT_TYPES = {"chat.css": "text/css; charset=utf-8", "chat.js": "text/javascript; charset=utf-8"}
PRIVATE, PAGE_HEADERS = webchat.PRIVATE, webchat.PAGE_HEADERS


class WebChatInput(InputChannel):
    @classmethod
    def name(cls) -> str:
        return "webchat"

    @classmethod
    def from_credentials(cls, credentials: dict[str, Any] | None) -> "WebChatInput":
        return cls()  # its settings come from the environment, like every other (bot.settings)

    def __init__(self) -> None:
        cfg = self.cfg = settings.load()
        self.key = cfg.webchat_key
        self.origins = cfg.webchat_origins
        self.limiter = webchat.RateLimiter(cfg.webchat_messages_per_minute, cfg.webchat_new_per_hour)

    def blueprint(self, on_new_message: Callable[[UserMessage], Awaitable[Any]]) -> Blueprint:
        chat = Blueprint("pass_webchat", __name__)
        incoming.cap_request_bodies(chat)
        base = f"/webhooks/{self.url_prefix()}/"

        @chat.route("/", methods=["GET"])
        async def page(request: Request) -> HTTPResponse:
            conversation = self._conversation(request)
            language = None
            if conversation is not None:
                try:
                    language = await self._language(request, conversation)
                except Exception as error:  # the tracker store is away: the page loads, its history says "offline"
                    logger.error("a web chat page could not read its conversation: %s", type(error).__name__)
            # A conversation already under way keeps its language; ?lang= presets a new one.
            language = webchat.page_language(language, request.args.get("lang"),
                                             accept_language=request.headers.get("accept-language", ""))
            if conversation is None:
                if not self.limiter.allow_new(client_address(request)):
                    return response.html(f"<!doctype html><meta charset=utf-8><p>"
                                         f"{escape(gettext(webchat.UI_TEXTS['too_many_new'], language))}</p>",
                                         status=429, headers=PAGE_HEADERS)
                conversation = webchat.new_conversation_id()
            source = people.source_tag(request.args.get("src"))
            reply = response.html(webchat.page(base, language, source), headers=PAGE_HEADERS)
            self._set_cookie(reply, request, conversation)
            return reply

        @chat.route("/chat.css", methods=["GET"])
        async def css(request: Request) -> HTTPResponse:
            return self._asset(request, "chat.css")

        @chat.route("/chat.js", methods=["GET"])
        async def js(request: Request) -> HTTPResponse:
            return self._asset(request, "chat.js")

        @chat.route("/history", methods=["GET"])
        async def history(request: Request) -> HTTPResponse:
            conversation = self._conversation(request)
            if conversation is None:
                return _json({"error": "no conversation: load the page first"}, status=403)
            agent = request.app.ctx.agent
            sender = webchat.sender_id(conversation)
            incoming.no_silent_fallback(agent)  # an outage is an error, not an empty conversation
            try:
                tracker = await agent.tracker_store.retrieve(sender)
            except Exception as error:  # the tracker store's database is away: the page shows its offline text
                logger.error("a web chat history failed: %s", type(error).__name__)  # no text, no number
                language = webchat.page_language(accept_language=request.headers.get("accept-language", ""))
                return _json({"error": "unavailable", "text": outage.try_again_later("", language=language)},
                             status=503)
            events = [event.as_dict() for event in tracker.events] if tracker else []
            expiration = agent.domain.session_config.session_expiration_time
            shown = webchat.history(events, expiration)
            if webchat.expired(events, expiration):  # maybe someone else: the case stays hidden
                prompt = await asyncio.to_thread(self._gate_prompt, sender, _tracker_language(tracker))
                shown = [prompt, *shown] if prompt else shown
            # Paused or waiting for a social worker: the page polls for their answers.
            return _json({"messages": shown, "paused": await self._with_staff(sender, tracker)})

        @chat.route("/message", methods=["POST"])
        async def message(request: Request) -> HTTPResponse:
            if not webchat.origin_allowed(request.headers.get("origin"), request.host, self.origins):
                return _json({"error": "origin not allowed"}, status=403)
            conversation = self._conversation(request)
            if conversation is None:
                return _json({"error": "no conversation: load the page first"}, status=403)
            sender = webchat.sender_id(conversation)
            agent = request.app.ctx.agent
            if not self.limiter.allow(conversation):
                return await self._refusal(request, conversation, "too_fast", 429)
            try:
                body = request.json
            except Exception:  # sanic raises InvalidUsage on a body that is not JSON
                body = None
            if not isinstance(body, dict):
                return _json({"error": "expected a JSON object"}, status=400)
            typed = incoming.clean(_str(body.get("text")) or "")  # cleaned once, on entry
            if not (body.get("start") is True or isinstance(body.get("payload"), str) or typed.strip()):
                return _json({"error": "expected 'text', 'payload' or 'start'"}, status=400)

            try:
                tracker = await agent.tracker_store.retrieve(sender)
                language = _tracker_language(tracker)
                events = [event.as_dict() for event in tracker.events] if tracker else []
                # A safety message (emergency, suicidal thoughts, violence) is never held by our
                # own steps below: Rasa answers it, or, on a locked conversation, the channel.
                if webchat.expired(events, agent.domain.session_config.session_expiration_time):
                    chosen = _str(body.get("payload")) or ""
                    gate = await asyncio.to_thread(self._gate, sender, language, typed, chosen)
                    safety = await _safety(agent, typed[:MAX_TEXT_LENGTH]) if gate and not gate.unlocked else None
                    if gate is not None and safety and not gate.unlocked:
                        gate.messages.insert(0, render(f"utter_{safety}", language, WEB).as_rasa())
                        await asyncio.to_thread(incoming.raise_urgent, sender, safety, language)
                    if gate is not None and gate.new_conversation:
                        # "This is not me": a new conversation; the other person's stays as it was.
                        reply = _json({"messages": [], "restart": True})
                        self._set_cookie(reply, request, webchat.new_conversation_id())
                        return reply
                    if gate is not None and not gate.unlocked:
                        # Not kept in the conversation ("locked"): the page does not count them.
                        return _json({"messages": gate.messages, "language": language, "locked": True,
                                      "paused": await self._with_staff(sender, tracker)})
                    if gate is not None:  # it is them: the conversation goes on, shown again
                        await on_new_message(UserMessage("/greet", CollectingOutputChannel(), sender,
                                                         input_channel=self.name(), metadata={}))
                        return _json({"messages": [], "restart": True})
                menu = await incoming.last_menu(agent, sender)
                if body.get("start") is True:
                    # The opening greeting; the link's language and association go with it.
                    text = "/greet"
                    metadata = {"preset_language": supported(_str(body.get("lang"))),
                                "source": people.source_tag(body.get("src"))}
                    metadata = {name: value for name, value in metadata.items() if value}
                elif isinstance(body.get("payload"), str):
                    # A button: only a choice of the menu still open is accepted.
                    if body["payload"] not in [b["payload"] for b in menu]:
                        return await self._refusal(request, conversation, "stale_choice", 409)
                    text, metadata = body["payload"], {}
                else:
                    text, metadata = await incoming.prepare(agent, sender, typed[:MAX_TEXT_LENGTH], None)
                if body.get("start") is not True and await asyncio.to_thread(self._may_be_ours, sender) \
                        and not await _safety(agent, typed[:MAX_TEXT_LENGTH]):
                    # SMS reminders after a booking (the number, its code, removing it): not Rasa's.
                    own = await asyncio.to_thread(self._reminders, sender, language, typed, text, menu)
                    if own is not None:
                        await self._keep(agent, sender, own)
                        return _json({"messages": own.messages, "language": language,
                                      "paused": await self._with_staff(sender, tracker)})

                collector = CollectingOutputChannel()
                with metrics.turn("web"):
                    await on_new_message(UserMessage(text, collector, sender, input_channel=self.name(),
                                                     metadata=metadata))
            except Exception as error:  # a database is away: the page shows a polite "try again later"
                logger.error("a web chat turn failed: %s", type(error).__name__)  # no text in the log
                return _json({"error": "unavailable", "text": outage.try_again_later(
                    typed, {"language": supported(_str(body.get("lang")))})}, status=503)
            said = await incoming.never_silent(agent, sender, collector.messages, WEB)
            messages = [{"text": m.get("text", ""), "buttons": m.get("buttons") or []} for m in said]
            language = await self._language(request, conversation)
            tracker = await agent.tracker_store.retrieve(sender)
            return _json({"messages": messages, "language": language,
                          "paused": await self._with_staff(sender, tracker)})

        return chat

    async def _with_staff(self, sender: str, tracker) -> bool:
        """Whether the page should poll for a social worker's answer: while one holds the
        conversation (paused) and while a handoff waits (the bot still answers meanwhile)."""
        if tracker is not None and tracker.is_paused():
            return True

        def waiting() -> bool:
            from bot import handoff
            from bot.database import session_scope

            with session_scope(self.cfg.database_url) as session:
                person = people.find(session, people.person_key(sender, self.cfg.hash_key))
                return person is not None and handoff.current(session, person.id) is not None
        try:
            return await asyncio.to_thread(waiting)
        except Exception:  # the app database is away: no polling, the turn was answered
            return False

    def _key(self, sender: str) -> str:
        return people.person_key(sender, self.cfg.hash_key)

    def _gate(self, sender: str, language: str, typed: str, chosen: str):
        """A message on an expired conversation: None if it holds no case to protect, else what
        bot.webchat.gate_reply makes of it."""
        from bot.database import session_scope

        with session_scope(self.cfg.database_url) as session:
            if chosen != webchat.NOT_ME and webchat.lockable(session, self._key(sender)) is None:
                return None
            return webchat.gate_reply(session, self._key(sender), language, typed, chosen, self.cfg.hash_key,
                                      self.cfg.data_key)

    def _gate_prompt(self, sender: str, language: str) -> dict | None:
        from bot.database import session_scope

        try:
            with session_scope(self.cfg.database_url) as session:
                person = webchat.lockable(session, self._key(sender))
                return webchat.gate_prompt(person, language, self.cfg.data_key) if person else None
        except Exception:  # the app database is away: show nothing rather than the case
            return {"text": gettext(webchat.UI_TEXTS["expired"], language), "buttons": []}

    def _may_be_ours(self, sender: str) -> bool:
        """Whether a message may be about reminders: the person was offered them or gave a number."""
        from bot.actions import reminder_number
        from bot.database import session_scope

        with session_scope(self.cfg.database_url) as session:
            return reminder_number.may_reply(session, self._key(sender))

    def _reminders(self, sender: str, language: str, typed: str, said: str, menu: list):
        from bot.actions import reminder_number
        from bot.database import session_scope

        with session_scope(self.cfg.database_url) as session:
            return reminder_number.reply(session, self._key(sender), language, typed, said, menu,
                                         self.cfg.hash_key, self.cfg.data_key)

    @staticmethod
    async def _keep(agent, sender: str, turn) -> None:
        """The exchange goes into the conversation, as a Rasa turn would (the page's reload and
        the console show it), the person's digits masked."""
        from rasa.shared.core.events import ActionExecuted, BotUttered, UserUttered

        async with agent.lock_store.lock(sender):
            tracker = await agent.tracker_store.get_or_create_tracker(sender)
            tracker.update(UserUttered(turn.shown, intent={"name": "inform", "confidence": 1.0}, input_channel="webchat"))
            for said in turn.messages:
                tracker.update(BotUttered(said["text"], data={"buttons": said["buttons"]}))
            tracker.update(ActionExecuted("action_listen"))
            await agent.tracker_store.save(tracker)

    def _conversation(self, request: Request) -> str | None:
        return webchat.conversation_from_cookie(request.cookies.get(webchat.COOKIE), self.key)

    def _set_cookie(self, reply: HTTPResponse, request: Request, conversation: str) -> None:
        reply.cookies[webchat.COOKIE] = webchat.cookie_value(conversation, self.key)
        cookie = reply.cookies[webchat.COOKIE]
        cookie["path"] = f"/webhooks/{self.url_prefix()}"
        cookie["max-age"] = webchat.COOKIE_MAX_AGE
        cookie["httponly"] = True
        # Lax, not Strict: the link opened from an SMS or WhatsApp must find the conversation.
        cookie["samesite"] = "Lax"
        # Behind a proxy that ends TLS the request looks like http: https origins tell.
        cookie["secure"] = request.scheme == "https" or any(o.startswith("https://") for o in self.origins)

    @staticmethod
    async def _language(request: Request, conversation: str) -> str | None:
        tracker = await request.app.ctx.agent.tracker_store.retrieve(webchat.sender_id(conversation))
        return supported(tracker.get_slot("language")) if tracker else None

    async def _refusal(self, request: Request, conversation: str, text: str, status: int) -> HTTPResponse:
        """A refusal the page shows as is, in the language of the conversation."""
        language = await self._language(request, conversation) or DEFAULT_LANGUAGE
        return _json({"error": text, "text": gettext(webchat.UI_TEXTS[text], language)}, status=status)

    @staticmethod
    def _asset(request: Request, name: str) -> HTTPResponse:
        content, version = webchat.asset(name)
        # The page names the asset with its hash: that URL never changes content.
        cache = "public, max-age=31536000, immutable" if request.args.get("v") == version else "no-cache"
        return response.raw(content, content_type=CONTENT_TYPES[name],
                            headers={"Cache-Control": cache, "X-Content-Type-Options": "nosniff"})


def client_address(request: Request) -> str:
    """Who is asking: behind our nginx (the production profile) the address it saw, which it
    appends last to X-Forwarded-For; else the connection's own."""
    forwarded = request.headers.get("x-forwarded-for", "")
    if forwarded and (request.ip or "").startswith("127."):
        return forwarded.split(",")[-1].strip()
    return request.ip or ""


async def _safety(agent, typed: str) -> str | None:
    """The safety intent a typed message is read as, if any (None when unreadable)."""
    if incoming.nothing_to_read(typed):
        return None
    try:
        return incoming.safety_intent(await agent.parse_message(typed))
    except Exception:  # the pipeline cannot read it: Rasa's own turn will say "not understood"
        return None


def _tracker_language(tracker) -> str:
    return (supported(tracker.get_slot("language")) if tracker else None) or DEFAULT_LANGUAGE


def _json(body: dict, status: int = 200) -> HTTPResponse:
    # Arabic or Bengali as is: a third of the bytes of \uXXXX escapes on a slow connection.
    return response.json(body, status=status, headers=PRIVATE, ensure_ascii=False)


def _str(value: Any) -> str | None:
    return value if isinstance(value, str) else None
