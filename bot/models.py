"""Tables of the app database. Only what the services need, nothing identifying in clear:
a person is known by a keyed hash of their channel id, never by a phone number."""
from __future__ import annotations

from datetime import datetime, timezone

from sqlalchemy import Boolean, Column, Date, DateTime, ForeignKey, Index, Integer, JSON, String, Text, UniqueConstraint, text
from sqlalchemy.types import TypeDecorator
from sqlalchemy.orm import declarative_base, relationship

Base = declarative_base()


def utcnow() -> datetime:
    return datetime.now(timezone.utc)


class UTCDateTime(TypeDecorator):
    """A moment, stored in UTC and always read back with its zone. SQLite keeps no zone: without
    this every reader would have to guess; with it, comparisons with utcnow() just work."""

    impl = DateTime(timezone=True)
    cache_ok = True

    def process_bind_param(self, value, dialect):
        if value is not None and value.tzinfo is not None:
            value = value.astimezone(timezone.utc)
        return value

    def process_result_value(self, value, dialect):
        if value is not None and value.tzinfo is None:
            value = value.replace(tzinfo=timezone.utc)
        return value


class Person(Base):
    __tablename__ = "person"
    # An erased person's id is never given again (the audit log outlives erasure): PostgreSQL's
    # sequences never reuse one, SQLite does without AUTOINCREMENT (migration 0007o).
    __table_args__ = {"sqlite_autoincrement": True}

    id = Column(Integer, primary_key=True)
    key = Column(String(64), nullable=False, unique=True)  # HMAC-SHA256 of the channel id
    language = Column(String(8), nullable=True)
    consent_version = Column(String(32), nullable=True)
    consent_at = Column(UTCDateTime, nullable=True)
    source = Column(String(40), nullable=True)  # association tag of the link they came by (?src=)
    # Only for sending SMS: a keyed hash to find the person from an incoming number, and the
    # number itself encrypted (bot/crypto.py). Empty for people who never gave one.
    phone_key = Column(String(64), nullable=True, unique=True, index=True)
    phone_encrypted = Column(Text, nullable=True)
    sms_opted_out_at = Column(UTCDateTime, nullable=True)  # STOP received
    whatsapp_inbound_at = Column(UTCDateTime, nullable=True)  # their last WhatsApp message (24-hour rule)
    cover_ends_on = Column(Date, nullable=True)  # end of the AME, recorded by staff (renewal reminder)
    # The latest conversation id (web-…, sms-…): the console's sheet reads its messages from Rasa.
    conversation = Column(String(80), nullable=True)
    # The name the person gave a social worker: encrypted, and a keyed hash to find it (exact match).
    name_key = Column(String(64), nullable=True, index=True)
    name_encrypted = Column(Text, nullable=True)
    created_at = Column(UTCDateTime, nullable=False, default=utcnow)
    last_seen_at = Column(UTCDateTime, nullable=False, default=utcnow)

    screenings = relationship("Screening", back_populates="person", cascade="all, delete-orphan")
    requests = relationship("PersonRequest", back_populates="person", cascade="all, delete-orphan")


class Screening(Base):
    """Answers to the four PASS inclusion criteria and the outcome computed from them."""

    __tablename__ = "screening"

    id = Column(Integer, primary_key=True)
    # NULL once the person is erased: the outcome stays, anonymous, for the counts (bot/privacy.py).
    person_id = Column(Integer, ForeignKey("person.id", ondelete="CASCADE"), nullable=True, index=True)
    health_problem = Column(Boolean, nullable=True)
    current_cover = Column(String(32), nullable=True)
    can_advance_fees = Column(Boolean, nullable=True)
    saint_denis_link = Column(Boolean, nullable=True)
    pass_eligible = Column(Boolean, nullable=True)
    reasons = Column(JSON, nullable=False, default=list)
    completed_at = Column(UTCDateTime, nullable=False, default=utcnow)

    person = relationship("Person", back_populates="screenings")


