"""Console logins under attack: per account and per client address, a growing wait after a few
failures in a row (1 s, 2 s, 4 s… up to a minute), and an account locked after LOCK_AFTER
failures until a coordinator unlocks it (audited, bot/console/accounts.py). Counted in the
shared store (bot/limits.py: Redis in production), so every console process sees them; keys
are keyed hashes, never a name or an address. A wait is answered without checking the password.
"""
from __future__ import annotations

import os

from bot.people import person_key

FREE_FAILURES = int(os.environ.get("PASS_LOGIN_FREE_FAILURES", "3"))  # failures in a row before any wait
MAX_WAIT_SECONDS = 60
WINDOW_SECONDS = 15 * 60  # failures are counted over this long
LOCK_AFTER = int(os.environ.get("PASS_LOGIN_LOCK_AFTER", "10"))  # an account's failures in the window that lock it


def _keys(name: str, address: str, hash_key: str) -> tuple[str, str]:
    return (f"login:account:{person_key('account:' + name.strip().lower(), hash_key)[:32]}",
            f"login:address:{person_key('address:' + address, hash_key)[:32]}")


def wait_seconds(store, name: str, address: str, hash_key: str) -> float:
    """How long this name or this address must still wait before trying again."""
    return max(store.held_for(key + ":wait") for key in _keys(name, address, hash_key))


def failed(store, name: str, address: str, hash_key: str) -> int:
    """Count a failure; impose the next wait. The account's failures in the window."""
    counts = []
    for key in _keys(name, address, hash_key):
        count = store.hit(key, WINDOW_SECONDS)
        if count > FREE_FAILURES:
            store.hold(key + ":wait", min(2 ** (count - FREE_FAILURES - 1), MAX_WAIT_SECONDS))
        counts.append(count)
    return counts[0]


def succeeded(store, name: str, address: str, hash_key: str) -> None:
    for key in _keys(name, address, hash_key):
        store.clear(key, key + ":wait")
