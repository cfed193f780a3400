"""The proof scans: check the flow's certificate against every eligible mentor–mentee pair.

With the count's big weight B, the certificate's duals are A_m = B·[m covered] + α_m and
B_e = B·[e covered] + β_e, and a pair outside the candidates keeps them feasible when
w + B <= A_m + B_e. So a pair breaks the certificate when neither side is covered (it could place
one more mentee), or when exactly one side is covered and w > α + β; pairs covered twice never do.
Each case is a scan over the people concerned, never over pairs the candidates already hold.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from .._model import MatchParams
from .._population import IntArray, Population
from .flow import Certificate
from .pairs import Pairs, Sides
from .scan import BestLists, ScanSpec, known_rows, scan
from .units import BoolArray

SHORTFALLS_PER_MENTEE = 4
SHORTFALLS_PER_MENTOR_SLOT = 1  # per unit of capacity, plus SHORTFALLS_EXTRA_PER_MENTOR
SHORTFALLS_EXTRA_PER_MENTOR = 2
# Pairs this close to breaking the certificate come along with pairs that break it: the next flow
# moves the duals a little, and they would break it then.
NEAR_MARGIN = 150_000
# Pairs that could place one more mentee rank above pairs that only add weight.
_COUNT_FIRST = 1 << 40


@dataclass(frozen=True, slots=True)
class Recheck:
    """Who a proof scan must look at again. A pair checked against earlier duals still passes
    unless the dual of its mentor or its mentee fell (being covered counts above any dual), or
    its mentee had pairs that broke the certificate, some of which may not have been added."""

    mentors: BoolArray
    mentees: BoolArray

    @classmethod
    def since(cls, before: Certificate, after: Certificate, unsettled: BoolArray) -> Recheck:
        return cls(
            mentors=_fell(before.mentor_covered, before.mentor_dual, after.mentor_covered, after.mentor_dual),
            mentees=_fell(before.mentee_covered, before.mentee_dual, after.mentee_covered, after.mentee_dual)
            | unsettled,
        )


def _fell(
    covered_before: BoolArray, before: IntArray, covered_after: BoolArray, after: IntArray
) -> BoolArray:
    fell: BoolArray = (covered_after < covered_before) | (
        (covered_after == covered_before) & (after < before)
    )
    return fell


@dataclass(frozen=True, slots=True)
class Found:
    pairs: Pairs  # to add: pairs that break the certificate, and pairs within NEAR_MARGIN of it
    may_place_more: bool  # some pair has mentor and mentee both uncovered
    unsettled: BoolArray  # mentees that had pairs breaking the certificate


def find_shortfalls(
    pop: Population,
    params: MatchParams,
    sides: Sides,
    candidates: Pairs,
    cert: Certificate,
    recheck: Recheck | None,
) -> Found:
    """Eligible pairs outside the candidates that break the certificate, a few per mentee and per
    mentor. Empty when the certificate holds for every eligible pair: the match is then optimal.
    `recheck` limits the scans to the people whose pairs may break it (None: everyone)."""
    per_mentor = SHORTFALLS_PER_MENTOR_SLOT * sides.capacity + SHORTFALLS_EXTRA_PER_MENTOR
    found = BestLists(len(sides.mentees), SHORTFALLS_PER_MENTEE, per_mentor)
    known = known_rows(candidates, len(sides.mentees))
    free_mentors, free_mentees = ~cert.mentor_covered, ~cert.mentee_covered
    parts: list[tuple[BoolArray, BoolArray, Certificate | None]] = [
        (free_mentors, free_mentees, None),  # neither covered: the pair alone could place one more
        (free_mentors, ~free_mentees, cert),  # one covered: the pair adds weight when w > α + β
        (~free_mentors, free_mentees, cert),
    ]
    placing = 0
    for mentors, mentees, duals in parts:
        if recheck is None:
            _scan_part(pop, params, sides, mentors, mentees, duals, found, known)
        else:
            _scan_part(pop, params, sides, mentors & recheck.mentors, mentees, duals, found, known)
            _scan_part(
                pop, params, sides, mentors & ~recheck.mentors, mentees & recheck.mentees, duals, found, known
            )
        if duals is None:
            placing = found.broken
    if not found.broken:
        return Found(Pairs.none(), False, found.unsettled)
    return Found(found.pairs(), placing > 0, found.unsettled)


def _scan_part(
    pop: Population,
    params: MatchParams,
    sides: Sides,
    mentor_part: BoolArray,
    mentee_part: BoolArray,
    cert: Certificate | None,
    found: BestLists,
    known: tuple[IntArray, IntArray],
) -> None:
    """Ranks a pair by how far it breaks the certificate (excess = w - α - β), shifted so that
    pairs within NEAR_MARGIN rank >= 1 and pairs that could place one more rank above all."""
    mentors, mentees = np.flatnonzero(mentor_part), np.flatnonzero(mentee_part)
    if cert is None:  # any eligible pair breaks it: v > 0, no offsets, no bonus
        offsets, base, shift = (
            np.zeros(len(mentors), np.int64),
            np.zeros(len(mentees), np.int64),
            _COUNT_FIRST,
        )
    else:
        offsets, base, shift = -cert.mentor_dual[mentors], cert.mentee_dual[mentees], NEAR_MARGIN
    spec = ScanSpec(
        mentors=mentors, offsets=offsets, mentees=mentees, c=shift - base, bonus=cert is not None, shift=shift
    )
    scan(pop, params, sides, spec, found, known)
