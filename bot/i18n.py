"""Translations from the Babel catalogs in locales/.

Source texts (msgids) are written in English in bot/responses.py; every other language has a
catalog locales/<lang>/LC_MESSAGES/messages.po, compiled to .mo by `make catalogs`.
"""
from __future__ import annotations

from functools import lru_cache

from babel.support import NullTranslations, Translations

from bot.settings import ROOT

LOCALES_DIR = ROOT / "locales"
DOMAIN = "messages"
SOURCE_LANGUAGE = "en"
DEFAULT_LANGUAGE = "fr"
# ISO 639-1 codes, in the order the language menu shows them.
SUPPORTED_LANGUAGES = ("fr", "en", "ar", "ro", "bn", "fa", "es", "pt")


class CatalogMissing(RuntimeError):
    pass


def N_(msgid: str) -> str:
    """Mark a text for extraction by `pybabel extract -k N_`; translated at render time."""
    return msgid


def supported(code: str | None) -> str | None:
    """The supported language for an ISO code such as 'fr', 'FR' or 'fr-FR', else None."""
    if not code:
        return None
    base = code.strip().lower().replace("_", "-").split("-")[0]
    return base if base in SUPPORTED_LANGUAGES else None


@lru_cache(maxsize=None)
def translations(language: str) -> NullTranslations:
    if language == SOURCE_LANGUAGE:
        return NullTranslations()
    if language not in SUPPORTED_LANGUAGES:
        raise ValueError(f"unsupported language {language!r}")
    mo_file = LOCALES_DIR / language / "LC_MESSAGES" / f"{DOMAIN}.mo"
    if not mo_file.exists():
        # Never fall back silently to English for a French speaker.
        raise CatalogMissing(f"{mo_file} is missing: run `make catalogs`")
    with mo_file.open("rb") as handle:
        return Translations(handle, domain=DOMAIN)


def gettext(msgid: str, language: str) -> str:
    return translations(language).ugettext(msgid)
