"""The peer engine's compiled scans alone (`top_candidates`, `check_prices`), on the price
checks a real solve makes, with a digest of every result so that two versions can be shown to
agree bit for bit.

    uv run python -m bench.bench_peer_scans --sizes 10k --shapes all [--repeats 3]
                                            [--inputs DIR] [--out NAME]

Inputs are recorded once into DIR (default /tmp/stepahead-peer-scans) and reused, so an older
checkout timed on the same DIR (`PYTHONPATH=<old>/src python bench/bench_peer_scans.py`) checks
exactly the same prices: at 10k the checks price and repair makes in a full solve, from 30k the
first bound round's check of the people priced below their k-th best."""

from __future__ import annotations

import argparse
import hashlib
import json
import os
import pickle
import statistics
import time
from pathlib import Path
from typing import Any

import numpy as np

from stepahead.matching import MatchParams
from stepahead.matching._population import compile_population
from stepahead.matching.peer import price_repair, solve
from stepahead.matching.peer.auction import auction_relaxation
from stepahead.matching.peer.kernel import check_prices, top_candidates
from stepahead.matching.peer.tables import PairTables
from stepahead.synthetic import SHAPES, generate_organisation

RESULTS = Path(__file__).resolve().parent / "results"


def _record(size: int, shape: str, path: Path) -> None:
    """The price checks a solve makes (`solve.BOUND_FIRST_PEOPLE` and up: the first bound round's)."""
    params = MatchParams()
    pop = compile_population(generate_organisation(size, seed=1, shape=shape), params)
    calls: list[tuple[tuple[Any, ...], dict[str, Any]]] = []
    if size < solve.BOUND_FIRST_PEOPLE:
        real = price_repair.check_prices

        def recording(*args: Any, **kwargs: Any) -> Any:
            calls.append((args[1:], kwargs))
            return real(*args, **kwargs)

        price_repair.check_prices = recording  # type: ignore[assignment]
        try:
            solve.solve_peer(pop, params, lambda stage, done: None)
        finally:
            price_repair.check_prices = real
    else:
        cands = top_candidates(PairTables.of(pop, params), solve.CANDIDATES_PER_PERSON)
        prices = auction_relaxation(cands.pairs, pop.size).prices[: pop.size]
        short = (cands.kth_units > 0) & (prices < cands.kth_units)
        calls.append(((prices, short, solve._VIOLATORS_KEPT), {"listed": cands.kth_units}))
    path.write_bytes(pickle.dumps(calls))


def _digest(*arrays: Any) -> str:
    h = hashlib.sha1()
    for a in arrays:
        h.update(np.ascontiguousarray(a).tobytes())
    return h.hexdigest()[:12]


def _timed(fn: Any, repeats: int) -> tuple[float, Any]:
    times, out = [], None
    for _ in range(repeats):
        started = time.perf_counter()
        out = fn()
        times.append(time.perf_counter() - started)
    return statistics.median(times), out


def _row(size: int, shape: str, repeats: int, inputs: Path) -> dict[str, Any]:
    path = inputs / f"{size}-{shape}.pkl"
    if not path.exists():
        _record(size, shape, path)
    params = MatchParams()
    tables = PairTables.of(
        compile_population(generate_organisation(size, seed=1, shape=shape), params), params
    )
    top_s, cands = _timed(lambda: top_candidates(tables, solve.CANDIDATES_PER_PERSON), repeats)
    digests = [_digest(cands.pairs.a, cands.pairs.b, cands.pairs.units, cands.kth_units)]
    checks = []
    for args, kwargs in pickle.loads(path.read_bytes()):
        seconds, check = _timed(lambda a=args, k=kwargs: check_prices(tables, *a, **k), repeats)
        checks.append(round(seconds, 3))
        digests.append(_digest(check.excess, check.partner))
    load = os.getloadavg()[0]
    return {
        "size": size,
        "shape": shape,
        "top_s": round(top_s, 3),
        "checks_s": checks,
        "load": round(load, 1),
        "digests": digests,
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", default="10k")
    parser.add_argument("--shapes", default="all")
    parser.add_argument("--repeats", type=int, default=3)
    parser.add_argument("--inputs", type=Path, default=Path("/tmp/stepahead-peer-scans"))
    parser.add_argument("--out", default="")
    args = parser.parse_args()
    args.inputs.mkdir(parents=True, exist_ok=True)
    shapes = list(SHAPES) if args.shapes == "all" else args.shapes.split(",")
    sizes = [int(s.replace("k", "000")) for s in args.sizes.split(",")]
    top_candidates(
        PairTables.of(compile_population(generate_organisation(50, seed=1), MatchParams()), MatchParams()), 1
    )
    rows = []
    for size in sizes:
        for shape in shapes:
            row = _row(size, shape, args.repeats, args.inputs)
            print(json.dumps(row), flush=True)
            rows.append(row)
    if args.out:
        (RESULTS / f"{args.out}.json").write_text(json.dumps(rows, indent=1) + "\n")


if __name__ == "__main__":
    main()
