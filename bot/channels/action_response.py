"""Rasa 3.6 checks every action server response with `jsonschema.validate`, which first re-checks
the schema itself against its metaschema: with the event schema, that was more than half of the
Rasa server's CPU per turn in our profile (bench/, docs/benchmarks.md). The response is still
validated in full, by a validator built once from the same schema; a bad response still fails the
turn with the same `ValidationError` and message.

Applied when Rasa loads our channels (credentials.yml), so in every Rasa process we start.
"""
from __future__ import annotations

from functools import lru_cache
from typing import Any

from jsonschema import ValidationError
from jsonschema.validators import validator_for
from rasa.core.actions.action import RemoteAction
from rasa.shared.constants import DOCS_BASE_URL


@lru_cache(maxsize=1)
def _validator():
    schema = RemoteAction.action_response_format_spec()
    cls = validator_for(schema)
    cls.check_schema(schema)  # once, not on every response
    return cls(schema)


def _validate_action_result(self: RemoteAction, result: dict[str, Any]) -> bool:
    try:
        _validator().validate(result)
        return True
    except ValidationError as e:
        e.message += (". Failed to validate Action server response from API, make sure your response from "
                      f"the Action endpoint is valid. For more information about the format visit "
                      f"{DOCS_BASE_URL}/custom-actions")
        raise e


RemoteAction._validate_action_result = _validate_action_result
