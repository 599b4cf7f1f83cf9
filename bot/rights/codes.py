"""Closed code lists of the public contract (facts in, outcome out).

Order matters: outcome lists are always sorted in the order given here, so
that the same facts always give byte-identical JSON.
"""
from __future__ import annotations

NATIONALITY_GROUPS = ("FR", "EU_EEA_CH", "THIRD_COUNTRY")
RESIDENCE_STATUSES = ("regular", "asylum_seeker", "permit_expired", "irregular")
BENEFITS = ("RSA", "AAH", "FAMILY", "ASPA", "ASI", "STUDENT", "REFUGEE")
CURRENT_COVERS = ("none", "puma_only", "puma_complementary", "ame", "closed", "unknown")

RIGHTS = (
    "EMERGENCY",
    "PUMA",
    "PUMA_MAINTAINED",
    "CSS_FREE",
    "CSS_PARTICIPATION",
    "AME_FIRST_IN_PERSON",
    "AME_RENEWAL",
    "AME_MINOR",
    "SOINS_URGENTS",
    "DOMICILIATION",
    "PASS_CONSULTATION",
    "REMIND_AT_3_MONTHS",
    "NO_NEW_APPLICATION",
    "HANDOFF",
)

DOCUMENTS = (
    "ID_DOCUMENT",
    "ID_WITH_PHOTO",
    "RESIDENCE_PERMIT",
    "ASYLUM_CERTIFICATE",
    "PROOF_OF_ACTIVITY",
    "PROOF_OF_RESIDENCE_3_MONTHS",
    "BIRTH_CERTIFICATE",
    "RESOURCES_12_MONTHS",
    "TAX_NOTICE",
    "DOMICILIATION_CERTIFICATE",
    "HOST_SWORN_STATEMENT",
    "CHILD_IDENTITY",
)

# A paper that is also another one: it is brought once ("a photo ID" is an identity paper;
# AME and domiciliation together listed both).
DOCUMENT_ALSO_COVERS = {"ID_WITH_PHOTO": ("ID_DOCUMENT",)}

PASS_REASONS = ("NO_HEALTH_PROBLEM", "HAS_ACTIVE_COVER", "CAN_ADVANCE_FEES", "NO_SAINT_DENIS_LINK")

# Machine reason codes for HANDOFF (the conversation layer renders them).
HANDOFF_REASONS = (
    "facts_unknown",
    "facts_conflicting",
    "current_cover_unknown",
    "ceiling_not_available",
    "rules_outdated",
    "unaccompanied_minor",
    "eu_citizen_no_residence_right",
    "regular_resident_under_3_months",
    "permit_expired_without_cover",
    "permit_expired_beyond_maintenance",
    "recent_overstayer",
    "resources_above_ame_ceiling",
    "adult_without_photo_id",
)

RULE_IDS = tuple(f"R{i}" for i in range(21))

# Purposes a place can serve (bot/rights/places.yaml, rules/procedures.yaml).
PLACE_PURPOSES = (
    "emergency",
    "hospital_care",
    "out_of_hours_care",
    "care_without_fees",
    "medicines_without_fees",
    "lab_tests_without_fees",
    "rights_support",
    "file_puma",
    "file_css",
    "file_ame_first",
    "file_ame_renewal",
    "domiciliation",
    "phone_info",
)


def ordered(codes, order: tuple[str, ...]) -> list[str]:
    """Deduplicate ``codes`` and sort them in contract order."""
    present = set(codes)
    return [code for code in order if code in present]
