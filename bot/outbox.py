"""The SMS outbox (table `outbound_sms`): every text for a phone is a row before it is sent.

Why a table: reminders must survive restarts (Rasa's own reminders live in memory), a message
must never go twice (a claim is an atomic UPDATE on the row's status, so two workers cannot
both take it), and a message whose fate is unknown must not be resent blindly.

The life of a row: pending → claimed (a worker took it; nothing has left yet, so a worker that
dies here is harmless: the claim goes stale and the row is pending again) → sending (committed
just before the request to Twilio) → sent / failed / back to pending with a backoff (429, 5xx,
connection refused). When the answer never came (timeout, killed worker), the row stays in
`sending` or goes to `unknown`, and is reconciled against Twilio's own list of messages: found
→ sent; absent → pending again; Twilio unreachable → left for the next round.
"""
from __future__ import annotations

import os
import re
import uuid
from dataclasses import dataclass
from datetime import datetime, time, timedelta, timezone

from sqlalchemy import or_, select, update
from sqlalchemy.orm import Session

from bot.models import OutboundSms, utcnow
from bot.public_holidays import is_holiday
from bot.settings import PARIS

# French practice for application-to-person SMS: 8:00-20:00, Monday to Saturday (Paris time),
# never on a public holiday (bot/public_holidays.py, PASS_HOLIDAYS_REGION).
DEFAULT_WINDOW = "Mon-Sat 08:00-20:00"
DAYS = ("Mon", "Tue", "Wed", "Thu", "Fri", "Sat", "Sun")
REPLY_VALIDITY = timedelta(hours=1)  # an answer that cannot leave within the hour is pointless
# Claimed but never sent after this long: its worker died before sending → pending again.
CLAIM_STALE_AFTER = timedelta(seconds=float(os.environ.get("PASS_SMS_CLAIM_STALE_SECONDS", "120")))
MAX_ATTEMPTS = 6
BACKOFF_BASE = timedelta(seconds=30)
BACKOFF_MAX = timedelta(hours=1)

OPEN_STATUSES = ("pending", "claimed")  # not yet handed to Twilio: may still be cancelled


@dataclass(frozen=True)
class Window:
    days: frozenset[int]  # 0 = Monday
    start: time
    end: time


def window(spec: str | None = None) -> Window:
    """When reminders may go: PASS_SMS_WINDOW, e.g. "Mon-Sat 08:00-20:00" (the default)."""
    spec = spec or os.environ.get("PASS_SMS_WINDOW") or DEFAULT_WINDOW
    match = re.fullmatch(r"(\w{3})-(\w{3}) (\d\d):(\d\d)-(\d\d):(\d\d)", spec.strip())
    if not match or match[1] not in DAYS or match[2] not in DAYS:
        raise ValueError(f"PASS_SMS_WINDOW: {spec!r} is not like {DEFAULT_WINDOW!r}")
    first, last = DAYS.index(match[1]), DAYS.index(match[2])
    end = time.max if match[5] == "24" else time(int(match[5]), int(match[6]))
    return Window(frozenset(range(first, last + 1)), time(int(match[3]), int(match[4])), end)


def sending_allowed(moment: datetime) -> bool:
    allowed, local = window(), moment.astimezone(PARIS)
    return _sending_day(allowed, local.date()) and allowed.start <= local.time() < allowed.end


def _sending_day(allowed: Window, day) -> bool:
    return day.weekday() in allowed.days and not is_holiday(day)


def next_allowed(moment: datetime) -> datetime:
    """The first moment at or after `moment` when an SMS may be sent."""
    allowed, local = window(), moment.astimezone(PARIS)
    for day in range(15):  # a week, plus holidays (Christmas, then a Sunday...)
        candidate_day = (local + timedelta(days=day)).date()
        if not _sending_day(allowed, candidate_day):
            continue
        opening = datetime.combine(candidate_day, allowed.start, PARIS)
        closing = datetime.combine(candidate_day, allowed.end, PARIS)
        if day == 0 and local >= closing:
            continue
        return max(opening, local).astimezone(timezone.utc) if day == 0 else opening.astimezone(timezone.utc)
    raise AssertionError("a sending day exists in every week")


def last_allowed_before(moment: datetime) -> datetime | None:
    """The latest moment before `moment` when an SMS may be sent (within the week before)."""
    allowed, local = window(), moment.astimezone(PARIS)
    for day in range(15):
        candidate_day = (local - timedelta(days=day)).date()
        if not _sending_day(allowed, candidate_day):
            continue
        closing = datetime.combine(candidate_day, allowed.end, PARIS) - timedelta(minutes=1)
        opening = datetime.combine(candidate_day, allowed.start, PARIS)
        latest = min(closing, local)
        if latest >= opening:
            return latest.astimezone(timezone.utc)
    return None


def schedule_time(due: datetime, valid_until: datetime, now: datetime) -> datetime | None:
    """When to send something due at `due` that is useless after `valid_until`: at `due` if
    allowed, else the next allowed moment, else the last allowed moment before `due` (a reminder
    for a Monday 9:00 appointment goes on Saturday rather than too late); None if none fits."""
    later = next_allowed(due)
    if later < valid_until:
        return later
    earlier = last_allowed_before(due)
    return earlier if earlier is not None and earlier > now else None


def backoff(attempts: int) -> timedelta:
    return min(BACKOFF_BASE * (2 ** max(attempts - 1, 0)), BACKOFF_MAX)


