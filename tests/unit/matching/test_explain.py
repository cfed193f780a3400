"""Explanations for hand-built solutions: reasons name skills and levels, unmatched reasons say why.

The solvers are not used here: each test states the solution it explains."""

from __future__ import annotations

import random
from dataclasses import replace

import numpy as np
import pytest

from stepahead.matching import (
    MatchParams,
    MatchResult,
    Mode,
    Optimality,
    Participant,
    explain_group,
    hard_rules_allow,
    match,
    mentoring_weight,
    peer_weight,
    value_given,
)
from stepahead.matching._engine import solver_for
from stepahead.matching._explain import Diagnosis, _relations, explain
from stepahead.matching._population import compile_population
from stepahead.matching._solution import Solution
from stepahead.matching.circles import existence as circles_existence
from stepahead.matching.mentoring.reach import Side, lowest_bits, pack, reach

P = Participant.build


def run(
    people: list[Participant],
    groups: list[tuple[int, ...]],
    mode: Mode = Mode.PEER,
    scores: list[float] | None = None,
    optimality: Optimality | None = None,
    **options: int,
) -> MatchResult:
    params = MatchParams(mode=mode, **options)  # type: ignore[arg-type]
    pop = compile_population(people, params)
    solution = Solution(tuple(groups), tuple(scores or [1.0] * len(groups)), optimality)
    return explain(pop, params, solution, solver_for(mode)[1])


def reasons_by_id(result: MatchResult) -> dict[str, str]:
    return {u.id: u.reason for u in result.unmatched}


# --- peer ------------------------------------------------------------------------------------------

ANA = P(
    "E1",
    3,
    name="Ana",
    function="Sales",
    skills={"negotiation": 3, "data analysis": 2},
    goals=["data analysis"],
    prefer=["E2"],
)
BEN = P(
    "E2",
    3,
    name="Ben",
    function="Finance",
    skills={"negotiation": 2, "data analysis": 4},
    goals=["negotiation"],
    prefer=["E1"],
)


def test_a_peer_pair_says_who_is_ahead_in_what_both_ways() -> None:
    [pair] = run([ANA, BEN], [(1, 0)], scores=[1.234567]).pairs
    assert (pair.a, pair.b, pair.score) == ("E1", "E2", 1.2346)
    assert pair.reasons == (
        "Ana is one step ahead of Ben in negotiation (3 vs 2)",
        "Ben is ahead of Ana in data analysis (4 vs 2)",
        "Sales meets Finance",
        "Both asked to be paired",
    )


def test_ids_stand_in_for_missing_names_and_one_sided_wishes() -> None:
    a = P("A", 1, skills={"sql": 2}, goals=["excel"], prefer=["B"])
    b = P("B", 1, skills={"excel": 5}, goals=["sql"])
    [pair] = run([a, b], [(0, 1)]).pairs
    assert pair.reasons == (
        "A is ahead of B in sql (2 vs 0)",
        "B is ahead of A in excel (5 vs 0)",
        "A asked to be paired with B",
    )


def test_result_totals_and_order() -> None:
    people = [P(f"E{k}", 1, skills={"x": k % 2 + 1}, goals=["x"]) for k in range(6)]
    proof = Optimality(proven=True, upper_bound=3.0, gap=0.0, method="exact")
    result = run(people, [(5, 4), (0, 1)], scores=[1.00004, 2.00004], optimality=proof)
    assert [(p.a, p.b) for p in result.pairs] == [("E0", "E1"), ("E4", "E5")]
    assert (result.participants, result.placed, result.total_score) == (6, 4, 3.0001)
    assert result.optimality is proof
    assert [u.id for u in result.unmatched] == ["E2", "E3"]
    assert result.matches == result.circles == ()


