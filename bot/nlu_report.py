"""How well the model understands each language, three ways:

- held-out: intent accuracy and macro-F1 on tests/nlu/<lang>.yml (never trained on, but written
  by the same authors as the training data: an upper bound);
- cross-validated: 5-fold stratified CV (fixed seed) over all of bot/data/nlu/, macro-F1 per
  language and per intent (harsher: each example is predicted by a model that never saw it);
- safety: precision and recall of emergency / suicidal_thoughts / violence per language on the
  held-out sets (a false alarm sends emergency numbers to someone who said "j'ai de la fievre").

`make nlu-report` prints the tables (figures for the README) and writes
bench/results/nlu-languages-<date>.json; the test suite fails below MIN_MACRO_F1 on held-out.
"""
from __future__ import annotations

import asyncio
import json
import os
import tempfile
import time
from collections import Counter, defaultdict
from datetime import date
from pathlib import Path

from sklearn.metrics import accuracy_score, f1_score

from bot.i18n import SUPPORTED_LANGUAGES
from bot.settings import ROOT

TEST_DIR = ROOT / "tests" / "nlu"
NLU_DIR = ROOT / "bot" / "data" / "nlu"
CONFIG = ROOT / "config.yml"
MIN_MACRO_F1 = 0.8
FOLDS = 5
SEED = 42
SAFETY_INTENTS = ("emergency", "suicidal_thoughts", "violence")
OTHER = "other"  # unsupported_language examples (Turkish, Russian…): none of our languages


def held_out(language: str) -> list[tuple[str, str]]:
    """(text, intent) pairs of the held-out set of a language."""
    from rasa.shared.nlu.training_data.loading import load_data

    data = load_data(str(TEST_DIR / f"{language}.yml"))
    return [(m.get("text"), m.get("intent")) for m in data.intent_examples]


def example_language(message, file_language: str | None) -> str:
    """The language of a training example: lang_<xx>.yml files are one language; in the shared
    files (basics, safety, cover, requests, rights, language.yml) each intent block says it
    (`metadata: {language: fr}`); unsupported_language examples and gibberish (`language: none`)
    are none of ours: they count in the overall figures, not in a language's."""
    tagged = ((message.get("metadata") or {}).get("intent") or {}).get("language")
    if message.get("intent") == "unsupported_language" or tagged == "none":
        return OTHER
    language = file_language or tagged
    if language not in SUPPORTED_LANGUAGES:
        raise ValueError(f"no language for the training example {message.get('text')!r}: "
                         "tag its intent block with `metadata: {language: xx}`")
    return language


def training_examples():
    """All training data (one TrainingData, as Rasa merges bot/data/nlu/) and the language of each
    intent example, in the order of `data.intent_examples`."""
    from rasa.shared.nlu.training_data.loading import load_data

    languages: dict[tuple[str, str], str] = {}
    for path in sorted(NLU_DIR.glob("*.yml")):
        file_language = path.stem[len("lang_"):] if path.stem.startswith("lang_") else None
        for m in load_data(str(path)).intent_examples:
            languages.setdefault((m.get("text"), m.get("intent")), example_language(m, file_language))
    data = load_data(str(NLU_DIR))  # drops duplicates across files, as training does
    return data, [languages[(m.get("text"), m.get("intent"))] for m in data.intent_examples]


async def _predict(model: Path, texts: list[str]) -> list[str]:
    import logging

    from rasa.core.agent import Agent
    from rasa.utils.log_utils import configure_structlog

    configure_structlog(logging.WARNING)  # Rasa logs every parsed text at DEBUG
    agent = Agent.load(str(model))
    return [(await agent.parse_message(text))["intent"]["name"] for text in texts]


async def _predict_ranked(model: Path, texts: list[str]) -> list[tuple[str, str, float]]:
    """(intent after the FallbackClassifier, the classifier's own top intent, its confidence)."""
    import logging

    from rasa.core.agent import Agent
    from rasa.utils.log_utils import configure_structlog

    configure_structlog(logging.WARNING)
    agent = Agent.load(str(model))
    out = []
    for text in texts:
        parsed = await agent.parse_message(text)
        top = next((r for r in parsed.get("intent_ranking", []) if r["name"] != "nlu_fallback"), parsed["intent"])
        out.append((parsed["intent"]["name"], top["name"], round(top["confidence"], 3)))
    return out


