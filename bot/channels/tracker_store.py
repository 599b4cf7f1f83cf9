"""Rasa's SQL tracker store, except that a conversation that has just been erased is not saved,
that a conversation whose consent was refused keeps no text and no answer (only the language,
deleted rows overwritten, SQLite's WAL truncated), and with one cheap query for the open menu.

The erasure runs in the action server (action_erase_my_data), but Rasa saves the tracker after
the turn: a plain store would write the whole conversation back. Here, a turn in which the
erasure action ran deletes the conversation instead, so the next message starts
a fresh one. Declared in endpoints.yml and endpoints.prod.yml.

Flat turns (issue 20): Rasa reads and replays every event of the session on every turn, so a
turn cost more the longer the conversation. Here the trackers of recent conversations stay in
memory (a bounded LRU), each with the id and timestamp of the last row it holds. Before use, one
query reads the rows from that one on: the row missing (erased, or refused consent rewrote the
conversation) or a new session means a full read; rows another replica added are replayed on
top. Rasa gets a copy it may change; the cache changes only on a successful save.
"""
from __future__ import annotations

import copy
import json
import threading
from collections import OrderedDict, deque
from itertools import islice
from typing import Any, NamedTuple

import sqlalchemy as sa
from rasa.core.tracker_store import SQLTrackerStore
from rasa.shared.core.constants import ACTION_LISTEN_NAME, ACTION_SESSION_START_NAME
from rasa.shared.core.events import ActionExecuted, Event, SessionStarted, SlotSet, UserUttered
from rasa.shared.core.trackers import DialogueStateTracker
from rasa.shared.utils.common import all_subclasses

ERASE_ACTION = "action_erase_my_data"


# How many of a tracker's events are already in the database, noted on the tracker when it is
# read or saved: Rasa's own save counts them with one more query on every turn.
STORED = "_pass_stored_events"
ALL_SESSIONS = "_pass_all_sessions"  # a tracker read with every session (Rasa's HTTP API)


CONSENT_SLOT = "consent_given"

# Events kept in memory per Rasa process, all conversations together (endpoints: `cache_events`);
# the least recently used conversations go first. About 2 kB an event (2,300 events: 5 MB), so
# about 100 MB; a screening to the checklist is some 150 events.
CACHE_EVENTS = 50_000


class Cached(NamedTuple):
    tracker: DialogueStateTracker
    last_id: int  # the newest row of this conversation the tracker holds
    last_timestamp: float | None


def copy_tracker(tracker: DialogueStateTracker) -> DialogueStateTracker:
    """A copy whose changes do not reach the original, without replaying the events (Rasa's
    tracker.copy() does): the events are shared but never changed once logged; the slots and
    the active loop are changed in place, so they are copied."""
    copied = copy.copy(tracker)
    copied.events = deque(tracker.events, tracker.events.maxlen)
    copied.slots = type(tracker.slots)((name, copy.copy(slot)) for name, slot in tracker.slots.items())
    copied.active_loop = copy.copy(tracker.active_loop)
    return copied


_EVENT_TYPES: dict[str, type] = {}


