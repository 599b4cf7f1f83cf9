"""The audit log: every view or change of a person's data by a member of staff."""
from __future__ import annotations

from sqlalchemy import select
from sqlalchemy.orm import Session

from bot.models import AuditEntry


def record(session: Session, user: dict, action: str, person_id: int | None, detail: str | None = None) -> None:
    session.add(AuditEntry(user_id=user["id"], user_name=user["name"], action=action, person_id=person_id,
                           detail=detail[:200] if detail else None))


def latest(session: Session, limit: int = 500) -> list[AuditEntry]:
    return list(session.execute(select(AuditEntry).order_by(AuditEntry.at.desc(), AuditEntry.id.desc()).limit(limit)).scalars())
