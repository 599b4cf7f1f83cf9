"""How well the model understands each language: intent accuracy and macro-F1 on the held-out
examples of tests/nlu/<lang>.yml (never used for training).

`make nlu-report` prints the table (figures for the README) and writes
bench/results/nlu-languages-<date>.json; the test suite fails below MIN_MACRO_F1.
"""
from __future__ import annotations

import asyncio
import json
from collections import Counter
from datetime import date
from pathlib import Path

from sklearn.metrics import accuracy_score, f1_score

from bot.i18n import SUPPORTED_LANGUAGES
from bot.settings import ROOT

TEST_DIR = ROOT / "tests" / "nlu"
MIN_MACRO_F1 = 0.8


def held_out(language: str) -> list[tuple[str, str]]:
    """(text, intent) pairs of the held-out set of a language."""
    from rasa.shared.nlu.training_data.loading import load_data

    data = load_data(str(TEST_DIR / f"{language}.yml"))
    return [(m.get("text"), m.get("intent")) for m in data.intent_examples]


async def _predict(model: Path, texts: list[str]) -> list[str]:
    import logging

    from rasa.core.agent import Agent
    from rasa.utils.log_utils import configure_structlog

    configure_structlog(logging.WARNING)  # Rasa logs every parsed text at DEBUG
    agent = Agent.load(str(model))
    return [(await agent.parse_message(text))["intent"]["name"] for text in texts]


def evaluate(model: Path, languages=SUPPORTED_LANGUAGES) -> dict[str, dict]:
    examples = {lang: held_out(lang) for lang in languages}
    texts = [text for lang in languages for text, _ in examples[lang]]
    predicted = iter(asyncio.run(_predict(model, texts)))
    report = {}
    for lang in languages:
        truth = [intent for _, intent in examples[lang]]
        guess = [next(predicted) for _ in truth]
        per_intent = f1_score(truth, guess, labels=sorted(set(truth)), average=None, zero_division=0)
        weakest = sorted(zip(sorted(set(truth)), per_intent), key=lambda pair: pair[1])[:3]
        report[lang] = {
            "examples": len(truth),
            "accuracy": round(accuracy_score(truth, guess), 3),
            "macro_f1": round(f1_score(truth, guess, labels=sorted(set(truth)), average="macro", zero_division=0), 3),
            "weakest": {intent: round(score, 2) for intent, score in weakest},
            "confusions": Counter(f"{t}->{g}" for t, g in zip(truth, guess) if t != g).most_common(3),
        }
    return report


def markdown(report: dict[str, dict]) -> str:
    lines = ["| language | held-out examples | intent accuracy | macro-F1 | weakest intents |", "|---|---|---|---|---|"]
    for lang, r in report.items():
        weakest = ", ".join(f"{intent} {score}" for intent, score in r["weakest"].items())
        lines.append(f"| {lang} | {r['examples']} | {r['accuracy']} | {r['macro_f1']} | {weakest} |")
    return "\n".join(lines)


def main() -> int:
    from bot import training

    report = evaluate(training.ensure_model())
    print(markdown(report))
    out = ROOT / "bench" / "results" / f"nlu-languages-{date.today().isoformat()}.json"
    out.parent.mkdir(exist_ok=True)
    out.write_text(json.dumps(report, indent=2, ensure_ascii=False) + "\n")
    print(f"\nwritten to {out.relative_to(ROOT)}")
    failing = [lang for lang, r in report.items() if r["macro_f1"] < MIN_MACRO_F1]
    if failing:
        print(f"below macro-F1 {MIN_MACRO_F1}: {', '.join(failing)}")
    return 1 if failing else 0
