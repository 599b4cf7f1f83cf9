"""A local fake of the part of Twilio's REST API we use, for the real twilio client to talk to.

It answers `POST /2010-04-01/Accounts/<sid>/Messages.json` (create) and `GET` on the same path
(list, filtered by `To`), `GET …/Messages/<sid>.json` (fetch one: a message sent, or an incoming
one the test declared with `received`, else 404), checks Basic auth, records every accepted message, and can be told to
answer the next requests with 429 or 500, or to accept a message and then answer too late
(a timeout whose message did go out). It can also sign and post Twilio webhooks
(incoming SMS, status callbacks) the way Twilio does, with the real RequestValidator's scheme.
"""
from __future__ import annotations

import base64
import itertools
import json
import threading
import time
from dataclasses import dataclass, field
from email.utils import format_datetime
from datetime import datetime, timezone
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from urllib.parse import parse_qs, urlparse

import requests
from twilio.request_validator import RequestValidator

ACCOUNT_SID = "AC" + "0" * 32
AUTH_TOKEN = "fake-twilio-auth-token"


@dataclass
class Fault:
    status: int | None = None  # answer with this HTTP status, nothing accepted
    code: int | None = None  # Twilio's error code in that answer (63016: outside WhatsApp's window)
    delay: float = 0.0  # accept the message, then wait this long before answering


@dataclass
class FakeTwilio:
    messages: list[dict] = field(default_factory=list)
    requests: list[tuple[str, str]] = field(default_factory=list)  # (method, path)
    faults: list[Fault] = field(default_factory=list)
    create_delay: float = 0.0  # every create waits this long before being accepted
    incoming: dict[str, datetime] = field(default_factory=dict)  # MessageSid → when Twilio received it
    _lock: threading.Lock = field(default_factory=threading.Lock)
    _ids: itertools.count = field(default_factory=lambda: itertools.count(1))

    def start(self) -> "FakeTwilio":
        fake = self

        class Handler(BaseHTTPRequestHandler):
            def log_message(self, *args):  # quiet
                pass

            def _json(self, status: int, payload: dict) -> None:
                data = json.dumps(payload).encode()
                try:
                    self.send_response(status)
                    self.send_header("Content-Type", "application/json")
                    self.send_header("Content-Length", str(len(data)))
                    self.end_headers()
                    self.wfile.write(data)
                except (BrokenPipeError, ConnectionResetError):
                    pass  # the client gave up (timeout test)

            def _authorised(self) -> bool:
                expected = "Basic " + base64.b64encode(f"{ACCOUNT_SID}:{AUTH_TOKEN}".encode()).decode()
                if self.headers.get("Authorization") != expected:
                    self._json(401, {"code": 20003, "message": "Authenticate", "status": 401})
                    return False
                return True

            def do_POST(self):
                url = urlparse(self.path)
                fake.requests.append(("POST", url.path))
                if not self._authorised():
                    return
                if not url.path.endswith("/Messages.json"):
                    return self._json(404, {"code": 20404, "message": "not found", "status": 404})
                form = {k: v[0] for k, v in parse_qs(self.rfile.read(int(self.headers["Content-Length"])).decode(),
                                                     keep_blank_values=True).items()}
                fault = fake._next_fault()
                if fault and fault.status:
                    code = fault.code or (20429 if fault.status == 429 else 20500)
                    return self._json(fault.status, {"code": code, "message": "injected", "status": fault.status})
                if fake.create_delay:
                    time.sleep(fake.create_delay)
                message = fake._accept(form)
                if fault and fault.delay:
                    time.sleep(fault.delay)
                self._json(201, message)

            def _one(self, sid: str) -> None:
                with fake._lock:
                    sent = [m for m in fake.messages if m["sid"] == sid]
                    received = fake.incoming.get(sid)
                if sent:
                    return self._json(200, sent[0])
                if received is None:
                    return self._json(404, {"code": 20404, "message": "not found", "status": 404})
                when = format_datetime(received, usegmt=True)
                self._json(200, {"sid": sid, "account_sid": ACCOUNT_SID, "direction": "inbound", "status": "received",
                                 "date_created": when, "date_updated": when, "date_sent": when, "body": "",
                                 "uri": f"/2010-04-01/Accounts/{ACCOUNT_SID}/Messages/{sid}.json"})

            def do_GET(self):
                url = urlparse(self.path)
                fake.requests.append(("GET", url.path))
                if not self._authorised():
                    return
                query = {k: v[0] for k, v in parse_qs(url.query).items()}
                if "/Messages/" in url.path:
                    return self._one(url.path.rsplit("/", 1)[-1].removesuffix(".json"))
                with fake._lock:
                    found = [m for m in fake.messages if "To" not in query or m["to"] == query["To"]]
                self._json(200, {"messages": found, "page": 0, "page_size": 50, "start": 0, "end": len(found),
                                 "uri": url.path, "first_page_uri": url.path, "next_page_uri": None,
                                 "previous_page_uri": None})

        self.server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.server.daemon_threads = True
        threading.Thread(target=self.server.serve_forever, daemon=True).start()
        return self

    def stop(self) -> None:
        self.server.shutdown()
        self.server.server_close()

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.server.server_address[1]}"

    def fail_next(self, *faults: Fault) -> None:
        with self._lock:
            self.faults.extend(faults)

    def _next_fault(self) -> Fault | None:
        with self._lock:
            return self.faults.pop(0) if self.faults else None

    def _accept(self, form: dict) -> dict:
        now = format_datetime(datetime.now(timezone.utc), usegmt=True)
        with self._lock:
            sid = f"SM{next(self._ids):032x}"
            message = {
                "sid": sid, "account_sid": ACCOUNT_SID, "to": form.get("To"), "from": form.get("From"),
                "messaging_service_sid": form.get("MessagingServiceSid"), "body": form.get("Body"),
                "content_sid": form.get("ContentSid"), "content_variables": form.get("ContentVariables"),
                "status": "queued", "num_segments": "1", "direction": "outbound-api",
                "date_created": now, "date_updated": now, "date_sent": None, "api_version": "2010-04-01",
                "validity_period": form.get("ValidityPeriod"), "status_callback": form.get("StatusCallback"),
                "uri": f"/2010-04-01/Accounts/{ACCOUNT_SID}/Messages/{sid}.json",
            }
            self.messages.append(message)
        return message

    def received(self, sid: str, when: datetime) -> None:
        """Declare an incoming message Twilio holds (for the replay check)."""
        with self._lock:
            self.incoming[sid] = when

    def sent_to(self, to: str) -> list[str]:
        with self._lock:
            return [m["body"] for m in self.messages if m["to"] == to]


def sign(url: str, params: dict[str, str], token: str = AUTH_TOKEN) -> str:
    return RequestValidator(token).compute_signature(url, params)


def post_webhook(url: str, params: dict[str, str], token: str = AUTH_TOKEN, signature: str | None = None,
                 **kwargs) -> requests.Response:
    """POST a form to our webhook as Twilio does, signed for `url` unless a signature is given."""
    headers = {"X-Twilio-Signature": signature if signature is not None else sign(url, params, token)}
    return requests.post(url, data=params, headers=headers, timeout=10, **kwargs)