def deserialise(data: dict[str, Any]) -> Event | None:
    """Event.from_parameters, without its search through every Event subclass for each event
    (three quarters of the time of reading a conversation)."""
    if not _EVENT_TYPES:
        for cls in all_subclasses(Event):
            _EVENT_TYPES.setdefault(cls.type_name, cls)  # the first found, as resolve_by_type
    cls = _EVENT_TYPES.get(data.get("event"))
    return cls._from_parameters(data) if cls else Event.from_parameters(data)


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
    def __init__(self, *args: Any, cache_events: int = CACHE_EVENTS, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        # Rasa creates its engine without pool_pre_ping: after the database restarts, each pooled
        # connection fails once (a "try again later" for nothing). Checked before use, like
        # bot.database's engine; SQLAlchemy 1.4 reads this flag at every checkout.
        self.engine.pool._pre_ping = True
        self.cache_events = int(cache_events)
        self._cache: OrderedDict[str, Cached] = OrderedDict()
        self._cached_events = 0
        self._cache_lock = threading.Lock()  # the channels may read from worker threads

    def _remember(self, sender_id: str, cached: Cached) -> None:
        with self._cache_lock:
            self._pop(sender_id)
            self._cache[sender_id] = cached
            self._cached_events += len(cached.tracker.events)
            while self._cached_events > self.cache_events:
                self._pop(next(iter(self._cache)))  # the least recently used

    def _pop(self, sender_id: str) -> None:
        old = self._cache.pop(sender_id, None)
        if old is not None:
            self._cached_events -= len(old.tracker.events)

    def _forget(self, sender_id: str) -> None:
        with self._cache_lock:
            self._pop(sender_id)

    def _cached(self, sender_id: str) -> Cached | None:
        with self._cache_lock:
            if sender_id in self._cache:
                self._cache.move_to_end(sender_id)
            return self._cache.get(sender_id)

    async def _retrieve(self, sender_id: str, fetch_events_from_all_sessions: bool) -> DialogueStateTracker | None:
        if fetch_events_from_all_sessions:
            tracker = await super()._retrieve(sender_id, fetch_events_from_all_sessions)
            if tracker is not None:
                setattr(tracker, ALL_SESSIONS, True)  # never kept: a turn reads the latest session only
            return tracker
        try:
            tracker = self._latest_session(sender_id)
        except sa.exc.DBAPIError as error:
            if not error.connection_invalidated:
                raise
            # A pooled connection broken by a database restart that the pre-ping let through
            # (seen after PostgreSQL was killed under make run-prod): read once more on a new
            # one, rather than let Rasa run the turn on an empty tracker.
            tracker = self._latest_session(sender_id)
        return copy_tracker(tracker) if tracker is not None else None

    def _latest_session(self, sender_id: str) -> DialogueStateTracker | None:
        cached = self._cached(sender_id)
        tracker = self._catch_up(sender_id, cached) if cached else None
        return tracker if tracker is not None else self._read(sender_id)

    def _catch_up(self, sender_id: str, cached: Cached) -> DialogueStateTracker | None:
        """The cached tracker with the rows added since (by another replica), or None when it
        cannot be used: its last row is gone, or a new session started."""
        events = self.SQLEvent
        with self.session_scope() as session:
            rows = session.execute(sa.select(events.id, events.timestamp, events.type_name, events.data)
                                   .where(events.sender_id == sender_id, events.id >= cached.last_id)
                                   .order_by(events.id)).all()
        if not rows or rows[0].id != cached.last_id or rows[0].timestamp != cached.last_timestamp:
            self._forget(sender_id)
            return None
        if len(rows) == 1:
            return cached.tracker
        if any(row.type_name == SessionStarted.type_name for row in rows):
            return None  # the new session is read as Rasa reads it (from its start)
        tracker = copy_tracker(cached.tracker)
        for row in rows[1:]:
            event = deserialise(json.loads(row.data))
            if event is not None:
                tracker.update(event)
        setattr(tracker, STORED, len(tracker.events))
        self._remember(sender_id, Cached(tracker, rows[-1].id, rows[-1].timestamp))
        return tracker

    def _read(self, sender_id: str) -> DialogueStateTracker | None:
        """The latest session from the database, as Rasa's _retrieve reads it; kept in the cache."""
        with self.session_scope() as session:
            rows = self._event_query(session, sender_id, fetch_events_from_all_sessions=False).all()
        if not self.domain or not rows:
            self._forget(sender_id)
            return None
        found = (deserialise(json.loads(row.data)) for row in rows)
        tracker = DialogueStateTracker.from_events(sender_id, [e for e in found if e is not None], self.domain.slots)
        setattr(tracker, STORED, len(tracker.events))
        self._remember(sender_id, Cached(tracker, rows[-1].id, rows[-1].timestamp))
        return tracker

    async def save(self, tracker: DialogueStateTracker) -> None:
        await self.stream_events(tracker)
        with self.session_scope() as session:
            stored = getattr(tracker, STORED, None)
            if stored is None:
                stored = self._event_query(session, tracker.sender_id, fetch_events_from_all_sessions=False).count()
            new = list(islice(tracker.events, stored, None))
            keep = None  # the last row written, if the tracker is kept for the next turn
            if new:
                self._forget(tracker.sender_id)  # until these rows are written
            if any(isinstance(e, ActionExecuted) and e.action_name == ERASE_ACTION for e in new):
                _secure_delete(session)
                session.query(self.SQLEvent).filter(self.SQLEvent.sender_id == tracker.sender_id).delete()
                stored = 0
            elif tracker.get_slot(CONSENT_SLOT) is False:
                # Consent refused: nothing they wrote, nor any answer, outlives the turn. Only what
                # is needed to answer next time stays: the language.
                self._forget(tracker.sender_id)
                _secure_delete(session)
                session.query(self.SQLEvent).filter(self.SQLEvent.sender_id == tracker.sender_id).delete()
                kept = refused_consent_events(tracker)
                session.add_all(self._row(tracker.sender_id, e.as_dict(), e.type_name) for e in kept)
                session.commit()
                _truncate_wal(session)
                setattr(tracker, STORED, None)  # the tracker in memory no longer matches the rows
                return
            else:
                rows = [self._row(tracker.sender_id, e.as_dict(), e.type_name) for e in new]
                session.add_all(rows)
                session.flush()  # the ids, read before the commit expires the rows
                # Not kept when a session started: the next turn reads it as Rasa reads it.
                if rows and not getattr(tracker, ALL_SESSIONS, False) and not any(
                        isinstance(e, SessionStarted) for e in new):
                    keep = (rows[-1].id, rows[-1].timestamp)
                stored = len(tracker.events)
            session.commit()
        setattr(tracker, STORED, stored)
        if keep:
            self._remember(tracker.sender_id, Cached(copy_tracker(tracker), *keep))

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
