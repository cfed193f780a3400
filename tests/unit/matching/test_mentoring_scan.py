"""The compiled mentor × mentee scan against brute force over every pair: each mentee's and each
mentor's best few, by rank, tie key and partner, with offsets, shifts, known pairs and quotas."""

from __future__ import annotations

import json
import random
import runpy
import subprocess
import sys
from pathlib import Path

import numpy as np
from hypothesis import given, settings
from hypothesis import strategies as st

from stepahead.matching import MatchParams, Mode, Participant
from stepahead.matching._population import IntArray, Population, compile_population, hard_rules_mask
from stepahead.matching.mentoring.kernel import TILE, build_tables, scan_parts
from stepahead.matching.mentoring.pairs import Pairs, Sides
from stepahead.matching.mentoring.scan import BestLists, ScanSpec, known_rows, scan
from stepahead.matching.mentoring.units import (
    cross_function,
    eligible,
    tie_hash,
    tie_key,
    units,
    values_units,
)
from tests.support.kernels import compiled_only
from tests.support.pools import random_pool

MODES = [Mode.TRADITIONAL, Mode.REVERSE, Mode.OPEN, Mode.CIRCLES]


class Case:
    """A pool, a scan spec over some of it, and what brute force says the lists must hold."""

    def __init__(self, seed: int, size: int, mode: Mode, *, proof: bool, splits: int = 1) -> None:
        rng = random.Random(seed)
        people = random_pool(rng, size, roles=mode is not Mode.CIRCLES, grades=rng.choice([1, 3, 6]))
        self.params = MatchParams(mode=mode, cross_function_bonus=rng.choice([0.0, 0.1, 0.25]))
        self.pop = compile_population(people, self.params)
        self.sides = _sides(self.pop, mode)
        gen = np.random.default_rng(seed)
        mentors, mentees = len(self.sides.mentors), len(self.sides.mentees)
        unit = units(0.005) * int(gen.choice([1, 7]))  # 7: offsets off the weights' quantum
        spread = 60 if proof else 0
        self.spec = ScanSpec(
            mentors=np.arange(mentors, dtype=np.int64),
            offsets=gen.integers(-spread, spread + 1, mentors) * unit,
            mentees=np.arange(mentees, dtype=np.int64),
            c=gen.integers(-spread, spread + 1, mentees) * unit,
            bonus=bool(gen.random() < 0.7),
            shift=int(gen.integers(0, 3)) * units(0.5) if proof else 1 << 62,
        )
        self.per_mentee = int(gen.integers(0, 5))
        self.per_mentor = gen.integers(0, 5, mentors)
        everything = Pairs(*(a.ravel() for a in np.meshgrid(np.arange(mentors), np.arange(mentees))))
        some = gen.random(len(everything)) < (0.1 if proof else 0.0)
        self.known = Pairs(everything.mentor[some], everything.mentee[some])
        # The mentors are scanned in `splits` disjoint runs. Each run adds a few units of its own
        # to c, so runs count in different quanta, as the proof's parts do.
        self.runs = np.array_split(np.arange(mentors), splits)
        self.lift = np.zeros(mentors, dtype=np.int64)  # per mentor: what its run adds to c
        for run, lift in zip(self.runs, (3, 0, 2), strict=False):
            self.lift[run] = lift

    def scanned(self) -> BestLists:
        """Lists after scanning every run."""
        lists = BestLists(len(self.sides.mentees), self.per_mentee, self.per_mentor)
        known = known_rows(self.known, len(self.sides.mentees))
        for run in self.runs:
            part = ScanSpec(
                mentors=self.spec.mentors[run],
                offsets=self.spec.offsets[run],
                mentees=self.spec.mentees,
                c=self.spec.c + self.lift[run[0]] if len(run) else self.spec.c,
                bonus=self.spec.bonus,
                shift=self.spec.shift,
            )
            scan(self.pop, self.params, self.sides, part, lists, known)
        return lists

    def brute_force(self) -> tuple[IntArray, IntArray, IntArray, IntArray]:
        """Every eligible pair not known, with rank >= 1: mentor, mentee, rank, tie key."""
        mentor, mentee = (a.ravel() for a in np.meshgrid(self.spec.mentors, self.spec.mentees))
        givers, takers = self.sides.mentors[mentor], self.sides.mentees[mentee]
        ok = _eligible(self.pop, self.params, givers, takers)
        ok &= ~np.isin(mentor * len(self.sides.mentees) + mentee, self.known.keys(len(self.sides.mentees)))
        rank = values_units(self.pop, givers, takers) + self.spec.offsets[mentor] + self.spec.c[mentee]
        rank += self.lift[mentor]
        if self.spec.bonus:
            rank += cross_function(self.pop, givers, takers) * units(self.params.cross_function_bonus)
        ok &= rank >= 1
        return mentor[ok], mentee[ok], rank[ok], tie_key(mentee[ok], mentor[ok])


