"""What to do with a reply to a pending question, so that nothing ever loops.

- An answer the question's frame can read is stored (bot.interview.interpret).
- A safety message (emergency, suicidal thoughts, violence) always gets its safety answer: said
  here with the next question when the reply also answers, else by the rules, then the same
  question. A reply that answers is a safety message only if it also holds a safety word
  (bot/languages/words/<lang>.yaml `safety`): the model reads ordinary answers as safety
  messages with a confidence real ones do not always reach. Another clear request (a human, erase my data, cancel…) that is not an answer goes
  to the rules for it; the question is then asked again.
- Anything else is a miss: the question is asked once more with a hint of the answer expected
  (its choices, an example), the second time with the way to a human too; a question is never
  asked more than MAX_ASKS times in a conversation: then a social worker takes over.

Plain Python over the tracker's events (dicts, as Rasa serialises them).
"""
from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date
from typing import Any, Iterable, Mapping, Optional

from bot import interview
from bot.conversation import reading

MAX_ASKS = 3
# Not answers when the reply does not read as one; the form's rules answer them.
SAFETY = frozenset({"emergency", "suicidal_thoughts", "violence"})
REQUESTS = frozenset({
    "request_human", "delete_my_data", "opt_out", "ask_documents", "ask_where", "change_language",
    "unsupported_language", "choose_language", "choose_slot", "cancel_appointment", "reschedule_appointment",
    "book_appointment", "goodbye",
})
REQUEST_FLOOR = 0.6  # a request read with less confidence is not clear: it counts as not understood
# A reply to a question that the model alone reads as a safety message (no safety word, no
# answer): below this it is not understood, asked again with the way to a human. "trabalho como
# faxineira, ganho uns 600 por mês" was an emergency at 0.62, "el jueves a las 9 y media" at
# 0.75; of the held-out safety messages, all but two hold a safety word, one at 0.98, one at 0.45.
MODEL_ALONE_SAFETY = 0.9
# The hint said with a question asked again, by the kind of answer it expects.
HINTS = {
    interview.YES_NO: "utter_hint_yes_no",
    interview.CHOICE: "utter_hint_choice",
    interview.MONTHS: "utter_hint_months",
    interview.AMOUNT_PER_MONTH: "utter_hint_amount",
    interview.COUNT: "utter_hint_count",
    interview.AGE: "utter_hint_age",
}
HINT_HUMAN = "utter_hint_human"
BOOKING_AFTER = "utter_booking_after_questions"
# Requests answered by a text only: asked twice in a row, the text is not said twice (a human, an
# erasure, a cancellation asked again still act).
SAID_ONCE = frozenset({"opt_out", "ask_documents", "ask_where", "book_appointment", "goodbye", "unsupported_language"})

ANSWER, INTERRUPT, MISS, BACK, SAFETY_ANSWER = "answer", "interrupt", "miss", "back", "safety_answer"
NOT_BY_SAFETY_WORDS = frozenset({"urgent"})  # "non, pas urgent": its own words are safety words
ANSWERED_SLOT = "answered_facts"  # the facts answered, in order; set again at every answer


@dataclass(frozen=True)
class Decision:
    kind: str
    value: Any = None
    say: tuple[str, ...] = field(default_factory=tuple)  # responses to utter before the question


def times_asked(events: Iterable[Mapping[str, Any]], fact: str) -> int:
    """How many times the question of `fact` was asked in this session."""
    response = f"utter_ask_{fact}"
    count = 0
    for event in events:
        if event.get("event") == "session_started":
            count = 0
        elif event.get("event") == "bot" and (event.get("metadata") or {}).get("utter_action") == response:
            count += 1
    return count


def previous_intent(events: Iterable[Mapping[str, Any]]) -> Optional[str]:
    """The intent of the person's message before the latest one, in this session."""
    seen = 0
    for event in reversed(list(events)):
        if event.get("event") == "session_started":
            return None
        if event.get("event") == "user":
            seen += 1
            if seen == 2:
                return ((event.get("parse_data") or {}).get("intent") or {}).get("name")
    return None


