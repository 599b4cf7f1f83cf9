"""Logs as JSON lines on request (bot/logs.py), read back from a real SMS worker."""
from __future__ import annotations

import json
import os
import subprocess
import sys
import time

from bot import database
from bot.settings import ROOT


def test_the_sms_worker_logs_json_lines_when_asked(tmp_path):
    url = f"sqlite:///{tmp_path / 'pass.db'}"
    database.upgrade(url)
    env = {**os.environ, "PASS_VAR_DIR": str(tmp_path), "DATABASE_URL": url, "PASS_LOG_FORMAT": "json",
           "PASS_SMS_POLL_SECONDS": "0.2", "LOG_LEVEL": "INFO"}
    env.pop("PASS_METRICS_PORT", None)
    worker = subprocess.Popen([sys.executable, "-m", "bot", "sms", "worker"], cwd=ROOT, env=env,
                              stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True)
    time.sleep(4)
    worker.terminate()
    out, _ = worker.communicate(timeout=30)
    lines = [json.loads(line) for line in out.splitlines() if line.startswith("{")]
    assert any(line["logger"] == "bot.sms_worker" and "started" in line["message"] for line in lines), out[-2000:]
    assert all({"time", "level", "logger", "message"} <= set(line) for line in lines)
