"""Drive every persona (tests/personas/<lang>.yaml) through the real assistant over the REST
channel, answering whatever the assistant asks with the persona's own words, and compare the
outcome with the rules' answer on the persona's true facts.

    python -m tests.personas.run [--lang fr,en] [--id fr-asylum-malade] [--threads 4]

starts a fresh assistant (tests/e2e.py), runs, prints the tables, and exits 1 if anything is wrong.
`run(assistant, personas)` returns one dict per persona (for tests/test_personas.py).
"""
from __future__ import annotations

import argparse
import sys
import tempfile
import uuid
from collections import Counter
from concurrent.futures import ThreadPoolExecutor
from datetime import date
from pathlib import Path

import requests
import yaml

from bot import screening
from bot.sms import join_turn, segments
from bot.i18n import SUPPORTED_LANGUAGES
from bot.rights import evaluate
from bot.rights.facts import Facts

HERE = Path(__file__).parent
MAX_TURNS = 40  # the person gives up: a loop
MAX_STUCK = 3  # turns in a row where nothing is asked and nothing is decided: a dead end
MAX_ASKED = 3  # issue 14 point 3: no question asked more than three times
MIN_RIGHT = 0.9
SCREENING_FACTS = ("health_problem", "current_cover", "can_advance_fees", "saint_denis_link")
# What a person writes when the bot seems to wait for something and asks nothing (or to start).
HELLO = {"fr": "bonjour", "en": "hello", "ar": "salam", "ro": "buna ziua", "bn": "hello",
         "fa": "salam", "es": "hola", "pt": "ola"}
METADATA = {"render": "sms"}  # they text from a basic phone: the SMS rendering, no language preset

RIGHT, HUMAN, WRONG = "right", "human", "wrong"


# --- personas and their truth -------------------------------------------------------------

def load_personas(languages=None, ids=None) -> list[dict]:
    personas = []
    for language in languages or SUPPORTED_LANGUAGES:
        path = HERE / f"{language}.yaml"
        for persona in yaml.safe_load(path.read_text(encoding="utf-8")):
            persona.setdefault("language", language)
            persona.setdefault("held_out", False)
            if not ids or persona["id"] in ids:
                personas.append(persona)
    return personas


def truth(persona: dict, today: date | None = None) -> dict:
    """What the rules say for the persona's true facts: the 4 PASS criteria, then the rights."""
    facts = dict(persona["facts"])
    result = screening.evaluate(*(facts.get(name) for name in SCREENING_FACTS))
    if result.eligible is False:
        return {"kind": "not_eligible", "codes": sorted(result.reasons)}
    if facts.get("prior_ame_end") == "never":
        facts["prior_ame_end"] = None  # the contract's "never had AME"
    facts["today"] = (today or date.today()).isoformat()
    outcome = evaluate(Facts.from_mapping(facts)).to_dict()
    if "HANDOFF" in outcome["rights"]:
        return {"kind": "handoff", "codes": sorted(outcome.get("handoff_reasons") or [])}
    return {"kind": "rights", "codes": sorted(outcome["rights"])}


def words(persona: dict, slot: str, nth: int) -> str | None:
    """The persona's answer the nth time (0-based) `slot` is asked: the last one after that."""
    said = persona["says"].get(slot)
    if said is None:
        return None
    said = said if isinstance(said, list) else [said]
    return str(said[min(nth, len(said) - 1)])


# --- one conversation -----------------------------------------------------------------------

