"""JSON schemas (draft 7) of the rules files and of places.yaml.

Built from the contract code lists in :mod:`bot.rights.codes`, so a code
misspelt in a data file is rejected at load time. YAML dates and integer
keys are turned into strings before validation (see ``rules._jsonable``).
"""
from __future__ import annotations

from bot.rights import codes

_ISO_DATE = {"type": "string", "pattern": r"^\d{4}-\d{2}-\d{2}$"}
_SOURCE_KEYS = {"type": "array", "items": {"type": "string", "pattern": r"^[a-z0-9_]+$"}, "minItems": 1}
_RIGHT = {"enum": list(codes.RIGHTS)}
_DOCUMENT = {"enum": list(codes.DOCUMENTS)}
_PURPOSE = {"enum": list(codes.PLACE_PURPOSES)}
_TEXT = {"type": "string", "minLength": 1}
_NULLABLE_TEXT = {"type": ["string", "null"]}


def _strict(properties: dict, required: list[str]) -> dict:
    return {"type": "object", "properties": properties, "required": required, "additionalProperties": False}


SOURCES = _strict(
    {
        "sources": {
            "type": "object",
            "propertyNames": {"pattern": r"^[a-z0-9_]+$"},
            "additionalProperties": _strict(
                {
                    "title": _TEXT,
                    "url": {"type": ["string", "null"], "pattern": r"^https?://"},
                    "date": _TEXT,
                    "secondary": {"type": "boolean"},
                    "ref": _TEXT,
                },
                ["title", "url", "date", "secondary", "ref"],
            ),
        }
    },
    ["sources"],
)

_CEILING_TABLE = _strict(
    {
        "amounts": {
            "type": "object",
            "minProperties": 1,
            "propertyNames": {"pattern": r"^[1-9][0-9]?$"},
            "additionalProperties": {"type": "integer", "minimum": 1},
        },
        "extra_person": _strict(
            {"beyond": {"type": "integer", "minimum": 1}, "amount": {"type": "integer", "minimum": 1}},
            ["beyond", "amount"],
        ),
        "confirmed": {"type": "boolean"},
        "sources": _SOURCE_KEYS,
    },
    ["amounts", "confirmed"],
)

_SAME_AS = _strict(
    {"same_as": {"enum": ["css_free"]}, "confirmed": {"type": "boolean"}, "sources": _SOURCE_KEYS},
    ["same_as", "confirmed", "sources"],
)

CEILINGS = _strict(
    {
        "sets": {
            "type": "array",
            "minItems": 1,
            "items": _strict(
                {
                    "id": _TEXT,
                    "valid_from": _ISO_DATE,
                    "valid_to": _ISO_DATE,
                    "sources": _SOURCE_KEYS,
                    "note": _TEXT,
                    "css_free": _CEILING_TABLE,
                    "css_participation": _CEILING_TABLE,
                    "ame": {"oneOf": [_CEILING_TABLE, _SAME_AS]},
                },
                ["id", "valid_from", "valid_to", "sources", "css_free", "css_participation", "ame"],
            ),
        }
    },
    ["sets"],
)

CSS_CONTRIBUTION = _strict(
    {
        "grids": {
            "type": "array",
            "minItems": 1,
            "items": _strict(
                {
                    "id": _TEXT,
                    "adopted": _ISO_DATE,
                    "valid_from": {"anyOf": [_ISO_DATE, {"type": "null"}]},
                    "valid_to": {"anyOf": [_ISO_DATE, {"type": "null"}]},
                    "sources": _SOURCE_KEYS,
                    "confirmed": {"type": "boolean"},
                    "bands": {
                        "type": "array",
                        "minItems": 1,
                        "items": _strict(
                            {
                                "max_age": {"type": ["integer", "null"], "minimum": 0},
                                "monthly": {"type": "number", "minimum": 0},
                            },
                            ["max_age", "monthly"],
                        ),
                    },
                },
                ["id", "sources", "confirmed", "bands", "valid_from", "valid_to"],
            ),
        }
    },
    ["grids"],
)


def _parameter(value_schema: dict) -> dict:
    return _strict(
        {"value": value_schema, "note": _TEXT, "sources": _SOURCE_KEYS, "confirmed": {"type": "boolean"}},
        ["value", "note", "sources", "confirmed"],
    )


_MONTHS = {"type": "integer", "minimum": 0, "maximum": 120}
_BENEFIT_LIST = {"type": "array", "items": {"enum": list(codes.BENEFITS)}, "uniqueItems": True}

PARAMETERS = _strict(
    {
        "parameters": _strict(
            {
                "residence_stability_months": _parameter(_MONTHS),
                "puma_exempt_benefits": _parameter(_BENEFIT_LIST),
                "css_automatic_benefits": _parameter(_BENEFIT_LIST),
                "eu_residence_right_benefits": _parameter(_BENEFIT_LIST),
                "asylum_puma_wait_months": _parameter(_MONTHS),
                "permit_maintenance_months": _parameter(_MONTHS),
                "ame_min_months_in_france": _parameter(_MONTHS),
                "ame_min_months_without_permit": _parameter(_MONTHS),
                "ame_first_application_after_years": _parameter({"type": "integer", "minimum": 1, "maximum": 10}),
                "adult_age": _parameter({"type": "integer", "minimum": 1, "maximum": 30}),
                "photo_id_required_from": _parameter(_ISO_DATE),
                "outdated_margin": _parameter({"type": "number", "minimum": 0, "maximum": 1}),
            },
            [
                "residence_stability_months",
                "puma_exempt_benefits",
                "css_automatic_benefits",
                "eu_residence_right_benefits",
                "asylum_puma_wait_months",
                "permit_maintenance_months",
                "ame_min_months_in_france",
                "ame_min_months_without_permit",
                "ame_first_application_after_years",
                "adult_age",
                "photo_id_required_from",
                "outdated_margin",
            ],
        )
    },
    ["parameters"],
)

