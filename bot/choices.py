"""Numbered replies: "2" on a basic phone means the second choice of the last menu shown; and
words naming one of the offered times ("mardi 14h", "monday 9:30") pick that time."""
from __future__ import annotations

import re
from typing import Iterable, Mapping, Sequence

from bot.answers import normalise
from bot.languages import words

NUMBER = re.compile(r"^\s*(\d{1,2})\s*[.)]?\s*$")


def resolve(text: str | None, buttons: Sequence[Mapping[str, str]]) -> str | None:
    """The payload a numbered reply stands for, or None if the text is not such a reply."""
    if not text or not buttons:
        return None
    match = NUMBER.match(text)
    if not match:
        return None
    number = int(match.group(1))
    if 1 <= number <= len(buttons):
        return buttons[number - 1]["payload"]
    return None


# Rasa reads a message starting with "/" (after stripping spaces) as an intent and its entities.
PAYLOAD_PREFIX = "/"
# Rasa's own meta-intent for "a new session" (as after 12 hours of silence): kept on REST (tests).
SYSTEM_PAYLOADS = {"/session_start"}
# What a typed "/..." that no menu offered becomes: "not understood". Merely hiding the slash
# from Rasa is not enough: the model reads "/affirm" as a yes.
NOT_A_CHOICE = "/nlu_fallback"


def looks_like_payload(text: str | None) -> bool:
    return bool(text) and text.strip().startswith(PAYLOAD_PREFIX)


def typed_payload(text: str, buttons: Sequence[Mapping[str, str]], system: bool = False) -> str:
    """A typed payload as Rasa should get it: itself if it is one of the latest menu's choices
    (what the button sends), else "not understood". `/affirm` typed never gives consent, and
    `/choose_slot{"slot_id": "27"}` books nothing that was not offered."""
    stripped = text.strip()
    if system and stripped in SYSTEM_PAYLOADS or any(stripped == str(b.get("payload", "")) for b in buttons):
        return stripped
    return NOT_A_CHOICE


DENY = "/deny"


def confirmation(buttons: Sequence[Mapping[str, str]]) -> str | None:
    """The payload that confirms an irreversible action, if the open menu is such a question
    (its first choice carries a `confirm` entity: bot.responses.CONFIRM_*)."""
    for button in buttons[:1]:
        found = str(button.get("payload", ""))
        if found.startswith("/affirm{") and '"confirm"' in found:
            return found
    return None


def last_menu(events: Iterable[Mapping]) -> list[Mapping[str, str]]:
    """Buttons of the last menu the bot showed in this conversation, given tracker events
    (oldest first, as Rasa serialises them). Only the menu of the bot's latest turn counts:
    a number typed after the person has moved on must not pick an old choice."""
    for event in reversed(list(events)):
        kind = event.get("event")
        if kind == "user":
            break  # menus before the person's last message were already answered
        if kind == "bot":
            buttons = (event.get("data") or {}).get("buttons")
            if buttons:
                return list(buttons)
    return []


SLOT_PAYLOAD = "/choose_slot"
# "14h", "14 h 30", "9:30", "09.30", "14h00": an hour and maybe minutes.
TIME = re.compile(r"\b(\d{1,2})\s*(?:h|:|\.|heures?|hours?)\s*(\d{2})?\b|\b(\d{1,2}):(\d{2})\b")


# "mardi, je ne peux pas": a time named to refuse it is not a choice. Every language's words
# (slot_negations in bot/languages/words/<lang>.yaml), as normalise makes them.
NEGATIONS = {
    normalise(word) for language in words.languages() for word in words.load(language).get("slot_negations", [])
}


def _times(text: str) -> set[str]:
    found = set()
    for match in TIME.finditer(text):
        hour, minute = (match[1], match[2]) if match[1] else (match[3], match[4])
        if int(hour) < 24:
            found.add(f"{int(hour):02d}:{minute or '00'}")
    return found


# "a las 9 y media", "à 10 et demie", "la 9 și jumătate": an hour said as a bare number, maybe
# with a half (the `half` words of every language). Only the hours a team works count, so that
# "el 2" (the second choice, or the 2nd of the month) is never a time.
HALF = sorted({normalise(word) for language in words.languages()
               for word in words.load(language).get("duration", {}).get("half", [])}, key=len, reverse=True)
SPOKEN_TIME = re.compile(r"(?<![\d:.])\b(\d{1,2})\b(?![:.]?\d)(?:\s*(" + "|".join(map(re.escape, HALF)) + r")\b)?")
WORKING_HOURS = range(7, 21)


def _spoken_times(said: str, day_words: set[str], names_a_day: bool) -> set[str]:
    """Hours said as bare numbers; a number before a month's name ("10 diciembre") is a day.
    A bare number counts only beside the name of an offered day ("jueves a las 9") or with a
    half ("9 y media"): in "🉑🕹9️⃣🗑" the 9 is no time."""
    found, rest = set(), TIME.sub(" ", said)  # "9h30" already read by TIME
    for match in SPOKEN_TIME.finditer(rest):
        following = re.match(r"\s*([^\W\d_]+)", rest[match.end(1):]) if not match[2] else None
        if following and following[1] in day_words:
            continue
        if int(match[1]) in WORKING_HOURS and (names_a_day or match[2]):
            found.add(f"{int(match[1]):02d}:{'30' if match[2] else '00'}")
    return found


def resolve_slot_words(text: str | None, buttons: Sequence[Mapping[str, str]]) -> str | None:
    """The offered time a message names in words, if exactly one fits best. The buttons' titles
    are the times as the person saw them ("mardi 8 décembre 14:30"), so their words (a weekday,
    a month) and their hour are compared with the message's; ambiguous or unrelated → None."""
    offered = [b for b in buttons if str(b.get("payload", "")).startswith(SLOT_PAYLOAD)]
    if not text or not offered:
        return None
    said = normalise(text)
    if NEGATIONS & set(re.findall(r"[^\W\d_]+", said)):
        return None
    # The words after a number in the titles ("10 diciembre") are months: said after a number,
    # that number is the day.
    titles = [normalise(str(b.get("title", ""))) for b in offered]
    day_words = {m for title in titles for m in re.findall(r"\d\s+([^\W\d_]+)", title)}
    said_words = set(re.findall(r"[^\W\d_]{3,}", said))
    names_a_day = bool(said_words & {w for title in titles for w in re.findall(r"[^\W\d_]{3,}", title)})
    said_times = _times(said) | _spoken_times(said, day_words, names_a_day)
    scores = []
    for button in offered:
        title = normalise(str(button.get("title", "")))
        title_times = _times(title)
        if said_times and not said_times & title_times:
            scores.append(0)
            continue
        scores.append(len(said_times & title_times) + len(said_words & set(re.findall(r"[^\W\d_]{3,}", title))))
    best = max(scores)
    if best == 0 or scores.count(best) > 1:
        return None
    return offered[scores.index(best)]["payload"]
