"""The console's French for what the assistant stores as codes: answers, rights, reasons.

A social worker reads "sans titre de séjour", "600 € par mois (7 200 € par an)", "CSS
gratuite", never `irregular`, `annual_resources: 7200.0` or `CSS_FREE`. Console texts are
French only (the staff's language); the button labels reuse the patients' catalog in French.
"""
from __future__ import annotations

import json
from datetime import date
from typing import Any

from bot import responses
from bot.i18n import gettext
from bot.interview import ALL_QUESTIONS, AGE, AMOUNT_PER_MONTH, COUNT, MONTHS, YES_NO

YES_NO_FR = {True: "oui", False: "non"}

# Short questions for the sheet's left column (the patients' full question is in the transcript).
FACTS = {
    "consent_given": "Accord pour garder les réponses",
    "health_problem": "Problème de santé",
    "current_cover": "Couverture actuelle",
    "can_advance_fees": "Peut avancer les frais",
    "saint_denis_link": "Lien avec Saint-Denis",
    "urgent": "Soins urgents aujourd'hui",
    "nationality_group": "Nationalité",
    "residence_status": "Titre de séjour",
    "age": "Âge",
    "unaccompanied_minor": "Mineur·e non accompagné·e",
    "months_in_france": "En France depuis",
    "months_since_permit_expiry": "Titre expiré depuis",
    "works_in_france": "Travail déclaré en France",
    "benefits": "Prestations",
    "prior_ame_end": "AME auparavant",
    "household_size": "Foyer",
    "annual_resources": "Ressources du foyer",
    "has_stable_address": "Adresse pour le courrier",
    "has_domiciliation": "Domiciliation",
    "hosted_by_third_party": "Hébergé·e par un tiers",
    "has_photo_id": "Pièce d'identité avec photo",
}

RIGHTS = {
    "EMERGENCY": "urgence : soins tout de suite (15, urgences)",
    "PUMA": "PUMa (assurance maladie)",
    "PUMA_MAINTAINED": "PUMa maintenue (titre expiré depuis moins de 6 mois)",
    "CSS_FREE": "CSS gratuite",
    "CSS_PARTICIPATION": "CSS avec participation",
    "AME_FIRST_IN_PERSON": "AME, première demande (en personne)",
    "AME_RENEWAL": "AME, renouvellement",
    "AME_MINOR": "AME pour mineur·e, sans délai",
    "SOINS_URGENTS": "soins urgents (dispositif soins urgents et vitaux)",
    "DOMICILIATION": "domiciliation à obtenir",
    "PASS_CONSULTATION": "consultation PASS",
    "REMIND_AT_3_MONTHS": "AME possible après 3 mois en France (rappel prévu)",
    "NO_NEW_APPLICATION": "aucune nouvelle demande à faire",
    "HANDOFF": "situation à examiner par l'assistante sociale",
}

RIGHTS_HANDOFF = {
    "facts_unknown": "des réponses manquent",
    "facts_conflicting": "des réponses se contredisent",
    "current_cover_unknown": "la couverture actuelle n'est pas connue",
    "ceiling_not_available": "pas de plafond connu pour ce foyer",
    "rules_outdated": "ressources proches d'un plafond et barème périmé",
    "unaccompanied_minor": "mineur·e non accompagné·e",
    "eu_citizen_no_residence_right": "citoyen·ne européen·ne sans droit au séjour établi",
    "regular_resident_under_3_months": "titre régulier mais moins de 3 mois en France",
    "permit_expired_without_cover": "titre expiré, sans couverture",
    "permit_expired_beyond_maintenance": "titre expiré depuis plus de 6 mois",
    "recent_overstayer": "séjour irrégulier récent",
    "resources_above_ame_ceiling": "ressources au-dessus du plafond AME",
    "adult_without_photo_id": "adulte sans pièce d'identité avec photo",
}

PASS_REASONS = {
    "NO_HEALTH_PROBLEM": "pas de problème de santé déclaré",
    "HAS_ACTIVE_COVER": "a déjà une couverture complète",
    "CAN_ADVANCE_FEES": "peut avancer les frais",
    "NO_SAINT_DENIS_LINK": "pas de lien avec Saint-Denis",
}

