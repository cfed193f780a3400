"""The incumbent of peer matching's stages (`peer.incumbent`): merging two matchings keeps a
matching at least as good as either, by the spec's order (most pairs, then most weight)."""

from __future__ import annotations

import itertools
import random

import numpy as np
from hypothesis import assume, given, settings
from hypothesis import strategies as st

from stepahead.matching._model import Optimality
from stepahead.matching._population import IntArray
from stepahead.matching.peer.incumbent import Incumbent, Matching, Weigh, merged


def random_matching(rng: random.Random, n: int) -> Matching:
    people = list(range(n))
    rng.shuffle(people)
    size = rng.randint(0, n // 2)
    ends = zip(people[0 : 2 * size : 2], people[1 : 2 * size : 2], strict=True)
    return sorted((min(a, b), max(a, b)) for a, b in ends)


def weigher(rng: random.Random, n: int, ties: bool) -> Weigh:
    table = {pair: rng.randint(0, 3 if ties else 10**6) for pair in itertools.combinations(range(n), 2)}
    return lambda matching: np.array([table[pair] for pair in matching], dtype=np.int64)


@settings(max_examples=300, deadline=None)
@given(seed=st.integers(0, 10**6), n=st.integers(2, 14), ties=st.booleans())
def test_a_merge_is_a_matching_at_least_as_good_as_either(seed: int, n: int, ties: bool) -> None:
    """A matching, of pairs from the two, placing at least as many as either and, where it
    places as many as the better one, weighing at least as much; its weight is its pairs'."""
    rng = random.Random(seed)
    first, second = random_matching(rng, n), random_matching(rng, n)
    weigh = weigher(rng, n, ties)
    assume(first and second)  # the incumbent merges only when both hold pairs
    chosen, units = merged(first, second, weigh)
    people = [p for pair in chosen for p in pair]
    assert len(people) == len(set(people))
    assert set(chosen) <= set(first) | set(second)
    assert units == int(weigh(chosen).sum())
    for other in (first, second):
        assert (len(chosen), units) >= (len(other), int(weigh(other).sum()))


def test_a_merge_places_the_two_more_and_keeps_the_heavier_pairs() -> None:
    """The case it is for: a light matching placing two more people, a heavy one placing fewer;
    merged, everyone is placed and the heavy pairs elsewhere stay."""
    weights = {(0, 1): 10, (1, 2): 1, (2, 3): 1, (0, 3): 1, (4, 5): 50, (4, 6): 1, (5, 7): 1}
    heavy = [(0, 1), (4, 5)]
    light = [(0, 3), (1, 2), (4, 6), (5, 7)]

    def weigh(matching: Matching) -> IntArray:
        return np.array([weights[p] for p in matching], dtype=np.int64)

    assert merged(heavy, light, weigh) == ([(0, 3), (1, 2), (4, 6), (5, 7)], 4)
    assert merged(heavy, [(0, 3), (1, 2), (4, 6)], weigh) == ([(0, 3), (1, 2), (4, 5)], 52)


def test_the_incumbent_merges_what_it_is_offered_only_when_it_can_weigh_it() -> None:
    weights = {(0, 1): 10, (2, 3): 1, (1, 2): 1, (4, 5): 7}

    def weigh(matching: Matching) -> IntArray:
        return np.array([weights[p] for p in matching], dtype=np.int64)

    best = Incumbent(weigh=weigh)
    best.offer([(0, 1), (2, 3)], 11, Optimality(False, 30.0, 0.5, "rounds"))
    best.offer([(1, 2), (4, 5)], 8)
    assert (best.matching, best.units, best.bound) == ([(0, 1), (2, 3), (4, 5)], 18, 30.0)
    plain = Incumbent()
    plain.offer([(0, 1), (2, 3)], 11)
    plain.offer([(1, 2), (4, 5)], 8)
    assert (plain.matching, plain.units) == ([(0, 1), (2, 3)], 11)
