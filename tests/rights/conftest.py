"""Shared helpers for the rights-engine tests."""
from __future__ import annotations

import shutil
import tempfile
from pathlib import Path

import pytest
from hypothesis.configuration import set_hypothesis_home_dir

from bot.rights.rules import RULES_DIR

# Hypothesis keeps caches in ./.hypothesis by default: keep the checkout clean.
set_hypothesis_home_dir(Path(tempfile.gettempdir()) / "saint-denis-rights-hypothesis")


@pytest.fixture
def rules_copy(tmp_path: Path) -> Path:
    """A writable copy of the shipped rules directory."""
    target = tmp_path / "rules"
    shutil.copytree(RULES_DIR, target)
    return target