def cross_validate(config: Path = CONFIG, folds: int = FOLDS, seed: int = SEED) -> dict:
    """Stratified k-fold CV of the NLU pipeline of `config` over all training data, trained
    in-process with Rasa's own training (rasa.model_training.train_nlu), so regexes, lookup
    tables and synonyms are those of the real model. Our own folds, not `rasa test nlu
    --cross-validation`: Rasa's folds are shuffled without a seed, so two runs differ.
    Returns every held-out prediction with its language, and the mean training time of a fold."""
    import logging

    from rasa.model_training import train_nlu
    from rasa.shared.nlu.training_data.training_data import TrainingData
    from sklearn.model_selection import StratifiedKFold

    logging.getLogger("rasa").setLevel(logging.WARNING)
    data, languages = training_examples()
    examples = data.intent_examples
    intents = [m.get("intent") for m in examples]
    splitter = StratifiedKFold(n_splits=folds, shuffle=True, random_state=seed)
    predictions = []
    seconds = []
    saved_cache = os.environ.get("RASA_CACHE_DIRECTORY")
    with tempfile.TemporaryDirectory() as work:
        os.environ["RASA_CACHE_DIRECTORY"] = str(Path(work) / "cache")  # never reuse across folds
        try:
            for fold, (train_index, test_index) in enumerate(splitter.split(examples, intents)):
                train = TrainingData(
                    training_examples=[examples[i] for i in train_index], entity_synonyms=data.entity_synonyms,
                    regex_features=data.regex_features, lookup_tables=data.lookup_tables,
                )
                nlu_file = Path(work) / f"fold{fold}.yml"
                nlu_file.write_text(train.nlu_as_yaml(), encoding="utf-8")
                started = time.monotonic()
                model = train_nlu(str(config), str(nlu_file), str(Path(work) / "models"), fixed_model_name=f"fold{fold}")
                seconds.append(time.monotonic() - started)
                guesses = asyncio.run(_predict_ranked(Path(model), [examples[i].get("text") for i in test_index]))
                predictions += [
                    {"text": examples[i].get("text"), "language": languages[i], "intent": intents[i],
                     "predicted": guess, "top_intent": top, "confidence": confidence}
                    for i, (guess, top, confidence) in zip(test_index, guesses)
                ]
                print(f"  fold {fold + 1}/{folds}: trained in {seconds[-1]:.0f} s", flush=True)
        finally:
            if saved_cache is None:
                os.environ.pop("RASA_CACHE_DIRECTORY", None)
            else:
                os.environ["RASA_CACHE_DIRECTORY"] = saved_cache
    return {"predictions": predictions, "fold_training_seconds": round(sum(seconds) / len(seconds), 1)}


def _figures(truth: list[str], guess: list[str]) -> dict:
    labels = sorted(set(truth))
    per_intent = f1_score(truth, guess, labels=labels, average=None, zero_division=0)
    weakest = sorted(zip(labels, per_intent), key=lambda pair: pair[1])[:3]
    return {
        "examples": len(truth),
        "accuracy": round(accuracy_score(truth, guess), 3),
        "macro_f1": round(f1_score(truth, guess, labels=labels, average="macro", zero_division=0), 3),
        "weakest": {intent: round(score, 2) for intent, score in weakest},
        "confusions": Counter(f"{t}->{g}" for t, g in zip(truth, guess) if t != g).most_common(3),
    }


def cv_report(predictions: list[dict]) -> dict:
    """Per language (macro-F1 over the intents present in that language) and per intent (all
    languages together). `macro_f1_classifier` reads the classifier's own top intent, before the
    FallbackClassifier turns low or ambiguous confidences into nlu_fallback (the deployed figure
    is `macro_f1`)."""
    def figures(rows):
        truth = [p["intent"] for p in rows]
        result = _figures(truth, [p["predicted"] for p in rows])
        result["macro_f1_classifier"] = round(f1_score(
            truth, [p.get("top_intent", p["predicted"]) for p in rows], labels=sorted(set(truth)),
            average="macro", zero_division=0), 3)
        return result

    by_language = defaultdict(list)
    for p in predictions:
        by_language[p["language"]].append(p)
    truth = [p["intent"] for p in predictions]
    labels = sorted(set(truth))
    per_intent = f1_score(truth, [p["predicted"] for p in predictions], labels=labels, average=None, zero_division=0)
    return {
        "all": figures(predictions),
        "languages": {lang: figures(by_language[lang]) for lang in SUPPORTED_LANGUAGES if lang in by_language},
        "intents": {intent: round(score, 3) for intent, score in sorted(zip(labels, per_intent), key=lambda p: p[1])},
    }


def evaluate(model: Path, languages=SUPPORTED_LANGUAGES, with_predictions: bool = False) -> dict[str, dict]:
    examples = {lang: held_out(lang) for lang in languages}
    texts = [text for lang in languages for text, _ in examples[lang]]
    predicted = iter(asyncio.run(_predict(model, texts)))
    report = {}
    for lang in languages:
        truth = [intent for _, intent in examples[lang]]
        guess = [next(predicted) for _ in truth]
        report[lang] = _figures(truth, guess)
        if with_predictions:
            report[lang]["predictions"] = list(zip([t for t, _ in examples[lang]], truth, guess))
    return report


