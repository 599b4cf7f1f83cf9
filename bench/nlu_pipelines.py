"""Compare NLU pipelines on our own data: intent accuracy and macro-F1 by 5-fold
cross-validation, and cold training time (fresh Rasa cache) on all the data.

Prints a markdown table and writes bench/results/nlu-pipelines-<date>.json.
Run with `make nlu-compare` (several minutes: DIET trains five times).
"""
from __future__ import annotations

import json
import os
import subprocess
import sys
import tempfile
import time
from datetime import date
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
NLU_DATA = ROOT / "bot" / "data" / "nlu"
CANDIDATES = {
    "LogisticRegression (config.yml)": ROOT / "config.yml",
    "DIET, 100 epochs": ROOT / "bench" / "pipelines" / "diet.yml",
}
FOLDS = 5


def rasa(*args: str, cache: Path) -> None:
    env = {**os.environ, "RASA_TELEMETRY_ENABLED": "false", "RASA_CACHE_DIRECTORY": str(cache)}
    subprocess.run([sys.executable, "-m", "rasa", *args], cwd=ROOT, env=env, check=True,
                   stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)


def measure(config: Path, work: Path) -> dict:
    started = time.monotonic()
    rasa("train", "nlu", "--config", str(config), "--nlu", str(NLU_DATA), "--out", str(work / "model"),
         cache=work / "cache-train")
    training_seconds = time.monotonic() - started
    rasa("test", "nlu", "--config", str(config), "--nlu", str(NLU_DATA), "--cross-validation",
         "--folds", str(FOLDS), "--out", str(work / "cv"), cache=work / "cache-cv")
    report = json.loads((work / "cv" / "intent_report.json").read_text())
    return {
        "training_seconds": round(training_seconds, 1),
        "accuracy": round(report["accuracy"], 3),
        "macro_f1": round(report["macro avg"]["f1-score"], 3),
        "accuracy_per_training_second": round(report["accuracy"] / training_seconds, 4),
    }


def main() -> None:
    results = {}
    for name, config in CANDIDATES.items():
        with tempfile.TemporaryDirectory() as work:
            print(f"measuring {name}...", flush=True)
            results[name] = measure(config, Path(work))
    print(f"\n| pipeline | cold training (s) | accuracy ({FOLDS}-fold CV) | macro-F1 | accuracy / training s |")
    print("|---|---|---|---|---|")
    for name, r in results.items():
        print(f"| {name} | {r['training_seconds']} | {r['accuracy']} | {r['macro_f1']} | {r['accuracy_per_training_second']} |")
    out = ROOT / "bench" / "results" / f"nlu-pipelines-{date.today().isoformat()}.json"
    out.parent.mkdir(exist_ok=True)
    out.write_text(json.dumps({"folds": FOLDS, "cpus": os.cpu_count(), "results": results}, indent=2) + "\n")
    print(f"\nwritten to {out.relative_to(ROOT)}")


if __name__ == "__main__":
    main()