@pytest.mark.parametrize(
    ("extra", "words"),
    [
        (
            P("E3", 3, name="Eve", skills={"negotiation": 1}),
            "Eve has no goals listed: add up to 3 skills to grow",
        ),
        (P("E3", 9, name="Eve", goals=["negotiation"]), "no one else is within 1 grade of Eve (grade 9)"),
        (
            P("E3", 3, name="Eve", skills={"negotiation": 5, "python": 4}, goals=["negotiation", "python"]),
            "no one within 1 grade of Eve is ahead of Eve in any of Eve's goals (negotiation, python)",
        ),
        (
            P("E3", 3, name="Eve", goals=["negotiation"], languages=["fr"]),
            "the only peers within 1 grade of Eve who are ahead of Eve do not share a language with Eve",
        ),
        (
            P("E3", 3, name="Eve", goals=["negotiation"], exclude=["E1"], manager_id="E2"),
            "all peers within 1 grade of Eve who are ahead of Eve are excluded (by Eve or by them) "
            "or in Eve's reporting line",
        ),
        (
            P("E3", 3, name="Eve", goals=["negotiation"], exclude=["E1"], languages=["fr"]),
            "are excluded, in Eve's reporting line (line manager or direct report), or share no language",
        ),
        (
            P("E3", 3, name="Eve", goals=["negotiation"]),
            "2 peers within 1 grade of Eve could help Eve (Ana, Ben), but Eve is not ahead of any of them",
        ),
        (
            P("E3", 3, name="Eve", skills={"data analysis": 3}, goals=["negotiation"]),
            "eligible peers exist (1: Ana) but were all placed with better fits",
        ),
    ],
)
def test_unmatched_peer_reasons_say_why(extra: Participant, words: str) -> None:
    ana = P("E1", 3, name="Ana", skills={"negotiation": 3}, goals=["data analysis"], languages=["en"])
    ben = P(
        "E2",
        3,
        name="Ben",
        skills={"negotiation": 2, "data analysis": 4},
        goals=["negotiation"],
        languages=["en", "de"],
    )
    result = run([ana, ben, extra], [(0, 1)])
    assert words in reasons_by_id(result)["E3"]


def test_a_zero_band_reads_same_grade() -> None:
    people = [P("A", 1, goals=["x"]), P("B", 2, skills={"x": 1}, goals=["y"])]
    reasons = reasons_by_id(run(people, [], band=0))
    assert reasons["A"] == "no one else is at the same grade as A (grade 1)"


def test_eligible_partners_left_unmatched_are_named_as_a_manual_option() -> None:
    people = [P("A", 1, skills={"x": 1}, goals=["y"]), P("B", 1, skills={"y": 1}, goals=["x"])]
    reasons = reasons_by_id(run(people, []))
    assert reasons["A"] == "eligible peers are also unmatched (B): a manual pairing is possible"


def test_long_name_lists_are_shortened() -> None:
    helpers = [P(f"H{k}", 1, skills={"x": 2}, goals=["y"]) for k in range(5)]
    people = [*helpers, P("E", 1, skills={"y": 1}, goals=["x"]), P("Z", 1, skills={"y": 1})]
    result = run(people, [(0, 6), (1, 6), (2, 6), (3, 6), (4, 6)])  # only the shape matters here
    assert reasons_by_id(result)["E"] == (
        "eligible peers exist (5: H0, H1, H2 and 2 more) but were all placed with better fits"
    )


def random_pool(seed: int, size: int = 14) -> list[Participant]:
    rng = random.Random(seed)
    skills = ["a", "b", "c", "d"]
    ids = [f"P{k}" for k in range(size)]
    return [
        P(
            pid,
            rng.randint(1, 4),
            skills={s: rng.randint(0, 5) for s in rng.sample(skills, rng.randint(0, 4))},
            goals=rng.sample(skills, rng.randint(0, 3)),
            languages=rng.sample(["en", "de", "fr"], rng.randint(0, 2)),
            exclude=rng.sample([i for i in ids if i != pid], rng.choice([0, 0, 1])),
            manager_id=rng.choice(["", *ids]) if rng.random() < 0.2 else "",
            role=rng.choice(["mentor", "mentee", "both"]),
            capacity=rng.randint(0, 2),
        )
        for pid in ids
    ]


@pytest.mark.parametrize("seed", range(25))
def test_peer_diagnosis_agrees_with_the_spec_weight(seed: int) -> None:
    """With nobody placed, a person has 'eligible peers' exactly when some pair is eligible."""
    people = random_pool(seed)
    params = MatchParams(band=1)
    reasons = reasons_by_id(run(people, []))
    for p in people:
        partners = [q.id for q in people if q is not p and peer_weight(p, q, params) is not None]
        assert reasons[p.id].startswith("eligible peers are also unmatched") == bool(partners), reasons[p.id]