def _sides(pop: Population, mode: Mode) -> Sides:
    if mode is Mode.CIRCLES:  # the circle search scans everyone against everyone
        everyone = np.arange(pop.size, dtype=np.int64)
        return Sides(mentors=everyone, capacity=np.ones(pop.size, dtype=np.int64), mentees=everyone)
    return Sides.of(pop)


def _eligible(pop: Population, params: MatchParams, givers: IntArray, takers: IntArray) -> np.ndarray:
    if params.mode is not Mode.CIRCLES:
        return eligible(pop, params, givers, takers)
    near = np.abs(pop.grades[givers] - pop.grades[takers]) <= params.circle_band
    return hard_rules_mask(pop, givers, takers) & near & (values_units(pop, givers, takers) > 0)


def best_few(owner: IntArray, partner: IntArray, rank: IntArray, tie: IntArray, quota: IntArray) -> set:
    """(owner, partner) of each owner's best quota[owner], by rank, tie (high first), partner."""
    order = np.lexsort((partner, -tie, -rank, owner))
    owner, partner = owner[order], partner[order]
    first = np.searchsorted(owner, owner, side="left")
    keep = np.arange(len(owner)) - first < quota[owner]
    return set(zip(owner[keep].tolist(), partner[keep].tolist(), strict=True))


def assert_matches_brute_force(case: Case, lists: BestLists) -> None:
    mentor, mentee, rank, tie = case.brute_force()
    mentees = len(case.sides.mentees)
    for_mentees = best_few(mentee, mentor, rank, tie, np.full(mentees, case.per_mentee))
    held = {(e, int(m)) for e, row in enumerate(lists.e_partner.tolist()) for m in row if m >= 0}
    assert held == for_mentees
    for_mentors = {(m, e) for e, m in for_mentees} | best_few(mentor, mentee, rank, tie, case.per_mentor)
    found = lists.pairs()
    assert set(zip(found.mentor.tolist(), found.mentee.tolist(), strict=True)) == for_mentors
    assert np.all(np.diff(found.mentee) >= 0), "pairs come ordered by mentee, then mentor"


@settings(max_examples=120, deadline=None)
@given(
    seed=st.integers(0, 10**6),
    size=st.integers(1, 40),
    mode=st.sampled_from(MODES),
    proof=st.booleans(),
    splits=st.integers(1, 3),
)
def test_lists_equal_brute_force(seed: int, size: int, mode: Mode, proof: bool, splits: int) -> None:
    case = Case(seed, size, mode, proof=proof, splits=splits)
    assert_matches_brute_force(case, case.scanned())


@settings(max_examples=60, deadline=None)
@given(seed=st.integers(0, 10**6), size=st.integers(1, 30), mode=st.sampled_from(MODES))
def test_flags_every_mentee_with_a_pair_ranked_past_the_shift(seed: int, size: int, mode: Mode) -> None:
    """As long as mentees keep lists: a list full of breaking pairs has already flagged its mentee,
    and any other list lets a breaking pair in."""
    case = Case(seed, size, mode, proof=True)
    case.per_mentee = max(1, case.per_mentee)
    lists = case.scanned()
    _, mentee, rank, _ = case.brute_force()
    breaking = rank > case.spec.shift
    assert set(np.flatnonzero(lists.unsettled).tolist()) == set(mentee[breaking].tolist())
    assert (lists.broken > 0) == bool(breaking.any())


def test_pools_wider_than_a_tile_equal_brute_force() -> None:
    """Several tiles of mentors, so that tile bounds skip and lists fill across tiles."""
    for seed, mode in enumerate(MODES):
        case = Case(seed, 3 * TILE, mode, proof=seed % 2 == 1, splits=2)
        assert_matches_brute_force(case, case.scanned())


