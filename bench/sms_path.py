"""What a phone receives on one screening + rights checklist + booking, turn by turn, in segments:
`python bench/sms_path.py http://127.0.0.1:5005 fr` against a running assistant (with free slots).
The same path as `make bench` (bench/run.py `sms_path`), printed message by message."""
from __future__ import annotations

import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from bench.run import sms_path  # noqa: E402
from bot.sms import join_turn, segments  # noqa: E402


def main(base: str, language: str = "fr") -> int:
    total = sms = 0
    for said, texts in sms_path(base, language)[1]:
        print(">", said)
        for message in join_turn(texts):
            total, sms = total + segments(message), sms + 1
            print(f"  [{segments(message)} seg, {len(message)} ch] {message!r}")
    print(f"TOTAL {total} segments in {sms} SMS")
    return 0


if __name__ == "__main__":
    sys.exit(main(*sys.argv[1:]))