# Each follows "La personne …" (the handoff's reasons in one sentence on the sheet).
HANDOFF_REASONS = {"request_human": "a demandé à parler à quelqu'un",
                   "rights_handoff": "a une situation de droits à examiner",
                   "unclear_answers": "a donné des réponses non comprises",
                   "unsupported_language": "écrit dans une langue que l'assistant ne parle pas",
                   "violence": "a parlé de violences subies", "staff": "a été reprise par l'équipe",
                   "emergency": "a signalé une urgence médicale",
                   "suicidal_thoughts": "a exprimé des idées suicidaires"}

COVERS = {"PUMA": "PUMa (assurance maladie)", "CSS": "Complémentaire santé solidaire (CSS)",
          "AME": "Aide médicale de l'État (AME)"}
COVER_STATES = {"opened": "ouverte", "refused": "refusée", "pending": "en cours"}
APPOINTMENT_STATES = {"booked": "prévu", "cancelled": "annulé", "attended": "venu·e", "no_show": "absent·e"}

# The patients' choices (bot/responses.py), by fact: their French label is the reading.
_CHOICES = {"current_cover": responses.COVER_CHOICES, "nationality_group": responses.NATIONALITY_CHOICES,
            "residence_status": responses.RESIDENCE_CHOICES, "benefits": responses.BENEFIT_CHOICES,
            "prior_ame_end": responses.PRIOR_AME_CHOICES}


def euros(amount: float) -> str:
    """7200.0 -> "7 200 €" (French thousands, no decimals unless there are cents)."""
    whole = round(amount, 2)
    text = f"{whole:,.2f}" if whole != int(whole) else f"{int(whole):,}"
    return text.replace(",", "\u202f").replace(".", ",") + " €"


def choice_label(fact: str, value: Any) -> str | None:
    for choice in _CHOICES.get(fact, ()):
        entities = json.loads(choice.payload[choice.payload.index("{"):])
        if entities.get(fact) == value:
            return gettext(choice.label, "fr") if choice.translate else choice.label
    return None


def reading(fact: str, value: Any) -> str:
    """What the assistant understood, in French: "sans titre de séjour", "600 € par mois"."""
    if value is None:
        return "non compris"
    question = ALL_QUESTIONS.get(fact)
    kind = question.kind if question else None
    if kind == YES_NO or isinstance(value, bool):
        return YES_NO_FR.get(value, str(value))
    if fact == "annual_resources":
        return f"{euros(value / 12)} par mois, soit {euros(value)} par an"
    if kind == AMOUNT_PER_MONTH:
        return f"{euros(value)} par mois"
    if kind == MONTHS:
        return f"{value} mois" if value < 24 else f"{value} mois (environ {value // 12} ans)"
    if kind == AGE:
        return f"{value} ans"
    if kind == COUNT:
        return f"{value} personne" if value == 1 else f"{value} personnes"
    if fact == "benefits":
        values = value if isinstance(value, list) else [value]
        return ", ".join(choice_label(fact, v) or v for v in values) if values else "aucune de ces prestations"
    if fact == "prior_ame_end":
        if value == "never":
            return "jamais"
        try:
            ended = date.fromisoformat(value)
        except (TypeError, ValueError):
            return str(value)
        return "oui, terminée il y a moins de 2 ans" if (date.today() - ended).days < 730 else \
            "oui, terminée il y a plus de 2 ans"
    return choice_label(fact, value) or str(value)


def covers(obtained: dict | None) -> str:
    """{"AME": "pending"} -> "Aide médicale de l'État (AME) : en cours" (recorded at the visit)."""
    return " ; ".join(f"{COVERS.get(c, c)} : {COVER_STATES.get(s, s)}" for c, s in (obtained or {}).items())


def handoff_sentence(reasons: list[str]) -> str:
    """["unclear_answers", "suicidal_thoughts"] -> "La personne a donné des réponses non
    comprises, puis a exprimé des idées suicidaires." """
    said = [HANDOFF_REASONS.get(r, r) for r in reasons]
    if not said:
        return ""
    return "La personne " + ", puis ".join(said) + "."