class Conversation:
    def __init__(self, assistant, persona: dict):
        self.assistant, self.persona = assistant, persona
        self.sender = f"persona-{persona['id']}-{uuid.uuid4().hex[:8]}"
        self.asked: Counter = Counter()  # slot (or "language") -> times asked
        self.turns = 0
        self.transcript: list[tuple[str, str]] = []
        self.sms = self.segments = 0  # what the phone received, as the SMS channel sends a turn

    def say(self, text: str) -> list[dict]:
        self.turns += 1
        self.transcript.append(("person", text))
        reply = requests.post(f"{self.assistant.url}/webhooks/rest/webhook",
                              json={"sender": self.sender, "message": text, "metadata": METADATA}, timeout=60)
        reply.raise_for_status()
        messages = reply.json()
        self.transcript += [("bot", m.get("text", "")) for m in messages]
        sent = join_turn([m["text"] for m in messages if m.get("text")])
        self.sms, self.segments = self.sms + len(sent), self.segments + sum(map(segments, sent))
        return messages

    def tracker(self) -> dict:
        reply = requests.get(f"{self.assistant.url}/conversations/{self.sender}/tracker",
                             params={"token": self.assistant.token}, timeout=30)
        reply.raise_for_status()
        return reply.json()

    def handed_over(self, tracker: dict) -> bool:
        if tracker.get("paused"):
            return True
        _, _, requests_made = self.assistant.stored(self.sender)  # the recorded handoff (app database)
        return "human" in requests_made or "interpreter" in requests_made

    def run(self) -> dict:
        language = self.persona["language"]
        messages = self.say(self.persona.get("first") or HELLO[language])
        stuck, came, missing_words = 0, None, None
        while came is None:
            tracker = self.tracker()
            slots = tracker["slots"]
            if slots.get("rights"):
                rights = sorted(slots["rights"])
                came = {"kind": "handoff", "codes": rights} if "HANDOFF" in rights else {"kind": "rights", "codes": rights}
                break
            if slots.get("pass_eligible") is False:
                came = {"kind": "not_eligible", "codes": sorted(slots.get("pass_reasons") or [])}
                break
            if self.handed_over(tracker):
                came = {"kind": "handoff", "codes": []}
                break
            if any(m.get("buttons") and m["buttons"][0].get("payload", "").startswith("/choose_language")
                   for m in messages[-1:]):
                slot = "language"  # the language menu (no slot: a plain action)
            else:
                slot = slots.get("requested_slot")
            if self.turns >= MAX_TURNS:
                came = {"kind": "loop", "codes": []}
                break
            if slot is None:
                stuck += 1
                if stuck > MAX_STUCK:
                    came = {"kind": "dead_end", "codes": []}
                    break
                messages = self.say(HELLO[language])  # what people do when the bot seems to wait
                continue
            stuck = 0
            answer = words(self.persona, slot, self.asked[slot])
            self.asked[slot] += 1
            if answer is None:  # the persona file lacks the words: a test-data gap, said as such
                missing_words = slot
                came = {"kind": "no_words", "codes": [slot]}
                break
            messages = self.say(answer)
        return self.result(came, missing_words)

    def result(self, came: dict, missing_words: str | None) -> dict:
        expected = truth(self.persona)
        if expected["kind"] == "handoff":
            verdict = RIGHT if came["kind"] == "handoff" else WRONG
        elif came == expected:
            verdict = RIGHT
        elif came["kind"] == "handoff":
            verdict = HUMAN
        else:
            verdict = WRONG
        most = self.asked.most_common(1)
        return {
            "id": self.persona["id"], "language": self.persona["language"], "held_out": self.persona["held_out"],
            "verdict": verdict, "expected": expected, "came": came, "turns": self.turns,
            "asked_again": sum(n - 1 for n in self.asked.values() if n > 1),
            "longest_repeat": most[0][1] if most else 0, "most_asked": most[0][0] if most else None,
            "asked": dict(self.asked), "missing_words": missing_words, "sender": self.sender,
            "transcript": self.transcript, "sms": self.sms, "segments": self.segments,
        }


def drive(assistant, persona: dict) -> dict:
    try:
        return Conversation(assistant, persona).run()
    except requests.RequestException as error:  # one broken conversation does not stop the run
        return {"id": persona["id"], "language": persona["language"], "held_out": persona["held_out"],
                "verdict": WRONG, "expected": truth(persona), "came": {"kind": "error", "codes": [str(error)]},
                "turns": 0, "asked_again": 0, "longest_repeat": 0, "most_asked": None, "asked": {},
                "missing_words": None, "sender": "", "transcript": [], "sms": 0, "segments": 0}


def run(assistant, personas: list[dict] | None = None, threads: int = 4) -> list[dict]:
    """Every persona through `assistant` (a tests.e2e.Assistant), a few at a time."""
    personas = load_personas() if personas is None else personas
    with ThreadPoolExecutor(max_workers=threads) as pool:
        return list(pool.map(lambda persona: drive(assistant, persona), personas))


