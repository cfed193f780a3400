"""Where large circles pools fall short of the share bound: goals, wishes or function bonus.

`python -m bench.circles_gap_study [--sizes 10k] [--families all]` writes
results/circles-gap-study.{json,md}. On four of `bench.circles_independent`'s families the 10k
score stays more than 3 % under the reported bound. The bound credits each placed person their
best goal score in any valid circle, every wish that could be honoured (half of each, counting
only pairs that may share a circle) and a function bonus share. Per pool this splits the gap
between the engine's packing and that credit:

- goals: Σ best goal score of the placed against what their circles give them; how many people
  get their best, and how many circles seat everyone at their best (a circle where all members are
  met as well as any valid circle could meet them: the bound is tight on it);
- wishes: what the bound credits against the wishes the packing honours, and how many of the wish
  pairs sitting in different circles a regrouping of their two circles (every split of the ten or
  so members, as the search's `regroup` judges them) could honour without losing score;
- the rest (function bonus, and the colleague and counted bounds' cuts): reported bound less the
  goal and wish credit, against the bonus the packing has.
"""

from __future__ import annotations

import numpy as np

from bench.circles_independent import engine_run
from bench.circles_independent_large import family_arguments, sweep
from bench.common import Record, markdown_table
from stepahead.matching import MatchParams, MatchResult
from stepahead.matching._population import IntArray, Population, compile_population
from stepahead.matching._scoring import PRIORITY_WEIGHTS
from stepahead.matching.circles.board import Board
from stepahead.matching.circles.bound import bound_shares
from stepahead.matching.circles.regroup import regroup_pairs
from stepahead.matching.circles.score import MAX_SIZE, judge

EPSILON = 1e-9


def rows_of(pop: Population, result: MatchResult) -> IntArray:
    """The packing's circles as rows of population indices, -1 padded."""
    rows = np.full((len(result.circles), MAX_SIZE), -1, dtype=np.int64)
    for k, circle in enumerate(result.circles):
        members = sorted(pop.index[m] for m in circle.members)
        rows[k, : len(members)] = members
    return rows


def goals_met(pop: Population, rows: IntArray) -> np.ndarray:
    """got[k, x]: the goal score member x of circle k gets from the others (0 on empty seats)."""
    real = rows >= 0
    safe = np.maximum(rows, 0)
    skills = pop.goals[safe]  # (c, 5, 3)
    theirs = pop.levels[safe[:, None, :, None], skills[:, :, None, :]].astype(np.int64)  # (c, x, y, g)
    gaps = np.clip(theirs - pop.own[safe][:, :, None, :], 0, len(pop.utility) - 1)
    gain = pop.utility[gaps] * np.asarray(PRIORITY_WEIGHTS)
    others = real[:, None, :] & ~np.eye(MAX_SIZE, dtype=bool)[None, :, :]
    got = np.where(others[..., None], gain, 0.0).max(axis=2).sum(axis=2)
    return np.where(real, got, 0.0)


def seated(pop: Population, params: MatchParams, rows: IntArray) -> Board:
    """The packing on a search board (each person's circle, each circle's score)."""
    board = Board(pop.size)
    for row, score in zip(rows, judge(pop, params, rows).score, strict=True):
        board.open(row, float(score))
    return board


def wishes_honoured(pop: Population, params: MatchParams, circle_of: IntArray) -> float:
    a, b = np.divmod(pop.wish_keys, max(1, pop.size))
    together = (circle_of[a] >= 0) & (circle_of[a] == circle_of[b])
    return float(params.wish_bonus) * float(pop.wish_counts[together].sum())


def wish_regroups(pop: Population, params: MatchParams, board: Board) -> tuple[int, int]:
    """How many wish pairs in different circles one regrouping of their two circles could seat
    together with a gain, of how many such pairs (both placed). Regroups on `board`."""
    a, b = np.divmod(pop.wish_keys, max(1, pop.size))
    home, other = board.circle_of[a], board.circle_of[b]
    apart = (home >= 0) & (other >= 0) & (home != other)
    return regroup_pairs(pop, params, board, home[apart], other[apart]), int(apart.sum())


def study(name: str, size: int, seed: int) -> Record:
    people, params, result, record = engine_run(name, size, seed)
    pop = compile_population(people, params)
    found = bound_shares(pop, params)
    rows = rows_of(pop, result)
    got = goals_met(pop, rows)
    best = np.where(rows >= 0, found.facts.goal[np.maximum(rows, 0)], 0.0)
    short = (best - got > EPSILON) & (rows >= 0)
    placed = rows[rows >= 0]
    board = seated(pop, params, rows)
    honoured = wishes_honoured(pop, params, board.circle_of)  # before the regroupings move anyone
    regrouped, apart = wish_regroups(pop, params, board)
    goal_credit, wish_credit = float(best.sum()), float(found.wishes[placed].sum())
    record.update(
        goal_credit=round(goal_credit, 1),
        goal_met=round(float(got.sum()), 1),
        at_best=round(1 - float(short.sum()) / max(1, len(placed)), 4),
        perfect_circles=round(1 - float(short.any(axis=1).mean()) if len(rows) else 0.0, 4),
        wish_credit=round(wish_credit, 1),
        wish_honoured=round(honoured, 1),
        wish_regroups=regrouped,
        wish_pairs_apart=apart,
        rest_credit=round(record["bound"] - goal_credit - wish_credit, 1),
        rest_got=round(record["score"] - float(got.sum()) - honoured, 1),
    )
    return record


def report(records: list[Record]) -> str:
    header = [
        "family",
        "people",
        "score / bound",
        "goals met / credited",
        "at their best",
        "circles all at best",
        "wishes honoured / credited",
        "wish pairs a regrouping seats",
        "bonus / rest of bound",
    ]
    rows = [
        [
            r["family"],
            f"{r['size']:,}",
            f"{r['score']:,.1f} / {r['bound']:,.1f} ({100 * r['score'] / r['bound']:.2f} %)",
            f"{r['goal_met']:,.1f} / {r['goal_credit']:,.1f} (−{r['goal_credit'] - r['goal_met']:,.1f})",
            f"{100 * r['at_best']:.1f} %",
            f"{100 * r['perfect_circles']:.1f} %",
            f"{r['wish_honoured']:,.1f} / {r['wish_credit']:,.1f}",
            f"{r['wish_regroups']} of {r['wish_pairs_apart']}",
            f"{r['rest_got']:,.1f} / {r['rest_credit']:,.1f}",
        ]
        for r in records
    ]
    return markdown_table(header, rows)


def main(argv: list[str] | None = None) -> int:
    args = family_arguments(__doc__, "circles-gap-study", argv)
    sweep(args, "# Circles: where the packing falls short of the share bound", study, report)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
