"""Load the words of one language (bot/languages/words/<lang>.yaml), checked against the schema.

The words are data: adding a language is a file here, a catalog in locales/ and an NLU file.
Phrases are written naturally (accents, apostrophes, hyphens); readers normalise them exactly
as they normalise what a person wrote (bot.answers.normalise).
"""
from __future__ import annotations

import re
from functools import lru_cache
from pathlib import Path
from typing import Any

import jsonschema
import yaml

WORDS_DIR = Path(__file__).with_name("words")
SCHEMA_FILE = WORDS_DIR / "schema.yaml"


class WordsError(ValueError):
    pass


class _WordsLoader(getattr(yaml, "CSafeLoader", yaml.SafeLoader)):  # the C parser, when there: 10x faster
    """YAML 1.1 reads yes, no, on and off as booleans: in a word list they are words."""


_WordsLoader.yaml_implicit_resolvers = {
    first: [(tag, regexp) for tag, regexp in resolvers if tag != "tag:yaml.org,2002:bool"]
    for first, resolvers in yaml.SafeLoader.yaml_implicit_resolvers.items()
}
# Only the two lowercase spellings stay booleans, for the few flags (reading.negation_after).
_WordsLoader.add_implicit_resolver("tag:yaml.org,2002:bool", re.compile(r"^(?:true|false)$"), list("tf"))


@lru_cache(maxsize=None)
def schema() -> dict[str, Any]:
    return yaml.safe_load(SCHEMA_FILE.read_text(encoding="utf-8"))


@lru_cache(maxsize=None)
def _validator() -> jsonschema.protocols.Validator:
    return jsonschema.validators.validator_for(schema())(schema())


def languages() -> tuple[str, ...]:
    return tuple(sorted(p.stem for p in WORDS_DIR.glob("*.yaml") if p != SCHEMA_FILE))


@lru_cache(maxsize=None)
def load(language: str) -> dict[str, Any]:
    """The checked words of a language; an unknown language has none (an empty mapping)."""
    path = WORDS_DIR / f"{language}.yaml"
    if not path.exists():
        return {}
    data = yaml.load(path.read_text(encoding="utf-8"), Loader=_WordsLoader) or {}
    error = jsonschema.exceptions.best_match(_validator().iter_errors(data))
    if error is not None:
        where = "/".join(str(p) for p in error.absolute_path) or "(top)"
        raise WordsError(f"{path.name}: {where}: {error.message}")
    if data.get("language") != language:
        raise WordsError(f"{path.name}: 'language' must be {language!r}")
    return data
