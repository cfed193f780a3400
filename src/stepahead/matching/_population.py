"""Participants compiled into arrays, so scoring runs over blocks of pairs at numpy speed.

Memory stays O(n·S) for S distinct skills: nothing here is n×n."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass

import numpy as np
import numpy.typing as npt

from ._model import MAX_GOALS, MAX_LEVEL, MatchParams, Participant
from ._scoring import PRIORITY_WEIGHTS, STEP_UTILITY

IntArray = npt.NDArray[np.int64]
FloatArray = npt.NDArray[np.float64]

# Scores are sums of products of table values; scaled to integers they add up exactly, so
# solvers see no float noise and ties are ties.
SCALE = 1_000_000


@dataclass(frozen=True, slots=True)
class Population:
    people: tuple[Participant, ...]
    index: dict[str, int]
    skills: tuple[str, ...]
    # levels[i, s]: level of person i in skill s; the last column is an all-zero "no goal" skill.
    levels: npt.NDArray[np.int8]
    goals: npt.NDArray[np.intp]  # (n, 3) skill columns, "no goal" column where fewer goals
    grades: IntArray
    functions: IntArray  # -1 when empty
    languages: npt.NDArray[np.uint64]  # (n, words) bitmask, all zero when none listed
    manager: IntArray  # index of the manager in the pool, -1 otherwise
    # Sparse pair facts keyed lo * n + hi (lo < hi), sorted for searchsorted look-ups.
    blocked_keys: IntArray  # exclusions and line management, either way round
    wish_keys: IntArray
    wish_counts: IntArray  # how many of the two prefer the other (1 or 2)
    utility: FloatArray  # step utility by gap 0..5 for the profile
    # Derived look-ups for the hot pair loops (peer enumeration scores millions of pairs):
    own: npt.NDArray[np.int8]  # (n, 3) each person's level in their own goals
    gain: FloatArray  # utility by gap + MAX_LEVEL, for any gap -5..5 (no clip needed)
    # Person appears in some blocked pair beyond line management (which the rules check first
    # through `manager`): nearly everyone has a manager, so only these need a key look-up.
    in_blocked: npt.NDArray[np.bool_]
    in_wish: npt.NDArray[np.bool_]  # person appears in some wish
    spelled: Mapping[str, str]  # normalised label → as the pool first spelled it, where it differs

    @property
    def size(self) -> int:
        return len(self.people)


def compile_population(people: Sequence[Participant], params: MatchParams) -> Population:
    index = {p.id: i for i, p in enumerate(people)}
    skills = sorted({s for p in people for s in p.skills} | {g for p in people for g in p.goals})
    skill_col = {s: c for c, s in enumerate(skills)}
    levels = np.zeros((len(people), len(skills) + 1), dtype=np.int8)
    goals = np.full((len(people), MAX_GOALS), len(skills), dtype=np.intp)
    for i, p in enumerate(people):
        for s, lvl in p.skills.items():
            levels[i, skill_col[s]] = lvl
        for k, g in enumerate(p.goals[:MAX_GOALS]):
            goals[i, k] = skill_col[g]
    utility = np.array(STEP_UTILITY[params.profile], dtype=np.float64)
    blocked, wishes = _blocked_keys(people, index), _wish_keys(people, index)
    manager = np.array([index.get(p.manager_id, -1) for p in people], dtype=np.int64)
    return Population(
        people=tuple(people),
        index=index,
        skills=tuple(skills),
        levels=levels,
        goals=goals,
        grades=np.array([p.grade for p in people], dtype=np.int64),
        functions=_label_codes([p.function for p in people]),
        languages=_language_masks(people),
        manager=manager,
        blocked_keys=blocked,
        **wishes,
        utility=utility,
        own=np.take_along_axis(levels, goals, axis=1),
        gain=utility[np.clip(np.arange(-MAX_LEVEL, MAX_LEVEL + 1), 0, MAX_LEVEL)],
        in_blocked=_people_in(_exclusions(blocked, manager), len(people)),
        in_wish=_people_in(wishes["wish_keys"], len(people)),
        spelled=spellings(people),
    )


def spellings(people: Sequence[Participant]) -> dict[str, str]:
    """Each label as the first person who wrote it differently spelled it. People parsed from
    one file share one mapping, so it is merged once, not once per person."""
    merged: dict[str, str] = {}
    seen: set[int] = set()
    for p in people:
        if p.spelled and id(p.spelled) not in seen:
            seen.add(id(p.spelled))
            for label, written in p.spelled.items():
                merged.setdefault(label, written)
    return merged


def _people_in(keys: IntArray, n: int) -> npt.NDArray[np.bool_]:
    """Who appears in any of these pair keys: most pairs can skip the key look-up."""
    found = np.zeros(n, dtype=bool)
    found[keys // max(n, 1)] = True
    found[keys % max(n, 1)] = True
    return found


def _exclusions(blocked: IntArray, manager: IntArray) -> IntArray:
    """The blocked pairs that are not a person and their line manager."""
    lo, hi = np.divmod(blocked, max(len(manager), 1))
    keys: IntArray = blocked[(manager[lo] != hi) & (manager[hi] != lo)]
    return keys


def _label_codes(labels: list[str]) -> IntArray:
    codes: dict[str, int] = {}
    return np.array([codes.setdefault(x, len(codes)) if x else -1 for x in labels], dtype=np.int64)


def _language_masks(people: Sequence[Participant]) -> npt.NDArray[np.uint64]:
    bit = {lang: b for b, lang in enumerate(sorted({x for p in people for x in p.languages}))}
    words = max(1, -(-len(bit) // 64))
    masks = np.zeros((len(people), words), dtype=np.uint64)
    for i, p in enumerate(people):
        for lang in p.languages:
            masks[i, bit[lang] // 64] |= np.uint64(1 << (bit[lang] % 64))
    return masks


def _pair_key(i: int, j: int, n: int) -> int:
    return min(i, j) * n + max(i, j)


def _blocked_keys(people: Sequence[Participant], index: dict[str, int]) -> IntArray:
    keys = {
        _pair_key(i, j, len(people))
        for i, p in enumerate(people)
        for j in (index.get(other, -1) for other in (*p.exclude, p.manager_id))
        if j >= 0 and j != i
    }
    return np.array(sorted(keys), dtype=np.int64)


def _wish_keys(people: Sequence[Participant], index: dict[str, int]) -> dict[str, IntArray]:
    counts: dict[int, int] = {}
    for i, p in enumerate(people):
        for j in (index.get(other, -1) for other in p.prefer):
            if j >= 0 and j != i:
                key = _pair_key(i, j, len(people))
                counts[key] = counts.get(key, 0) + 1
    keys = sorted(counts)
    return {
        "wish_keys": np.array(keys, dtype=np.int64),
        "wish_counts": np.array([counts[k] for k in keys], dtype=np.int64),
    }


# --- vectorised scoring over explicit pair lists -------------------------------------------


def values_given(pop: Population, givers: IntArray, receivers: IntArray) -> FloatArray:
    """v(giver→receiver) for each pair of the two aligned index arrays."""
    total = np.zeros(len(givers), dtype=np.float64)
    width = pop.levels.shape[1]
    flat, base = pop.levels.ravel(), givers * width  # flat gathers beat 2-D fancy indexing
    for k in range(MAX_GOALS):
        gap = flat[base + pop.goals[receivers, k]].astype(np.intp) - pop.own[receivers, k]
        total += PRIORITY_WEIGHTS[k] * pop.gain[gap + MAX_LEVEL]
    return total


def languages_shared(pop: Population, a: IntArray, b: IntArray) -> npt.NDArray[np.bool_]:
    la, lb = pop.languages[a], pop.languages[b]
    none_a = ~la.any(axis=1)
    none_b = ~lb.any(axis=1)
    return none_a | none_b | (la & lb).any(axis=1)


def hard_rules_mask(pop: Population, a: IntArray, b: IntArray) -> npt.NDArray[np.bool_]:
    ok: npt.NDArray[np.bool_] = (
        (a != b) & (pop.manager[a] != b) & (pop.manager[b] != a) & languages_shared(pop, a, b)
    )
    if len(pop.blocked_keys):
        some = np.flatnonzero(ok & pop.in_blocked[a] & pop.in_blocked[b])
        ok[some] = _lookup(pop.blocked_keys, pair_keys(pop, a[some], b[some])) < 0
    return ok


def bonuses(pop: Population, a: IntArray, b: IntArray, params: MatchParams) -> FloatArray:
    fa, fb = pop.functions[a], pop.functions[b]
    total: FloatArray = ((fa >= 0) & (fb >= 0) & (fa != fb)) * params.cross_function_bonus
    total = total.astype(np.float64)
    if len(pop.wish_keys):
        some = np.flatnonzero(pop.in_wish[a] & pop.in_wish[b])
        hit = _lookup(pop.wish_keys, pair_keys(pop, a[some], b[some]))
        total[some] = total[some] + np.where(hit >= 0, pop.wish_counts[hit], 0) * params.wish_bonus
    return total


def pair_keys(pop: Population, a: IntArray, b: IntArray) -> IntArray:
    return np.minimum(a, b) * pop.size + np.maximum(a, b)


def _lookup(sorted_keys: IntArray, keys: IntArray) -> IntArray:
    """Position of each key in sorted_keys, or -1 where absent."""
    pos = np.searchsorted(sorted_keys, keys)
    pos = np.minimum(pos, len(sorted_keys) - 1)
    return np.where(sorted_keys[pos] == keys, pos, -1)


def to_units(weights: FloatArray) -> IntArray:
    """Weights as exact integers (1e-6 resolution) for the integer solvers."""
    return np.rint(weights * SCALE).astype(np.int64)
