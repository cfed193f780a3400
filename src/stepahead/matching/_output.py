"""A `MatchResult` written out: the spec's JSON, or a CSV an analyst can open in a spreadsheet.

Both are deterministic: the same result gives the same text, byte for byte (the engine itself is
deterministic for the same input and options, so only `stats.seconds` differs between runs).

CSV columns, one row per pair, match or circle (in the result's order), then one per unmatched
person (in input order):

    kind     pair | match | circle | unmatched
    ids      the people, separated by "; ": pair "a; b", match "mentor; mentee",
             circle the members, unmatched the one id
    score    the group's score (4 decimals); empty for unmatched
    reasons  the group's reasons separated by "; ", or the reason the person is unmatched

Cells that a spreadsheet would run as a formula (starting with = + - @, tab or carriage return)
get a leading apostrophe, because names and ids come from user-supplied files.
"""

from __future__ import annotations

import csv
import dataclasses
import io
import json
from typing import Any

from ._model import Circle, MatchResult, MentorMatch, Mode, Optimality, Pair

JsonObject = dict[str, Any]
CSV_COLUMNS: tuple[str, ...] = ("kind", "ids", "score", "reasons")
_SEPARATOR = "; "
_FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")


def group_list_name(mode: Mode) -> str:
    """The key of the mode's list in the JSON output: pairs, matches or circles."""
    if mode is Mode.PEER:
        return "pairs"
    return "circles" if mode is Mode.CIRCLES else "matches"


def result_to_dict(result: MatchResult) -> JsonObject:
    """The spec's output object; only the mode's own group list is included."""
    out: JsonObject = {
        "mode": result.mode.value,
        group_list_name(result.mode): [_group(g) for g in _groups(result)],
        "unmatched": [{"id": u.id, "reason": u.reason} for u in result.unmatched],
    }
    if result.mode.is_mentoring:
        out["idle_mentors"] = [{"id": u.id, "reason": u.reason} for u in result.idle_mentors]
    out["stats"] = _stats(result)
    return out


def result_to_json(result: MatchResult) -> str:
    """Pretty JSON in the spec's key order, UTF-8 text (names are not escaped), ending in a newline."""
    return json.dumps(result_to_dict(result), indent=2, ensure_ascii=False) + "\n"


def result_to_csv(result: MatchResult) -> str:
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\n")
    writer.writerow(CSV_COLUMNS)
    kind = {"pairs": "pair", "matches": "match", "circles": "circle"}[group_list_name(result.mode)]
    for group in _groups(result):
        reasons = _SEPARATOR.join(group.reasons)
        writer.writerow((kind, _safe(_SEPARATOR.join(_ids(group))), f"{group.score:.4f}", _safe(reasons)))
    for person in result.unmatched:
        writer.writerow(("unmatched", _safe(person.id), "", _safe(person.reason)))
    return out.getvalue()


def _groups(result: MatchResult) -> tuple[Pair | MentorMatch | Circle, ...]:
    if result.mode is Mode.PEER:
        return result.pairs
    return result.circles if result.mode is Mode.CIRCLES else result.matches


def _ids(group: Pair | MentorMatch | Circle) -> tuple[str, ...]:
    if isinstance(group, Pair):
        return (group.a, group.b)
    if isinstance(group, MentorMatch):
        return (group.mentor, group.mentee)
    return group.members


def _group(group: Pair | MentorMatch | Circle) -> JsonObject:
    if isinstance(group, Pair):
        people: JsonObject = {"a": group.a, "b": group.b}
    elif isinstance(group, MentorMatch):
        people = {"mentor": group.mentor, "mentee": group.mentee}
    else:
        people = {"members": list(group.members)}
    return {**people, "score": round(group.score, 4), "reasons": list(group.reasons)}


def _stats(result: MatchResult) -> JsonObject:
    stats: JsonObject = {
        "participants": result.participants,
        "placed": result.placed,
        "total_score": round(result.total_score, 4),
        "objective": round(result.objective, 4),
        "seconds": round(result.seconds, 3),
    }
    if result.mentor_load is not None:
        stats["mentor_load"] = dataclasses.asdict(result.mentor_load)
    if result.optimality is not None:
        stats["optimality"] = _optimality(result.optimality)
    return stats


def _optimality(optimality: Optimality) -> JsonObject:
    return {
        # Plain Python values: a solver may hand back numpy scalars, which json cannot write.
        "proven": bool(optimality.proven),
        "upper_bound": round(float(optimality.upper_bound), 4),
        # More decimals than scores: a gap of 0.00004 is still worth seeing as non-zero.
        "gap": round(float(optimality.gap), 6),
        "method": optimality.method,
        **({} if optimality.placed_bound is None else {"placed_bound": optimality.placed_bound}),
        **({"stopped": True} if optimality.stopped else {}),
    }


def _safe(text: str) -> str:
    return "'" + text if text.startswith(_FORMULA_STARTS) else text
