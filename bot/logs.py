"""Logs as JSON lines, on request (PASS_LOG_FORMAT=json), for a log collector: one object per
line with time, level, logger and message. What is logged does not change: never a message
text, a phone number or a name (the code logs types and ids only), in either format."""
from __future__ import annotations

import json
import logging
import os
from datetime import datetime, timezone
from pathlib import Path

# The same formatter for Rasa's own logging (`rasa run --logging-config-file`, bot/serve.py).
RASA_CONFIG = Path(__file__).with_name("logging_json.yaml")


def json_wanted() -> bool:
    return os.environ.get("PASS_LOG_FORMAT", "").strip().lower() == "json"


class JsonFormatter(logging.Formatter):
    def format(self, record: logging.LogRecord) -> str:
        line = {"time": datetime.fromtimestamp(record.created, timezone.utc).isoformat(timespec="milliseconds"),
                "level": record.levelname, "logger": record.name, "message": record.getMessage(),
                "process": os.getpid()}
        if record.exc_info:
            line["exception"] = self.formatException(record.exc_info)
        return json.dumps(line, ensure_ascii=False)


def use_json_lines() -> None:
    """With PASS_LOG_FORMAT=json, every handler already set up (ours, Sanic's) writes JSON lines."""
    if not json_wanted():
        return
    if not logging.root.handlers:
        logging.root.addHandler(logging.StreamHandler())
    loggers = [logging.root, *(l for l in logging.root.manager.loggerDict.values() if isinstance(l, logging.Logger))]
    for logger in loggers:
        for handler in logger.handlers:
            handler.setFormatter(JsonFormatter())