def enqueue_reply(session: Session, person_id: int, body: str, kind: str = "reply",
                  now: datetime | None = None) -> OutboundSms:
    """An answer in a conversation: goes at once, whatever the hour (the person just wrote)."""
    now = now or utcnow()
    row = OutboundSms(person_id=person_id, kind=kind, body=body, status="pending", due_at=now,
                      valid_until=now + REPLY_VALIDITY, quiet_hours=False, attempts=0)
    session.add(row)
    session.flush()
    return row


def claim(session: Session, worker: str, now: datetime, limit: int = 20, row_id: int | None = None) -> list[int]:
    """Take up to `limit` due rows for this worker. The UPDATE re-checks `status = 'pending'`, so
    of two workers racing for a row only one changes it; each then reads back its own claims."""
    token = f"{worker}:{uuid.uuid4().hex[:12]}"
    due = select(OutboundSms.id).where(OutboundSms.status == "pending", OutboundSms.due_at <= now)
    if row_id is not None:
        due = due.where(OutboundSms.id == row_id)
    due = due.order_by(OutboundSms.due_at, OutboundSms.id).limit(limit)
    ids = list(session.execute(due).scalars())
    if not ids:
        return []
    session.execute(
        update(OutboundSms)
        .where(OutboundSms.id.in_(ids), OutboundSms.status == "pending")
        .values(status="claimed", claimed_by=token, claimed_at=now)
        .execution_options(synchronize_session=False)
    )
    return list(session.execute(
        select(OutboundSms.id).where(OutboundSms.claimed_by == token, OutboundSms.status == "claimed")
        .order_by(OutboundSms.due_at, OutboundSms.id)
    ).scalars())


def release_stale_claims(session: Session, now: datetime) -> int:
    """Claims whose worker died before sending anything: pending again."""
    result = session.execute(
        update(OutboundSms)
        .where(OutboundSms.status == "claimed", OutboundSms.claimed_at < now - CLAIM_STALE_AFTER)
        .values(status="pending", claimed_by=None)
        .execution_options(synchronize_session=False)
    )
    return result.rowcount


def to_reconcile(session: Session, now: datetime, after: timedelta) -> list[OutboundSms]:
    """Rows handed to Twilio with no answer (timeout, or the worker died mid-request)."""
    return list(session.execute(
        select(OutboundSms).where(
            or_(OutboundSms.status == "sending", OutboundSms.status == "unknown"),
            OutboundSms.claimed_at < now - after,
        )
    ).scalars())


@dataclass(frozen=True)
class SendResult:
    """What a transport says about one send. outcome: sent, dry_run, retry (nothing was sent:
    429, 5xx, refused connection), failed (Twilio refused it for good), unknown (no answer)."""

    outcome: str
    sid: str | None = None
    error: str | None = None


def record_result(row: OutboundSms, result: SendResult, now: datetime) -> None:
    row.error = result.error
    if result.outcome in ("sent", "dry_run"):
        row.status, row.twilio_sid, row.sent_at = result.outcome, result.sid, now
    elif result.outcome == "retry" and row.attempts < MAX_ATTEMPTS:
        row.status, row.claimed_by = "pending", None
        row.due_at = now + backoff(row.attempts)
    elif result.outcome == "unknown":
        row.status = "unknown"
    else:
        row.status = "failed"


def record_status(session: Session, twilio_sid: str, status: str, error: str | None) -> bool:
    """A delivery report from Twilio's status callback. Only final news changes the row."""
    final = {"delivered": "delivered", "undelivered": "failed", "failed": "failed"}.get(status)
    row = session.execute(select(OutboundSms).where(OutboundSms.twilio_sid == twilio_sid)).scalar_one_or_none()
    if row is None:
        return False
    if final:
        row.status = final
        row.error = error or row.error
        if final == "failed":
            fall_back_to_sms(session, row)
    return True


def fall_back_to_sms(session: Session, row: OutboundSms, now: datetime | None = None) -> bool:
    """A WhatsApp send refused (63016: outside the 24-hour window, or a template refused): the
    same row goes again at once, by SMS to the same number. Once SMS has failed too, or for a
    row that was an SMS already, the console gets a task. Whether it goes again."""
    from bot.whatsapp import OUTSIDE_WINDOW_ERROR

    whatsapp_refused = row.via != "sms" and (row.error == OUTSIDE_WINDOW_ERROR or row.via == "template")
    if whatsapp_refused:
        row.status, row.via, row.twilio_sid, row.claimed_by = "pending", "sms", None, None
        row.due_at = now or utcnow()
        return True
    if row.via == "sms":  # WhatsApp then SMS: nothing reaches them, a person must try
        from bot.models import PersonRequest

        known = session.execute(select(PersonRequest).where(
            PersonRequest.person_id == row.person_id, PersonRequest.kind == "undelivered",
            PersonRequest.status == "open")).first()
        if known is None:
            session.add(PersonRequest(person_id=row.person_id, kind="undelivered"))
    return False


def cancel_open(session: Session, appointment_id: int) -> int:
    """The appointment was moved or cancelled: its reminders not yet handed to Twilio are dropped."""
    result = session.execute(
        update(OutboundSms)
        .where(OutboundSms.appointment_id == appointment_id, OutboundSms.status.in_(OPEN_STATUSES))
        .values(status="cancelled")
        .execution_options(synchronize_session=False)
    )
    return result.rowcount


def listing(session: Session, limit: int = 50) -> list[OutboundSms]:
    return list(session.execute(select(OutboundSms).order_by(OutboundSms.id.desc()).limit(limit)).scalars())