class PersonRequest(Base):
    """Something the person asked for that staff must act on (human contact, erasure, SMS stop)."""

    __tablename__ = "person_request"

    id = Column(Integer, primary_key=True)
    person_id = Column(Integer, ForeignKey("person.id", ondelete="CASCADE"), nullable=True, index=True)  # NULL: erased
    kind = Column(String(32), nullable=False)  # see people.REQUEST_KINDS
    status = Column(String(16), nullable=False, default="open")
    created_at = Column(UTCDateTime, nullable=False, default=utcnow)
    done_at = Column(UTCDateTime, nullable=True)  # a task of the console: done when, by whom
    done_by = Column(String(80), nullable=True)

    person = relationship("Person", back_populates="requests")


class SocialWorker(Base):
    __tablename__ = "social_worker"

    id = Column(Integer, primary_key=True)
    name = Column(String(80), nullable=False)
    site = Column(String(40), nullable=False)  # an id of bot/booking/sites.yaml

    availability = relationship("Availability", back_populates="worker", cascade="all, delete-orphan")


class Availability(Base):
    """A weekly opening of a social worker, e.g. Monday 09:00-12:30 (Europe/Paris)."""

    __tablename__ = "availability"

    id = Column(Integer, primary_key=True)
    worker_id = Column(Integer, ForeignKey("social_worker.id", ondelete="CASCADE"), nullable=False, index=True)
    weekday = Column(Integer, nullable=False)  # 0 = Monday
    start = Column(String(5), nullable=False)  # "09:00"
    end = Column(String(5), nullable=False)

    worker = relationship("SocialWorker", back_populates="availability")


class Slot(Base):
    __tablename__ = "slot"
    __table_args__ = (UniqueConstraint("worker_id", "start_at", name="uq_slot_worker_start"),)

    id = Column(Integer, primary_key=True)
    worker_id = Column(Integer, ForeignKey("social_worker.id", ondelete="CASCADE"), nullable=False)
    site = Column(String(40), nullable=False, index=True)
    start_at = Column(UTCDateTime, nullable=False, index=True)  # UTC
    end_at = Column(UTCDateTime, nullable=False)
    blocked = Column(Boolean, nullable=False, default=False)  # set by staff: not offered
    blocked_reason = Column(String(200), nullable=True)  # sick leave, centre closed... (bot/booking/openings.py)
    blocked_at = Column(UTCDateTime, nullable=True)


class Closure(Base):
    """Days when a site (or every site) receives nobody: the slots generated later for these
    days are born blocked (bot/booking/openings.py)."""

    __tablename__ = "closure"

    id = Column(Integer, primary_key=True)
    site = Column(String(40), nullable=True)  # NULL: every site
    first_day = Column(Date, nullable=False)
    last_day = Column(Date, nullable=False)
    reason = Column(String(200), nullable=False)
    created_by = Column(String(80), nullable=False)
    created_at = Column(UTCDateTime, nullable=False, default=utcnow)


class Appointment(Base):
    __tablename__ = "appointment"
    __table_args__ = (
        # One booking per slot, enforced by the database itself: two people racing for the
        # same slot cannot both get it, whatever the code above does.
        Index("uq_appointment_booked_slot", "slot_id", unique=True,
              sqlite_where=text("status = 'booked'"), postgresql_where=text("status = 'booked'")),
    )

    id = Column(Integer, primary_key=True)
    reference = Column(String(12), nullable=False, unique=True)
    slot_id = Column(Integer, ForeignKey("slot.id", ondelete="RESTRICT"), nullable=False)
    person_id = Column(Integer, ForeignKey("person.id", ondelete="SET NULL"), nullable=True, index=True)
    status = Column(String(16), nullable=False, default="booked")  # booked cancelled attended no_show
    language = Column(String(8), nullable=False)
    # What the person actually obtained, recorded by staff: {"PUMA": "opened", "AME": "pending"...}
    rights_obtained = Column(JSON, nullable=True)
    # Care obtained without advancing fees, recorded at the visit: ["medicines", "laboratory"...]
    care_obtained = Column(JSON, nullable=True)
    follow_up = Column(Boolean, nullable=True)  # chose regular follow-up at a CMS
    created_at = Column(UTCDateTime, nullable=False, default=utcnow)
    updated_at = Column(UTCDateTime, nullable=False, default=utcnow, onupdate=utcnow)

    slot = relationship("Slot")


