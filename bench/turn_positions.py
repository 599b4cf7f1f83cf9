"""Does a turn cost more as the conversation grows? (issue 20 point 1, "flat turns")

One long conversation at a time through the real assistant over REST, rendered as SMS: the French
screening and rights checklist answered by numbers (19 messages, as `make bench` does), then
messages that get an answer and keep the session going ("DOCS", "merci", a question), 210 turns.
Prints the median turn time at positions 1, 50, 100 and 200 (the median of turns n..n+9 after
the checklist, over every conversation), for the SQLite tracker
store (development profile, started as the tests start it) and, with --postgres, the PostgreSQL
one (production profile: two Rasa replicas behind nginx, Redis lock store).

    .venv/bin/python -m bench.turn_positions [--postgres] [--conversations 3] [--out FILE]
"""
from __future__ import annotations

import argparse
import json
import os
import statistics
import sys
import tempfile
import time
from datetime import date
from pathlib import Path

import requests

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from bench import run as bench_run  # noqa: E402
from bot import interview  # noqa: E402
from bot.rendering import SMS, render  # noqa: E402
from tests import e2e  # noqa: E402

# Each gets an answer and none ends the session (no erasure, no STOP, no booking, no handoff).
KEEP_GOING = ["DOCS", "merci", "c'est quoi la PASS ?", "merci"]
POSITIONS = (1, 50, 100, 200)
WINDOW = 10
TURNS = max(POSITIONS) + WINDOW
# bench.run sets PASS_REST_TOKEN for the assistants it starts (the prod profile needs one).
HEADERS = {"Authorization": f"Bearer {os.environ['PASS_REST_TOKEN']}"}
SHOW = os.environ.get("BENCH_SHOW") == "1"  # print what the assistant answers


def conversation(url: str, sender: str, headers: dict) -> tuple[list[float], int]:
    """The time of every turn after the checklist (s) and how many turns got no answer."""
    def say(text: str) -> tuple[float, list[str]]:
        started = time.perf_counter()
        reply = requests.post(f"{url}/webhooks/rest/webhook", headers=headers, timeout=60,
                              json={"sender": sender, "message": text, "metadata": {"render": "sms"}})
        elapsed = time.perf_counter() - started
        reply.raise_for_status()
        if SHOW:
            print(f"  {text!r} -> {[m.get('text', '')[:60] for m in reply.json()]}", flush=True)
        return elapsed, [m.get("text", "") for m in reply.json() if m.get("text")]

    for text in ["bonjour", "1", *bench_run.SCREENING_ANSWERS]:
        _, texts = say(text)
    while True:  # the rights checklist's questions, answered as bench/run.py does
        fact = next((f for f, q in interview.QUESTIONS.items()
                     if texts and texts[-1].startswith(render(q.response, "fr", SMS).text)), None)
        if fact is None:
            break
        _, texts = say(bench_run.RIGHTS_ANSWERS[fact])
    times, silent = [], 0
    for n in range(TURNS):
        elapsed, answered = say(KEEP_GOING[n % len(KEEP_GOING)])
        times.append(elapsed)
        silent += not answered
    return times, silent


def measure(url: str, conversations: int, headers: dict) -> dict:
    for text in ["bonjour", "1", *bench_run.SCREENING_ANSWERS, "DOCS"]:  # warm up (model loaded)
        requests.post(f"{url}/webhooks/rest/webhook", json={"sender": f"warm-{time.time_ns()}", "message": text},
                      headers=headers, timeout=60)
    runs = [conversation(url, f"turns-{n}-{time.time_ns()}", headers) for n in range(conversations)]
    medians = {str(p): round(1000 * statistics.median(t for times, _ in runs for t in times[p - 1:p - 1 + WINDOW]), 1)
               for p in POSITIONS}
    return {"median_ms": medians, "silent_turns": sum(s for _, s in runs), "conversations": conversations,
            "ratio_200_to_1": round(medians["200"] / medians["1"], 2)}


def sqlite(conversations: int) -> dict:
    with tempfile.TemporaryDirectory(prefix="pass-turns-") as temp:
        assistant = e2e.start(Path(temp))
        try:
            return measure(assistant.url, conversations, HEADERS)
        finally:
            e2e.stop(assistant)


def postgres(conversations: int) -> dict:
    with tempfile.TemporaryDirectory(prefix="pass-turns-pg-") as temp:
        (Path(temp) / "var").mkdir()
        process = None
        try:
            process, env, _ = bench_run.start_ours(Path(temp) / "var")
            return measure(env["url"], conversations, HEADERS)
        finally:
            bench_run.stop(process)
            bench_run.stop_stores()


def main() -> int:
    parser = argparse.ArgumentParser()
    parser.add_argument("--postgres", action="store_true", help="also the production profile (PostgreSQL)")
    parser.add_argument("--only-postgres", action="store_true")
    parser.add_argument("--conversations", type=int, default=3)
    parser.add_argument("--out", type=Path)
    args = parser.parse_args()
    results = {"date": date.today().isoformat(), "cpus": os.cpu_count(), "load_average_start": os.getloadavg(),
               "window": WINDOW}
    if not args.only_postgres:
        print("SQLite (development profile)...", flush=True)
        results["sqlite"] = sqlite(args.conversations)
    if args.postgres or args.only_postgres:
        print("PostgreSQL (production profile)...", flush=True)
        results["postgresql"] = postgres(args.conversations)
    results["load_average_end"] = os.getloadavg()
    print(json.dumps(results, indent=2))
    print("\n| store | " + " | ".join(f"turn {p}" for p in POSITIONS) + " | 200 / 1 |")
    print("|---|" + "---|" * (len(POSITIONS) + 1))
    for store in ("sqlite", "postgresql"):
        if store in results:
            r = results[store]
            print(f"| {store} | " + " | ".join(f"{r['median_ms'][str(p)]} ms" for p in POSITIONS)
                  + f" | {r['ratio_200_to_1']} |")
    if args.out:
        args.out.write_text(json.dumps(results, indent=2) + "\n")
    return 0


if __name__ == "__main__":
    sys.exit(main())
