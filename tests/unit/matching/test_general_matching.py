"""Our general-graph matching (`peer.general`) against networkx's, with its duals checked as a
proof on every solve: feasible, complementary slack, and summing to the matching's weight."""

from __future__ import annotations

import itertools
import re

import networkx as nx
import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from stepahead.matching.peer import blossom_heap as heap
from stepahead.matching.peer.general import BlossomSolver, GeneralMatching, max_weight_matching

Edges = list[tuple[int, int, int]]


def arrays(edges: Edges) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    cols = list(zip(*edges, strict=True)) if edges else [(), (), ()]
    return tuple(np.array(c, dtype=np.int64) for c in cols)  # type: ignore[return-value]


def random_edges(seed: int, n: int, p: float) -> Edges:
    """Each pair of people 0..n-1 kept with probability p, weighing 1 to 99."""
    rng = np.random.default_rng(seed)
    return [
        (x, y, int(rng.integers(1, 100))) for x, y in itertools.combinations(range(n), 2) if rng.random() < p
    ]


def reference_value(n: int, edges: Edges) -> int:
    graph = nx.Graph()
    graph.add_nodes_from(range(n))
    graph.add_weighted_edges_from(edges)
    return sum(graph[x][y]["weight"] for x, y in nx.max_weight_matching(graph))


def assert_proof(n: int, edges: Edges, found: GeneralMatching) -> int:
    """The matching is one, its duals prove it optimal; returns its weight."""
    a, b, w = arrays(edges)
    weight = {(min(x, y), max(x, y)): u for x, y, u in edges}
    pairs = found.pairs()
    assert all(found.mate[found.mate[v]] == v for v in range(n) if found.mate[v] >= 0)
    assert all((x, y) in weight for x, y in pairs)
    value = sum(weight[p] for p in pairs)
    assert (found.u >= 0).all()
    assert (found.z2 >= 0).all()
    assert (found.u[found.mate < 0] == 0).all()  # unmatched people are priced 0
    if len(a):
        reduced = found.reduced2(a, b, w)
        assert (reduced >= 0).all()
        matched = found.mate[a] == b
        assert (reduced[matched] == 0).all()
    sizes = found.sizes()
    for blossom in np.flatnonzero(found.z2 > 0):
        inside = {v for v in range(n) if _holds(found, blossom + n, v)}
        assert len(inside) == sizes[blossom]
        assert len(inside) % 2 == 1
        assert sum(1 for x, y in pairs if x in inside and y in inside) == len(inside) // 2
    assert found.bound2() == 2 * value
    return value


def _holds(found: GeneralMatching, blossom: int, v: int) -> bool:
    x = found.parent[v]
    while x >= 0:
        if x == blossom:
            return True
        x = found.parent[x]
    return False


def check(n: int, edges: Edges, warm: np.ndarray | None = None) -> GeneralMatching:
    a, b, w = arrays(edges)
    found = max_weight_matching(n, a, b, w, warm=warm)
    assert found.finished
    assert assert_proof(n, edges, found) == reference_value(n, edges)
    return found


@st.composite
def graphs(draw: st.DrawFn, most: int = 16, heaviest: int = 12) -> tuple[int, Edges]:
    n = draw(st.integers(0, most))
    pairs = list(itertools.combinations(range(n), 2))
    chosen = draw(st.lists(st.sampled_from(pairs), unique=True, max_size=40)) if pairs else []
    return n, [(x, y, draw(st.integers(0, heaviest))) for x, y in chosen]


@settings(max_examples=300, deadline=None)
@given(graphs())
def test_random_graphs_match_networkx_with_a_proof(case: tuple[int, Edges]) -> None:
    check(*case)


@settings(max_examples=100, deadline=None)
@given(graphs(most=12, heaviest=1))
def test_ties_everywhere(case: tuple[int, Edges]) -> None:
    check(*case)


@settings(max_examples=100, deadline=None)
@given(graphs(most=14), st.data())
def test_any_feasible_warm_start(case: tuple[int, Edges], data: st.DataObject) -> None:
    """Any duals above each person's heaviest pair."""
    n, edges = case
    u = np.zeros(n, dtype=np.int64)
    for x, y, w in edges:
        u[x], u[y] = max(u[x], w), max(u[y], w)
    u += np.array(data.draw(st.lists(st.integers(0, 3), min_size=n, max_size=n)), dtype=np.int64)
    check(n, edges, u)


