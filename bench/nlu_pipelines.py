"""Compare NLU pipelines on our own data: intent accuracy and macro-F1 by 5-fold stratified
cross-validation (the same seeded folds as `make nlu-report`: bot.nlu_report.cross_validate),
macro-F1 per language, and cold training time on all the data (fresh Rasa cache).

Prints a markdown table and writes bench/results/nlu-pipelines-<date>.json.
Run with `make nlu-compare` (long: every candidate trains five times; DIET most of the time).
`python bench/nlu_pipelines.py diet ngrams` runs only the candidates whose name or file contains
one of the words (the machine is shared: a candidate already measured on the same commit need not
be run again).
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
sys.path.insert(0, str(ROOT))

from bot import nlu_report  # noqa: E402

NLU_DATA = ROOT / "bot" / "data" / "nlu"
CANDIDATES = {
    "LogisticRegression (config.yml)": ROOT / "config.yml",
    "LogisticRegression, char 1-5 + word 1-2 n-grams": ROOT / "bench" / "pipelines" / "lr_ngrams.yml",
    "DIET, 40 epochs": ROOT / "bench" / "pipelines" / "diet.yml",
}


def cold_training_seconds(config: Path, work: Path) -> float:
    env = {**os.environ, "RASA_TELEMETRY_ENABLED": "false", "RASA_CACHE_DIRECTORY": str(work / "cache")}
    started = time.monotonic()
    subprocess.run([sys.executable, "-m", "rasa", "train", "nlu", "--config", str(config), "--nlu", str(NLU_DATA),
                    "--out", str(work / "model")], cwd=ROOT, env=env, check=True,
                   stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    return round(time.monotonic() - started, 1)


def measure(config: Path) -> dict:
    with tempfile.TemporaryDirectory() as work:
        training_seconds = cold_training_seconds(config, Path(work))
    cv = nlu_report.cross_validate(config)
    report = nlu_report.cv_report(cv["predictions"])
    return {
        "training_seconds": training_seconds,
        "fold_training_seconds": cv["fold_training_seconds"],
        "accuracy": report["all"]["accuracy"],
        "macro_f1": report["all"]["macro_f1"],
        "macro_f1_classifier": report["all"]["macro_f1_classifier"],
        "macro_f1_per_language": {lang: r["macro_f1"] for lang, r in report["languages"].items()},
        "accuracy_per_training_second": round(report["all"]["accuracy"] / training_seconds, 4),
    }


def main() -> None:
    only = [word.lower() for word in sys.argv[1:]]
    results = {}
    for name, config in CANDIDATES.items():
        if only and not any(word in name.lower() or word in config.name for word in only):
            continue
        print(f"measuring {name}...", flush=True)
        results[name] = measure(config)
        print(f"{name}: {json.dumps(results[name])}", flush=True)  # a long run may be cut short
    folds = nlu_report.FOLDS
    print(f"\n| pipeline | cold training (s) | accuracy ({folds}-fold CV) | macro-F1 | lowest language | accuracy / training s |")
    print("|---|---|---|---|---|---|")
    for name, r in results.items():
        lowest = min(r["macro_f1_per_language"].items(), key=lambda pair: pair[1])
        print(f"| {name} | {r['training_seconds']} | {r['accuracy']} | {r['macro_f1']} | {lowest[0]} {lowest[1]} "
              f"| {r['accuracy_per_training_second']} |")
    out = ROOT / "bench" / "results" / f"nlu-pipelines-{date.today().isoformat()}{''.join('-' + word for word in only)}.json"
    out.parent.mkdir(exist_ok=True)
    commit = subprocess.run(["git", "rev-parse", "--short", "HEAD"], cwd=ROOT, capture_output=True, text=True).stdout.strip()
    out.write_text(json.dumps({"folds": folds, "seed": nlu_report.SEED, "cpus": os.cpu_count(), "commit": commit,
                               "results": results}, indent=2) + "\n")
    print(f"\nwritten to {out.relative_to(ROOT)}")


if __name__ == "__main__":
    main()
