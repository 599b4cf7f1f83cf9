"""Rights-orientation engine: facts about one person -> outcome (codes only).

Entry points:
    evaluate(facts, rules=None) -> Outcome
    missing_facts(facts, rules=None) -> list[str]
    rules_outdated(today=None, rules=None) -> bool

The decision table is rights-facts.md §9.2 (rows R0-R20, summarised in
rules/decision_table.yaml). Each row has exactly one method below, decorated
with @rule("Rn"); the branch methods (_regular, _asylum_seeker, _irregular)
only decide the order in which rows are tried, as in the table.

Unknown facts. The engine never guesses a decisive fact: when one is missing
(e.g. months in France for an irregular adult) the outcome is HANDOFF with
`facts_unknown`. A few facts have a safe presumption instead, so that a
partial answer still gives a useful outcome:
    urgent -> not urgent; current_cover -> none (for the rights, not for the
    PASS criteria); prior_ame_end -> never had AME (a renewal filed as a
    first application in person is still accepted); age -> adult (the person
    talking is usually the applicant); unaccompanied_minor -> no; address,
    domiciliation, hosting, photo ID -> nothing extra to ask for.
Every fact the engine read while unknown (presumed or not) is reported by
missing_facts(), in QUESTION_ORDER, so the conversation asks only those.
Call it again after each answer: an answer can open a new branch.
"""
from __future__ import annotations

from dataclasses import asdict, dataclass
from datetime import date
from typing import Any, Callable, Mapping, Optional, Union

from bot import screening
from bot.rights import codes
from bot.rights.facts import NEVER, Facts
from bot.rights.rules import Rules, default_rules

FactsLike = Union[Facts, Mapping[str, Any]]

# The order in which the conversation should ask for facts: safety first, then
# the person's situation, then resources, then what changes the documents, then
# the PASS de ville criteria.
QUESTION_ORDER = (
    "urgent",
    "current_cover",
    "nationality_group",
    "residence_status",
    "age",
    "unaccompanied_minor",
    "months_in_france",
    "months_since_permit_expiry",
    "works_in_france",
    "benefits",
    "prior_ame_end",
    "household_size",
    "annual_resources",
    "has_stable_address",
    "has_domiciliation",
    "hosted_by_third_party",
    "has_photo_id",
    "health_problem",
    "can_advance_fees",
    "saint_denis_link",
)

# Rights that mean "an application is to be made (now or soon)": R2 then checks the address.
_APPLICATIONS = {
    "PUMA", "CSS_FREE", "CSS_PARTICIPATION", "AME_FIRST_IN_PERSON", "AME_RENEWAL", "AME_MINOR",
    "REMIND_AT_3_MONTHS",
}


@dataclass(frozen=True)
class Outcome:
    pass_eligible: Optional[bool]
    pass_reasons: list[str]
    rights: list[str]
    documents: list[str]
    handoff_reasons: list[str]
    rules_fired: list[str]
    rules_version: str
    rules_valid_until: str
    css_monthly_contribution: Optional[float] = None

    def to_dict(self) -> dict[str, Any]:
        """The public JSON contract (keys in contract order)."""
        return asdict(self)


# --- rule registry: one method per row of the decision table ----------------

_RULE_METHODS: dict[str, str] = {}


def rule(rule_id: str) -> Callable:
    def register(method: Callable) -> Callable:
        assert rule_id in codes.RULE_IDS and rule_id not in _RULE_METHODS, rule_id
        _RULE_METHODS[rule_id] = method.__name__
        return method

    return register


def implemented_rules() -> dict[str, str]:
    """Rule id -> name of the method implementing it (for tests and the staff console)."""
    return dict(_RULE_METHODS)


def _add_years(day: date, years: int) -> date:
    try:
        return day.replace(year=day.year + years)
    except ValueError:  # 29 February
        return day.replace(year=day.year + years, day=28)


