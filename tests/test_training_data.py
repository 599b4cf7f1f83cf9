"""The training data is consistent (Rasa's own validator, warnings included)."""
import os
import subprocess
import sys

from bot.settings import ROOT


def test_rasa_data_validate_is_clean():
    result = subprocess.run(
        [sys.executable, "-m", "rasa", "data", "validate", "--domain", "domain.yml", "--data", "bot/data",
         "--config", "config.yml", "--fail-on-warnings"],
        cwd=ROOT, capture_output=True, text=True, env={**os.environ, "RASA_TELEMETRY_ENABLED": "false"},
    )
    assert result.returncode == 0, result.stdout[-3000:] + result.stderr[-3000:]
