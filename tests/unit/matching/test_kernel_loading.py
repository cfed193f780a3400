"""Small pools are matched without loading numba, and give the same result as the compiled kernels.

The plain runs happen in fresh interpreters: in this test process numba is normally loaded
already (other tests compiled kernels), and once it is, every pool uses the compiled kernels."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest

from stepahead.matching import MatchParams, MatchResult, Mode, match
from stepahead.matching._engine import PLAIN_UP_TO
from stepahead.matching._kernels import Kernel, load_numba
from stepahead.synthetic import generate_organisation

REPO = Path(__file__).resolve().parents[3]
_RUN_PLAIN = """
import json, sys
from stepahead.matching import MatchParams, Mode, match
from tests.unit.matching.test_kernel_loading import outcome
from stepahead.synthetic import generate_organisation
mode, size, seed = sys.argv[1], int(sys.argv[2]), int(sys.argv[3])
people = generate_organisation(size, seed=seed, roles=True)
result = match(people, MatchParams(mode=Mode(mode), seed=seed))
print(json.dumps({"numba": "numba" in sys.modules, "outcome": OUTCOME(result)}))
"""


def outcome(result: MatchResult) -> list[object]:
    """Who is grouped with whom, and the score, to the precision the output file has."""
    groups = [sorted((p.a, p.b)) for p in result.pairs]
    groups += [[m.mentor, m.mentee] for m in result.matches]
    groups += [sorted(c.members) for c in result.circles]
    return [result.placed, round(result.total_score, 6), sorted(groups)]


def _plain_run(mode: Mode, size: int, seed: int) -> dict[str, object]:
    script = _RUN_PLAIN.replace("OUTCOME", "outcome")
    done = subprocess.run(
        [sys.executable, "-c", script, mode.value, str(size), str(seed)],
        check=True,
        capture_output=True,
        text=True,
        cwd=REPO,
    )
    answer: dict[str, object] = json.loads(done.stdout)
    return answer


CASES = [
    (Mode.PEER, PLAIN_UP_TO[Mode.PEER], 3),
    (Mode.PEER, 5, 1),
    (Mode.TRADITIONAL, 40, 2),
    (Mode.OPEN, PLAIN_UP_TO[Mode.OPEN], 4),
    (Mode.REVERSE, 9, 5),
    (Mode.CIRCLES, PLAIN_UP_TO[Mode.CIRCLES], 6),
    (Mode.CIRCLES, 5, 1),
]


@pytest.mark.parametrize(("mode", "size", "seed"), CASES)
def test_a_small_pool_is_matched_without_numba_and_as_compiled(mode: Mode, size: int, seed: int) -> None:
    plain = _plain_run(mode, size, seed)
    load_numba()
    compiled = match(generate_organisation(size, seed=seed, roles=True), MatchParams(mode=mode, seed=seed))
    assert plain["numba"] is False
    assert plain["outcome"] == json.loads(json.dumps(outcome(compiled)))


def test_a_pool_past_the_limit_loads_numba() -> None:
    script = _RUN_PLAIN.replace("OUTCOME(result)", "None")
    done = subprocess.run(
        [sys.executable, "-c", script, "peer", str(PLAIN_UP_TO[Mode.PEER] + 1), "0"],
        check=True,
        capture_output=True,
        text=True,
        cwd=REPO,
    )
    assert json.loads(done.stdout)["numba"] is True


def test_after_loading_the_engine_modules_hold_compiled_kernels() -> None:
    from stepahead.matching import _rules
    from stepahead.matching.peer import kernel as peer_kernel

    real = load_numba()
    assert real.__name__ == "numba"
    assert not isinstance(_rules.allowed, Kernel)
    assert not isinstance(peer_kernel.top_k_partners, Kernel)
    assert peer_kernel.numba is real


def test_every_kernel_module_takes_numba_from_the_loader() -> None:
    """A module importing numba itself would compile kernels that call the loader's stand-ins."""
    engine = REPO / "src" / "stepahead" / "matching"
    direct = [
        str(path.relative_to(engine))
        for path in engine.rglob("*.py")
        if path.name != "_kernels.py"
        and any(
            line.startswith(("import numba", "from numba"))
            for line in path.read_text(encoding="utf-8").splitlines()
        )
    ]
    assert direct == [], f"use `from .._kernels import numba` in {direct}"
