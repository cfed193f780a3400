"""Results written out: the spec's JSON shape, and a CSV for spreadsheets; both deterministic."""

from __future__ import annotations

import csv
import io
import json

import pytest

from stepahead.matching import (
    Circle,
    MatchParams,
    MatchResult,
    MentorMatch,
    Mode,
    Optimality,
    Pair,
    Unmatched,
    result_to_csv,
    result_to_dict,
    result_to_json,
)

PEER = MatchResult(
    mode=Mode.PEER,
    params=MatchParams(),
    pairs=(
        Pair("E1", "E2", 1.23456789, ("Ana is one step ahead of Ben in negotiation (3 vs 2)", "Both asked")),
    ),
    unmatched=(Unmatched("E3", "no one within 1 grade of Zoë is ahead of Zoë in any of Zoë's goals (sql)"),),
    participants=3,
    placed=2,
    total_score=1.23456789,
    objective=1.23456789,
    optimality=Optimality(proven=False, upper_bound=1.500001, gap=0.1769741, method="lagrangian"),
    seconds=0.123456,
)
MENTORING = MatchResult(
    mode=Mode.TRADITIONAL,
    params=MatchParams(mode=Mode.TRADITIONAL),
    matches=(MentorMatch("M1", "E4", 0.95, ("Mia is ahead of Ben in negotiation (5 vs 2)",)),),
    participants=2,
    placed=1,
    total_score=0.95,
    objective=0.95,
)
CIRCLES = MatchResult(
    mode=Mode.CIRCLES,
    params=MatchParams(mode=Mode.CIRCLES),
    circles=(Circle(("E1", "E5", "E7"), 3.1, ("Functions represented: Sales, Finance",)),),
    unmatched=(Unmatched("=HYPERLINK(1)", "-no one else is within 2 grades"),),
    participants=4,
    placed=3,
    total_score=3.1,
    objective=3.1,
)


def test_peer_result_has_the_spec_shape() -> None:
    assert result_to_dict(PEER) == {
        "mode": "peer",
        "pairs": [
            {
                "a": "E1",
                "b": "E2",
                "score": 1.2346,
                "reasons": ["Ana is one step ahead of Ben in negotiation (3 vs 2)", "Both asked"],
            }
        ],
        "unmatched": [
            {"id": "E3", "reason": "no one within 1 grade of Zoë is ahead of Zoë in any of Zoë's goals (sql)"}
        ],
        "stats": {
            "participants": 3,
            "placed": 2,
            "total_score": 1.2346,
            "objective": 1.2346,
            "seconds": 0.123,
            "optimality": {"proven": False, "upper_bound": 1.5, "gap": 0.176974, "method": "lagrangian"},
        },
    }


def test_key_order_is_the_specs() -> None:
    data = json.loads(result_to_json(PEER))
    assert list(data) == ["mode", "pairs", "unmatched", "stats"]
    assert list(data["pairs"][0]) == ["a", "b", "score", "reasons"]
    assert list(data["stats"]) == [
        "participants",
        "placed",
        "total_score",
        "objective",
        "seconds",
        "optimality",
    ]


@pytest.mark.parametrize(
    ("result", "key", "group"),
    [
        (MENTORING, "matches", {"mentor": "M1", "mentee": "E4", "score": 0.95}),
        (CIRCLES, "circles", {"members": ["E1", "E5", "E7"], "score": 3.1}),
    ],
)
def test_only_the_modes_own_list_is_written(result: MatchResult, key: str, group: dict[str, object]) -> None:
    data = result_to_dict(result)
    assert [k for k in data if k in ("pairs", "matches", "circles")] == [key]
    assert data[key][0].items() >= group.items()
    assert "optimality" not in data["stats"]


def test_json_is_deterministic_utf8_text() -> None:
    text = result_to_json(PEER)
    assert text == result_to_json(PEER)
    assert text.endswith("}\n")
    assert "Zoë" in text  # not escaped to \u00eb
    assert json.loads(text) == result_to_dict(PEER)


def test_csv_has_one_row_per_group_and_per_unmatched() -> None:
    rows = list(csv.reader(io.StringIO(result_to_csv(PEER))))
    assert rows == [
        ["kind", "ids", "score", "reasons"],
        ["pair", "E1; E2", "1.2346", "Ana is one step ahead of Ben in negotiation (3 vs 2); Both asked"],
        ["unmatched", "E3", "", "no one within 1 grade of Zoë is ahead of Zoë in any of Zoë's goals (sql)"],
    ]
    assert result_to_csv(PEER) == result_to_csv(PEER)


def test_csv_rows_for_matches_and_circles_and_formula_guard() -> None:
    [_, match] = csv.reader(io.StringIO(result_to_csv(MENTORING)))
    assert match[:3] == ["match", "M1; E4", "0.9500"]
    [_, circle, unmatched] = csv.reader(io.StringIO(result_to_csv(CIRCLES)))
    assert circle[:3] == ["circle", "E1; E5; E7", "3.1000"]
    assert unmatched == ["unmatched", "'=HYPERLINK(1)", "", "'-no one else is within 2 grades"]
