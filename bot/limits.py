"""Counters shared by every process of the assistant: in Redis in the production profile
(REDIS_URL: two Rasa replicas and the console see the same counts), in this process in the
development profile (one process of each). The same code runs on both.

Keys are made of keyed hashes (bot.people.person_key), never a name, an address or a number.
"""
from __future__ import annotations

import threading
import time
from functools import lru_cache

from bot import settings


class MemoryStore:
    """A process's own counters with expiry (the development profile)."""

    def __init__(self, clock=time.monotonic) -> None:
        self._values: dict[str, tuple[int, float]] = {}
        self._lock = threading.Lock()
        self.clock = clock  # tests pass their own

    def _live(self, key: str, now: float) -> int:
        value, expires = self._values.get(key, (0, 0.0))
        return value if expires > now else 0

    def hit(self, key: str, window_seconds: float) -> int:
        """Count one more in `key`'s window (started by its first hit); the count so far."""
        now = self.clock()
        with self._lock:
            value, expires = self._values.get(key, (0, 0.0))
            if expires <= now:
                value, expires = 0, now + window_seconds
            self._values[key] = (value + 1, expires)
            if len(self._values) > 100_000:  # forget what has expired
                self._values = {k: v for k, v in self._values.items() if v[1] > now}
            return value + 1

    def count(self, key: str) -> int:
        with self._lock:
            return self._live(key, self.clock())

    def hold(self, key: str, seconds: float) -> None:
        """Mark `key` for `seconds` (a wait imposed)."""
        with self._lock:
            self._values[key] = (1, self.clock() + seconds)

    def held_for(self, key: str) -> float:
        """Seconds left of a hold, 0 if none."""
        with self._lock:
            value, expires = self._values.get(key, (0, 0.0))
            return max(0.0, expires - self.clock()) if value else 0.0

    def clear(self, *keys: str) -> None:
        with self._lock:
            for key in keys:
                self._values.pop(key, None)


class RedisStore:
    """The same in Redis: a counter created with its expiry by the first hit, then INCR (which
    keeps the expiry); PTTL for holds. Works with Redis 5 and later."""

    def __init__(self, url: str, prefix: str = "pass:limit:") -> None:
        import redis

        self.redis = redis.Redis.from_url(url, socket_timeout=2, socket_connect_timeout=2)
        self.prefix = prefix

    def hit(self, key: str, window_seconds: float) -> int:
        name = self.prefix + key
        with self.redis.pipeline() as pipe:  # MULTI: the count and its expiry together
            pipe.set(name, 0, nx=True, px=max(1, int(window_seconds * 1000)))
            pipe.incr(name)
            _, count = pipe.execute()
        return int(count)

    def count(self, key: str) -> int:
        return int(self.redis.get(self.prefix + key) or 0)

    def hold(self, key: str, seconds: float) -> None:
        self.redis.set(self.prefix + key, 1, px=max(1, int(seconds * 1000)))

    def held_for(self, key: str) -> float:
        left = self.redis.pttl(self.prefix + key)
        return left / 1000 if left and left > 0 else 0.0

    def clear(self, *keys: str) -> None:
        if keys:
            self.redis.delete(*(self.prefix + key for key in keys))


@lru_cache(maxsize=None)
def _store_for(redis_url: str | None):
    return RedisStore(redis_url) if redis_url else MemoryStore()


def store():
    """This process's store: Redis when REDIS_URL is set (production), else in memory."""
    return _store_for(settings.load().redis_url)