def decide(
    question: interview.Question, *, text: str, intent: Optional[str], confidence: float,
    entities: Mapping[str, Any], language: str, today: date, asked: int, age: Optional[int] = None,
    before: Optional[str] = None,
) -> Decision:
    """The decision for a reply to `question`, asked `asked` times so far (this one included);
    `age` is the person's, if already answered; `before` the intent of the message before."""
    text = text or ""
    is_payload = text.startswith(interview.PAYLOAD_PREFIX)
    if not is_payload and intent not in SAFETY and (
        reading.wants_back(text, language) or (intent == "go_back" and confidence >= REQUEST_FLOOR)
    ):
        return Decision(BACK)
    value = interview.interpret(question, text=text, intent=intent, entities=entities, language=language,
                                today=today, confidence=confidence, age=age)
    own_words = question.fact in NOT_BY_SAFETY_WORDS
    if intent in SAFETY and not is_payload and value is None and (
            confidence >= MODEL_ALONE_SAFETY or reading.safety_words(text, urgency_question=own_words)):
        return Decision(INTERRUPT)  # safety first: the rules answer it
    if intent in SAFETY and value is None and not is_payload:
        intent = None  # the model alone, unsure: not understood (below), never the alarm
    if intent in SAFETY and not is_payload and reading.safety_words(text, urgency_question=own_words):
        # An answer that also tells a safety word: the safety answer first, the answer kept
        # ("oui, mal à la poitrine, je respire mal"), so the same question does not come back.
        # Without one it is the answer: at any confidence ("oui elle s'est arrêtée il y a 8
        # mois" read as an emergency at 0.97; real ones from 0.58).
        return Decision(SAFETY_ANSWER, value, say=(f"utter_{intent}",))
    kinds = [] if is_payload or own_words else reading.safety_kinds(text)
    if value is not None and kinds:
        # The model missed it ("bale sineam dard mikone", my chest hurts, read as a yes): the
        # safety words say it; the answer is kept.
        return Decision(SAFETY_ANSWER, value, say=(f"utter_{kinds[0]}",))
    if value is not None:
        return Decision(ANSWER, value)
    if intent in SAID_ONCE and intent == before and not is_payload and asked < MAX_ASKS:
        # The same request again: its answer was just given; the question with its hint and the
        # way to a human this time, so that no two turns in a row are the same.
        return Decision(MISS, say=(HINTS[question.kind], HINT_HUMAN))
    if intent == "book_appointment" and not is_payload and confidence >= REQUEST_FLOOR:
        # "RDV" mid-questions: booking comes right after them (it needs their outcome), so the
        # question again, said so; no "not understood".
        return Decision(MISS, say=(BOOKING_AFTER,)) if asked < MAX_ASKS else Decision(MISS)
    if intent in REQUESTS and (is_payload or confidence >= REQUEST_FLOOR):
        return Decision(INTERRUPT)
    if asked >= MAX_ASKS:
        return Decision(MISS)  # no hint: the form ends and hands over
    unknown = not is_payload and reading.is_unknown(text, language)
    hints = [HINTS[question.kind]]
    if asked >= 2 or unknown:  # "je sais pas": a person can help at once
        hints.append(HINT_HUMAN)
    return Decision(MISS, say=tuple(hints))


def gave_up(events: Iterable[Mapping[str, Any]], fact: Optional[str], slots: Mapping[str, Any]) -> bool:
    """Whether the pending question was asked MAX_ASKS times without an answer."""
    return bool(fact) and slots.get(fact) is None and times_asked(events, fact) >= MAX_ASKS


def not_understood_streak(events: Iterable[Mapping[str, Any]], action: str) -> int:
    """How many of the latest turns in a row ended in `action` (the not-understood answer)."""
    streak = 0
    for event in reversed(list(events)):
        if event.get("event") == "session_started":
            break
        if event.get("event") != "action" or event.get("name") == "action_listen":
            continue
        if event.get("name") != action:
            break
        streak += 1
    return streak


def _language_set_at(events: list[Mapping[str, Any]]) -> Optional[int]:
    """Where the language was first set (a preset link, a stored or detected language, the
    menu), or None while it is only the default."""
    return next((i for i, event in enumerate(events)
                 if event.get("event") == "slot" and event.get("name") == "language" and event.get("value")), None)


def language_known(events: Iterable[Mapping[str, Any]]) -> bool:
    return _language_set_at(list(events)) is not None


def written_before_language(events: Iterable[Mapping[str, Any]], chosen_now: bool = False) -> list[str]:
    """What the person wrote before their language was known, once it is (the first message
    after, or the message that chooses it: `chosen_now`); else nothing. Facts stated there are
    read then, in that language: "3andi l'AME w kamlet" read in French is an AME, in Arabic
    an AME that ended. Read once only: a fact corrected later (RETOUR) is not filled again."""
    events = list(events)
    users = [i for i, event in enumerate(events) if event.get("event") == "user"]
    chosen = _language_set_at(events)
    if chosen_now and chosen is None:
        earlier = users[:-1]
    elif chosen is not None and len(users) >= 2 and chosen > users[-2]:
        earlier = [i for i in users[:-1] if i < chosen]
    else:
        return []
    return [text for i in earlier if (text := events[i].get("text") or "")]


def last_menu_response(events: Iterable[Mapping[str, Any]]) -> Optional[str]:
    """The response name of the menu the bot's latest turn showed (before the person's last
    message), to show it again; None if that turn showed no choices."""
    seen_user = False
    for event in reversed(list(events)):
        kind = event.get("event")
        if kind == "user":
            if seen_user:
                return None  # the turn before the last message had no menu
            seen_user = True
        elif kind == "bot" and seen_user and (event.get("data") or {}).get("buttons"):
            return (event.get("metadata") or {}).get("utter_action")
    return None