@pytest.mark.parametrize("mode", [Mode.TRADITIONAL, Mode.REVERSE, Mode.OPEN])
@pytest.mark.parametrize("seed", range(15))
def test_mentoring_diagnosis_agrees_with_the_spec_weight(mode: Mode, seed: int) -> None:
    people = random_pool(seed)
    params = MatchParams(mode=mode)
    reasons = reasons_by_id(run(people, [], mode=mode))
    for p in people:
        if p.role is None or not p.role.is_mentored:
            assert p.id not in reasons
            continue
        mentors = [
            m for m in people if m.role and m.role.mentors and m.capacity and mentoring_weight(m, p, params)
        ]
        assert reasons[p.id].startswith("mentors with room left") == bool(mentors), reasons[p.id]


# --- mentoring -------------------------------------------------------------------------------------


def mentoring_pool() -> list[Participant]:
    return [
        P(
            "M1",
            7,
            name="Mia",
            role="mentor",
            function="Legal",
            skills={"negotiation": 5, "python": 1},
            capacity=1,
            prefer=["E1"],
        ),
        P(
            "E1",
            3,
            name="Ben",
            role="mentee",
            function="Sales",
            skills={"negotiation": 2},
            goals=["negotiation", "python"],
        ),
        P("E2", 3, name="Cy", role="mentee", goals=["negotiation"]),
        P("M2", 6, name="Dee", role="mentor", skills={"negotiation": 4}, capacity=0),
        P("B1", 9, name="Bo", role="both", skills={"negotiation": 5}, goals=["python"], capacity=0),
        P("M3", 5, name="Idle", role="mentor", skills={"excel": 5}, capacity=3),
    ]


def test_a_match_says_what_the_mentor_offers_in_the_mentees_goals() -> None:
    result = run(mentoring_pool(), [(0, 1)], mode=Mode.TRADITIONAL, scores=[1.95])
    [match] = result.matches
    assert (match.mentor, match.mentee, match.score) == ("M1", "E1", 1.95)
    assert match.reasons == (
        "Mia is ahead of Ben in negotiation (5 vs 2)",
        "Mia is one step ahead of Ben in python (1 vs 0)",
        "Legal meets Sales",
        "Mia asked to be matched with Ben",
    )
    assert result.placed == 1
    assert result.pairs == result.circles == ()


def test_mentors_with_spare_capacity_are_not_unmatched_but_lonely_both_people_are() -> None:
    result = run(mentoring_pool(), [(0, 1)], mode=Mode.TRADITIONAL)
    reasons = reasons_by_id(result)
    assert list(reasons) == ["E2", "B1"]  # not M1, M2, M3: mentors are never "unmatched"
    assert reasons["E2"] == "eligible mentors exist (1: Mia) but all their places went to better fits"
    assert reasons["B1"] == "no mentor is more senior than Bo (grade 9)"


def test_a_both_person_who_mentors_is_not_unmatched() -> None:
    people = mentoring_pool()
    people[4] = P("B1", 9, name="Bo", role="both", skills={"negotiation": 5}, goals=["python"])
    result = run(people, [(4, 2)], mode=Mode.TRADITIONAL)
    assert "B1" not in reasons_by_id(result)
    assert reasons_by_id(result)["E1"].startswith("mentors with room left could take Ben (Mia")


def with_mentee(extra: Participant) -> list[Participant]:
    return [*mentoring_pool(), extra]


