"""Rasa's SQL tracker store, except that a conversation that has just been erased is not saved,
that a conversation whose consent was refused keeps no text and no answer (only the language,
deleted rows overwritten, SQLite's WAL truncated), and with one cheap query for the open menu.

The erasure runs in the action server (action_erase_my_data), but Rasa saves the tracker after
the turn: a plain store would write the whole conversation back. Here, a turn in which the
erasure action ran deletes the conversation instead, so the next message starts
a fresh one. Declared in endpoints.yml and endpoints.prod.yml.
"""
from __future__ import annotations

import json
from typing import Any

import sqlalchemy as sa
from rasa.core.tracker_store import SQLTrackerStore
from rasa.shared.core.constants import ACTION_LISTEN_NAME, ACTION_SESSION_START_NAME
from rasa.shared.core.events import ActionExecuted, SessionStarted, SlotSet, UserUttered
from rasa.shared.core.trackers import DialogueStateTracker

ERASE_ACTION = "action_erase_my_data"


# How many of a tracker's events are already in the database, noted on the tracker when it is
# read or saved: Rasa's own save counts them with one more query on every turn.
STORED = "_pass_stored_events"


CONSENT_SLOT = "consent_given"


def refused_consent_events(tracker: DialogueStateTracker) -> list:
    """All that is kept of a conversation whose consent was refused: a new session in the
    person's language, waiting for their next message (no text, no answer)."""
    events = [ActionExecuted(ACTION_SESSION_START_NAME), SessionStarted()]
    language = tracker.get_slot("language")
    if language:
        events.append(SlotSet("language", language))
    return events + [ActionExecuted(ACTION_LISTEN_NAME)]


def _sqlite(session) -> bool:
    return session.get_bind().dialect.name == "sqlite"


def _secure_delete(session) -> None:
    """SQLite keeps deleted rows readable in free pages unless told to overwrite them."""
    if _sqlite(session):
        session.execute(sa.text("PRAGMA secure_delete = ON"))


def _truncate_wal(session) -> None:
    """In WAL mode the old pages stay in the -wal file until a checkpoint truncates it."""
    if _sqlite(session):
        session.execute(sa.text("PRAGMA wal_checkpoint(TRUNCATE)"))


class ErasingTrackerStore(SQLTrackerStore):
    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        # Rasa creates its engine without pool_pre_ping: after the database restarts, each pooled
        # connection fails once (a "try again later" for nothing). Checked before use, like
        # bot.database's engine; SQLAlchemy 1.4 reads this flag at every checkout.
        self.engine.pool._pre_ping = True

    async def _retrieve(self, sender_id: str, fetch_events_from_all_sessions: bool) -> DialogueStateTracker | None:
        tracker = await super()._retrieve(sender_id, fetch_events_from_all_sessions)
        if tracker is not None and not fetch_events_from_all_sessions:
            setattr(tracker, STORED, len(tracker.events))
        return tracker

    async def save(self, tracker: DialogueStateTracker) -> None:
        await self.stream_events(tracker)
        with self.session_scope() as session:
            stored = getattr(tracker, STORED, None)
            if stored is None:
                stored = self._event_query(session, tracker.sender_id, fetch_events_from_all_sessions=False).count()
            new = list(tracker.events)[stored:]
            if any(isinstance(e, ActionExecuted) and e.action_name == ERASE_ACTION for e in new):
                _secure_delete(session)
                session.query(self.SQLEvent).filter(self.SQLEvent.sender_id == tracker.sender_id).delete()
                stored = 0
            elif tracker.get_slot(CONSENT_SLOT) is False:
                # Consent refused: nothing they wrote, nor any answer, outlives the turn. Only what
                # is needed to answer next time stays: the language.
                _secure_delete(session)
                session.query(self.SQLEvent).filter(self.SQLEvent.sender_id == tracker.sender_id).delete()
                kept = refused_consent_events(tracker)
                session.add_all(self._row(tracker.sender_id, e.as_dict(), e.type_name) for e in kept)
                session.commit()
                _truncate_wal(session)
                setattr(tracker, STORED, None)  # the tracker in memory no longer matches the rows
                return
            else:
                session.add_all(self._row(tracker.sender_id, e.as_dict(), e.type_name) for e in new)
                stored = len(tracker.events)
            session.commit()
        setattr(tracker, STORED, stored)

    def _row(self, sender_id: str, data: dict[str, Any], type_name: str):
        return self.SQLEvent(sender_id=sender_id, type_name=type_name, timestamp=data.get("timestamp"),
                             intent_name=data.get("parse_data", {}).get("intent", {}).get("name"),
                             action_name=data.get("name"), data=json.dumps(data))

    def events_since_last_user_message(self, sender_id: str) -> list[dict[str, Any]]:
        """What happened after the person's latest message (the bot's last turn), read without
        rebuilding the whole conversation: the channels look here for the menu a number picks."""
        events = self.SQLEvent
        with self.session_scope() as session:
            last_user = (sa.select(sa.func.coalesce(sa.func.max(events.id), 0))
                         .where(events.sender_id == sender_id, events.type_name == UserUttered.type_name)
                         .scalar_subquery())
            rows = session.execute(sa.select(events.data)
                                   .where(events.sender_id == sender_id, events.id > last_user)
                                   .order_by(events.id)).scalars().all()
        return [json.loads(row) for row in rows]

    def latest_user_event(self, sender_id: str) -> dict[str, Any] | None:
        """The person's latest message as stored (with how it was read), in one query."""
        events = self.SQLEvent
        with self.session_scope() as session:
            row = session.execute(sa.select(events.data)
                                  .where(events.sender_id == sender_id, events.type_name == UserUttered.type_name)
                                  .order_by(events.id.desc()).limit(1)).scalar()
        return json.loads(row) if row else None
