"""One measurement, in the process that runs this module: `python -m bench.worker '<job json>'`.

Prints one line `BENCH-RESULT {json}`. Peak memory is this process's own ru_maxrss, so it covers
generating the organisation too (what a CLI run of that size really needs); `rss_before_mb` is the
resident size just before the timed call, to tell the two apart.
"""

from __future__ import annotations

import gc
import json
import resource
import sys
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

from bench.common import RESULT_MARKER, Record

MENTORS_PER_MENTEE = 0.25  # mentoring sizes: N mentees + N/4 mentors


def main(argv: list[str]) -> int:
    job: Record = json.loads(argv[1])
    record = {**job, **JOBS[job["kind"]](job)}
    record["peak_rss_mb"] = _peak_rss_mb()
    print(RESULT_MARKER + json.dumps(record), flush=True)
    return 0


def _peak_rss_mb() -> float:
    return round(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024, 1)  # Linux: KiB


def _current_rss_mb() -> float:
    pages = int(Path("/proc/self/statm").read_text().split()[1])
    return round(pages * resource.getpagesize() / 1024**2, 1)


def _timed[T](call: Callable[[], T]) -> tuple[T, float]:
    gc.collect()
    start = time.perf_counter()
    value = call()
    return value, time.perf_counter() - start


# --- jobs ------------------------------------------------------------------------------------------------


def organisation_for(mode: str, size: int, seed: int, shape: str = "standard") -> list[Any]:
    """Peer and circles: `size` people. Mentoring: `size` mentees plus size/4 mentors."""
    from stepahead.matching import Mode
    from stepahead.synthetic import generate_organisation

    if not Mode(mode).is_mentoring:
        return generate_organisation(size, seed=seed, shape=shape)
    total = size + round(size * MENTORS_PER_MENTEE)
    share = MENTORS_PER_MENTEE / (1 + MENTORS_PER_MENTEE)
    return generate_organisation(total, seed=seed, roles=True, mentor_share=share, shape=shape)


def match_job(job: Record) -> Record:
    from stepahead.matching import MatchParams, Mode, match

    shape = job.get("shape", "standard")
    people, generate_seconds = _timed(lambda: organisation_for(job["mode"], job["size"], job["seed"], shape))
    rss_before = _current_rss_mb()
    params = MatchParams(mode=Mode(job["mode"]), seed=job["seed"])
    result, seconds = _timed(lambda: match(people, params, stop=_budget(job.get("time_limit"))))
    return {
        **_pool_facts(people),
        "generate_seconds": round(generate_seconds, 3),
        "rss_before_mb": rss_before,
        "seconds": round(seconds, 3),
        "engine_seconds": round(result.seconds, 3),
        **_outcome(result),
    }


def _budget(time_limit: float | None) -> Callable[[], bool]:
    """The engine's stop(), as the CLI's --time-limit: the clock starts here, just before match()."""
    started = time.perf_counter()
    return lambda: time_limit is not None and time.perf_counter() - started > time_limit


def _pool_facts(people: list[Any]) -> Record:
    mentors = sum(1 for p in people if p.role is not None and p.role.mentors)
    mentees = sum(1 for p in people if p.role is not None and p.role.is_mentored)
    return {"participants": len(people), "mentors": mentors, "mentees": mentees}


def _outcome(result: Any) -> Record:
    opt = result.optimality
    return {
        "placed": result.placed,
        "total_score": result.total_score,
        "groups": len(result.pairs) + len(result.matches) + len(result.circles),
        "unmatched": len(result.unmatched),
        "proven": opt.proven if opt else None,
        "upper_bound": opt.upper_bound if opt else None,
        "gap": opt.gap if opt else None,
        "method": opt.method if opt else None,
    }


def exact_job(job: Record) -> Record:
    """The engine's peer objective against the exact optimum over the full eligible graph."""
    from bench.exact import cross_check, eligible_pairs, exact_optimum
    from stepahead.matching import MatchParams, match
    from stepahead.synthetic import generate_organisation

    people = generate_organisation(job["size"], seed=job["seed"], shape=job.get("shape", "standard"))
    params = MatchParams(seed=job["seed"])
    result, engine_seconds = _timed(lambda: match(people, params))
    pairs, pairs_seconds = _timed(lambda: eligible_pairs(people, params))
    checked = cross_check(people, params, pairs, samples=job.get("check_samples", 3000), seed=job["seed"])
    optimum, exact_seconds = _timed(lambda: exact_optimum(pairs, len(people)))
    return {
        "participants": len(people),
        "engine_seconds": round(engine_seconds, 3),
        **_outcome(result),
        "eligible_pairs": len(pairs),
        "pair_density": len(pairs) / max(1, len(people) * (len(people) - 1) // 2),
        "pairs_seconds": round(pairs_seconds, 3),
        "cross_check": checked,
        "exact_seconds": round(exact_seconds, 3),
        **optimum,
        **_comparison(result.placed, result.total_score, optimum),
    }


def _comparison(placed: int, total: float, optimum: Record) -> Record:
    best = optimum["exact_total_score"]
    same_placed = placed == optimum["exact_placed"]
    return {
        "placed_shortfall": optimum["exact_placed"] - placed,
        "score_shortfall": best - total,
        "relative_gap": (best - total) / best if same_placed and best > 0 else None,
        "matches_optimum": same_placed and abs(best - total) <= 1e-6 * max(1.0, best),
    }


def parse_job(job: Record) -> Record:
    """Upload-shaped input: the CSV as UTF-8 bytes; the result must equal the generated people."""
    import stepahead.matching as engine
    from stepahead.synthetic import generate_organisation, participants_to_csv

    parse = getattr(engine, "parse_participants", None)
    if parse is None:
        raise SystemExit("stepahead.matching.parse_participants does not exist yet")
    people = generate_organisation(job["size"], seed=job["seed"], roles=True)
    data = participants_to_csv(people).encode("utf-8")
    rss_before = _current_rss_mb()
    parsed, seconds = _timed(lambda: parse(data, file_format="csv"))
    return {
        "rows": job["size"],
        "csv_mb": round(len(data) / 1024**2, 1),
        "rss_before_mb": rss_before,
        "seconds": round(seconds, 3),
        "parsed": len(parsed),
        "round_trip": list(parsed) == people,
    }


JOBS: dict[str, Callable[[Record], Record]] = {"match": match_job, "exact": exact_job, "parse": parse_job}

if __name__ == "__main__":
    sys.exit(main(sys.argv))
