"""The rights questions: which fact each one fills, how an answer is understood, and which
question comes next (the rights engine says what it still needs for this person).

The screening's own questions (the four PASS criteria and consent) are read the same way.
Plain Python: the Rasa forms (bot/actions/) only pass text, intent and entities in.
"""
from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta
from typing import Any, Mapping

from bot import answers, screening
from bot.conversation import reading
from bot.rights import FactsError, evaluate, missing_facts
from bot.rights.facts import Facts

YES_NO = "yes_no"
CHOICE = "choice"
MONTHS = "months"
AMOUNT_PER_MONTH = "amount_per_month"
COUNT = "count"
AGE = "age"

# Answers to "have you had AME before?": the rules only need to know whether it ended more
# than two years ago (then a new first application), so the choices stand for a date.
PRIOR_AME_CHOICES = ("never", "less_than_2_years", "more_than_2_years")


@dataclass(frozen=True)
class Question:
    fact: str  # a fact name of the rights contract, and the slot it fills
    kind: str
    choices: tuple[str, ...] = ()  # values a button (or numbered reply) stands for

    @property
    def response(self) -> str:
        return f"utter_ask_{self.fact}"


QUESTIONS: dict[str, Question] = {
    q.fact: q
    for q in (
        Question("urgent", YES_NO),
        Question("nationality_group", CHOICE, ("FR", "EU_EEA_CH", "THIRD_COUNTRY")),
        Question("residence_status", CHOICE, ("regular", "asylum_seeker", "permit_expired", "irregular")),
        Question("age", AGE),
        Question("unaccompanied_minor", YES_NO),
        Question("months_in_france", MONTHS),
        Question("months_since_permit_expiry", MONTHS),
        Question("works_in_france", YES_NO),
        Question("benefits", CHOICE, ("RSA", "AAH", "FAMILY", "ASPA", "ASI", "STUDENT", "REFUGEE", "none")),
        Question("prior_ame_end", CHOICE, PRIOR_AME_CHOICES),
        Question("household_size", COUNT),
        Question("annual_resources", AMOUNT_PER_MONTH),
        Question("has_stable_address", YES_NO),
        Question("has_domiciliation", YES_NO),
        Question("hosted_by_third_party", YES_NO),
        Question("has_photo_id", YES_NO),
    )
}
# Facts the screening already asked (the four PASS criteria).
SCREENING_FACTS = ("health_problem", "current_cover", "can_advance_fees", "saint_denis_link")
SCREENING_QUESTIONS: dict[str, Question] = {
    q.fact: q
    for q in (
        Question("consent_given", YES_NO),
        Question("health_problem", YES_NO),
        Question("current_cover", CHOICE, screening.COVER_VALUES),
        Question("can_advance_fees", YES_NO),
        Question("saint_denis_link", YES_NO),
    )
}
ALL_QUESTIONS = {**SCREENING_QUESTIONS, **QUESTIONS}

# A button, or a number the channel turned into the button's payload: it means exactly that.
PAYLOAD_PREFIX = "/"
# Below this the intent model's yes or no is a guess, not an answer.
INTENT_FLOOR = 0.6


def interpret(
    question: Question, *, text: str, intent: str | None, entities: Mapping[str, Any], language: str, today: date,
    confidence: float = 1.0, age: int | None = None,
) -> Any:
    """The slot value an answer gives, or None when it is not understood (never a guess).

    A button (payload) means its value. Words are read in the frame of the question
    (bot.conversation.reading); the intent model's yes or no is used only where the words do
    not decide, and never for consent, which must be a yes in words or by button. `age`, when
    known, reads "toute ma vie" at the months-in-France question."""
    text = text or ""
    if text.startswith(PAYLOAD_PREFIX):
        return _from_payload(question, intent, entities, today)
    if question.kind == YES_NO:
        return _yes_no(question.fact, text, intent, confidence, language)
    if question.kind == CHOICE:
        value = reading.choice(text, question.fact, language, question.choices)
        if value is None and entities.get(question.fact) in question.choices:
            value = entities[question.fact]  # the NLU lookup tables found it
        return None if value is None else _choice_value(question.fact, value, today)
    if question.kind == MONTHS:
        in_france = question.fact == "months_in_france"
        return answers.parse_months(text, language, today, age if in_france else None, lifetime=in_france)
    if question.kind == AGE:
        return answers.parse_age(text, language)
    if question.kind == COUNT:
        return answers.parse_count(text, language) or reading.count_explained(text, language)
    if question.kind == AMOUNT_PER_MONTH:
        monthly = answers.parse_amount(text, language)
        if monthly is None:
            monthly = reading.amount_explained(text, language)
        if monthly is None and not any(c.isdigit() for c in text) and (
            reading.yes_no(text, language, statements=False) is False or intent == "deny"
        ):
            monthly = 0.0  # "non", "rien du tout": no money; "non, 800" stays unclear
        return None if monthly is None else round(monthly * 12, 2)
    raise ValueError(f"unknown question kind {question.kind!r}")


