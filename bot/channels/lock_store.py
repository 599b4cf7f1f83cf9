"""Rasa's Redis lock store with its read-modify-write steps made atomic.

Rasa 3.6's RedisLockStore issues a ticket by reading the conversation's lock, adding the ticket
and writing the lock back, in three separate Redis calls. Two replicas receiving messages of
the same conversation at the same moment can both read "no lock", both take ticket 0 and run
their turns at once: the later tracker save then skips the other turn's events, and a message
is answered but lost from the conversation (seen in tests/test_faults.py under load). Here each
change of a lock runs in a Redis transaction (WATCH/MULTI, retried if another replica changed
the lock in between), so tickets are unique and turns follow each other. Declared in
endpoints.prod.yml.
"""
from __future__ import annotations

import json
from typing import Callable, TypeVar

from rasa.core.lock import TicketLock
from rasa.core.lock_store import LOCK_LIFETIME, RedisLockStore
from rasa.utils.endpoints import EndpointConfig

T = TypeVar("T")


class AtomicRedisLockStore(RedisLockStore):
    def __init__(self, endpoint_config: EndpointConfig) -> None:
        super().__init__(host=endpoint_config.url, **endpoint_config.kwargs)

    def _change(self, conversation_id: str, change: Callable[[TicketLock], T]) -> T:
        """Apply `change` to the stored lock (a new one if none) in one transaction; the lock is
        deleted when no ticket is left in it."""
        key = self.key_prefix + conversation_id

        def attempt(pipe) -> T:
            stored = pipe.get(key)
            lock = TicketLock.from_dict(json.loads(stored)) if stored else TicketLock(conversation_id)
            result = change(lock)
            pipe.multi()
            if lock.is_someone_waiting():
                pipe.set(key, lock.dumps())
            else:
                pipe.delete(key)
            return result

        return self.red.transaction(attempt, key, value_from_callable=True)

    def issue_ticket(self, conversation_id: str, lock_lifetime: float = LOCK_LIFETIME) -> int:
        return self._change(conversation_id, lambda lock: lock.issue_ticket(lock_lifetime))

    def update_lock(self, conversation_id: str) -> None:
        self._change(conversation_id, TicketLock.remove_expired_tickets)

    def finish_serving(self, conversation_id: str, ticket_number: int) -> None:
        self._change(conversation_id, lambda lock: lock.remove_ticket_for(ticket_number))

    def cleanup(self, conversation_id: str, ticket_number: int) -> None:
        # Rasa removes the ticket, then deletes the lock if nobody waits, in two steps: a ticket
        # issued in between would be deleted with it. One transaction does both here.
        self.finish_serving(conversation_id, ticket_number)