@pytest.mark.parametrize(
    ("mode", "people", "words"),
    [
        (Mode.TRADITIONAL, with_mentee(P("X", 4, role="mentee")), "X has no goals listed"),
        (
            Mode.TRADITIONAL,
            with_mentee(P("X", 4, goals=["python"])),
            "X has no role: set mentor, mentee or both",
        ),
        (
            Mode.TRADITIONAL,
            with_mentee(P("X", 4, role="mentee", skills={"python": 1}, goals=["python"])),
            "no mentor more senior than X is ahead of X in X's goals (python)",
        ),
        (
            Mode.REVERSE,
            with_mentee(P("X", 4, role="mentee", goals=["negotiation"])),
            "no mentor is more junior than X (grade 4)",
        ),
        (
            Mode.OPEN,
            [
                P("M1", 1, role="mentor", skills={"negotiation": 3}, languages=["en"]),
                P("X", 4, role="mentee", goals=["negotiation"], languages=["fr"]),
            ],
            "the only mentors who are ahead of X do not share a language with X",
        ),
        (
            Mode.TRADITIONAL,
            with_mentee(P("X", 4, role="mentee", goals=["negotiation"], exclude=["M1", "B1"])),
            "the only mentors who could help X (Dee) have capacity 0",
        ),
    ],
)
def test_unmatched_mentee_reasons_say_why(mode: Mode, people: list[Participant], words: str) -> None:
    reasons = reasons_by_id(run(people, [], mode=mode))
    assert reasons["X"] == words if words.startswith("the only") else words in reasons["X"]


def test_open_mode_with_no_other_mentor() -> None:
    people = [P("M", 1, role="both", goals=["x"]), P("E", 1, role="mentee", goals=["x"])]
    reasons = reasons_by_id(run(people, [], mode=Mode.OPEN))
    assert reasons["M"] == "there are no other mentors"
    assert reasons["E"] == "no mentor is ahead of E in E's goals (x)"


# --- circles ---------------------------------------------------------------------------------------


def circle_pool() -> list[Participant]:
    return [
        P(
            "C1",
            2,
            name="Ana",
            function="Sales",
            skills={"sql": 1, "excel": 3},
            goals=["python"],
            prefer=["C2"],
        ),
        P(
            "C2",
            2,
            name="Ben",
            function="Finance",
            skills={"python": 1},
            goals=["excel", "sql"],
            prefer=["C1"],
        ),
        P("C3", 3, name="Cy", function="Sales", skills={"python": 4, "sql": 3}, goals=["excel"]),
        P("C4", 9, name="Far", goals=["excel"]),
        P("C5", 2, name="Eve", skills={"python": 5}, goals=["sql"], exclude=["C3"]),
    ]


def test_a_circle_says_who_covers_whose_goals_and_which_functions_meet() -> None:
    result = run(circle_pool(), [(2, 0, 1)], mode=Mode.CIRCLES, scores=[3.14159])
    [circle] = result.circles
    assert (circle.members, circle.score) == (("C1", "C2", "C3"), 3.1416)
    assert circle.reasons == (
        "Ben is one step ahead of Ana in python (1 vs 0)",  # one step beats Cy's 4 under one-step
        "Ana is ahead of Ben in excel (3 vs 0)",
        "Ana is one step ahead of Ben in sql (1 vs 0)",
        "Ana is ahead of Cy in excel (3 vs 0)",
        "Functions represented: Sales, Finance",
        "Both asked to be in the same circle",
    )
    assert result.placed == 3


def test_unmatched_circle_reasons() -> None:
    reasons = reasons_by_id(run(circle_pool(), [(0, 1, 2)], mode=Mode.CIRCLES))
    assert reasons["C4"] == "no one else is within 2 grades of Far (grade 9)"
    assert reasons["C5"] == (
        "Eve could only join a circle by breaking up a better one: every valid circle with Eve "
        "takes people from circles with better fits (placing more people or scoring more)"
    )


def test_an_unplaced_person_no_valid_circle_contains_is_told_so() -> None:
    people = [
        P("A", 1, name="Ann", skills={"s": 3}, goals=["t"], exclude=["B"]),
        P("B", 1, name="Bob", skills={"t": 2}, goals=["t"]),
        P("X", 1, name="Xi", skills={"s": 2, "t": 3}, goals=["s"]),
    ]
    reasons = reasons_by_id(run(people, [], mode=Mode.CIRCLES))
    assert reasons["X"] == (
        "no valid circle contains Xi: among 2 possible circle-mates (Ann, Bob) no group of 3 to 5 "
        "has everyone giving and receiving within a grade spread of 2"
    )