def _from_payload(question: Question, intent: str | None, entities: Mapping[str, Any], today: date) -> Any:
    if question.kind == YES_NO:
        return {"affirm": True, "deny": False}.get(intent or "")
    if question.kind == CHOICE:
        value = entities.get(question.fact)
        return _choice_value(question.fact, value, today) if value in question.choices else None
    return None


# Yes/no questions a statement of having does not answer: "j'ai 34 ans" to "do you need care
# urgently today?", "عندي الباسبور" (I have the passport) to "do you live at someone's?".
NOT_BY_STATEMENT = frozenset({"urgent", "hosted_by_third_party"})


def _yes_no(fact: str, text: str, intent: str | None, confidence: float, language: str) -> bool | None:
    if fact == "consent_given":
        # Only a yes or no in words: "j'ai compris" or an emoji is not an agreement.
        return reading.yes_no(text, language, statements=False, strict=True)
    value = None
    if fact == "saint_denis_link":
        value = reading.saint_denis(text, language)
    elif fact == "hosted_by_third_party" and reading.hosted(text, language):
        value = True  # "me aloja un amigo", "chez mon frère": a yes said as the fact itself
    if value is None:
        # "J'ai …" answers yes to "do you have…" questions, never to "do you need care urgently
        # today?": "am 34 de ani" / "j'ai 34 ans" there gave the emergency numbers.
        value = reading.yes_no(text, language, statements=fact not in NOT_BY_STATEMENT,
                               health=fact == "health_problem")
    if value is None and confidence >= INTENT_FLOOR:
        if intent in ("affirm", "deny"):
            value = intent == "affirm"
        elif fact == "health_problem" and intent == "need_care":
            value = True
    return value


def _choice_value(fact: str, value: Any, today: date) -> Any:
    if fact == "benefits":
        values = value if isinstance(value, list) else [value]
        return [] if values == ["none"] else values
    if fact == "prior_ame_end":
        return _prior_ame_end(value, today)
    return value


def entity_values(entities: list[Mapping[str, Any]]) -> dict[str, Any]:
    """One value per entity: where matches overlap, the longest wins, so that
    "aucun titre de sejour" means no permit even though "titre de sejour" is inside it."""
    longest: dict[str, Mapping[str, Any]] = {}
    for entity in entities:
        span = entity.get("end", 0) - entity.get("start", 0)
        kept = longest.get(entity["entity"])
        if kept is None or span > kept.get("end", 0) - kept.get("start", 0):
            longest[entity["entity"]] = entity
    return {name: entity.get("value") for name, entity in longest.items()}


def _prior_ame_end(choice: str, today: date) -> str:
    if choice == "never":
        return "never"
    years = 1 if choice == "less_than_2_years" else 3
    return (today - timedelta(days=365 * years)).isoformat()


def facts_from_slots(slots: Mapping[str, Any], today: date) -> dict[str, Any]:
    """The rights contract's facts (JSON-like) from the conversation's slots."""
    facts: dict[str, Any] = {"today": today.isoformat()}
    for name in (*SCREENING_FACTS, *QUESTIONS):
        value = slots.get(name)
        if value is None:
            continue
        facts[name] = None if (name == "prior_ame_end" and value == "never") else value
    return facts


def next_questions(slots: Mapping[str, Any], today: date) -> list[str]:
    """Facts still to ask, in order: what the engine needs that a question can fill."""
    needed = missing_facts(_facts(slots, today))
    return [fact for fact in needed if fact in QUESTIONS and slots.get(fact) is None]


def outcome(slots: Mapping[str, Any], today: date) -> dict[str, Any]:
    """The rights outcome for these answers, as the CLI prints it."""
    return evaluate(_facts(slots, today)).to_dict()


def _facts(slots: Mapping[str, Any], today: date) -> Facts:
    try:
        return Facts.from_mapping(facts_from_slots(slots, today))
    except FactsError as error:  # a slot value outside the contract is a bug, not an answer
        raise ValueError(f"conversation slots are not valid rights facts: {error}") from error