FORMS = _strict(
    {
        "forms": {
            "type": "object",
            "additionalProperties": _strict(
                {
                    "title": _TEXT,
                    "number": _TEXT,
                    "cerfa": _NULLABLE_TEXT,
                    "internal_ref": _TEXT,
                    "notice": _TEXT,
                    "confirmed": {"type": "boolean"},
                    "note": _TEXT,
                    "for_rights": {"type": "array", "items": _RIGHT, "minItems": 1},
                    "sources": _SOURCE_KEYS,
                },
                ["title", "number", "cerfa", "confirmed", "for_rights", "sources"],
            ),
        }
    },
    ["forms"],
)

# Situation keys a document entry may test, with the values they can take.
SITUATION_VALUES = {
    "nationality_group": list(codes.NATIONALITY_GROUPS),
    "residence_status": list(codes.RESIDENCE_STATUSES),
    "works_in_france": [True, False],
    "has_domiciliation": [True, False],
    "hosted_by_third_party": [True, False],
    "has_photo_id": [True, False],
    "adult": [True, False],
    "photo_id_required": [True, False],
    "css_automatic": [True, False],
}

DOCUMENTS = _strict(
    {
        "documents": {
            "type": "array",
            "items": _strict(
                {
                    "right": _RIGHT,
                    "document": _DOCUMENT,
                    "when": {
                        "type": "object",
                        "additionalProperties": False,
                        "minProperties": 1,
                        "properties": {
                            key: {"type": "array", "minItems": 1, "items": {"enum": values + [None]}}
                            for key, values in SITUATION_VALUES.items()
                        },
                    },
                    "sources": _SOURCE_KEYS,
                },
                ["right", "document", "sources"],
            ),
        }
    },
    ["documents"],
)

PROCEDURES = _strict(
    {
        "procedures": {
            "type": "object",
            "propertyNames": _RIGHT,
            "additionalProperties": _strict(
                {
                    "form": _NULLABLE_TEXT,
                    "channels": {
                        "type": "array",
                        "minItems": 1,
                        "items": {"enum": ["in_person", "post", "online", "counter", "phone", "none"]},
                    },
                    "in_person_required": {"type": "boolean"},
                    "place_purposes": {"type": "array", "items": _PURPOSE},
                    "deadlines": {"type": "object", "additionalProperties": {"type": "integer", "minimum": 0}},
                    "note": _TEXT,
                    "sources": _SOURCE_KEYS,
                },
                ["form", "channels", "in_person_required", "place_purposes", "note", "sources"],
            ),
        }
    },
    ["procedures"],
)

DECISION_TABLE = _strict(
    {
        "rules": {
            "type": "array",
            "items": _strict(
                {
                    "id": {"enum": list(codes.RULE_IDS)},
                    "summary": _TEXT,
                    "outputs": {"type": "array", "items": _RIGHT},
                    "handoff_reasons": {"type": "array", "items": {"enum": list(codes.HANDOFF_REASONS)}},
                    "sources": _SOURCE_KEYS,
                },
                ["id", "summary", "outputs", "sources"],
            ),
        }
    },
    ["rules"],
)

PLACES = _strict(
    {
        "places": {
            "type": "array",
            "minItems": 1,
            "items": _strict(
                {
                    "id": {"type": "string", "pattern": r"^[a-z0-9_]+$"},
                    "name": _TEXT,
                    "sms_name": _TEXT,
                    "kind": _TEXT,
                    "address": _NULLABLE_TEXT,
                    "postal_address": _NULLABLE_TEXT,
                    "phone": _NULLABLE_TEXT,
                    "hours": _NULLABLE_TEXT,
                    "url": {"type": ["string", "null"], "pattern": r"^https?://"},
                    "purposes": {"type": "array", "items": _PURPOSE, "uniqueItems": True},
                    "purposes_to_confirm": {"type": "array", "items": _PURPOSE, "uniqueItems": True},
                    "confirmed": {"type": "boolean"},
                    "note": _TEXT,
                    "sources": _SOURCE_KEYS,
                },
                ["id", "name", "sms_name", "kind", "address", "phone", "hours", "purposes", "confirmed", "sources"],
            ),
        }
    },
    ["places"],
)

# file name (in bot/rights/rules/) -> schema
RULES_FILES = {
    "sources.yaml": SOURCES,
    "ceilings.yaml": CEILINGS,
    "css_contribution.yaml": CSS_CONTRIBUTION,
    "parameters.yaml": PARAMETERS,
    "forms.yaml": FORMS,
    "documents.yaml": DOCUMENTS,
    "procedures.yaml": PROCEDURES,
    "decision_table.yaml": DECISION_TABLE,
}
