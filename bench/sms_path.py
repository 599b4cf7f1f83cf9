"""What a phone receives on one screening + rights checklist + booking, turn by turn, in segments:
`python bench/sms_path.py http://127.0.0.1:5005 fr` against a running assistant (with free slots).
The same path as `make bench` (bench/run.py `screening_segments`), printed message by message."""
from __future__ import annotations

import sys
import time
from pathlib import Path

import requests

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from bench.run import CHECKLIST  # noqa: E402
from bot import interview  # noqa: E402
from bot.rendering import SMS, render  # noqa: E402
from bot.sms import join_turn, segments  # noqa: E402


def main(base: str, language: str = "fr") -> int:
    screening, answers = CHECKLIST[language]
    sender = f"sms-path-{language}-{time.time_ns()}"
    total = sms = 0

    def say(text: str) -> list[str]:
        nonlocal total, sms
        print(">", text)
        reply = requests.post(f"{base}/webhooks/rest/webhook", timeout=60,
                              json={"sender": sender, "message": text, "metadata": {"render": "sms"}})
        reply.raise_for_status()
        texts = [m["text"] for m in reply.json() if m.get("text")]
        for message in join_turn(texts):
            total, sms = total + segments(message), sms + 1
            print(f"  [{segments(message)} seg, {len(message)} ch] {message!r}")
        return texts

    for text in screening:
        texts = say(text)
    while (fact := next((f for f, q in interview.QUESTIONS.items()
                         if texts and texts[-1].startswith(render(q.response, language, SMS).text)), None)):
        texts = say(answers[fact])
    say("1")  # the first time offered
    print(f"TOTAL {total} segments in {sms} SMS")
    return 0


if __name__ == "__main__":
    sys.exit(main(*sys.argv[1:]))