def test_empty_and_isolated() -> None:
    assert check(0, []).pairs() == []
    assert check(5, []).pairs() == []
    assert check(6, [(4, 5, 3)]).pairs() == [(4, 5)]
    alone = BlossomSolver(3, *arrays([])).solve()  # a solver with no pairs: finished at once
    assert alone.finished
    assert alone.pairs() == []
    assert alone.bound2() == 0


def odd_cycle(nodes: list[int], weight: int) -> Edges:
    return [(min(x, y), max(x, y), weight) for x, y in itertools.pairwise([*nodes, nodes[0]])]


def test_odd_cycles_with_heavy_pairs_and_a_tail() -> None:
    """A heavy triangle and pentagon joined through light pairs: blossoms must form."""
    edges = odd_cycle([0, 1, 2], 10) + odd_cycle([3, 4, 5, 6, 7], 9) + [(2, 3, 1), (7, 8, 4), (1, 9, 2)]
    check(10, edges)


def test_nested_blossoms() -> None:
    """Triangles whose corners are themselves triangles, tight enough to nest and expand."""
    edges = []
    for t in range(3):
        edges += odd_cycle([3 * t, 3 * t + 1, 3 * t + 2], 8)
    edges += [(0, 3, 7), (4, 6, 7), (7, 1, 7), (2, 9, 6), (5, 10, 6), (8, 11, 9)]
    found = check(12, edges)
    assert len(found.pairs()) == 6


@pytest.mark.parametrize("seed", range(6))
def test_disconnected_parts_and_larger_graphs(seed: int) -> None:
    rng = np.random.default_rng(seed)
    edges: Edges = []
    for part in range(3):
        nodes = range(20 * part, 20 * part + 20)
        edges += [
            (x, y, int(rng.integers(0, 50)))
            for x, y in itertools.combinations(nodes, 2)
            if rng.random() < 0.2
        ]
    check(60, edges)


def test_a_stopped_solve_still_bounds_the_optimum() -> None:
    edges = random_edges(7, 40, 0.3)
    a, b, w = arrays(edges)
    found = max_weight_matching(40, a, b, w, stop=lambda: True, look_every=1)
    assert not found.finished
    best = reference_value(40, edges)
    assert found.bound2() >= 2 * best
    weight = {(x, y): u for x, y, u in edges}
    assert sum(weight[p] for p in found.pairs()) <= best
    assert (found.reduced2(a, b, w) >= 0).all()


def test_rejects_self_pairs_and_negative_weights() -> None:
    with pytest.raises(ValueError, match="two different people"):
        max_weight_matching(2, np.array([1]), np.array([1]), np.array([3]))
    with pytest.raises(ValueError, match="at least 0"):
        max_weight_matching(2, np.array([0]), np.array([1]), np.array([-3]))


def _split(edges: Edges, later: list[bool]) -> tuple[Edges, Edges]:
    """Pairs solved first, and pairs added later among people the first ones already join (the
    solver has room for no one else)."""
    first = [e for e, late in zip(edges, later, strict=True) if not late]
    live = {x for e in first for x in e[:2]}
    rest = [e for e, late in zip(edges, later, strict=True) if late]
    return first + [e for e in rest if not {e[0], e[1]} <= live], [e for e in rest if {e[0], e[1]} <= live]


def check_resumed(n: int, edges: Edges, later: list[bool], rounds: int = 1) -> GeneralMatching:
    """Solve the first pairs, add the rest (in `rounds` batches) and resume: the same optimum as
    a solve of every pair from scratch, with duals that prove it."""
    first, rest = _split(edges, later)
    solver = BlossomSolver(n, *arrays(first))
    found = solver.solve()
    assert assert_proof(n, first, found) == reference_value(n, first)
    known = list(first)
    for r in range(rounds):
        batch = rest[r::rounds]
        assert solver.add(*arrays(batch))
        known += batch
        found = solver.solve()
        assert found.finished
        assert assert_proof(n, known, found) == reference_value(n, known)
    return found