def test_no_valid_circle_among_many_possible_circle_mates_is_told_so() -> None:
    """Ninety could sit with Nia: those ahead of her learn design, which nobody has, and those
    behind learn only from her. Nobody's circle holds her, and she is told so (not that others
    were placed with better fits)."""
    ahead = [P(f"A{k}", 3, skills={"python": 4}, goals=["design"]) for k in range(45)]
    behind = [P(f"B{k}", 3, skills={"sql": 1}, goals=["sql"]) for k in range(45)]
    newcomer = P("N", 3, name="Nia", skills={"python": 2, "sql": 3}, goals=["python"])
    reasons = reasons_by_id(run([newcomer, *ahead, *behind], [], mode=Mode.CIRCLES))
    assert reasons["N"].startswith("no valid circle contains Nia: among 90 possible circle-mates")


def test_when_the_search_for_a_circle_gives_up_the_reason_says_who_was_placed_instead() -> None:
    """Past its budget the existence search cannot tell whether a circle holds Eve: she is told
    that people who could sit with her were placed in circles with better fits."""
    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(circles_existence, "WORK", 1)
        reasons = reasons_by_id(run(circle_pool(), [(0, 1, 2)], mode=Mode.CIRCLES))
    assert reasons["C5"] == (
        "possible circle-mates exist (2: Ana, Ben) but all were placed in circles with better fits"
    )


def test_someone_with_no_goals_is_told_a_circle_needs_them() -> None:
    people = [*circle_pool()[:3], P("N", 2, name="Noa", skills={"excel": 4})]
    reasons = reasons_by_id(run(people, [(0, 1, 2)], mode=Mode.CIRCLES))
    assert reasons["N"] == (
        "Noa has no goals listed: add up to 3 skills to grow so a circle that helps with them can be found"
    )


def test_circle_needs_three_and_giving() -> None:
    people = [
        P("A", 1, skills={"x": 2}, goals=["y"]),
        P("B", 1, skills={"y": 2}, goals=["x"]),
        P("C", 1, goals=["x"]),
    ]
    reasons = reasons_by_id(run(people, [], mode=Mode.CIRCLES))
    assert (
        reasons["C"]
        == "C is not ahead of anyone within 2 grades of C (who may share a circle) in their goals"
    )
    two = reasons_by_id(run(people[:2], [], mode=Mode.CIRCLES))
    assert two["A"] == "only B can share a circle with A, and a circle needs 3 people"


def reach_pool(seed: int, size: int, languages: int) -> list[Participant]:
    """Enough mentors to span several 64-bit words, and grades, languages and rules to filter by."""
    rng = random.Random(seed)
    skills, tongues = ["a", "b", "c", "d", "e"], [f"l{k}" for k in range(languages)]
    ids = [f"P{k}" for k in range(size)]
    return [
        P(
            pid,
            rng.randint(1, 6),
            skills={s: rng.randint(0, 5) for s in rng.sample(skills, rng.randint(0, 5))},
            goals=rng.sample(skills, rng.randint(0, 3)),
            languages=rng.sample(tongues, rng.choice([0, 1, 1, 2])),
            exclude=rng.sample(ids, rng.choice([0, 0, 3])),
            manager_id=rng.choice(ids) if rng.random() < 0.3 else "",
            role=rng.choice(["mentor", "mentor", "mentee", "both"]),
            capacity=rng.randint(0, 3),
        )
        for pid in ids
    ]


