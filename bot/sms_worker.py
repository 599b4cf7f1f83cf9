"""The SMS worker (`python -m bot sms worker`, started by `make run`): sends what the outbox
holds when it is due, settles sends whose answer never came, purges old message ids.

Several workers may run: each row is claimed by one (bot.outbox.claim). A worker killed at any
point loses nothing and sends nothing twice: a claimed row it never sent is released, a row it
was sending is settled against Twilio's list of messages before anything is resent.
"""
from __future__ import annotations

import logging
import os
import socket
from pathlib import Path
from datetime import datetime, timedelta
from typing import Callable

from sqlalchemy import delete, select, update

from bot import outbox, reminders, rendering, settings, whatsapp
from bot.stopping import stop_flag
from bot.actions import reminder_number
from bot.database import session_scope
from bot.models import InboundMessage, OutboundSms, Person, PhoneCheck
from bot.sms import segments

logger = logging.getLogger(__name__)

POLL_SECONDS = float(os.environ.get("PASS_SMS_POLL_SECONDS", "2"))
# A send with no answer is settled after this long (longer than the HTTP timeout).
RECONCILE_AFTER = timedelta(seconds=float(os.environ.get("PASS_SMS_RECONCILE_AFTER_SECONDS", "60")))
# Twilio retries within minutes; the ids are kept long after so that a captured request
# replayed is recognised, and one older than this is refused (bot.channels.twilio_sms._replayed).
INBOUND_IDS_KEPT = timedelta(days=30)
CODES_KEPT = timedelta(days=1)  # a code is valid 15 minutes; its row goes a day later
RETENTION_EVERY = timedelta(days=1)  # the retention job (bot.privacy.retention) runs daily here