def test_equal_scores_go_by_tie_key_then_position() -> None:
    """Every mentor gives every mentee the same: the lists are the tie key's order."""
    mentors = [Participant.build(f"M{i}", 2, skills={"a": 2}, role="mentor") for i in range(2 * TILE + 3)]
    mentees = [Participant.build(f"E{i}", 1, skills={"a": 1}, goals=["a"], role="mentee") for i in range(40)]
    params = MatchParams(mode=Mode.OPEN)
    pop = compile_population(mentors + mentees, params)
    sides = Sides.of(pop)
    lists = BestLists(len(mentees), 3, np.full(len(mentors), 2))
    spec = ScanSpec(
        mentors=np.arange(len(mentors)),
        offsets=np.zeros(len(mentors), dtype=np.int64),
        mentees=np.arange(len(mentees)),
        c=np.zeros(len(mentees), dtype=np.int64),
        bonus=True,
    )
    scan(pop, params, sides, spec, lists, known_rows(Pairs.none(), len(mentees)))
    everyone = np.arange(len(mentors))
    for e in range(len(mentees)):
        want = everyone[np.lexsort((everyone, -tie_key(np.full(len(mentors), e), everyone)))][:3]
        assert lists.e_partner[e].tolist() == want.tolist()


def test_equal_scores_and_equal_tie_keys_go_by_position() -> None:
    """Tie keys are 12-bit hashes, so mentors far enough apart share one (positions 0 and 2455):
    a mentee they help exactly as much keeps the first of them, whichever the scan meets first."""
    twin = 2455
    assert tie_hash(np.array([0])).tolist() == tie_hash(np.array([twin])).tolist()
    mentors = [
        Participant.build(f"M{i}", 2, skills={"a": 2} if i in (0, twin) else {}, role="mentor")
        for i in range(twin + 1)
    ]
    mentee = Participant.build("E", 1, skills={"a": 1}, goals=["a"], role="mentee")
    params = MatchParams(mode=Mode.OPEN)
    pop = compile_population([*mentors, mentee], params)
    lists = BestLists(1, 1, np.ones(len(mentors), dtype=np.int64))
    spec = ScanSpec(
        mentors=np.arange(len(mentors)),
        offsets=np.zeros(len(mentors), dtype=np.int64),
        mentees=np.arange(1),
        c=np.zeros(1, dtype=np.int64),
        bonus=True,
    )
    scan(pop, params, Sides.of(pop), spec, lists, known_rows(Pairs.none(), 1))
    assert lists.e_partner[0].tolist() == [0]


def test_progress_reports_rise_to_one() -> None:
    case = Case(3, 200, Mode.OPEN, proof=False)
    seen: list[float] = []
    lists = BestLists(len(case.sides.mentees), 2, case.per_mentor)
    scan(
        case.pop,
        case.params,
        case.sides,
        case.spec,
        lists,
        known_rows(Pairs.none(), len(case.sides.mentees)),
        seen.append,
    )
    assert seen == sorted(seen)
    assert seen[-1] == 1.0


_WARM_THEN_MATCH = """
import json, random
from stepahead.matching import MatchParams, Mode, match
from stepahead.matching.mentoring.kernel import build_tables, mentor_bars, scan_parts
from stepahead.matching.mentoring.scan import compile_kernels
from tests.support.pools import random_pool

def count():
    return [len(k.signatures) for k in (scan_parts, build_tables, mentor_bars)]

compile_kernels()
warmed = count()
people = random_pool(random.Random(1), 60, roles=True)
for mode in (Mode.OPEN, Mode.CIRCLES):
    match(people, MatchParams(mode=mode))
print(json.dumps([warmed, count()]))
"""


@compiled_only
def test_compiling_the_scan_covers_what_matches_call() -> None:
    """The warm-up compiles the very signatures a match uses, so no first match compiles. In a
    fresh process: here, earlier tests may already have compiled every signature there is."""
    root = Path(__file__).resolve().parents[3]
    done = subprocess.run(
        [sys.executable, "-c", _WARM_THEN_MATCH], cwd=root, capture_output=True, text=True, check=True
    )
    warmed, after = json.loads(done.stdout.strip().splitlines()[-1])
    assert min(warmed) >= 1
    assert after == warmed


@compiled_only
def test_set_up_compiles_every_kernel_through_the_module_entry_point() -> None:
    """`python -m stepahead.matching`, as `make setup` runs it."""
    runpy.run_module("stepahead.matching", run_name="__main__")
    assert scan_parts.signatures
    assert build_tables.signatures
