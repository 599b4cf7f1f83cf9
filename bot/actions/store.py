"""What the actions need from the app database, run off the event loop.

The action server is one asyncio loop serving every conversation: a blocking database call
would stall them all, so each unit of work runs in a worker thread.
"""
from __future__ import annotations

import asyncio
from functools import lru_cache
from typing import Callable, TypeVar

from sqlalchemy.orm import Session

from bot import people, settings
from bot.database import session_scope

T = TypeVar("T")


@lru_cache(maxsize=1)
def _hash_key() -> str:
    return settings.load().hash_key


def key_for(sender_id: str) -> str:
    return people.person_key(sender_id, _hash_key())


async def run(work: Callable[[Session], T]) -> T:
    def unit() -> T:
        with session_scope() as session:
            return work(session)

    return await asyncio.to_thread(unit)
