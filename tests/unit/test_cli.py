"""`stepahead match` in-process: exit codes, outputs, determinism, and errors without tracebacks.

The end-to-end runs use the real solvers; they check the command's behaviour, not who is paired."""

from __future__ import annotations

import csv
import io
import json
import re
import sys
from pathlib import Path

import pytest
from rich.console import Console

from stepahead.cli import SUBCOMMANDS, build_parser, main
from stepahead.cli._display import ProgressDisplay, summary_rows
from stepahead.matching import (
    MatchParams,
    MatchResult,
    MentorLoad,
    MentorMatch,
    Mode,
    Optimality,
    Participant,
    Unmatched,
    circle_is_valid,
)
from stepahead.synthetic import generate_organisation, participants_to_csv

FIXTURES = Path(__file__).resolve().parents[1] / "fixtures"
PEOPLE_CSV = FIXTURES / "people_peer.csv"
PEOPLE_JSON = FIXTURES / "people.json"
BAD_CSV = FIXTURES / "people_bad.csv"


def run(capsys: pytest.CaptureFixture[str], *args: str | Path) -> tuple[int, str, str]:
    status = main(["match", *map(str, args)])
    out, err = capsys.readouterr()
    return status, out, err


def without_seconds(text: str) -> str:
    return re.sub(r'"seconds": [0-9.e-]+', '"seconds": 0', text)


# --- the command and its hook ----------------------------------------------------------------------


def test_subcommands_are_a_registry() -> None:
    assert [c.name for c in SUBCOMMANDS] == ["match", "demo"]
    parser = build_parser()
    assert parser.parse_args(["match", "x.csv"]).run is SUBCOMMANDS[0].run


def test_help_and_missing_command(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["--help"]) == 0
    assert "match" in capsys.readouterr().out
    assert main([]) == 2
    assert "required" in capsys.readouterr().err


# --- runs ------------------------------------------------------------------------------------------


@pytest.mark.parametrize("mode", [m.value for m in Mode])
def test_each_mode_writes_the_spec_json_to_stdout(capsys: pytest.CaptureFixture[str], mode: str) -> None:
    status, out, err = run(capsys, PEOPLE_CSV, "--mode", mode, "--quiet")
    assert (status, err) == (0, "")
    data = json.loads(out)
    key = {"peer": "pairs", "circles": "circles"}.get(mode, "matches")
    idle = ["idle_mentors"] if key == "matches" else []
    assert list(data) == ["mode", key, "unmatched", *idle, "stats"]
    assert data["mode"] == mode
    assert data["stats"]["participants"] == 10
    assert data["stats"]["seconds"] >= 0