class _Evaluation:
    """One evaluation. Holds the facts and what the rules decided so far."""

    def __init__(self, facts: Facts, rules: Rules):
        self.f = facts
        self.rules = rules
        self.p = rules.parameters
        self.today = facts.today or date.today()
        self.status: Optional[str] = None  # effective residence status
        self.rights: set[str] = set()
        self.reasons: set[str] = set()
        self.fired: set[str] = set()
        self.missing: set[str] = set()
        self.compared_ceilings: list[int] = []
        self.pass_eligible: Optional[bool] = None
        self.pass_reasons: list[str] = []
        self.contribution: Optional[float] = None
        self.documents: list[str] = []

    # --- small helpers ---------------------------------------------------------

    def ask(self, name: str) -> Any:
        """Read a fact; remember it as missing if unknown."""
        value = getattr(self.f, name)
        if value is None:
            self.missing.add(name)
        return value

    def fire(self, rule_id: str, *rights: str) -> None:
        self.fired.add(rule_id)
        self.rights.update(rights)

    def handoff(self, rule_id: str, reason: str) -> None:
        self.fire(rule_id, "HANDOFF")
        self.reasons.add(reason)

    def cover(self) -> str:
        """Current cover for the rights rules; unknown is presumed 'none'."""
        cover = self.ask("current_cover")
        return "none" if cover in (None, "unknown") else cover

    def nationality(self) -> Optional[str]:
        if self.f.nationality_group is not None:
            return self.f.nationality_group
        if self.status in ("irregular", "asylum_seeker", "permit_expired"):
            return "THIRD_COUNTRY"  # a status only third-country nationals have
        return self.ask("nationality_group")  # regular: only the documents depend on it

    def minor(self) -> bool:
        if self.f.unaccompanied_minor:
            return True
        age = self.ask("age")
        if age is None or age >= self.p.adult_age:
            return False  # unknown age: presumed adult
        self.ask("unaccompanied_minor")
        return True

    def resources(self) -> Optional[float]:
        """Household resources, or None (after a handoff) if they or the household size are unknown."""
        size, resources = self.ask("household_size"), self.ask("annual_resources")
        if size is None or resources is None:
            self.r19_cannot_settle("facts_unknown")
            return None
        return resources

    def ceiling(self, kind: str) -> Optional[int]:
        """Ceiling `kind` (css_free, css_participation, ame) for the household, in force today.
        None (after a handoff) when the data has no figure for this date or household size."""
        ceiling_set = self.rules.ceilings_for(self.today)
        ceiling = getattr(ceiling_set, kind).for_household(self.f.household_size) if ceiling_set else None
        if ceiling is None:
            self.r19_cannot_settle("ceiling_not_available")
            return None
        self.compared_ceilings.append(ceiling)  # for the rules_outdated margin
        return ceiling

    def ame_renewal_due(self) -> bool:
        """True if an AME grant ended less than 2 years ago (or still runs): a renewal (R13)."""
        prior = self.ask("prior_ame_end")
        if prior is None or prior == NEVER:
            return False
        return self.today <= _add_years(prior, self.p.ame_first_application_after_years)

    # --- the flow ----------------------------------------------------------------

    def run(self) -> None:
        if self.r0_emergency():
            return  # stop screening: no PASS decision, no questions
        if self.conflicting():
            self.r19_cannot_settle("facts_conflicting")
            return  # a human sorts out the answers; PASS left undecided
        self.rights_rules()
        self.r2_domiciliation()
        self.r20_pass_de_ville()
        self.check_rules_outdated()
        self.documents = self.documents_to_bring()

    def rights_rules(self) -> None:
        if self.f.current_cover == "unknown":
            self.r19_cannot_settle("current_cover_unknown")  # also: go on with 'none', a human confirms
        if self.r1_active_cover():
            return
        self.status = "regular" if self.f.nationality_group == "FR" else self.ask("residence_status")
        if self.status is None:
            self.ask("nationality_group")
            self.r19_cannot_settle("facts_unknown")
            return
        if self.r11_minor():
            return
        if self.status == "regular":
            self._regular()
        elif self.status == "asylum_seeker":
            self._asylum_seeker()
        elif self.status == "permit_expired":
            self.r10_permit_expired()
        elif self.nationality() == "EU_EEA_CH":
            self.r17_eu_citizen_without_residence_right()
        else:
            self._irregular()

    def conflicting(self) -> bool:
        """Answers that cannot all be true (R19)."""
        f, prior = self.f, self.f.prior_ame_end
        prior_date = prior if isinstance(prior, date) else None
        return any(
            (
                # French nationals need no permit and do not seek asylum in France.
                f.nationality_group == "FR" and f.residence_status not in (None, "regular"),
                # EU/EEA/Swiss citizens need no permit; asylum between EU states is not covered by the reference.
                f.nationality_group == "EU_EEA_CH" and f.residence_status in ("asylum_seeker", "permit_expired"),
                f.unaccompanied_minor is True and f.age is not None and f.age >= self.p.adult_age,
                # Refugee status is a regular status (§1.1.5).
                f.benefits is not None and "REFUGEE" in f.benefits and f.residence_status in ("asylum_seeker", "irregular"),
                # AME said to be open, but it ended; or said to be no cover, but an AME grant still runs.
                f.current_cover == "ame" and prior_date is not None and prior_date < self.today,
                f.current_cover == "none" and prior_date is not None and prior_date >= self.today,
            )
        )

    def _regular(self) -> None:
        """French, EU with right of residence, or third-country national with a valid permit."""
        if self.nationality() == "EU_EEA_CH" and self.eu_inactive():
            self.r17_eu_citizen_without_residence_right()
            return
        if self.cover() == "puma_only":
            self._css()  # R3 "or already PUMa": only the CSS question is left
            return
        stable = self.stable_residence()
        if stable is None:
            self.r19_cannot_settle("facts_unknown")
        elif stable:
            self.r3_puma()
            self._css()
        else:
            self.r7_regular_under_3_months()

    def eu_inactive(self) -> bool:
        """An EU citizen saying "I need no papers" has a right of residence after 3 months only
        when working, studying or on a benefit granted with it (§3.1.6): otherwise R17. Unknown
        facts are asked (and the regular path goes on meanwhile)."""
        if self.f.current_cover in ("puma_only", "puma_complementary"):
            return False  # the CPAM already recognised the residence
        months, works, benefits = (self.ask(name) for name in ("months_in_france", "works_in_france", "benefits"))
        return (
            months is not None and months > self.p.residence_stability_months
            and works is False
            and benefits is not None and not set(benefits) & self.p.eu_residence_right_benefits
        )

    def stable_residence(self) -> Optional[bool]:
        """PUMa stability (§1.1.4-1.1.5): works, or > 3 months, or an exempt benefit. None if unknown."""
        f, p = self.f, self.p
        if (
            (f.months_in_france is not None and f.months_in_france > p.residence_stability_months)
            or f.works_in_france is True
            or (f.benefits is not None and bool(set(f.benefits) & p.puma_exempt_benefits))
        ):
            return True
        unknown = [name for name in ("months_in_france", "works_in_france", "benefits") if self.ask(name) is None]
        return None if unknown else False

    def _css(self) -> None:
        """R4/R5/R6: which complementary cover, once PUMa is open or applied for."""
        benefits = self.ask("benefits")
        if benefits and set(benefits) & self.p.css_automatic_benefits:
            self.r4_css_free()
            return
        resources = self.resources()
        if resources is None:
            return
        free, participation = self.ceiling("css_free"), self.ceiling("css_participation")
        if free is None or participation is None:
            return
        if resources <= free:
            self.r4_css_free()
        elif resources <= participation:
            self.r5_css_participation()
        else:
            self.r6_no_css()

    def _asylum_seeker(self) -> None:
        """R8/R9. Never AME: asylum seekers fall under PUMa (§1.1.9)."""
        if self.cover() == "puma_only":
            self._css()
            return
        months = self.f.months_in_france
        if months is not None and months > self.p.asylum_puma_wait_months:
            self.r9_asylum_seeker_puma()
        elif self.minor():  # minors are exempt from the 3-month wait
            self.r9_asylum_seeker_puma()
        elif self.ask("months_in_france") is None:
            self.r19_cannot_settle("facts_unknown")
        else:
            self.r8_asylum_seeker_first_months()

    def _irregular(self) -> None:
        """Adult third-country national without a right of stay: R14, R15, R16, R13, R12 (+R18)."""
        months = self.ask("months_in_france")
        if months is None:
            self.r19_cannot_settle("facts_unknown")
            return
        if self.r14_irregular_first_months(months):
            return
        renewal = self.ame_renewal_due()
        if not renewal and self.r15_recent_overstayer(months):
            return
        resources = self.resources()
        ceiling = self.ceiling("ame") if resources is not None else None
        if ceiling is None or self.r16_above_ame_ceiling(resources, ceiling):
            return
        if renewal:
            self.r13_ame_renewal()
        else:
            self.r12_ame_first_application()
            self.r18_adult_without_photo_id()

    # --- the rows of the decision table ------------------------------------------

    @rule("R0")
    def r0_emergency(self) -> bool:
        """Urgent need: stop screening; Samu / emergency department (CASF L254-1)."""
        if self.ask("urgent"):
            self.fire("R0", "EMERGENCY")
            return True
        return False

    @rule("R1")
    def r1_active_cover(self) -> bool:
        """Full cover already open (PUMa + complementary, or AME): no new application.
        An expired permit only *maintains* PUMa for a while, so R10 decides for those."""
        cover = self.cover()
        if cover == "puma_complementary" and self.f.residence_status == "permit_expired":
            return False
        if cover in ("puma_complementary", "ame"):
            self.fire("R1", "NO_NEW_APPLICATION")
            return True
        return False

    @rule("R2")
    def r2_domiciliation(self) -> None:
        """An application needs an address: without one, also ask for a domiciliation (CCAS,
        cerfa 15548*02). Asylum seekers have their own scheme (SPADA, §1.3.4); unaccompanied
        minors get theirs through the organisation supporting them."""
        if not self.rights & _APPLICATIONS or self.status == "asylum_seeker" or "unaccompanied_minor" in self.reasons:
            return
        if self.ask("has_stable_address") is False and self.ask("has_domiciliation") is False:
            self.fire("R2", "DOMICILIATION")

    @rule("R3")
    def r3_puma(self) -> None:
        """Regular and stable residence, no open PUMa: PUMa via S1106 to the CPAM."""
        self.fire("R3", "PUMA")

    @rule("R4")
    def r4_css_free(self) -> None:
        """Resources <= free-CSS ceiling, or RSA (automatic): CSS without participation."""
        self.fire("R4", "CSS_FREE")

    @rule("R5")
    def r5_css_participation(self) -> None:
        """Between the two ceilings: CSS with a monthly participation by age (the applicant's
        current age stands in for the age on 1 January)."""
        self.fire("R5", "CSS_PARTICIPATION")
        age = self.ask("age")
        grid = self.rules.contribution_grid_for(self.today)
        if age is not None and grid is not None:
            self.contribution = grid.monthly_for(age)

    @rule("R6")
    def r6_no_css(self) -> None:
        """Above the CSS-with-participation ceiling: PUMa only (fired to explain the absence of CSS)."""
        self.fire("R6")

    @rule("R7")
    def r7_regular_under_3_months(self) -> None:
        """Regular but not yet 'stable' (<= 3 months, no work, no exempt benefit): no PUMa yet.
        PASS now, reminder at 3 months; edge cases (long-stay visas...) need a human."""
        self.fire("R7", "PASS_CONSULTATION", "REMIND_AT_3_MONTHS")
        self.handoff("R7", "regular_resident_under_3_months")

    @rule("R8")
    def r8_asylum_seeker_first_months(self) -> None:
        """Adult asylum seeker in the first 3 months: soins urgents + PASS; PUMa after 3 months."""
        self.fire("R8", "SOINS_URGENTS", "PASS_CONSULTATION", "REMIND_AT_3_MONTHS")

    @rule("R9")
    def r9_asylum_seeker_puma(self) -> None:
        """Asylum seeker who is a minor or has been here > 3 months: PUMa, then CSS."""
        self.fire("R9", "PUMA")
        self._css()

    @rule("R10")
    def r10_permit_expired(self) -> None:
        """Permit expired: PUMa maintained to the end of the 6th month for someone who had it
        (décret 2019-1468). No PUMa, or beyond 6 months: not covered by the sources -> human."""
        months = self.ask("months_since_permit_expiry")
        if months is None:
            self.r19_cannot_settle("facts_unknown")
        elif months > self.p.permit_maintenance_months:
            self.handoff("R10", "permit_expired_beyond_maintenance")
        elif self.cover() in ("puma_only", "puma_complementary"):
            self.fire("R10", "PUMA_MAINTAINED")
        else:
            self.handoff("R10", "permit_expired_without_cover")

    @rule("R11")
    def r11_minor(self) -> bool:
        """Minors. Without a right of stay: AME at once, with no 3-month or resource condition.
        Unaccompanied minors: a human (the supporting organisation files for them)."""
        expiry = self.f.months_since_permit_expiry
        without_right_of_stay = self.nationality() != "EU_EEA_CH" and (
            self.status == "irregular"
            or (self.status == "permit_expired" and expiry is not None and expiry > self.p.permit_maintenance_months)
        )
        # Ask the age only where being a minor changes the outcome (an expiry date not yet
        # known may turn out to be beyond maintenance); elsewhere only a declared
        # unaccompanied minor matters.
        if without_right_of_stay or (self.status == "permit_expired" and expiry is None):
            is_minor = self.minor()
        else:
            is_minor = self.f.unaccompanied_minor is True
        if not is_minor:
            return False
        if without_right_of_stay:
            self.fire("R11", "AME_MINOR")
        if self.f.unaccompanied_minor:
            self.handoff("R11", "unaccompanied_minor")
            return True
        return without_right_of_stay

    @rule("R12")
    def r12_ame_first_application(self) -> None:
        """> 3 months in France, > 3 months without a permit, resources under the ceiling, no AME
        in the last 2 years: AME first application, filed in person (CASF L252-1)."""
        self.fire("R12", "AME_FIRST_IN_PERSON")

    @rule("R13")
    def r13_ame_renewal(self) -> None:
        """AME ended less than 2 years ago (or still runs), resources under the ceiling: renewal,
        by post allowed."""
        self.fire("R13", "AME_RENEWAL")

    @rule("R14")
    def r14_irregular_first_months(self, months_in_france: int) -> bool:
        """Not yet 3 months in France: no AME yet; soins urgents + PASS; reminder on day 91."""
        if months_in_france > self.p.ame_min_months_in_france:
            return False
        self.fire("R14", "SOINS_URGENTS", "PASS_CONSULTATION", "REMIND_AT_3_MONTHS")
        return True

    @rule("R15")
    def r15_recent_overstayer(self, months_in_france: int) -> bool:
        """Permit ended <= 3 months ago: not AME yet (">3 months without a permit"); human.
        Without months_since_permit_expiry, the person is taken to have had no permit
        for as long as they have been in France."""
        without_permit = self.f.months_since_permit_expiry
        if without_permit is None:
            without_permit = months_in_france
        if without_permit > self.p.ame_min_months_without_permit:
            return False
        self.fire("R15", "SOINS_URGENTS", "PASS_CONSULTATION")
        self.handoff("R15", "recent_overstayer")
        return True

    @rule("R16")
    def r16_above_ame_ceiling(self, resources: float, ceiling: int) -> bool:
        """Resources above the AME ceiling: no AME; soins urgents for vital care, PASS; human."""
        if resources <= ceiling:
            return False
        self.fire("R16", "SOINS_URGENTS", "PASS_CONSULTATION")
        self.handoff("R16", "resources_above_ame_ceiling")
        return True

    @rule("R17")
    def r17_eu_citizen_without_residence_right(self) -> None:
        """EU/EEA/Swiss citizen without right of residence: AME may apply (circulaire 2011), but
        the 2026 document rules for them are unclear (§3.4.8): human."""
        self.handoff("R17", "eu_citizen_no_residence_right")

    @rule("R18")
    def r18_adult_without_photo_id(self) -> None:
        """From décret 2026-67 adult AME identity documents need a photo: without one, also a human
        (consulate, NINA card...). The AME outcome stands."""
        has_photo_id = self.ask("has_photo_id")
        if has_photo_id is False and self.today >= self.p.photo_id_required_from:
            self.handoff("R18", "adult_without_photo_id")

    @rule("R19")
    def r19_cannot_settle(self, reason: str) -> None:
        """The engine cannot settle the case (unknown or conflicting facts, no ceiling for the date
        or household size, outdated rules near a ceiling): book a social worker."""
        self.handoff("R19", reason)

    @rule("R20")
    def r20_pass_de_ville(self) -> None:
        """PASS de ville inclusion (DGOS note 2025/45, §4.2.4): the four criteria are decided by
        bot.screening, the same code the conversation's screening uses. A cover the person does
        not know does not exclude them: the social worker checks it (R19 hands that over)."""
        f = self.f
        result = screening.evaluate(f.health_problem, f.current_cover, f.can_advance_fees, f.saint_denis_link)
        self.pass_reasons = list(result.reasons)
        self.pass_eligible = result.eligible
        if result.eligible is None:  # one failed criterion settles it; else ask what is unknown
            for name in ("current_cover", "health_problem", "can_advance_fees", "saint_denis_link"):
                self.ask(name)
        if result.eligible:
            self.fire("R20", "PASS_CONSULTATION")

    def check_rules_outdated(self) -> None:
        """Ceilings past their valid_to: an outcome decided near a ceiling may have flipped with the
        1 April revaluation, so a human confirms it (R19). Far from every ceiling it stands."""
        if not self.rules.is_outdated(self.today) or self.f.annual_resources is None:
            return
        margin = self.p.outdated_margin
        if any(abs(self.f.annual_resources - ceiling) <= margin * ceiling for ceiling in self.compared_ceilings):
            self.r19_cannot_settle("rules_outdated")

    # --- outcome -------------------------------------------------------------------

    def situation(self) -> dict[str, Any]:
        """What the document entries of documents.yaml can test."""
        f = self.f
        benefits = f.benefits
        return {
            "nationality_group": f.nationality_group or ("THIRD_COUNTRY" if self.status not in (None, "regular") else None),
            "residence_status": self.status,
            "works_in_france": f.works_in_france,
            "has_domiciliation": f.has_domiciliation,
            "hosted_by_third_party": f.hosted_by_third_party,
            "has_photo_id": f.has_photo_id,
            "adult": not (f.unaccompanied_minor or (f.age is not None and f.age < self.p.adult_age)),
            "photo_id_required": self.today >= self.p.photo_id_required_from,
            "css_automatic": None if benefits is None else bool(set(benefits) & self.p.css_automatic_benefits),
        }

    def documents_to_bring(self) -> list[str]:
        if self.rights & {"AME_FIRST_IN_PERSON", "AME_RENEWAL"}:
            self.ask("hosted_by_third_party")  # decides HOST_SWORN_STATEMENT
        situation = self.situation()
        found = {
            entry.document
            for right in self.rights
            for entry in self.rules.documents
            if entry.applies(right, situation)
        }
        covered = {other for document in found for other in codes.DOCUMENT_ALSO_COVERS.get(document, ())}
        return codes.ordered(found - covered, codes.DOCUMENTS)

    def outcome(self) -> Outcome:
        rights = set(self.rights) | ({"HANDOFF"} if self.reasons else set())
        return Outcome(
            pass_eligible=self.pass_eligible,
            pass_reasons=codes.ordered(self.pass_reasons, codes.PASS_REASONS),
            rights=codes.ordered(rights, codes.RIGHTS),
            documents=self.documents,
            handoff_reasons=codes.ordered(self.reasons, codes.HANDOFF_REASONS),
            rules_fired=codes.ordered(self.fired, codes.RULE_IDS),
            rules_version=self.rules.version,
            rules_valid_until=self.rules.valid_until.isoformat(),
            css_monthly_contribution=self.contribution if "CSS_PARTICIPATION" in rights else None,
        )


# --- public API --------------------------------------------------------------------

def _run(facts: FactsLike, rules: Optional[Rules]) -> _Evaluation:
    parsed = facts if isinstance(facts, Facts) else Facts.from_mapping(facts)
    evaluation = _Evaluation(parsed, rules or default_rules())
    evaluation.run()
    return evaluation


def evaluate(facts: FactsLike, rules: Optional[Rules] = None) -> Outcome:
    """Outcome for these facts. A dict is checked first (FactsError on bad input)."""
    return _run(facts, rules).outcome()


def missing_facts(facts: FactsLike, rules: Optional[Rules] = None) -> list[str]:
    """Facts still needed to settle this person's outcome, in the order to ask them.

    Empty when nothing more would change the outcome. Ask the first one (or a
    few), then call again: the list depends on the answers."""
    evaluation = _run(facts, rules)
    return [name for name in QUESTION_ORDER if name in evaluation.missing]


def rules_outdated(today: Optional[date] = None, rules: Optional[Rules] = None) -> bool:
    """True when ``today`` is after the valid_to of the latest ceilings set."""
    return (rules or default_rules()).is_outdated(today or date.today())
