"""Sending one SMS: through Twilio's official client, or into the dry-run outbox.

The transport only says what happened (bot.outbox.SendResult); the outbox decides what to do
next. What each failure means for a message that may or may not have left:
- 429 and 5xx: Twilio did not take it → retry later (backoff);
- connection refused / connect timeout: the request never arrived → retry later;
- read timeout: Twilio may have taken it → unknown, reconciled later, never resent blindly;
- any other 4xx (bad number, blocked, opted out at Twilio): failed for good.
"""
from __future__ import annotations

import logging
from datetime import datetime, timedelta

import requests
import urllib3
from twilio.base.exceptions import TwilioRestException
from twilio.http.http_client import TwilioHttpClient
from twilio.rest import Client

from bot.outbox import SendResult
from bot.settings import Settings

# Twilio's client logs each request (numbers in list URLs) at INFO: not in our logs.
logging.getLogger("twilio.http_client").setLevel(logging.WARNING)

HTTP_TIMEOUT_SECONDS = 10
MAX_VALIDITY_SECONDS = 36_000  # Twilio's maximum queueing time (ValidityPeriod)


class TwilioTransport:
    def __init__(self, cfg: Settings, timeout: float = HTTP_TIMEOUT_SECONDS) -> None:
        twilio = cfg.twilio
        self.client = Client(twilio.account_sid, twilio.auth_token,
                             http_client=TwilioHttpClient(timeout=timeout))
        if twilio.api_base_url:  # tests: a fake Twilio on loopback
            self.client.api.base_url = twilio.api_base_url
        self.from_number = twilio.from_number
        self.messaging_service_sid = twilio.messaging_service_sid
        self.status_callback = f"{cfg.public_url}/webhooks/twilio/status"

    def _sender(self, to: str) -> dict[str, str]:
        if self.messaging_service_sid:
            return {"messaging_service_sid": self.messaging_service_sid}
        # WhatsApp needs the WhatsApp form of our number too.
        prefix = "whatsapp:" if to.startswith("whatsapp:") else ""
        return {"from_": prefix + self.from_number}

    def send(self, to: str, body: str, valid_until: datetime, now: datetime,
             content: tuple[str, str] | None = None) -> SendResult:
        """`content`: a WhatsApp template (Content SID, ContentVariables JSON) sent instead of `body`."""
        validity = int(min(max((valid_until - now).total_seconds(), 5), MAX_VALIDITY_SECONDS))
        what = {"content_sid": content[0], "content_variables": content[1]} if content else {"body": body}
        try:
            message = self.client.messages.create(to=to, validity_period=validity, status_callback=self.status_callback,
                                                  **what, **self._sender(to))
        except TwilioRestException as error:
            retry = error.status == 429 or error.status >= 500
            return SendResult("retry" if retry else "failed", error=str(error.code or error.status))
        except requests.ConnectTimeout:
            return SendResult("retry", error="connect-timeout")
        except requests.ConnectionError as error:
            # Refused before anything was sent → retry; cut while waiting for the answer → unknown.
            never_sent = _caused_by(error, urllib3.exceptions.NewConnectionError)
            return SendResult("retry", error="connection") if never_sent else SendResult("unknown", error="connection")
        except requests.Timeout:
            return SendResult("unknown", error="timeout")
        return SendResult("sent", sid=message.sid)

    def received_at(self, sid: str) -> datetime | None:
        """When Twilio received message `sid`, or None if Twilio cannot tell now (unknown id,
        Twilio unreachable): a person's message is never refused because Twilio is slow."""
        try:
            return self.client.messages(sid).fetch().date_created
        except (TwilioRestException, requests.RequestException):
            return None

    def find_sent(self, to: str, body: str, since: datetime, known: set[str]) -> str | None:
        """The id of a message Twilio holds for `to` with this body since `since` and not
        already matched to another row (`known`: two reminders can say the same thing), to settle
        a send whose answer never came. Raises if Twilio cannot be asked."""
        day = (since - timedelta(days=1)).replace(hour=0, minute=0, second=0, microsecond=0)
        for message in self.client.messages.list(to=to, date_sent_after=day, limit=200):
            if message.body == body and message.sid not in known:
                return message.sid
        return None


def _caused_by(error: BaseException, kind: type) -> bool:
    """Whether `kind` is anywhere in the chain requests/urllib3 wrap around a network error."""
    seen = set()
    while error is not None and id(error) not in seen:
        if isinstance(error, kind):
            return True
        seen.add(id(error))
        nested = [e for e in error.args if isinstance(e, BaseException)]
        error = getattr(error, "reason", None) or error.__cause__ or (nested[0] if nested else None)
    return False


class DryRunTransport:
    """No Twilio account configured: nothing leaves the machine; the row stays in the outbox
    with status dry_run, readable with `python -m bot sms outbox`."""

    def send(self, to: str, body: str, valid_until: datetime, now: datetime,
             content: tuple[str, str] | None = None) -> SendResult:
        return SendResult("dry_run")

    def received_at(self, sid: str) -> datetime | None:
        return None

    def find_sent(self, to: str, body: str, since: datetime, known: set[str]) -> str | None:
        return None


def transport_for(cfg: Settings):
    return TwilioTransport(cfg) if cfg.twilio.live else DryRunTransport()
