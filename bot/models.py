"""Tables of the app database. Only what the services need, nothing identifying in clear:
a person is known by a keyed hash of their channel id, never by a phone number."""
from __future__ import annotations

from datetime import datetime, timezone

from sqlalchemy import Boolean, Column, DateTime, ForeignKey, Integer, JSON, String
from sqlalchemy.orm import declarative_base, relationship

Base = declarative_base()


def utcnow() -> datetime:
    return datetime.now(timezone.utc)


class Person(Base):
    __tablename__ = "person"

    id = Column(Integer, primary_key=True)
    key = Column(String(64), nullable=False, unique=True)  # HMAC-SHA256 of the channel id
    language = Column(String(8), nullable=True)
    consent_version = Column(String(32), nullable=True)
    consent_at = Column(DateTime(timezone=True), nullable=True)
    created_at = Column(DateTime(timezone=True), nullable=False, default=utcnow)
    last_seen_at = Column(DateTime(timezone=True), nullable=False, default=utcnow)

    screenings = relationship("Screening", back_populates="person", cascade="all, delete-orphan")
    requests = relationship("PersonRequest", back_populates="person", cascade="all, delete-orphan")


class Screening(Base):
    """Answers to the four PASS inclusion criteria and the outcome computed from them."""

    __tablename__ = "screening"

    id = Column(Integer, primary_key=True)
    person_id = Column(Integer, ForeignKey("person.id", ondelete="CASCADE"), nullable=False, index=True)
    health_problem = Column(Boolean, nullable=True)
    current_cover = Column(String(32), nullable=True)
    can_advance_fees = Column(Boolean, nullable=True)
    saint_denis_link = Column(Boolean, nullable=True)
    pass_eligible = Column(Boolean, nullable=True)
    reasons = Column(JSON, nullable=False, default=list)
    completed_at = Column(DateTime(timezone=True), nullable=False, default=utcnow)

    person = relationship("Person", back_populates="screenings")


class PersonRequest(Base):
    """Something the person asked for that staff must act on (human contact, erasure, SMS stop)."""

    __tablename__ = "person_request"

    id = Column(Integer, primary_key=True)
    person_id = Column(Integer, ForeignKey("person.id", ondelete="CASCADE"), nullable=False, index=True)
    kind = Column(String(32), nullable=False)  # see people.REQUEST_KINDS
    status = Column(String(16), nullable=False, default="open")
    created_at = Column(DateTime(timezone=True), nullable=False, default=utcnow)

    person = relationship("Person", back_populates="requests")