class InboundMessage(Base):
    """Twilio message ids already received: a retried webhook is processed once. Only the id and
    the time are kept (purged after a few days by the SMS worker), never the text or the number."""

    __tablename__ = "inbound_message"

    sid = Column(String(64), primary_key=True)
    received_at = Column(UTCDateTime, nullable=False, default=utcnow, index=True)


class OutboundSms(Base):
    """The SMS outbox: every text for a phone is a row first, then sent by whoever claims it.

    Reminders are written in the same transaction as the booking; their text is made when they
    are sent (in the person's language of that day, for the appointment as it is then).
    Statuses: pending → claimed (a worker took it, nothing sent yet) → sending (the request to
    Twilio is under way) → sent → delivered | failed; or cancelled (appointment moved/cancelled),
    expired (valid_until passed), skipped (no number, opted out), dry_run (no Twilio account:
    kept for `python -m bot sms outbox`), unknown (no answer from Twilio: never resent blindly,
    see bot/outbox.py)."""

    __tablename__ = "outbound_sms"
    __table_args__ = (
        Index("ix_outbound_sms_due", "status", "due_at"),
        # One reminder of each kind per appointment, whatever retries or restarts do.
        Index("uq_outbound_sms_appointment_kind", "appointment_id", "kind", unique=True,
              sqlite_where=text("appointment_id IS NOT NULL"), postgresql_where=text("appointment_id IS NOT NULL")),
    )

    id = Column(Integer, primary_key=True)
    person_id = Column(Integer, ForeignKey("person.id", ondelete="CASCADE"), nullable=False, index=True)
    appointment_id = Column(Integer, ForeignKey("appointment.id", ondelete="CASCADE"), nullable=True)
    kind = Column(String(24), nullable=False)  # reply, reminder_<offset>, three_months, renewal, opt_out...
    body = Column(Text, nullable=True)  # fixed text (replies); made at send time for reminders
    status = Column(String(12), nullable=False, default="pending")
    due_at = Column(UTCDateTime, nullable=False, default=utcnow)
    valid_until = Column(UTCDateTime, nullable=False)
    quiet_hours = Column(Boolean, nullable=False, default=True)  # replies go at once, reminders wait
    attempts = Column(Integer, nullable=False, default=0)
    claimed_by = Column(String(64), nullable=True)
    claimed_at = Column(UTCDateTime, nullable=True)
    sent_at = Column(UTCDateTime, nullable=True)
    twilio_sid = Column(String(64), nullable=True, unique=True)
    error = Column(String(64), nullable=True)  # Twilio error code or HTTP status, never a text
    segments = Column(Integer, nullable=True)
    # How it goes to a WhatsApp number (bot/whatsapp.py): NULL as addressed, "template" outside
    # the 24-hour window, "sms" to the same number when WhatsApp would refuse it.
    via = Column(String(8), nullable=True)
    created_at = Column(UTCDateTime, nullable=False, default=utcnow)


class Handoff(Base):
    """A conversation handed to a social worker: waiting → claimed → resolved (bot answers again).

    `conversation` is the Rasa conversation id (web-…, sms-…): the console reads the messages
    from the tracker and answers through it; no message text is kept here."""

    __tablename__ = "handoff"

    id = Column(Integer, primary_key=True)
    # NULL once the person is erased: the handoff still counts on the dashboard (bot.privacy).
    person_id = Column(Integer, ForeignKey("person.id", ondelete="CASCADE"), nullable=True, index=True)
    conversation = Column(String(80), nullable=False)
    channel = Column(String(16), nullable=False)  # web, sms, rest (bot.handoff.channel_of)
    language = Column(String(8), nullable=True)
    reason = Column(String(24), nullable=False)  # bot.handoff.REASONS
    status = Column(String(12), nullable=False, default="waiting", index=True)
    paused = Column(Boolean, nullable=False, default=False)  # the bot is silent in the conversation
    created_at = Column(UTCDateTime, nullable=False, default=utcnow)
    claimed_at = Column(UTCDateTime, nullable=True)
    claimed_by = Column(Integer, ForeignKey("console_user.id", ondelete="SET NULL"), nullable=True)
    resolved_at = Column(UTCDateTime, nullable=True)
    # A safety message (emergency, suicidal thoughts, violence) came: top of the inbox, urgent.
    urgent_at = Column(UTCDateTime, nullable=True)
    reasons = Column(JSON, nullable=True)  # every reason it was handed over for, in order
    unread = Column(Integer, nullable=False, default=0, server_default="0")  # messages since staff looked
    last_message_at = Column(UTCDateTime, nullable=True)

    person = relationship("Person")


