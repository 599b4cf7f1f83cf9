"""Train the Rasa model only when its inputs changed.

The model file is named after a content hash of everything training reads (config, domain,
training data) and of the Rasa version, so an unchanged project reuses its model and any edit
gives a new one.
"""
from __future__ import annotations

import hashlib
import subprocess
import sys
import time
from importlib.metadata import version
from pathlib import Path

from bot.settings import ROOT

MODELS_DIR = ROOT / "models"
CONFIG = ROOT / "config.yml"
DOMAIN = ROOT / "domain.yml"
DATA_DIR = ROOT / "bot" / "data"


def training_inputs() -> list[Path]:
    return [CONFIG, DOMAIN, *sorted(DATA_DIR.rglob("*.yml"))]


def fingerprint() -> str:
    digest = hashlib.sha256(f"rasa=={version('rasa')}".encode())
    for path in training_inputs():
        digest.update(str(path.relative_to(ROOT)).encode() + b"\0")
        digest.update(path.read_bytes() + b"\0")
    return digest.hexdigest()[:16]


def model_path() -> Path:
    return MODELS_DIR / f"pass-{fingerprint()}.tar.gz"


def ensure_model(force: bool = False) -> Path:
    """The path of an up-to-date model, training one if needed."""
    path = model_path()
    if path.exists() and not force:
        return path
    MODELS_DIR.mkdir(exist_ok=True)
    started = time.monotonic()
    print(f"Training the model ({path.name})...", flush=True)
    subprocess.run(
        [sys.executable, "-m", "rasa", "train", "--config", str(CONFIG), "--domain", str(DOMAIN),
         "--data", str(DATA_DIR), "--out", str(MODELS_DIR), "--fixed-model-name", path.name[: -len(".tar.gz")]],
        cwd=ROOT, check=True,
    )
    print(f"Model trained in {time.monotonic() - started:.0f} s: {path}", flush=True)
    for stale in MODELS_DIR.glob("pass-*.tar.gz"):
        if stale != path:
            stale.unlink()
    return path
