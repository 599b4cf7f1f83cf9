"""Console accounts and sessions: argon2id passwords, server-side sessions, CSRF tokens.

Sessions live in the app database; the browser holds only a random id (the database keeps its
SHA-256), a new one at every login. A session unused for IDLE_MINUTES is over.
"""
from __future__ import annotations

import hashlib
import hmac
import os
import secrets
from datetime import timedelta

from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError
from sqlalchemy import delete, select
from sqlalchemy.orm import Session

from bot.metrics import LOGIN_FAILURES
from bot.models import ConsoleSession, ConsoleUser, utcnow

ROLES = ("social_worker", "coordinator")
# OWASP Password Storage Cheat Sheet, argon2id: m=19 MiB, t=2, p=1.
HASHER = PasswordHasher(time_cost=2, memory_cost=19 * 1024, parallelism=1)
MIN_PASSWORD_LENGTH = 12
# Compared against when the name is unknown, so a wrong name takes as long as a wrong password.
_DUMMY_HASH = HASHER.hash(secrets.token_urlsafe(16))


def idle_timeout() -> timedelta:
    return timedelta(minutes=float(os.environ.get("PASS_CONSOLE_IDLE_MINUTES", "30")))


def create_user(session: Session, name: str, role: str, password: str) -> ConsoleUser:
    if role not in ROLES:
        raise ValueError(f"role must be one of {', '.join(ROLES)}")
    if len(password) < MIN_PASSWORD_LENGTH:
        raise ValueError(f"the password needs at least {MIN_PASSWORD_LENGTH} characters")
    if session.execute(select(ConsoleUser).where(ConsoleUser.name == name)).scalar_one_or_none():
        raise ValueError(f"an account named {name!r} already exists")
    user = ConsoleUser(name=name, role=role, password_hash=HASHER.hash(password), active=True)
    session.add(user)
    session.flush()
    return user


def find_user(session: Session, name: str) -> ConsoleUser | None:
    return session.execute(select(ConsoleUser).where(ConsoleUser.name == name)).scalar_one_or_none()


def authenticate(session: Session, name: str, password: str) -> ConsoleUser | None:
    """The account if the password is right and the account active (locked or not: the
    caller tells a locked account apart, to the one who knows its password only)."""
    user = find_user(session, name)
    try:
        HASHER.verify(user.password_hash if user else _DUMMY_HASH, password)
    except (VerificationError, InvalidHashError):
        LOGIN_FAILURES.inc()
        return None
    if user is None or not user.active:
        LOGIN_FAILURES.inc()
        return None
    if HASHER.check_needs_rehash(user.password_hash):
        user.password_hash = HASHER.hash(password)
    return user


def _hash(session_id: str) -> str:
    return hashlib.sha256(session_id.encode()).hexdigest()


def start_session(session: Session, user: ConsoleUser) -> str:
    """A new session (a new id at every login); returns the id for the cookie."""
    session_id = secrets.token_urlsafe(32)
    session.add(ConsoleSession(id_hash=_hash(session_id), user_id=user.id, csrf_token=secrets.token_urlsafe(32)))
    session.flush()
    return session_id


def current(session: Session, session_id: str | None) -> tuple[ConsoleSession, ConsoleUser] | None:
    """The live session and its user, refreshed; None when unknown, idle too long or disabled."""
    if not session_id:
        return None
    row = session.get(ConsoleSession, _hash(session_id))
    if row is None:
        return None
    now = utcnow()
    user = session.get(ConsoleUser, row.user_id)
    if now - row.last_seen_at > idle_timeout() or user is None or not user.active:
        session.delete(row)
        return None
    row.last_seen_at = now
    return row, user


def end_session(session: Session, session_id: str | None) -> None:
    if session_id:
        session.execute(delete(ConsoleSession).where(ConsoleSession.id_hash == _hash(session_id)))


def csrf_ok(row: ConsoleSession, token: str | None) -> bool:
    return bool(token) and hmac.compare_digest(row.csrf_token.encode(), token.encode())