def safety_report(held_out_report: dict[str, dict]) -> dict[str, dict]:
    """Precision and recall per safety intent and for "any safety message" per language, on the
    held-out predictions of `evaluate(..., with_predictions=True)`. Precision counts false alarms
    (an ordinary sentence read as a safety intent), recall missed emergencies."""
    report = {}
    for lang, r in held_out_report.items():
        rows = {}
        for name, members in [*((s, {s}) for s in SAFETY_INTENTS), ("any", set(SAFETY_INTENTS))]:
            true = sum(1 for _, t, _ in r["predictions"] if t in members)
            said = sum(1 for _, _, g in r["predictions"] if g in members)
            # exact intent per row; for "any", a suicidal person given the emergency message is caught
            hit = sum(1 for _, t, g in r["predictions"] if t in members and g in members and (name == "any" or t == g))
            rows[name] = {"true": true, "predicted": said,
                          "precision": round(hit / said, 3) if said else None,
                          "recall": round(hit / true, 3) if true else None}
        rows["false_alarms"] = [text for text, t, g in r["predictions"] if g in SAFETY_INTENTS and t not in SAFETY_INTENTS]
        rows["missed"] = [text for text, t, g in r["predictions"] if t in SAFETY_INTENTS and g not in SAFETY_INTENTS]
        report[lang] = rows
    return report


def markdown(report: dict[str, dict]) -> str:
    lines = ["| language | held-out examples | intent accuracy | macro-F1 | weakest intents |", "|---|---|---|---|---|"]
    for lang, r in report.items():
        weakest = ", ".join(f"{intent} {score}" for intent, score in r["weakest"].items())
        lines.append(f"| {lang} | {r['examples']} | {r['accuracy']} | {r['macro_f1']} | {weakest} |")
    return "\n".join(lines)


def cv_markdown(report: dict) -> str:
    lines = [f"| language | examples | accuracy ({FOLDS}-fold CV) | macro-F1 | macro-F1 before fallback | weakest intents | top confusions |",
             "|---|---|---|---|---|---|---|"]
    for lang, r in [*report["languages"].items(), ("all", report["all"])]:
        weakest = ", ".join(f"{intent} {score}" for intent, score in r["weakest"].items())
        confusions = ", ".join(f"{pair} ×{n}" for pair, n in r["confusions"])
        lines.append(f"| {lang} | {r['examples']} | {r['accuracy']} | {r['macro_f1']} | {r['macro_f1_classifier']} | {weakest} | {confusions} |")
    lines.append("\nper intent (all languages), weakest first: "
                 + ", ".join(f"{intent} {score}" for intent, score in report["intents"].items()))
    return "\n".join(lines)


def safety_markdown(report: dict[str, dict]) -> str:
    def pr(row):
        fmt = lambda v: "—" if v is None else f"{v:.2f}"  # noqa: E731
        return f"{fmt(row['precision'])} / {fmt(row['recall'])}"

    lines = ["| language | emergency P / R | suicidal_thoughts P / R | violence P / R | any safety P / R | false alarms | missed |",
             "|---|---|---|---|---|---|---|"]
    for lang, rows in report.items():
        cells = " | ".join(pr(rows[name]) for name in (*SAFETY_INTENTS, "any"))
        lines.append(f"| {lang} | {cells} | {len(rows['false_alarms'])} | {len(rows['missed'])} |")
    return "\n".join(lines)


def main() -> int:
    from bot import training

    held = evaluate(training.ensure_model(), with_predictions=True)
    safety = safety_report(held)
    print("Held-out (tests/nlu/<lang>.yml):\n" + markdown(held))
    print("\nSafety intents, held-out, precision / recall:\n" + safety_markdown(safety))
    for lang, rows in safety.items():
        for kind in ("false_alarms", "missed"):
            for text in rows[kind]:
                print(f"  {lang} {kind.replace('_', ' ')}: {text}")
    print(f"\n{FOLDS}-fold cross-validation over all training data (config.yml, seed {SEED})...", flush=True)
    cv = cross_validate()
    cv_figures = cv_report(cv["predictions"])
    print(cv_markdown(cv_figures))
    for r in held.values():
        r.pop("predictions")
    out = ROOT / "bench" / "results" / f"nlu-languages-{date.today().isoformat()}.json"
    out.parent.mkdir(exist_ok=True)
    result = {
        "held_out": held, "safety_held_out": safety,
        "cross_validation": {"folds": FOLDS, "seed": SEED, "config": "config.yml",
                             "fold_training_seconds": cv["fold_training_seconds"], **cv_figures,
                             "errors": [p for p in cv["predictions"] if p["intent"] != p["predicted"]]},
    }
    out.write_text(json.dumps(result, indent=2, ensure_ascii=False) + "\n")
    print(f"\nwritten to {out.relative_to(ROOT)}")
    failing = [lang for lang, r in held.items() if r["macro_f1"] < MIN_MACRO_F1]
    if failing:
        print(f"below held-out macro-F1 {MIN_MACRO_F1}: {', '.join(failing)}")
    return 1 if failing else 0