# --- the report -------------------------------------------------------------------------------

def table(results: list[dict], title: str) -> str:
    head = f"{'lang':<6}{'personas':>9}{'right':>7}{'human':>7}{'wrong':>7}{'% right':>9}{'mean turns':>12}" \
           f"{'asked again':>13}{'longest repeat':>16}"
    lines = [title, head]
    groups = [(language, [r for r in results if r["language"] == language]) for language in SUPPORTED_LANGUAGES]
    for name, group in [*groups, ("all", results)]:
        if not group:
            continue
        count = Counter(r["verdict"] for r in group)
        lines.append(f"{name:<6}{len(group):>9}{count[RIGHT]:>7}{count[HUMAN]:>7}{count[WRONG]:>7}"
                     f"{100 * count[RIGHT] / len(group):>8.0f}%{sum(r['turns'] for r in group) / len(group):>12.1f}"
                     f"{sum(r['asked_again'] for r in group):>13}{max(r['longest_repeat'] for r in group):>16}")
    return "\n".join(lines)


def _outcome(outcome: dict) -> str:
    return f"{outcome['kind']}({', '.join(outcome['codes'])})" if outcome["codes"] else outcome["kind"]


def _last_exchange(transcript: list[tuple[str, str]]) -> str:
    """The person's last message and the bot's first answer to it, on one line."""
    for i in range(len(transcript) - 1, -1, -1):
        if transcript[i][0] == "person":
            answer = next((text for who, text in transcript[i + 1:] if who == "bot"), "(nothing)")
            return f"{transcript[i][1]!r} -> {answer.splitlines()[0][:100]!r}" if answer else repr(transcript[i][1])
    return ""


def failures(results: list[dict]) -> str:
    lines = []
    for r in results:
        if r["verdict"] == RIGHT and r["longest_repeat"] <= MAX_ASKED:
            continue
        lines.append(f"{r['id']}{' (held out)' if r['held_out'] else ''}: {r['verdict']}, expected "
                     f"{_outcome(r['expected'])}, came {_outcome(r['came'])}, {r['turns']} turns, most asked "
                     f"{r['most_asked']} x{r['longest_repeat']}")
        if r["missing_words"]:
            lines.append(f"    the persona has no words for {r['missing_words']!r}")
        last = _last_exchange(r["transcript"])
        if last:
            lines.append(f"    last: {last}")
    return "\n".join(["Failures:", *lines]) if lines else "No failures."


# The price of one SMS segment to France was not found in a current source (see
# ../shared/reference/perf-and-reliability.md): an assumption, to be replaced by the Twilio
# Pricing API's figure for the team's contract (--segment-price).
SEGMENT_PRICE_EUR = 0.07
SEGMENT_GOAL = {"ar": 30, "bn": 30, "fa": 30}  # issue 20: 15 in the Latin-script languages


def sms_cost(results: list[dict], price: float = SEGMENT_PRICE_EUR) -> str:
    """SMS and segments a person receives on a path that reached its outcome (screening, then
    the rights and papers, or the reason it is not for them), answered in their own words."""
    lines = [f"SMS per completed path, answered in words (personas; at {price:.2f} EUR a segment, an assumption)",
             f"{'lang':<6}{'paths':>6}{'SMS':>6}{'segments':>10}{'max':>5}{'goal':>6}{'EUR':>7}"]
    for language in SUPPORTED_LANGUAGES:
        done = [r for r in results if r["language"] == language and r["verdict"] == RIGHT]
        if not done:
            continue
        sms = sum(r["sms"] for r in done) / len(done)
        seg = sum(r["segments"] for r in done) / len(done)
        lines.append(f"{language:<6}{len(done):>6}{sms:>6.1f}{seg:>10.1f}{max(r['segments'] for r in done):>5}"
                     f"{SEGMENT_GOAL.get(language, 15):>6}{seg * price:>7.2f}")
    return "\n".join(lines)


