"""EMCC Global's ISMCP (International Standards for Mentoring and Coaching Programmes): the six
core standards, their criteria, and adherence against the award thresholds.

Each criterion is found met (1), partly met (½) or missing (0). A standard's adherence is the
mean over its criteria; the overall adherence is the mean over the six standards. Percentages
are exact fractions, so a programme at exactly 70 % is at the bronze threshold, not below it.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from dataclasses import dataclass
from enum import StrEnum
from fractions import Fraction


class Finding(StrEnum):
    MET = "met"
    PARTLY = "partly"
    MISSING = "missing"


SCORE = {Finding.MET: Fraction(1), Finding.PARTLY: Fraction(1, 2), Finding.MISSING: Fraction(0)}


@dataclass(frozen=True, slots=True)
class Criterion:
    code: str  # "3.2"
    text: str
    what_to_do: str  # shown when the evidence is missing or partial
    external: bool = False  # its evidence usually lives outside the platform (a document)


@dataclass(frozen=True, slots=True)
class Standard:
    number: int
    name: str
    criteria: tuple[Criterion, ...]


def _c(code: str, text: str, what_to_do: str, *, external: bool = False) -> Criterion:
    return Criterion(code, text, what_to_do, external)


STANDARDS: tuple[Standard, ...] = (
    Standard(1, "Clarity of purpose", (
        _c("1.1", "The programme's purpose is stated.", "Write the purpose in the programme's settings."),
        _c("1.2", "It has objectives that can be measured.", "Add objectives, one a line, each measurable."),
        _c("1.3", "Participants are told the purpose and how matching works.",
           "Publish the purpose and the How we match page, and brief participants on them."),
        _c("1.4", "The purpose is linked to the organisation's strategy and has a sponsor.",
           "Attach a statement naming the sponsor and the strategic aim.", external=True),
    )),
    Standard(2, "Stakeholder training and briefing", (
        _c("2.1", "Participants and mentors have briefing and training items.",
           "Add briefing items for everyone and training for those who mentor."),
        _c("2.2", "Participants complete their briefing.",
           "Remind participants to complete their briefing (80 % or more meets the criterion)."),
        _c("2.3", "People who mentor are trained or accredited.",
           "Record mentors' training and accreditation (80 % or more meets the criterion)."),
        _c("2.4", "Line managers and other stakeholders are briefed.",
           "Attach the briefing sent to line managers and sponsors.", external=True),
    )),
    Standard(3, "Selection and matching", (
        _c("3.1", "Participants understand the matching criteria.",
           "Publish the How we match page and link it from enrolment."),
        _c("3.2", "Mentors are selected to meet mentees' needs.",
           "Match with the engine so that every match carries its reasons."),
        _c("3.3", "Both sides influence whether they take part and whom they pair with.",
           "Let people opt in, state preferences and accept or decline each match."),
        _c("3.4", "Matches that do not work are recognised, unwound and reassigned.",
           "Use fit checks and no-fault early endings, and rematch those returned to the pool."),
    )),
    Standard(4, "Measurement and review", (
        _c("4.1", "Reviews are frequent enough to spot problems in individual relationships.",
           "Collect session pulses and early fit checks and act on them."),
        _c("4.2", "The process is reviewed and adjusted.",
           "Run midpoint and end surveys (at least 5 respondents) and review the results."),
        _c("4.3", "Outcomes are measured against the objectives.",
           "Mark goals achieved, partly or not at each closure."),
        _c("4.4", "There is a cost–benefit or impact analysis.",
           "Attach the programme's cost–benefit or impact analysis.", external=True),
    )),
    Standard(5, "Ethics", (
        _c("5.1", "Roles and responsibilities are defined and communicated.",
           "Have every partnership confirm its agreement."),
        _c("5.2", "There are guidelines for behaviour, including confidentiality.",
           "Put confidentiality and ground rules in the agreement template."),
        _c("5.3", "There is a route for concerns.",
           "Name a support contact to whom members can raise concerns."),
    )),
    Standard(6, "Administration and support", (
        _c("6.1", "A named person supports the programme.", "Name a support contact for the programme."),
        _c("6.2", "Concerns are handled and closed promptly.",
           "Close concerns within 14 days and record how they were handled."),
        _c("6.3", "Records of participation are kept.",
           "Keep enrolments, matches and partnership records in the platform."),
        _c("6.4", "Partnerships are supported while they run.",
           "Keep session reminders and nudges on, and follow up at-risk partnerships."),
    )),
)  # fmt: skip

CRITERIA: dict[str, Criterion] = {c.code: c for s in STANDARDS for c in s.criteria}


@dataclass(frozen=True, slots=True)
class Award:
    name: str
    overall: int  # percent, inclusive
    each: int


AWARDS = (Award("gold", 90, 80), Award("silver", 80, 70), Award("bronze", 70, 60))


@dataclass(frozen=True, slots=True)
class StandardResult:
    standard: Standard
    findings: dict[str, Finding]
    adherence: Fraction  # 0..1


@dataclass(frozen=True, slots=True)
class Assessment:
    standards: tuple[StandardResult, ...]
    overall: Fraction
    award: Award | None


def finding_with_statement(platform: Finding, *, has_statement: bool, external: bool) -> Finding:
    """A manager's attached document or statement: it meets a criterion whose evidence lives
    outside the platform, and lifts a missing platform criterion to partly met."""
    if not has_statement or platform is Finding.MET:
        return platform
    return Finding.MET if external else Finding.PARTLY


def award_for(overall: Fraction, standards: list[Fraction]) -> Award | None:
    """The highest award whose overall and per-standard thresholds are both reached."""
    for award in AWARDS:
        if overall * 100 >= award.overall and all(s * 100 >= award.each for s in standards):
            return award
    return None


def assess(findings: Mapping[str, Finding]) -> Assessment:
    """Adherence per standard and overall, and the award it reaches; a criterion with no
    finding counts as missing."""
    results = []
    for standard in STANDARDS:
        found = {c.code: findings.get(c.code, Finding.MISSING) for c in standard.criteria}
        adherence = sum((SCORE[f] for f in found.values()), Fraction(0)) / len(found)
        results.append(StandardResult(standard, found, adherence))
    overall = sum((r.adherence for r in results), Fraction(0)) / len(results)
    return Assessment(tuple(results), overall, award_for(overall, [r.adherence for r in results]))


def percent(value: Fraction) -> str:
    """ "72.5 %" style: one decimal, dropped when whole."""
    number = round(float(value * 100), 1)
    return f"{number:g} %"


def completed_cycle(starts_on: dt.date | None, today: dt.date) -> bool:
    """An award needs at least one completed 12-month cycle of the programme."""
    if starts_on is None:
        return False
    try:
        anniversary = starts_on.replace(year=starts_on.year + 1)
    except ValueError:  # 29 February
        anniversary = dt.date(starts_on.year + 1, 3, 1)
    return today >= anniversary


def level_of(fraction: Fraction | None, *, met: Fraction, partly: Fraction) -> Finding:
    """A rate turned into a finding: at least `met` meets it, at least `partly` partly does."""
    if fraction is None:
        return Finding.MISSING
    if fraction >= met:
        return Finding.MET
    return Finding.PARTLY if fraction >= partly else Finding.MISSING