@pytest.mark.parametrize("mode", [Mode.TRADITIONAL, Mode.REVERSE, Mode.OPEN])
@pytest.mark.parametrize(("seed", "languages"), [(0, 3), (1, 3), (2, 70)])
def test_mentor_bitsets_agree_with_the_rules_pair_by_pair(mode: Mode, seed: int, languages: int) -> None:
    """The bitset counts and first names equal a plain filter over every mentor, in input order."""
    people = reach_pool(seed, 400, languages)
    params = MatchParams(mode=mode)
    pop = compile_population(people, params)
    rng = random.Random(seed)
    mentors = [k for k, p in enumerate(people) if p.role is not None and p.role.mentors]
    capacity = np.array([people[k].capacity for k in mentors], dtype=np.int64)
    load = np.array([rng.randint(0, c) for c in capacity], dtype=np.int64)
    side = Side(np.array(mentors, dtype=np.int64), capacity, load)
    mentees = np.array([k for k, p in enumerate(people) if p.role and p.role.is_mentored], dtype=np.int64)
    found = reach(pop, mode, side, mentees, _relations(pop))
    at = {m: k for k, m in enumerate(mentors)}
    for row, i in enumerate(mentees):
        p = people[i]
        candidates = [k for k in mentors if k != i and on_side(mode, people[k], p)]
        helpers = [k for k in candidates if value_given(people[k], p, params.profile) > 0]
        allowed = [k for k in helpers if hard_rules_allow(people[k], p)]
        able = [k for k in allowed if capacity[at[k]] > 0]
        room = [k for k in able if load[at[k]] < capacity[at[k]]]
        sets = (candidates, helpers, allowed, able, room)
        counts = (found.candidates, found.helpers, found.allowed, found.able, found.room)
        assert [len(s) for s in sets] == [int(c[row]) for c in counts]
        if room:
            assert list(found.first_room[row]) == (room[:3] + [-1] * 3)[:3]
        elif able:
            assert list(found.first_able[row]) == (able[:3] + [-1] * 3)[:3]
        else:
            assert list(found.first_allowed[row]) == (allowed[:3] + [-1] * 3)[:3]


def on_side(mode: Mode, mentor: Participant, mentee: Participant) -> bool:
    if mode is Mode.TRADITIONAL:
        return mentor.grade > mentee.grade
    return mentor.grade < mentee.grade if mode is Mode.REVERSE else True


def test_lowest_bits_cross_words() -> None:
    mask = np.zeros((3, 200), dtype=np.bool_)
    mask[0, [5, 63, 64, 150]] = True
    mask[1, [199]] = True
    assert lowest_bits(pack(mask, 4)).tolist() == [[5, 63, 64], [199, -1, -1], [-1, -1, -1]]


# --- explain_group: a group assembled by hand, worded as match() words its own ----------------------


@pytest.mark.parametrize("seed", range(6))
def test_explain_group_gives_the_same_score_and_reasons_as_match(seed: int) -> None:
    """Whatever match() proposes, explain_group says about the same members, word for word."""
    rng = random.Random(seed)
    skills = ["sql", "excel", "python", "negotiation"]
    mode = [Mode.PEER, Mode.TRADITIONAL, Mode.CIRCLES][seed % 3]
    people = [
        P(
            f"E{k}",
            rng.randint(1, 4),
            name=f"N{k}",
            function=rng.choice(["Sales", "Data", ""]),
            skills={s: rng.randint(0, 5) for s in rng.sample(skills, 3)},
            goals=rng.sample(skills, 2),
            role=(["mentor", "mentee"][k % 2] if mode.is_mentoring else None),
        )
        for k in range(16)
    ]
    params = MatchParams(mode=mode, circle_band=3)
    by_id = {p.id: p for p in people}
    result = match(people, params)
    groups = [
        *[((g.a, g.b), g) for g in result.pairs],
        *[((g.mentor, g.mentee), g) for g in result.matches],
        *[(g.members, g) for g in result.circles],
    ]
    assert groups
    for ids, group in groups:
        again = explain_group([by_id[i] for i in ids], params)
        assert (again.score, again.reasons) == (group.score, group.reasons)


def test_explain_group_refuses_a_group_the_rules_do_not_allow() -> None:
    far = P("F", 9, skills={"negotiation": 5}, goals=["data analysis"])
    with pytest.raises(ValueError, match="peer pair"):
        explain_group([ANA, far], MatchParams(mode=Mode.PEER))
    with pytest.raises(ValueError, match="two members"):
        explain_group([ANA, BEN, far], MatchParams(mode=Mode.PEER))
    with pytest.raises(ValueError, match="mentoring"):
        explain_group([ANA, BEN], MatchParams(mode=Mode.TRADITIONAL))
    with pytest.raises(ValueError, match="circle"):
        explain_group([ANA, BEN], MatchParams(mode=Mode.CIRCLES))
    [pair] = run([ANA, BEN], [(0, 1)], scores=[peer_weight(ANA, BEN, MatchParams()) or 0]).pairs
    assert explain_group([ANA, BEN], MatchParams()) == pair


# --- exact ties (issue 12 §4) ----------------------------------------------------------------------


