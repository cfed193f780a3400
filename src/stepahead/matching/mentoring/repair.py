"""Warm repair of an optimal flow after pairs are added: a min-cost circulation in its residual graph.

Once a certificate has proven the count (no added pair has both sides uncovered), every later
round only moves weight: covered mentors stay full, covered mentees stay placed, and pairs
covered on both sides carry nothing in any maximum flow. The best flow over the grown network is
then the old flow plus the cheapest circulation in the old flow's residual graph, new pairs
included. Costs go in reduced by the old certificate's potentials, so every old residual arc
costs >= 0 and only the added pairs that break the certificate cost < 0: the warm circulation
(`circulate`) starts from the zero circulation, i.e. from the old flow, and only reroutes around
the pairs that break it, instead of placing all ~42k mentees again from nothing (a cold solve).

The result is checked like any flow: `flow.certify` must find a sound certificate for it.
"""

from __future__ import annotations

import numpy as np
import numpy.typing as npt

from .._population import IntArray
from .circulate import circulate
from .flow import SINK, SOURCE, Certificate, Flow, Network, seat_ranks
from .units import BoolArray


def repair(net: Network, flow: Flow, cert: Certificate) -> tuple[Flow, IntArray] | None:
    """The best flow over `net`, from `flow` (optimal over a subset of its pairs, with `cert`),
    and node potentials that prove it (a warm start for `certify`); None when it fails. Added
    pairs must not have both sides uncovered."""
    tails, heads, costs, pair_of, forward = _residual(net, flow, cert)
    # Reduced costs: >= 0 on the old residual arcs, the pairs that break the certificate below.
    potential = cert.distance
    reduced = costs + potential[tails] - potential[heads]
    moved, price = circulate(net.nodes, tails, heads, reduced)
    if len(moved) != len(tails):  # pragma: no cover - never, in theory (see `circulate`)
        return None
    moved = moved > 0
    used = flow.used.copy()
    on_pairs = moved & (pair_of >= 0)
    used[pair_of[on_pairs]] = forward[on_pairs]
    return Flow.of_pairs(net, used), potential + price


Arcs = tuple[IntArray, IntArray, IntArray, IntArray, BoolArray]


def _residual(net: Network, flow: Flow, cert: Certificate) -> Arcs:
    """Residual arcs of the weight problem with the count held, each of capacity 1 (tails, heads, costs
    with a pair costing -w, the pair each arc moves or -1, and whether it adds that pair)."""
    pairs = net.pairs
    single = cert.mentor_covered[pairs.mentor] != cert.mentee_covered[pairs.mentee]
    add = np.flatnonzero(single & ~flow.used)
    drop = np.flatnonzero(flow.used)
    parts = [
        _part(
            net.mentor_node(pairs.mentor[add]),
            net.mentee_node(pairs.mentee[add]),
            -net.weight[add],
            add,
            True,
        ),
        _part(
            net.mentee_node(pairs.mentee[drop]),
            net.mentor_node(pairs.mentor[drop]),
            net.weight[drop],
            drop,
            False,
        ),
        *_seat_parts(net, flow, np.flatnonzero(~cert.mentor_covered)),
        *_sink_parts(net, flow, np.flatnonzero(~cert.mentee_covered)),
    ]
    tails, heads, costs, pair_of, forward = (np.concatenate([p[i] for p in parts]) for i in range(5))
    return tails, heads, costs, pair_of, forward.astype(bool)


Part = tuple[IntArray, IntArray, IntArray, IntArray, npt.NDArray[np.bool_]]


def _part(tails: IntArray, heads: IntArray, costs: IntArray, pair_of: IntArray, forward: bool) -> Part:
    return (
        tails.astype(np.int64),
        heads.astype(np.int64),
        costs.astype(np.int64),
        pair_of.astype(np.int64),
        np.full(len(tails), forward),
    )


def _hub(hub: int, count: int) -> IntArray:
    return np.full(count, hub, dtype=np.int64)


def _none(count: int) -> IntArray:
    return np.full(count, -1, dtype=np.int64)


def _seat_parts(net: Network, flow: Flow, mentors: IntArray) -> list[Part]:
    """Uncovered mentors may take or give back seats: each free seat k (cost penalty · k) from
    the source, each taken seat back to it. Covered mentors stay full: no seat arcs. A mentor can
    gain at most one mentee per pair it has, which bounds the seats offered (capacities may be huge)."""
    pairs_of = np.bincount(net.pairs.mentor, minlength=len(net.capacity))[mentors]
    load = flow.load[mentors]
    cap = np.minimum(net.capacity[mentors], load + pairs_of)
    free_owner, free_rank = seat_ranks(mentors, load, cap)
    taken_owner, taken_rank = seat_ranks(mentors, np.zeros_like(load), load)
    return [
        _part(
            _hub(SOURCE, len(free_owner)),
            net.mentor_node(free_owner),
            net.penalty * free_rank,
            _none(len(free_owner)),
            False,
        ),
        _part(
            net.mentor_node(taken_owner),
            _hub(SOURCE, len(taken_owner)),
            -net.penalty * taken_rank,
            _none(len(taken_owner)),
            False,
        ),
    ]


def _sink_parts(net: Network, flow: Flow, mentees: IntArray) -> list[Part]:
    """Uncovered mentees may be placed or let go, the count held by the sink ↔ source arc."""
    unplaced, placed = mentees[~flow.placed[mentees]], mentees[flow.placed[mentees]]
    return [
        _part(
            net.mentee_node(unplaced),
            _hub(SINK, len(unplaced)),
            np.zeros(len(unplaced), np.int64),
            _none(len(unplaced)),
            False,
        ),
        _part(
            _hub(SINK, len(placed)),
            net.mentee_node(placed),
            np.zeros(len(placed), np.int64),
            _none(len(placed)),
            False,
        ),
        # The count holds (no cycle can use these), but certify's prices keep source and sink level.
        _part(_hub(SINK, 1), _hub(SOURCE, 1), np.zeros(1, np.int64), _none(1), False),
        _part(_hub(SOURCE, 1), _hub(SINK, 1), np.zeros(1, np.int64), _none(1), False),
    ]
