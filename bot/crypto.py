"""Encryption at rest for the few identifying values we must keep (a phone number, to send
reminders). Fernet (AES-128-CBC + HMAC-SHA256, from `cryptography`), keyed from the data key in
bot.settings (PASS_DATA_KEY or var/data.key): a stolen database alone reveals no number."""
from __future__ import annotations

import base64
import hashlib
from functools import lru_cache

from cryptography.fernet import Fernet


@lru_cache(maxsize=4)
def _fernet(data_key: str) -> Fernet:
    # Fernet wants 32 url-safe base64 bytes; the data key is any secret string.
    return Fernet(base64.urlsafe_b64encode(hashlib.sha256(data_key.encode()).digest()))


def encrypt(value: str, data_key: str) -> str:
    return _fernet(data_key).encrypt(value.encode()).decode()


def decrypt(token: str, data_key: str) -> str:
    return _fernet(data_key).decrypt(token.encode()).decode()