def test_a_peer_who_lost_out_on_an_exact_tie_hears_equally_good_fits() -> None:
    twins = [P(f"T{k}", 2, skills={"x": 2, "y": 1}, goals=["y"]) for k in range(2)]
    giver = P("G", 2, skills={"y": 2, "x": 1}, goals=["x"])
    result = match([giver, *twins])
    assert result.placed == 2
    [lost] = result.unmatched
    assert lost.reason == "eligible peers exist (1: G) but were all placed with equally good fits"


def test_a_mentee_who_lost_out_on_an_exact_tie_hears_equally_good_fits() -> None:
    mentor = P("M", 5, skills={"x": 3}, role="mentor")
    twins = [P(f"E{k}", 1, skills={"x": 2}, goals=["x"], role="mentee") for k in range(2)]
    result = match([mentor, *twins], MatchParams(mode=Mode.TRADITIONAL))
    [lost] = result.unmatched
    assert lost.reason == "eligible mentors exist (1: M) but all their places went to equally good fits"


def test_a_mentee_who_lost_out_to_a_better_fit_hears_better_fits() -> None:
    mentor = P("M", 5, skills={"x": 3}, role="mentor")
    better = P("E0", 1, skills={"x": 2}, goals=["x"], role="mentee")
    worse = P("E1", 1, skills={"x": 0}, goals=["x"], role="mentee")
    result = match([mentor, better, worse], MatchParams(mode=Mode.TRADITIONAL))
    assert reasons_by_id(result)["E1"].endswith("went to better fits")


# --- labels as written (spec 1.1) --------------------------------------------------------------------


def test_reasons_quote_labels_as_the_file_first_spelled_them() -> None:
    from stepahead.matching import parse_participants

    text = (
        "id,name,function,grade,skills,goals\n"
        "E1,Ana,Customer Service,3,SQL:3; Data Analysis:1,data analysis\n"
        "E2,Ben,HR,3,sql:2; data analysis:3,Sql\n"
    )
    result = match(parse_participants(text, file_format="csv"))
    [pair] = result.pairs
    assert pair.reasons == (
        "Ana is one step ahead of Ben in SQL (3 vs 2)",
        "Ben is ahead of Ana in Data Analysis (3 vs 1)",
        "Customer Service meets HR",
    )


def test_hand_built_groups_quote_their_members_spelling() -> None:
    ana = P("E1", 3, name="Ana", function="People Ops", skills={"Python": 3}, goals=["Excel"])
    ben = P("E2", 3, name="Ben", function="finance", skills={"excel": 2}, goals=["python"])
    pair = explain_group([ana, ben], MatchParams())
    assert "Ana is ahead of Ben in Python (3 vs 0)" in pair.reasons
    assert "People Ops meets Finance" in pair.reasons  # nobody spelled finance otherwise


def test_two_people_with_one_name_are_told_apart_by_id() -> None:
    """The demo listed "Elias Wagner, Elias Wagner": two mentors share the name, so a reason
    naming both gives each one's id; a name nobody else has stays bare."""
    mentors = [
        Participant.build(pid, 5, name="Elias Wagner", skills={"sql": 4}, role="mentor", capacity=1)
        for pid in ("M1", "M2")
    ]
    mentees = [
        Participant.build(pid, 1, name=name, skills={"sql": level}, goals=["sql"], role="mentee")
        for pid, name, level in (("E1", "Ana", 1), ("E2", "Bo", 1), ("E3", "Cy", 3))
    ]
    result = match([*mentors, *mentees], MatchParams(mode=Mode.TRADITIONAL))
    (left_out,) = result.unmatched
    assert "Elias Wagner (M1), Elias Wagner (M2)" in left_out.reason
    assert "Cy (" not in left_out.reason


def test_reasons_refuse_a_profile_that_gives_some_positive_gap_no_value() -> None:
    """The reasons compare levels instead of summing utilities, which is only right while every
    step ahead is worth something (both spec profiles): another profile must say so first."""
    params = MatchParams()
    pop = compile_population([ANA, BEN], params)
    flat_at_two = replace(pop, utility=np.array([0.0, 1.0, 0.0, 1.0, 1.0, 1.0]))
    with pytest.raises(ValueError, match="every positive gap has a positive step utility"):
        Diagnosis(flat_at_two, params, [])
