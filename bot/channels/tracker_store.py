"""Rasa's SQL tracker store, except that a conversation that has just been erased is not saved.

The erasure runs in the action server (action_erase_my_data), but Rasa saves the tracker after
the turn: a plain store would write the whole conversation back. Here, a turn in which the
erasure action ran deletes the conversation instead, so the next message starts
a fresh one. Declared in endpoints.yml.
"""
from __future__ import annotations

from rasa.core.tracker_store import SQLTrackerStore
from rasa.shared.core.events import ActionExecuted
from rasa.shared.core.trackers import DialogueStateTracker

ERASE_ACTION = "action_erase_my_data"


class ErasingTrackerStore(SQLTrackerStore):
    async def save(self, tracker: DialogueStateTracker) -> None:
        with self.session_scope() as session:
            stored = self._event_query(session, tracker.sender_id, fetch_events_from_all_sessions=False).count()
        if any(isinstance(e, ActionExecuted) and e.action_name == ERASE_ACTION
               for e in list(tracker.events)[stored:]):
            with self.session_scope() as session:  # this store's own database, whatever its dialect
                session.query(self.SQLEvent).filter(self.SQLEvent.sender_id == tracker.sender_id).delete()
                session.commit()
            return
        await super().save(tracker)
