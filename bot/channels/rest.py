"""REST channel (`POST /webhooks/rest/webhook`), replacing Rasa's stock one.

Differences from the stock channel: a numbered reply ("2") is turned into the payload of the
second choice of the last menu, so it means exactly what the button means; the language of the
message is detected (both in bot.channels.incoming); malformed requests get a 400 instead of an
exception; message text never reaches the logs; when the assistant cannot answer (a database is
away) the person reads a polite "try again later" (503) instead of nothing.

Who may use it: in the development profile anyone on the machine (tests, `make personas`); in
production it is off (403) unless PASS_REST_TOKEN is set, then only with that token
(`Authorization: Bearer <token>`). It never writes into a web-chat or SMS conversation (ids
starting with `web-` or `sms-`): those belong to their own channels, whose ids are not secrets.
"""
from __future__ import annotations

import logging
from typing import Any, Awaitable, Callable

from rasa.core.channels.channel import CollectingOutputChannel, InputChannel, UserMessage
from sanic import Blueprint, response
from sanic.request import Request
from sanic.response import HTTPResponse

import hmac
import os

from bot import metrics, outage, settings
from bot.channels import incoming
from bot.rendering import channel_kind

logger = logging.getLogger(__name__)

MAX_SENDER_LENGTH = 128
MAX_TEXT_LENGTH = 2000
OTHER_CHANNELS = ("web-", "sms-")  # conversation id prefixes of the web chat and the SMS gateway


class RestInput(InputChannel):
    @classmethod
    def name(cls) -> str:
        return "rest"

    def __init__(self) -> None:
        cfg = settings.load()
        self.token = cfg.rest_token
        self.open_to_all = cfg.profile != "prod" and not cfg.rest_token
        # The test harness drives an SMS person's questions over REST (quicker than waiting for
        # each SMS): PASS_REST_ANY_CONVERSATION=1, honoured in the development profile only.
        self.any_conversation = cfg.profile != "prod" and os.environ.get("PASS_REST_ANY_CONVERSATION") == "1"

    def accepts(self, sender: str) -> bool:
        """Whether this conversation id may be written through REST (not a web-chat or SMS one)."""
        return self.any_conversation or not sender.startswith(OTHER_CHANNELS)

    def allowed(self, request: Request) -> bool:
        if self.open_to_all:
            return True
        given = request.headers.get("Authorization", "").removeprefix("Bearer ").strip()
        return bool(self.token) and hmac.compare_digest(given.encode(), self.token.encode())

    def blueprint(self, on_new_message: Callable[[UserMessage], Awaitable[Any]]) -> Blueprint:
        webhook = Blueprint("pass_rest_webhook", __name__)
        incoming.cap_request_bodies(webhook)

        @webhook.route("/", methods=["GET"])
        async def health(_: Request) -> HTTPResponse:
            return response.json({"status": "ok"})

        @webhook.route("/webhook", methods=["POST"])
        async def receive(request: Request) -> HTTPResponse:
            if not self.allowed(request):
                return response.json({"error": "the REST channel needs its token here"}, status=403)
            try:
                body = request.json
            except Exception:  # sanic raises InvalidUsage on a body that is not JSON
                body = None
            if not isinstance(body, dict):
                return response.json({"error": "expected a JSON object"}, status=400)
            sender, text, metadata = body.get("sender"), body.get("message"), body.get("metadata")
            if (not isinstance(sender, str) or not sender or len(sender) > MAX_SENDER_LENGTH
                    or incoming.clean(sender) != sender):
                return response.json({"error": "'sender' must be a non-empty string"}, status=400)
            if not self.accepts(sender):
                return response.json({"error": "'sender' names a web-chat or SMS conversation"}, status=400)
            if not isinstance(text, str):
                return response.json({"error": "'message' must be a string"}, status=400)
            if metadata is not None and not isinstance(metadata, dict):
                return response.json({"error": "'metadata' must be an object"}, status=400)
            text = original = incoming.clean(text)[:MAX_TEXT_LENGTH]
            metadata = incoming.clean_value(metadata)
            collector = CollectingOutputChannel()
            try:
                with metrics.turn("rest"):
                    text, metadata = await incoming.prepare(request.app.ctx.agent, sender, text, metadata,
                                                            allow_payloads=True)
                    await on_new_message(
                        UserMessage(text, collector, sender, input_channel=self.name(), metadata=metadata)
                    )
            except Exception as error:  # the tracker store or the app database is away
                logger.error("a REST turn failed: %s", type(error).__name__)  # no text in the log
                return response.json([{"recipient_id": sender, "text": outage.try_again_later(original, metadata)}],
                                     status=503)
            kind = channel_kind(self.name(), metadata)
            return response.json(await incoming.never_silent(request.app.ctx.agent, sender, collector.messages, kind))

        return webhook