def report(results: list[dict], price: float = SEGMENT_PRICE_EUR) -> str:
    tuned = [r for r in results if not r["held_out"]]
    held = [r for r in results if r["held_out"]]
    parts = [table(tuned, "Personas (tuning set)")]
    if held:
        parts.append(table(held, "Held-out personas (kept out of the NLU data and of tuning)"))
    parts.append(sms_cost(results, price))
    parts.append(failures(results))
    return "\n\n".join(parts)


def problems(results: list[dict]) -> list[str]:
    """Why the test fails: wrong outcomes, questions asked too often, languages under 90 %."""
    found = [f"{r['id']}: wrong outcome" for r in results if r["verdict"] == WRONG]
    found += [f"{r['id']}: {r['most_asked']} asked {r['longest_repeat']} times"
              for r in results if r["longest_repeat"] > MAX_ASKED]
    for language in SUPPORTED_LANGUAGES:
        group = [r for r in results if r["language"] == language]
        if group and sum(r["verdict"] == RIGHT for r in group) / len(group) < MIN_RIGHT:
            found.append(f"{language}: under {MIN_RIGHT:.0%} right")
    return found


# Where the assistant stands (2026-12-07: 59 of 60 right, none wrong, no question asked more than
# 3 times; Arabic 8 of 9, every other language all): the test holds this floor so that nothing
# slips back, while problems() above is the goal of issue 14 (every language at 90 %, no wrong
# outcome), printed by `make personas`.
FLOOR_RIGHT = 0.95  # of all personas (59 of 60 on 2026-12-07)
FLOOR_LANGUAGE = 0.85  # in each language (8 of 9 in Arabic: "ماشي" at consent; all elsewhere)
FLOOR_WRONG = 0  # a wrong outcome is worse than a person: none


def below_floor(results: list[dict]) -> list[str]:
    found = [f"{r['id']}: {r['most_asked']} asked {r['longest_repeat']} times"
             for r in results if r["longest_repeat"] > MAX_ASKED]
    wrong = [r["id"] for r in results if r["verdict"] == WRONG]
    if len(wrong) > FLOOR_WRONG:
        found.append(f"{len(wrong)} wrong outcomes (at most {FLOOR_WRONG}): {', '.join(wrong)}")
    if sum(r["verdict"] == RIGHT for r in results) / len(results) < FLOOR_RIGHT:
        found.append(f"under {FLOOR_RIGHT:.0%} right in all")
    for language in SUPPORTED_LANGUAGES:
        group = [r for r in results if r["language"] == language]
        if group and sum(r["verdict"] == RIGHT for r in group) / len(group) < FLOOR_LANGUAGE:
            found.append(f"{language}: under {FLOOR_LANGUAGE:.0%} right")
    return found


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(prog="python -m tests.personas.run", description=__doc__.split("\n\n")[0])
    parser.add_argument("--lang", help="comma-separated languages (default: all)")
    parser.add_argument("--id", action="append", help="only this persona (repeatable)")
    parser.add_argument("--threads", type=int, default=4)
    parser.add_argument("--transcripts", action="store_true", help="print the failed conversations")
    parser.add_argument("--segment-price", type=float, default=SEGMENT_PRICE_EUR,
                        help=f"EUR per SMS segment (default {SEGMENT_PRICE_EUR}, an assumption)")
    parser.add_argument("--sms-cost", action="store_true",
                        help="print only the SMS cost per completed path (make bench); exit 0")
    args = parser.parse_args(argv)
    personas = load_personas(args.lang.split(",") if args.lang else None, args.id)
    from tests import e2e  # starts the real assistant, as the e2e tests do

    with tempfile.TemporaryDirectory(prefix="personas-") as var_dir:
        print("starting the assistant (it trains the model if needed)...", file=sys.stderr)
        assistant = e2e.start(Path(var_dir))
        try:
            results = run(assistant, personas, args.threads)
        finally:
            e2e.stop(assistant)
    if args.sms_cost:
        print(sms_cost(results, args.segment_price))
        return 0
    print(report(results, args.segment_price))
    if args.transcripts:
        for r in results:
            if r["verdict"] != RIGHT:
                print(f"\n--- {r['id']}")
                print("\n".join(f"{who:>6}: {text}" for who, text in r["transcript"]))
    return 1 if problems(results) else 0


if __name__ == "__main__":
    sys.exit(main())