@settings(max_examples=300, deadline=None)
@given(graphs(), st.data())
def test_resumed_after_added_pairs_matches_a_fresh_solve(
    case: tuple[int, Edges], data: st.DataObject
) -> None:
    n, edges = case
    later = data.draw(st.lists(st.booleans(), min_size=len(edges), max_size=len(edges)))
    check_resumed(n, edges, later, rounds=data.draw(st.integers(1, 3)))


@settings(max_examples=100, deadline=None)
@given(graphs(most=12, heaviest=2), st.data())
def test_resumed_with_ties(case: tuple[int, Edges], data: st.DataObject) -> None:
    n, edges = case
    later = data.draw(st.lists(st.booleans(), min_size=len(edges), max_size=len(edges)))
    check_resumed(n, edges, later, rounds=2)


@pytest.mark.parametrize("seed", range(8))
def test_resumed_through_nested_blossoms(seed: int) -> None:
    """Heavy odd cycles that shrink into nested blossoms, then pairs that cut through them."""
    rng = np.random.default_rng(seed)
    edges: Edges = []
    for t in range(4):
        edges += odd_cycle([3 * t, 3 * t + 1, 3 * t + 2], 40)
    edges += odd_cycle([0, 3, 6], 30) + odd_cycle([9, 1, 4], 30)
    pairs = {(x, y) for x, y, _ in edges}
    extra = [
        (x, y, int(rng.integers(1, 90)))
        for x, y in itertools.combinations(range(14), 2)
        if (x, y) not in pairs and rng.random() < 0.3
    ]
    check_resumed(14, edges + extra, [False] * len(edges) + [True] * len(extra), rounds=3)


def test_resumed_with_someone_new_asks_for_a_fresh_solve() -> None:
    solver = BlossomSolver(4, *arrays([(0, 1, 5)]))
    solver.solve()
    assert not solver.add(*arrays([(2, 3, 4)]))
    assert solver.add(*arrays([]))


@pytest.mark.parametrize("seed", range(20))
def test_a_full_heap_of_dual_steps_is_rebuilt_from_the_state(seed: int) -> None:
    """With the events' heap only just large enough for a rebuild (one candidate per person at
    most: each person is unlabelled or in one labelled top-level blossom; 8 per person in the
    solver), dense graphs fill it and still get the same optimum, with its proof."""
    rng = np.random.default_rng(seed)
    n = 30
    edges = [
        (x, y, int(rng.integers(0, 60))) for x, y in itertools.combinations(range(n), 2) if rng.random() < 0.7
    ]
    solver = BlossomSolver(n, *arrays(edges))
    squeeze_heap(solver)
    found = solver.solve()
    assert assert_proof(n, edges, found) == reference_value(n, edges)


def squeeze_heap(solver: BlossomSolver) -> None:
    """The events' heap with room for one candidate per person, as much as a rebuild needs."""
    st_, sc, pools, buf, allow = solver.state
    room = len(solver.live) + 1
    small = tuple(np.zeros(room, dtype=np.int64) if 12 <= i <= 15 else b for i, b in enumerate(buf))
    solver.state = (st_, sc, pools, small, allow)


@settings(max_examples=200, deadline=None)
@given(st.lists(st.tuples(st.booleans(), st.integers(-50, 50)), max_size=60))
def test_the_heap_of_dual_steps_pops_in_key_order(ops: list[tuple[bool, int]]) -> None:
    """Pushes and pops in any order: each pop takes the least key held (as a sorted list does)."""
    buf = tuple(np.zeros(64, dtype=np.int64) for _ in range(16))
    held: list[int] = []
    size = 0
    for is_push, key in ops:
        if is_push:
            size = heap.push(buf, size, key, 2, key + 100, key + 200)
            held.append(key)
        elif size:
            least = min(held)
            assert buf[heap.KEY][0] == least
            assert (buf[heap.ID][0], buf[heap.PAIR][0]) == (least + 100, least + 200)
            size = heap.pop(buf, size)
            held.remove(least)
        assert size == len(held)


