"""SIGTERM or SIGINT end a long-running loop (the SMS worker, the daily openings job) at its next
round, and cut its wait short: `stopping = stop_flag()`, then `while not stopping.is_set(): …
stopping.wait(seconds)`."""
from __future__ import annotations

import signal
import threading


def stop_flag() -> threading.Event:
    stopping = threading.Event()
    for signum in (signal.SIGTERM, signal.SIGINT):
        signal.signal(signum, lambda *_: stopping.set())
    return stopping
