"""Rights-orientation engine for the Saint-Denis PASS assistant (PUMa, CSS, AME, PASS).

Plain Python, no Rasa import: rules are data (bot/rights/rules/*.yaml), the
engine turns facts into codes. See bot/rights/README.md.
"""
from bot.rights.engine import Outcome, evaluate, missing_facts, rules_outdated
from bot.rights.facts import Facts, FactsError
from bot.rights.places import Place, places_for, places_for_right
from bot.rights.rules import Procedure, Rules, RulesError, load_rules, procedure_for

__all__ = [
    "Facts",
    "FactsError",
    "Outcome",
    "Place",
    "Procedure",
    "Rules",
    "RulesError",
    "evaluate",
    "load_rules",
    "missing_facts",
    "places_for",
    "places_for_right",
    "procedure_for",
    "rules_outdated",
]