class ConsoleUser(Base):
    """A member of staff who signs in to the console (password: argon2id hash only)."""

    __tablename__ = "console_user"

    id = Column(Integer, primary_key=True)
    name = Column(String(80), nullable=False, unique=True)
    role = Column(String(16), nullable=False)  # social_worker | coordinator
    password_hash = Column(String(200), nullable=False)
    active = Column(Boolean, nullable=False, default=True)
    created_at = Column(UTCDateTime, nullable=False, default=utcnow)
    locked_at = Column(UTCDateTime, nullable=True)  # too many failed logins: a coordinator unlocks


class ConsoleSession(Base):
    """A signed-in browser. Only a hash of the session id is stored; the id is in the cookie."""

    __tablename__ = "console_session"

    id_hash = Column(String(64), primary_key=True)
    user_id = Column(Integer, ForeignKey("console_user.id", ondelete="CASCADE"), nullable=False, index=True)
    csrf_token = Column(String(64), nullable=False)
    created_at = Column(UTCDateTime, nullable=False, default=utcnow)
    last_seen_at = Column(UTCDateTime, nullable=False, default=utcnow)


class AuditEntry(Base):
    """Who viewed or changed which person's data, and when (readable by coordinators)."""

    __tablename__ = "audit_log"

    id = Column(Integer, primary_key=True)
    at = Column(UTCDateTime, nullable=False, default=utcnow, index=True)
    user_id = Column(Integer, ForeignKey("console_user.id", ondelete="SET NULL"), nullable=True)
    user_name = Column(String(80), nullable=False)  # kept if the account goes
    action = Column(String(40), nullable=False)  # view_sheet, claim, reply, resolve, mark_attended...
    person_id = Column(Integer, nullable=True, index=True)  # no foreign key: the trail outlives erasure
    detail = Column(String(200), nullable=True)  # never message text


class ConsoleNote(Base):
    """A social worker's private note on a person (encrypted; each one audited; erased with them)."""

    __tablename__ = "console_note"

    id = Column(Integer, primary_key=True)
    person_id = Column(Integer, ForeignKey("person.id", ondelete="CASCADE"), nullable=False, index=True)
    user_name = Column(String(80), nullable=False)
    at = Column(UTCDateTime, nullable=False, default=utcnow)
    text_encrypted = Column(Text, nullable=False)


class PhoneCheck(Base):
    """A one-time code sent by SMS, not yet typed back (bot/actions/reminder_number.py):
    `reminders` — a web-chat person gives a number for their reminders (the number waits here,
    encrypted, until the code confirms it); `unlock` — a returning browser shows who it is
    before the earlier conversation is shown again. `step` is the question the web chat asked
    last (offered, number, code). Only a keyed hash of the code is kept."""

    __tablename__ = "phone_check"
    __table_args__ = (UniqueConstraint("person_id", "purpose", name="uq_phone_check_person_purpose"),)

    id = Column(Integer, primary_key=True)
    person_id = Column(Integer, ForeignKey("person.id", ondelete="CASCADE"), nullable=False, index=True)
    purpose = Column(String(12), nullable=False)  # reminders | unlock
    step = Column(String(12), nullable=False)  # offered | number | code
    phone_encrypted = Column(Text, nullable=True)
    code_hash = Column(String(64), nullable=True)
    attempts = Column(Integer, nullable=False, default=0)
    expires_at = Column(UTCDateTime, nullable=True)
    created_at = Column(UTCDateTime, nullable=False, default=utcnow)