class Worker:
    def __init__(self, cfg: settings.Settings, transport, name: str | None = None,
                 clock: Callable[[], datetime] = outbox.utcnow) -> None:
        self.cfg = cfg
        self.transport = transport
        self.name = name or f"{socket.gethostname()}:{os.getpid()}"
        self.clock = clock  # tests pass a fixed time (quiet hours, validity)
        self.retention_ran_at: datetime | None = None

    def retention_if_due(self) -> None:
        """Once a day (and at start): erase whoever has been silent longer than the retention
        period. Several workers may run it: erasing twice erases nothing more."""
        now = self.clock()
        if self.retention_ran_at and now - self.retention_ran_at < RETENTION_EVERY:
            return
        from bot import privacy

        with session_scope(self.cfg.database_url) as session:
            done = privacy.retention(session, self.cfg.tracker_db, now, self.cfg.retention_days)
        self.retention_ran_at = now
        logger.info("retention: %d people and %d conversation events erased", done["people"], done["conversation_events"])

    def run_once(self) -> int:
        """One round; returns how many rows it handled."""
        now = self.clock()
        with session_scope(self.cfg.database_url) as session:
            outbox.release_stale_claims(session, now)
            session.execute(delete(InboundMessage).where(InboundMessage.received_at < now - INBOUND_IDS_KEPT))
            # One-time codes long past (and the numbers waiting for them): gone.
            session.execute(delete(PhoneCheck).where(PhoneCheck.expires_at < now - CODES_KEPT))
        self.reconcile(now)
        with session_scope(self.cfg.database_url) as session:
            claimed = outbox.claim(session, self.name, now)
        for row_id in claimed:
            self.deliver(row_id)
        return len(claimed)

    def send_now(self, row_id: int) -> None:
        """Send one row at once if nobody has taken it (an answer in a conversation)."""
        with session_scope(self.cfg.database_url) as session:
            claimed = outbox.claim(session, self.name, self.clock(), row_id=row_id)
        for claimed_id in claimed:
            self.deliver(claimed_id)

    def deliver(self, row_id: int) -> None:
        now = self.clock()
        with session_scope(self.cfg.database_url) as session:
            row = session.get(OutboundSms, row_id)
            prepared = self._prepare(session, row, now)
            if prepared is None:
                return
            to, body, content = prepared
            # Committed before the request: from here on, a crash means "fate unknown".
            moved = session.execute(
                update(OutboundSms).where(OutboundSms.id == row_id, OutboundSms.status == "claimed")
                .values(status="sending", body=body, segments=segments(body), attempts=row.attempts + 1,
                        claimed_at=now)
                .execution_options(synchronize_session=False)
            ).rowcount
            if not moved:  # cancelled (appointment moved) since the claim
                return
            valid_until, kind = row.valid_until, row.kind
        result = self.transport.send(to, body, valid_until, now, content=content)
        with session_scope(self.cfg.database_url) as session:
            row = session.get(OutboundSms, row_id)
            outbox.record_result(row, result, self.clock())
            if row.status == "failed":
                outbox.fall_back_to_sms(session, row, self.clock())
        logger.info("sms %s %s: %s%s", row_id, kind, result.outcome, f" ({result.error})" if result.error else "")

    def _prepare(self, session, row: OutboundSms, now: datetime) -> tuple[str, str, tuple[str, str] | None] | None:
        """Where and what to send (and the WhatsApp template to send instead, if any), or None
        after recording why it is not sent now."""
        if row is None or row.status != "claimed":
            return None
        if now > row.valid_until:
            row.status = "expired"
            return None
        if row.quiet_hours and not outbox.sending_allowed(now):
            later = outbox.next_allowed(now)
            row.status, row.claimed_by = ("pending", None) if later < row.valid_until else ("expired", None)
            row.due_at = later
            return None
        person = session.get(Person, row.person_id)
        address = reminder_number.destination(session, row, person, self.cfg.data_key) if person else None
        # After STOP only its confirmation and a safety answer (emergency, 3114, 17) may go, and
        # the code of a number the person is giving for reminders right now in the web chat.
        if address is None or person.sms_opted_out_at is not None and row.kind not in ("opt_out", "safety",
                                                                                       reminder_number.CODE_KIND):
            row.status = "skipped"
            return None
        language = person.language or "fr"
        body = reminders.text_for(session, row, language)
        if not address.whatsapp or row.via == "sms":
            return address.e164 if address.whatsapp else address.twilio, body, None
        if whatsapp.window_open(person.whatsapp_inbound_at, now):
            return address.twilio, body, None
        # Outside WhatsApp's 24-hour window: an approved template, else SMS to the same number.
        template = whatsapp.template_for(row.kind, language)
        if template is None:
            row.via = "sms"
            return address.e164, body, None
        row.via = "template"
        values = {name: rendering.format_param(name, value, language)
                  for name, value in reminders.params_for(session, row).items()}
        return address.twilio, body, (template.content_sid, template.content_variables(values))

    def reconcile(self, now: datetime) -> None:
        """Sends that got no answer: Twilio has it → sent; Twilio has not → pending again."""
        with session_scope(self.cfg.database_url) as session:
            for row in outbox.to_reconcile(session, now, RECONCILE_AFTER):
                person = session.get(Person, row.person_id)
                address = reminder_number.destination(session, row, person, self.cfg.data_key) if person else None
                if address is None or not row.body:
                    row.status = "failed"
                    continue
                known = set(session.execute(select(OutboundSms.twilio_sid).where(
                    OutboundSms.person_id == row.person_id, OutboundSms.twilio_sid.is_not(None))).scalars())
                try:
                    sid = self.transport.find_sent(address.twilio, row.body, row.claimed_at, known)
                except Exception as error:  # Twilio unreachable: ask again next round
                    logger.warning("sms %s: cannot settle yet (%s)", row.id, type(error).__name__)
                    continue
                # Only if no other worker settled it meanwhile (both may see it unsettled at
                # once; the one that comes second would no longer find it and send it again).
                values = (dict(status="sent", twilio_sid=sid, sent_at=row.claimed_at) if sid
                          else dict(status="pending", claimed_by=None, due_at=now))
                session.execute(
                    update(OutboundSms).where(OutboundSms.id == row.id, OutboundSms.status == row.status,
                                              OutboundSms.claimed_at == row.claimed_at)
                    .values(**values).execution_options(synchronize_session=False))

    def run_forever(self) -> None:
        stopping = stop_flag()
        logger.info("SMS worker %s started (%s)", self.name, type(self.transport).__name__)
        heartbeat = os.environ.get("PASS_HEARTBEAT_FILE")
        while not stopping.is_set():
            if heartbeat:  # the launcher's health check: a worker stuck somewhere stops touching it
                Path(heartbeat).touch()
            try:
                self.retention_if_due()
                handled = self.run_once()
            except Exception:  # the database was away: try again, do not die
                logger.exception("SMS worker round failed")
                handled = 0
            if not handled:
                stopping.wait(POLL_SECONDS)


def main() -> int:
    from bot.sms_transport import transport_for

    logging.basicConfig(level=os.environ.get("LOG_LEVEL", "INFO"), format="%(asctime)s %(name)s %(levelname)s %(message)s")
    cfg = settings.load()
    from bot import logs, metrics

    logs.use_json_lines()
    metrics.serve_safely(cfg.database_url)
    Worker(cfg, transport_for(cfg)).run_forever()
    return 0
