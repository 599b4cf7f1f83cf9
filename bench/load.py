"""Load generator for the REST channel: N conversations at once, each replaying a message
sequence, new sender ids until the time is up. asyncio + aiohttp (installed with Rasa)."""
from __future__ import annotations

import asyncio
import itertools
import os
import statistics
import time
import uuid

import aiohttp


def percentile(values: list[float], p: float) -> float:
    if not values:
        return float("nan")
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(round(p / 100 * (len(ordered) - 1))))]


async def _drive(url: str, messages: list[str], concurrency: int, seconds: float, metadata: dict | None) -> dict:
    latencies: list[float] = []
    errors = 0
    conversations = 0
    counter = itertools.count()
    deadline = time.monotonic() + seconds
    prefix = uuid.uuid4().hex[:8]

    async def conversation_loop(session: aiohttp.ClientSession) -> None:
        nonlocal errors, conversations
        while time.monotonic() < deadline:
            sender = f"bench-{prefix}-{next(counter)}"
            for text in messages:
                body = {"sender": sender, "message": text, **({"metadata": metadata} if metadata else {})}
                started = time.perf_counter()
                try:
                    async with session.post(url, json=body) as reply:
                        await reply.read()
                        ok = reply.status == 200
                except (aiohttp.ClientError, asyncio.TimeoutError):
                    ok = False
                latencies.append(time.perf_counter() - started)
                if not ok:
                    errors += 1
                    break
            else:
                conversations += 1

    timeout = aiohttp.ClientTimeout(total=120)
    connector = aiohttp.TCPConnector(limit=concurrency)
    started = time.perf_counter()
    # The REST channel of our production profile needs its token (the stock bot ignores it).
    token = os.environ.get("PASS_REST_TOKEN")
    headers = {"Authorization": f"Bearer {token}"} if token else None
    async with aiohttp.ClientSession(timeout=timeout, connector=connector, headers=headers) as session:
        await asyncio.gather(*(conversation_loop(session) for _ in range(concurrency)))
    elapsed = time.perf_counter() - started
    return {
        "concurrency": concurrency, "seconds": round(elapsed, 1), "messages": len(latencies), "errors": errors,
        "conversations": conversations, "messages_per_s": round(len(latencies) / elapsed, 2),
        "conversations_per_s": round(conversations / elapsed, 3),
        "p50_ms": round(percentile(latencies, 50) * 1000, 1), "p95_ms": round(percentile(latencies, 95) * 1000, 1),
        "p99_ms": round(percentile(latencies, 99) * 1000, 1),
        "mean_ms": round(statistics.fmean(latencies) * 1000, 1) if latencies else None,
    }


def run(url: str, messages: list[str], concurrency: int, seconds: float, metadata: dict | None = None) -> dict:
    """Conversations replaying `messages` against the REST webhook at `url` for `seconds`."""
    return asyncio.run(_drive(url, messages, concurrency, seconds, metadata))


def parse_latency(url: str, texts: list[str], repeat: int) -> dict:
    """Sequential NLU parses (POST /model/parse): p50/p95 in ms."""
    async def go() -> list[float]:
        found = []
        async with aiohttp.ClientSession() as session:
            for text in itertools.islice(itertools.cycle(texts), repeat):
                started = time.perf_counter()
                async with session.post(url, json={"text": text}) as reply:
                    await reply.read()
                    reply.raise_for_status()
                found.append(time.perf_counter() - started)
        return found

    latencies = asyncio.run(go())
    return {"parses": len(latencies), "p50_ms": round(percentile(latencies, 50) * 1000, 1),
            "p95_ms": round(percentile(latencies, 95) * 1000, 1)}
