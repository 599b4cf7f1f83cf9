"""`python -m bot sms worker|outbox|simulate` and `python -m bot renewal REF YYYY-MM-DD`."""
from __future__ import annotations

import argparse
import sys
import time

import requests

from bot import outbox, people, phones, reminders, settings, sms_worker
from bot.booking import appointments
from bot.database import session_scope
from bot.models import Person

WEBHOOK_PATH = "/webhooks/twilio/webhook"


def main(args: argparse.Namespace) -> int:
    if args.command == "renewal":
        return _renewal(args)
    if args.action == "worker":
        return sms_worker.main()
    if args.action == "outbox":
        return _outbox(args.limit)
    return _simulate(args.phone, args.text)


def _outbox(limit: int) -> int:
    """The last SMS, newest first. Numbers are masked: this is for checking texts, not people."""
    cfg = settings.load()
    with session_scope(cfg.database_url) as session:
        for row in outbox.listing(session, limit):
            person = session.get(Person, row.person_id)
            address = people.phone_of(person, cfg.data_key) if person else None
            due = row.due_at.astimezone(outbox.PARIS).strftime("%Y-%m-%d %H:%M")
            print(f"#{row.id}  {due}  {address.masked if address else '-':5}  {row.kind:14} {row.status:9} "
                  f"{row.body or '(text made when sent)'}")
    return 0


def _simulate(phone: str, text: str | None) -> int:
    """Play a phone against the running assistant: a webhook signed like Twilio's, then the
    answer as it lands in the outbox."""
    from twilio.request_validator import RequestValidator

    if not text:
        print("error: give the text to send", file=sys.stderr)
        return 2
    address = phones.parse(phone)
    if address is None:
        print(f"error: {phone!r} is not a phone number", file=sys.stderr)
        return 2
    cfg = settings.load()
    url = cfg.public_url + WEBHOOK_PATH
    sid = f"SMsimulated{time.time_ns():021d}"
    form = {"MessageSid": sid, "From": address.twilio, "To": cfg.twilio.from_number or "+33700000000",
            "Body": text, "NumMedia": "0"}
    signature = RequestValidator(cfg.twilio.auth_token).compute_signature(url, form)
    with session_scope(cfg.database_url) as session:
        last = max((row.id for row in outbox.listing(session, 1)), default=0)
    reply = requests.post(url, data=form, headers={"X-Twilio-Signature": signature}, timeout=10)
    if reply.status_code != 200:
        print(f"error: the webhook answered {reply.status_code}", file=sys.stderr)
        return 1
    deadline, seen, quiet_since = time.monotonic() + 30, [], time.monotonic()
    key = people.person_key(people.sms_sender_id(address, cfg.hash_key), cfg.hash_key)
    while time.monotonic() < deadline:
        with session_scope(cfg.database_url) as session:
            person = people.find(session, key)
            bodies = [r.body for r in sorted(outbox.listing(session, 20), key=lambda r: r.id)
                      if person and r.id > last and r.person_id == person.id and r.body]
        if bodies != seen:
            seen, quiet_since = bodies, time.monotonic()
        elif seen and time.monotonic() - quiet_since > 1.0:  # the turn's answers are all out
            print("\n".join(seen))
            return 0
        time.sleep(0.2)
    print("no answer within 30 s", file=sys.stderr)
    return 1


def _renewal(args: argparse.Namespace) -> int:
    with session_scope() as session:
        try:
            appointment = appointments.find(session, args.reference)
        except appointments.UnknownAppointment:
            print(f"error: no appointment {args.reference!r}", file=sys.stderr)
            return 2
        if appointment.person_id is None:
            print("error: this appointment's person was erased", file=sys.stderr)
            return 2
        row = reminders.schedule_renewal(session, appointment.person_id, args.ends)
        when = row.due_at.astimezone(outbox.PARIS).strftime("%Y-%m-%d %H:%M") if row else None
    print(f"renewal reminder on {when}" if when else "the end date is too close for a reminder: call the person")
    return 0