class PersonCase(Base):
    """A person's case (bot/case.py): what lasts beyond a conversation session, so that someone
    who comes back days later, on any channel, picks up where they were. One per person; erased
    with them (nothing of it stays: the anonymous counts are the screening rows')."""

    __tablename__ = "person_case"

    id = Column(Integer, primary_key=True)
    person_id = Column(Integer, ForeignKey("person.id", ondelete="CASCADE"), nullable=False, unique=True)
    # The answers the outcome rests on: the four criteria and the rights facts (slot values).
    facts = Column(JSON, nullable=False, default=dict)
    created_at = Column(UTCDateTime, nullable=False, default=utcnow)
    updated_at = Column(UTCDateTime, nullable=False, default=utcnow, onupdate=utcnow)

    outcomes = relationship("CaseOutcome", back_populates="case", cascade="all, delete-orphan",
                            order_by="CaseOutcome.version")
    documents = relationship("CaseDocument", back_populates="case", cascade="all, delete-orphan")
    appointments = relationship("CaseAppointment", back_populates="case", cascade="all, delete-orphan")


class CaseOutcome(Base):
    """One version of the outcome: a new screening, or a re-check (time passed, new rules),
    adds a version; the older ones stay as the history."""

    __tablename__ = "case_outcome"
    __table_args__ = (UniqueConstraint("case_id", "version", name="uq_case_outcome_version"),)

    id = Column(Integer, primary_key=True)
    case_id = Column(Integer, ForeignKey("person_case.id", ondelete="CASCADE"), nullable=False, index=True)
    version = Column(Integer, nullable=False)
    cause = Column(String(16), nullable=False)  # screening, recheck, three_months
    screening_id = Column(Integer, ForeignKey("screening.id", ondelete="SET NULL"), nullable=True)
    pass_eligible = Column(Boolean, nullable=True)
    pass_reasons = Column(JSON, nullable=False, default=list)
    rights = Column(JSON, nullable=True)  # None until the rights questions are answered
    documents = Column(JSON, nullable=False, default=list)
    forms = Column(JSON, nullable=False, default=list)
    handoff_reasons = Column(JSON, nullable=False, default=list)
    rules_fired = Column(JSON, nullable=False, default=list)
    css_monthly_contribution = Column(JSON, nullable=True)
    rules_version = Column(String(40), nullable=True)
    rules_valid_until = Column(Date, nullable=True)
    decided_on = Column(Date, nullable=False)  # the `today` of the evaluation
    created_at = Column(UTCDateTime, nullable=False, default=utcnow)

    case = relationship("PersonCase", back_populates="outcomes")


class CaseDocument(Base):
    """A paper the person already has: told in the conversation, or ticked by a social worker."""

    __tablename__ = "case_document"
    __table_args__ = (UniqueConstraint("case_id", "document", name="uq_case_document"),)

    id = Column(Integer, primary_key=True)
    case_id = Column(Integer, ForeignKey("person_case.id", ondelete="CASCADE"), nullable=False, index=True)
    document = Column(String(40), nullable=False)  # a document code of bot/rights/rules/documents.yaml
    told_by = Column(String(12), nullable=False)  # person | worker
    worker_id = Column(Integer, ForeignKey("console_user.id", ondelete="SET NULL"), nullable=True)
    at = Column(UTCDateTime, nullable=False, default=utcnow)

    case = relationship("PersonCase", back_populates="documents")


class CaseAppointment(Base):
    """Why an appointment of the case was booked: rights (after a screening), renewal (the AME
    renewal invitation), three_months (the invitation once 3 months in France are reached)."""

    __tablename__ = "case_appointment"

    id = Column(Integer, primary_key=True)
    case_id = Column(Integer, ForeignKey("person_case.id", ondelete="CASCADE"), nullable=False, index=True)
    appointment_id = Column(Integer, ForeignKey("appointment.id", ondelete="CASCADE"), nullable=False, unique=True)
    purpose = Column(String(16), nullable=False)
    created_at = Column(UTCDateTime, nullable=False, default=utcnow)

    case = relationship("PersonCase", back_populates="appointments")
    appointment = relationship("Appointment")


class CaseAlias(Base):
    """Another conversation key of the same person, who proved it with their booking reference
    (a new phone, the web chat after SMS...): its messages resume this person's case."""

    __tablename__ = "case_alias"

    key = Column(String(64), primary_key=True)  # Person.key of the other conversation
    person_id = Column(Integer, ForeignKey("person.id", ondelete="CASCADE"), nullable=False, index=True)
    created_at = Column(UTCDateTime, nullable=False, default=utcnow)