def test_the_same_input_gives_the_same_bytes_apart_from_seconds(
    capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    first, second = tmp_path / "first.json", tmp_path / "second.json"
    for out in (first, second):
        assert run(capsys, PEOPLE_JSON, "--seed", "3", "-o", out, "--quiet")[0] == 0
    assert without_seconds(first.read_text(encoding="utf-8")) == without_seconds(second.read_text("utf-8"))
    _, stdout, _ = run(capsys, PEOPLE_CSV, "--seed", "3", "--quiet")
    assert without_seconds(stdout) == without_seconds(first.read_text("utf-8"))  # CSV and JSON inputs agree


def test_csv_output_from_the_extension_or_the_option(
    capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    out = tmp_path / "result.csv"
    status, stdout, _ = run(capsys, PEOPLE_CSV, "-o", out, "--quiet")
    assert (status, stdout) == (0, "")
    rows = list(csv.reader(io.StringIO(out.read_text("utf-8"))))
    assert rows[0] == ["kind", "ids", "score", "reasons"]
    assert {row[0] for row in rows[1:]} <= {"pair", "unmatched"}
    _, stdout, _ = run(capsys, PEOPLE_CSV, "--format", "csv", "--quiet")
    assert stdout == out.read_text("utf-8")


def test_summary_goes_to_stderr(capsys: pytest.CaptureFixture[str]) -> None:
    status, out, err = run(capsys, PEOPLE_CSV, "--mode", "traditional")
    assert status == 0
    assert json.loads(out)["mode"] == "traditional"
    for label in ("Placed", "Unmatched", "Total score", "Mean score", "Cross-function", "Time", "Optimality"):
        assert label in err


def test_stdin_needs_an_input_format(
    capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(sys, "stdin", io.TextIOWrapper(io.BytesIO(PEOPLE_CSV.read_bytes())))
    status, out, _ = run(capsys, "-", "--input-format", "csv", "--quiet")
    assert status == 0
    assert json.loads(out)["stats"]["participants"] == 10
    status, out, err = run(capsys, "-", "--quiet")
    assert (status, out) == (2, "")
    assert err == "stepahead match: error: reading stdin needs --input-format csv or --input-format json\n"


# --- problems --------------------------------------------------------------------------------------


def test_a_bad_file_lists_every_problem_and_writes_nothing(
    capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    out = tmp_path / "never.json"
    status, stdout, err = run(capsys, BAD_CSV, "-o", out)
    assert (status, stdout, out.exists()) == (2, "", False)
    lines = err.splitlines()
    assert lines[0] == f"{BAD_CSV}: line 2 (id E1), column skills: level 7 for negotiation is outside 0–5"
    assert [re.search(r"line (\d+)", line).group(1) for line in lines[:-1]] == list("233345555")  # type: ignore[union-attr]
    assert lines[-1] == f"9 problems in {BAD_CSV}; nothing was matched"
    assert "Traceback" not in err


def test_role_is_required_for_mentoring(capsys: pytest.CaptureFixture[str], tmp_path: Path) -> None:
    people = tmp_path / "people.csv"
    people.write_text("id,grade\nE1,1\n", encoding="utf-8")
    status, _, err = run(capsys, people, "--mode", "reverse")
    assert status == 2
    assert "line 1, column role: required column 'role' is missing" in err


@pytest.mark.parametrize(
    ("make", "words"),
    [
        (lambda tmp: tmp / "missing.csv", "missing.csv: no such file"),
        (lambda tmp: tmp, "is a directory, not a participants file"),
        (lambda tmp: tmp / "people.xlsx", "cannot tell the format of"),
    ],
)
def test_user_errors_are_one_line(
    capsys: pytest.CaptureFixture[str], tmp_path: Path, make, words: str
) -> None:  # type: ignore[no-untyped-def]
    (tmp_path / "people.xlsx").write_bytes(b"PK")
    status, out, err = run(capsys, make(tmp_path))
    assert (status, out) == (2, "")
    assert err.startswith("stepahead match: error: ")
    assert words in err
    assert len(err.splitlines()) == 1


def test_unreadable_file(capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch) -> None:
    def refuse(self: Path) -> bytes:
        raise PermissionError(13, "Permission denied")

    monkeypatch.setattr(Path, "read_bytes", refuse)
    status, _, err = run(capsys, PEOPLE_CSV)
    assert status == 2
    assert err == f"stepahead match: error: {PEOPLE_CSV}: permission denied\n"


@pytest.mark.parametrize(
    ("output", "words"),
    [("missing-folder/out.json", "does not exist"), (".", "is a directory; give a file name for -o")],
)
def test_an_unwritable_output_fails_before_matching(
    capsys: pytest.CaptureFixture[str], tmp_path: Path, output: str, words: str
) -> None:
    status, _, err = run(capsys, PEOPLE_CSV, "-o", tmp_path / output)
    assert status == 2
    assert words in err


@pytest.mark.parametrize(
    ("option", "words"),
    [
        (["--mode", "speed-dating"], "invalid choice: 'speed-dating'"),
        (["--band", "-1"], "argument --band: must be 0 or more, not -1"),
        (["--band", "one"], "argument --band: 'one' is not a whole number"),
        (["--circle-size", "6"], "argument --circle-size: invalid choice: 6"),
        (["--circle-band", "x"], "argument --circle-band: 'x' is not a whole number"),
        (["--spread", "x"], "argument --spread: 'x' is not a number"),
        (["--spread", "-1"], "argument --spread: spread must be between 0 and 10"),
        (["--profile", "guru"], "argument --profile: invalid choice"),
        (["--format", "xml"], "argument --format: invalid choice"),
        (["--time-limit", "0"], "argument --time-limit: '0' is not a number of seconds above 0"),
        (["--time-limit", "soon"], "argument --time-limit: 'soon' is not a number of seconds above 0"),
    ],
)
def test_bad_option_values_are_usage_errors(
    capsys: pytest.CaptureFixture[str], option: list[str], words: str
) -> None:
    status, out, err = run(capsys, PEOPLE_CSV, *option)
    assert (status, out) == (2, "")
    assert words in err


# --- stderr display --------------------------------------------------------------------------------


def test_the_progress_bar_draws_on_a_terminal() -> None:
    screen = io.StringIO()
    console = Console(file=screen, force_terminal=True, width=100)
    with ProgressDisplay(console, enabled=True, delay=0) as display:
        display("Pairing people", 0.5)
        assert display.shown
    assert "Pairing people" in screen.getvalue()


def test_the_progress_bar_waits_and_can_be_off() -> None:
    screen = io.StringIO()
    console = Console(file=screen, force_terminal=True)
    with ProgressDisplay(console, enabled=True, delay=60) as display:
        display("Quick", 1.0)
    assert not display.shown
    with ProgressDisplay(console, enabled=False, delay=0) as display:
        display("Hidden", 0.2)
    assert not display.shown
    assert screen.getvalue() == ""


def test_summary_rows_for_mentoring() -> None:
    people = [
        Participant.build("M", 5, role="mentor", capacity=3, function="Sales"),
        Participant.build("E", 1, role="mentee", function="Finance"),
        Participant.build("F", 1, role="mentee"),
    ]
    result = MatchResult(
        mode=Mode.TRADITIONAL,
        params=MatchParams(mode=Mode.TRADITIONAL),
        matches=(MentorMatch("M", "E", 1.5, ()),),
        unmatched=(Unmatched("F", "..."),),
        participants=3,
        placed=1,
        total_score=1.5,
        optimality=Optimality(proven=False, upper_bound=2.0, gap=0.25, method="bound"),
        seconds=1.234,
        mentor_load=MentorLoad(mentors=4, used=1, max=1, gini=0.75, top10_share=1.0),
    )
    rows = dict(summary_rows(result, people))
    assert rows["Placed"] == "1 (50%)"
    assert rows["Matches"] == "1"
    assert rows["Cross-function"] == "100%"
    assert rows["Spare mentor places"] == "2"
    assert rows["Mentors used"] == "1 of 4 (most 1)"
    assert rows["Load Gini"] == "0.75 (top 10% hold 100%)"
    assert rows["Time"] == "1.23 s"
    assert rows["Optimality"] == "gap ≤ 25.00% to bound 2.0000 (bound)"


def test_spread_is_passed_to_the_engine(capsys: pytest.CaptureFixture[str]) -> None:
    status, out, _ = run(capsys, PEOPLE_CSV, "--mode", "open", "--spread", "0", "--quiet")
    assert status == 0
    assert json.loads(out)["stats"]["objective"] == json.loads(out)["stats"]["total_score"]


@pytest.mark.parametrize("mode", ["peer", "traditional"])
def test_a_time_limit_stops_the_engine_with_its_bound(
    capsys: pytest.CaptureFixture[str], tmp_path: Path, mode: str
) -> None:
    """Out of time at once on a pool the engine cannot prove in one step: it still answers with
    valid pairs, says it stopped, and gives a bound at least the optimum, with the gap to it."""
    people = generate_organisation(1000, seed=3, roles=True)
    pool = tmp_path / "pool.csv"
    pool.write_text(participants_to_csv(people), encoding="utf-8")
    status, out, _ = run(capsys, pool, "--mode", mode, "--time-limit", "1e-9", "--quiet")
    assert status == 0
    stopped = json.loads(out)
    status, out, _ = run(capsys, pool, "--mode", mode, "--quiet")
    best = json.loads(out)["stats"]
    assert best["optimality"]["proven"]
    found = stopped["stats"]["optimality"]
    assert found["stopped"]
    assert not found["proven"]
    score = stopped["stats"]["objective"]
    assert best["placed"] >= stopped["stats"]["placed"] > 0
    if best["placed"] == stopped["stats"]["placed"]:
        assert found["upper_bound"] >= best["objective"] - 1e-4 >= score - 2e-4
    assert found["gap"] == pytest.approx((found["upper_bound"] - score) / found["upper_bound"], abs=1e-5)
    groups = stopped["pairs"] if mode == "peer" else stopped["matches"]
    people_in = [g[k] for g in groups for k in (("a", "b") if mode == "peer" else ("mentee",))]
    assert len(people_in) == len(set(people_in))  # nobody placed twice


def test_without_a_time_limit_peer_pairs_are_proven(capsys: pytest.CaptureFixture[str]) -> None:
    status, out, _ = run(capsys, PEOPLE_CSV, "--quiet")
    assert status == 0
    assert json.loads(out)["stats"]["optimality"]["proven"]


def test_a_time_limit_stops_circles_with_valid_circles_and_a_bound(
    capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    """Out of time at once: the circles formed so far are valid, nobody sits in two, and the
    result says it stopped, with a bound at least its score and the gap to it."""
    people = generate_organisation(1000, seed=3, roles=True)
    pool = tmp_path / "pool.csv"
    pool.write_text(participants_to_csv(people), encoding="utf-8")
    status, out, _ = run(capsys, pool, "--mode", "circles", "--time-limit", "1e-9", "--quiet")
    assert status == 0
    stopped = json.loads(out)
    found = stopped["stats"]["optimality"]
    assert found["stopped"]
    assert not found["proven"]
    by_id = {p.id: p for p in people}
    members = [m for c in stopped["circles"] for m in c["members"]]
    assert len(members) == len(set(members)) == stopped["stats"]["placed"] > 0
    params = MatchParams(mode=Mode.CIRCLES)
    assert all(circle_is_valid([by_id[m] for m in c["members"]], params) for c in stopped["circles"])
    score = stopped["stats"]["total_score"]
    assert found["upper_bound"] >= score
    assert found["placed_bound"] >= stopped["stats"]["placed"]
    assert found["gap"] == pytest.approx((found["upper_bound"] - score) / found["upper_bound"], abs=1e-5)
