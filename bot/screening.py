"""The four inclusion criteria of the PASS de ville, as plain rules.

A person is included when all four hold:
  1. a health problem or a need for care;
  2. no open health cover, or cover they cannot use (base cover without a complementary
     still leaves a share to pay, so it does not exclude);
  3. unable to advance medical fees;
  4. lives in Saint-Denis, or is followed by a social, associative or medical actor of the city.
Any criterion still unknown leaves the outcome undecided (None): the conversation asks again
or hands over to a human, it never guesses.
"""
from __future__ import annotations

from dataclasses import dataclass

COVER_VALUES = ("none", "puma_only", "puma_complementary", "ame", "closed", "unknown")
# Open cover that already pays for care in full: base + complementary (or CSS), or AME.
ACTIVE_COVER = frozenset({"puma_complementary", "ame"})

NO_HEALTH_PROBLEM = "NO_HEALTH_PROBLEM"
HAS_ACTIVE_COVER = "HAS_ACTIVE_COVER"
CAN_ADVANCE_FEES = "CAN_ADVANCE_FEES"
NO_SAINT_DENIS_LINK = "NO_SAINT_DENIS_LINK"


@dataclass(frozen=True)
class ScreeningResult:
    eligible: bool | None
    reasons: tuple[str, ...]  # failed criteria, in the order of the questions


def evaluate(
    health_problem: bool | None,
    current_cover: str | None,
    can_advance_fees: bool | None,
    saint_denis_link: bool | None,
) -> ScreeningResult:
    if current_cover is not None and current_cover not in COVER_VALUES:
        raise ValueError(f"unknown cover {current_cover!r}")
    failed = []
    if health_problem is False:
        failed.append(NO_HEALTH_PROBLEM)
    if current_cover in ACTIVE_COVER:
        failed.append(HAS_ACTIVE_COVER)
    if can_advance_fees is True:
        failed.append(CAN_ADVANCE_FEES)
    if saint_denis_link is False:
        failed.append(NO_SAINT_DENIS_LINK)
    if failed:
        return ScreeningResult(False, tuple(failed))
    if None in (health_problem, current_cover, can_advance_fees, saint_denis_link):
        return ScreeningResult(None, ())
    return ScreeningResult(True, ())