def test_a_dense_pool_outgrowing_the_heap_of_dual_steps_still_gets_the_optimum() -> None:
    """Everyone paired with everyone, each person's pairs heavier the later they are listed: each
    scan finds a closer pair at every step, and the candidates for the next dual step outgrow the
    solver's own heap (8 per person), which is rebuilt from the state; the optimum is the same."""
    n = 48
    edges = [(x, y, k + 1) for k, (x, y) in enumerate(itertools.combinations(range(n), 2))]
    check(n, edges)


def test_a_solve_that_looks_at_the_budget_every_stage_still_ends_optimal() -> None:
    """Asked after each stage and never told to stop, the solver resumes where it was."""
    edges = random_edges(3, 30, 0.3)
    found = max_weight_matching(30, *arrays(edges), look_every=1)
    assert found.stages > 1
    assert found.finished
    assert assert_proof(30, edges, found) == reference_value(30, edges)


# Solves resumed after pairs join (found by search, then shrunk): each ends in a situation a
# fresh solve of these pools never meets. Pairs "a-b:w", those marked + added later.
_RESUMED_CASES = {
    "a child reached from outside is labelled inner": (
        5,
        "2-4:2 +3-4:2 +0-4:2 1-3:2 0-3:2 +1-4:2 +0-2:2",
        3,
    ),
    "the child at the base of an undone blossom is a blossom": (
        7,
        "+5-6:8 +1-6:0 +2-6:0 +1-3:10 +2-5:9 3-4:12 +1-5:0 4-6:9 +0-1:10 0-5:12 2-3:9 +3-6:9 1-2:3",
        2,
    ),
    "a child already outer is left as it is": (
        5,
        "1-2:1 +0-1:2 2-3:2 +1-4:1 +1-3:1 +0-3:1 +0-2:2 +3-4:1 0-4:2 2-4:2",
        3,
    ),
    "a child blossom with nobody reached stays unlabelled": (
        7,
        "0-6:12 2-4:3 +4-6:6 0-4:11 4-5:4 1-3:10 2-5:2 +1-2:4 2-3:8",
        3,
    ),
    "a child blossom with someone reached inside": (
        8,
        "5-7:33 +3-4:38 4-6:18 0-5:38 +2-4:41 3-7:20 0-6:49 1-2:22 4-7:36 +1-5:20 5-6:35",
        1,
    ),
    "an odd dual left out inside a blossom without dual": (
        11,
        "+1-9:2 +2-10:1 +0-5:0 2-7:1 0-1:2 +3-6:2 +1-6:1 3-4:2 +3-7:0 +1-7:2 1-2:2 0-8:1 "
        "7-10:0 4-7:2 1-8:2 4-6:1 5-9:2",
        3,
    ),
}


def _marked(pairs: str) -> tuple[Edges, list[bool]]:
    """The pairs of a case, and which of them join later."""
    found = [re.fullmatch(r"(\+?)(\d+)-(\d+):(\d+)", p) for p in pairs.split()]
    edges = [(int(m[2]), int(m[3]), int(m[4])) for m in found if m]
    return edges, [bool(m[1]) for m in found if m]


@pytest.mark.parametrize("case", _RESUMED_CASES.values(), ids=_RESUMED_CASES.keys())
def test_resumed_solves_that_undo_blossoms_mid_stage_keep_the_optimum(
    case: tuple[int, str, int],
) -> None:
    """Blossoms undone while a resumed solve relabels them (their children already outer, or
    reached from outside, or blossoms themselves), and an unmatched person's odd dual made even
    inside a blossom without dual: the same optimum as a fresh solve, with its proof."""
    n, pairs, rounds = case
    check_resumed(n, *_marked(pairs), rounds)


def test_a_heap_rebuilt_while_a_blossom_is_inner_gets_its_dual_back_as_a_candidate() -> None:
    """Rebuilt from the state while a blossom is labelled inner (its dual falls with each step
    and may reach 0 first), the heap holds that blossom again; the optimum is the same."""
    edges, _ = _marked(
        "0-3:40 0-4:54 0-9:52 1-2:55 1-3:4 2-3:55 3-4:21 3-9:32 4-7:36 4-9:58 5-6:14 5-7:15 5-8:55 "
        "6-8:51 6-9:4 7-8:54 7-9:48"
    )
    solver = BlossomSolver(10, *arrays(edges))
    squeeze_heap(solver)
    assert assert_proof(10, edges, solver.solve()) == reference_value(10, edges)
