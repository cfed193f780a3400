"""The synthetic organisation: deterministic, organisation-shaped, and valid matching input."""

from __future__ import annotations

import csv
import io
import re
import statistics
from collections import Counter

import pytest

from stepahead.matching import MatchParams, Participant, Role, peer_weight
from stepahead.synthetic import (
    CSV_COLUMNS,
    DIGITAL_SKILLS,
    FUNCTIONS,
    GRADE_SHARES,
    GRADES,
    LOCATIONS,
    SHAPES,
    SKILLS,
    Shape,
    generate_employees,
    generate_organisation,
    participants_to_csv,
)

SIZE = 20_000


@pytest.fixture(scope="module")
def people() -> list[Participant]:
    return generate_organisation(SIZE, seed=7)


@pytest.fixture(scope="module")
def by_id(people: list[Participant]) -> dict[str, Participant]:
    return {p.id: p for p in people}


def _mean_level(people: list[Participant], skill: str, grades: set[int]) -> float:
    return statistics.fmean(p.level(skill) for p in people if p.grade in grades)


# --- determinism and size ---------------------------------------------------------------------


def test_same_seed_gives_the_same_organisation() -> None:
    assert generate_organisation(500, seed=3, roles=True) == generate_organisation(500, seed=3, roles=True)


def test_another_seed_gives_another_organisation() -> None:
    assert generate_organisation(500, seed=3) != generate_organisation(500, seed=4)


def test_roles_are_an_overlay_on_the_same_people() -> None:
    plain = generate_organisation(300, seed=5)
    cast = generate_organisation(300, seed=5, roles=True)
    assert [(p.id, p.grade, p.skills, p.goals) for p in plain] == [
        (p.id, p.grade, p.skills, p.goals) for p in cast
    ]


@pytest.mark.parametrize("size", [0, 1, 2, 37, 1000])
def test_size_is_honoured_with_unique_ids(size: int) -> None:
    people = generate_organisation(size, roles=True)
    assert len(people) == size
    assert len({p.id for p in people}) == size


def test_negative_size_is_refused() -> None:
    with pytest.raises(ValueError, match="size"):
        generate_organisation(-1)


# --- organisation shape -------------------------------------------------------------------------


def test_grades_form_a_pyramid(people: list[Participant]) -> None:
    counts = Counter(p.grade for p in people)
    assert set(counts) == set(GRADES)
    shares = [counts[g] / SIZE for g in GRADES]
    assert shares == pytest.approx(list(GRADE_SHARES), abs=0.015)
    assert all(counts[g] >= counts[g + 1] for g in GRADES[:-1])


def test_functions_have_uneven_sizes(people: list[Participant]) -> None:
    counts = Counter(p.function for p in people)
    assert len(counts) >= 10
    assert max(counts.values()) > 3 * min(counts.values())


def test_managers_are_in_the_pool_and_one_or_two_grades_up(
    people: list[Participant], by_id: dict[str, Participant]
) -> None:
    managed = [p for p in people if p.manager_id]
    assert all(1 <= by_id[p.manager_id].grade - p.grade <= 2 for p in managed)
    assert not any(p.manager_id for p in people if p.grade == max(GRADES))
    same_function = sum(by_id[p.manager_id].function == p.function for p in managed)
    assert same_function / len(managed) > 0.8
    assert len(managed) / SIZE > 0.95


def test_skill_taxonomy_has_general_digital_and_specialist_skills() -> None:
    assert 30 <= len(SKILLS) <= 40
    assert len(set(SKILLS)) == len(SKILLS)
    assert {"public speaking", "negotiation", "data analysis", "stakeholder management"} <= set(SKILLS)
    assert {"ai tools", "python", "social media"} <= set(DIGITAL_SKILLS)


def test_skills_are_in_the_taxonomy_with_levels_1_to_5(people: list[Participant]) -> None:
    assert all(s in SKILLS and 1 <= lvl <= 5 for p in people for s, lvl in p.skills.items())


def test_juniors_lead_in_digital_skills_and_seniors_in_leadership(people: list[Participant]) -> None:
    juniors, seniors = {1, 2}, {8, 9}
    for skill in ("ai tools", "social media"):
        assert _mean_level(people, skill, juniors) > _mean_level(people, skill, seniors) + 1
    for skill in ("leadership", "strategic thinking"):
        assert _mean_level(people, skill, seniors) > _mean_level(people, skill, juniors) + 1


def test_specialist_skills_belong_to_their_function(people: list[Participant]) -> None:
    finance = [p for p in people if p.function == "finance"]
    sales = [p for p in people if p.function == "sales"]
    assert statistics.fmean(p.level("accounting") for p in finance) > 2
    assert statistics.fmean(p.level("accounting") for p in sales) < 0.5


def test_goals_are_one_to_three_distinct_taxonomy_skills_with_room_to_grow(people: list[Participant]) -> None:
    assert all(1 <= len(p.goals) <= 3 for p in people)
    assert all(len(set(p.goals)) == len(p.goals) for p in people)
    assert all(g in SKILLS and p.level(g) < 5 for p in people for g in p.goals)
    assert Counter(len(p.goals) for p in people)[3] > SIZE / 3


def test_goals_are_where_people_are_weak(people: list[Participant]) -> None:
    goal_levels = statistics.fmean(p.level(g) for p in people for g in p.goals)
    listed_levels = statistics.fmean(lvl for p in people for lvl in p.skills.values())
    assert goal_levels < listed_levels - 1


def test_most_people_share_english_and_a_few_only_speak_a_local_language(people: list[Participant]) -> None:
    listed = [p for p in people if p.languages]
    english = sum("en" in p.languages for p in listed) / len(listed)
    assert 0.85 < english < 0.98
    assert 0.9 < len(listed) / SIZE < 1.0


def test_exclusions_and_wishes_are_rare_and_name_real_colleagues(
    people: list[Participant], by_id: dict[str, Participant]
) -> None:
    for links in ([p.exclude for p in people], [p.prefer for p in people]):
        with_any = sum(bool(x) for x in links)
        assert 0.005 * SIZE < with_any < 0.03 * SIZE
    for p in people:
        assert p.id not in p.exclude | p.prefer
        assert all(other in by_id for other in p.exclude | p.prefer)


def test_some_peer_pairs_are_eligible(people: list[Participant]) -> None:
    params = MatchParams()
    sample = people[:300]
    eligible = sum(
        peer_weight(a, b, params) is not None for i, a in enumerate(sample) for b in sample[i + 1 :]
    )
    assert eligible > 0


# --- roles ----------------------------------------------------------------------------------------


def test_without_roles_nobody_has_a_role(people: list[Participant]) -> None:
    assert all(p.role is None and p.capacity == 1 for p in people)


def test_roles_follow_the_mentor_share_and_seniority() -> None:
    cast = generate_organisation(10_000, seed=2, roles=True, mentor_share=0.2, both_share=0.1)
    mentors = [p for p in cast if p.role is not None and p.role.mentors]
    mentees = [p for p in cast if p.role is Role.MENTEE]
    assert len(mentors) == 2000
    assert 100 < sum(p.role is Role.BOTH for p in mentors) < 300
    assert statistics.fmean(p.grade for p in mentors) > statistics.fmean(p.grade for p in mentees) + 1
    assert {p.capacity for p in mentors} == {1, 2, 3}
    assert all(p.capacity == 1 for p in mentees)


# --- names, e-mails, locations --------------------------------------------------------------------


def test_names_and_emails_look_real_and_emails_are_unique() -> None:
    staff = generate_employees(5000, seed=1, domain="acme.example")
    emails = [e.participant.email for e in staff]
    assert len(set(emails)) == len(emails)
    assert all(re.fullmatch(r"[a-z]+\.[a-z]+\d*@acme\.example", e) for e in emails)
    assert all(len(e.participant.name.split()) == 2 for e in staff)


def test_local_languages_match_the_location() -> None:
    staff = generate_employees(3000, seed=1)
    local = {loc.city: loc.language for loc in LOCATIONS}
    for e in staff:
        languages = e.participant.languages
        assert not languages or local[e.city] in languages
        assert languages <= {local[e.city], "en"}


# --- CSV ---------------------------------------------------------------------------------------------


def _read_csv(text: str) -> list[dict[str, str]]:
    return list(csv.DictReader(io.StringIO(text)))


def _split(cell: str) -> list[str]:
    return [x.strip() for x in cell.split(";") if x.strip()]


def _from_row(row: dict[str, str]) -> Participant:
    return Participant.build(
        row["id"],
        int(row["grade"]),
        name=row["name"],
        email=row["email"],
        function=row["function"],
        manager_id=row["manager_id"],
        skills={s: int(lvl) for s, lvl in (x.rsplit(":", 1) for x in _split(row["skills"]))},
        goals=_split(row["goals"]),
        languages=_split(row["languages"]),
        exclude=_split(row["exclude"]),
        prefer=_split(row["prefer"]),
        role=row["role"] or None,
        capacity=int(row["capacity"] or 1),
    )


def test_csv_has_the_spec_header_and_one_row_per_person() -> None:
    people = generate_organisation(200, seed=9, roles=True)
    text = participants_to_csv(people)
    assert text.splitlines()[0] == ",".join(CSV_COLUMNS)
    rows = _read_csv(text)
    assert len(rows) == len(people)
    assert all(list(row) == list(CSV_COLUMNS) for row in rows)


def test_csv_round_trips_to_the_same_participants() -> None:
    people = generate_organisation(500, seed=9, roles=True, exclude_share=0.2, prefer_share=0.2)
    assert [_from_row(row) for row in _read_csv(participants_to_csv(people))] == people


def test_csv_spells_functions_as_an_hr_file_does() -> None:
    rows = _read_csv(participants_to_csv(generate_organisation(300, seed=9)))
    assert {row["function"] for row in rows} == {name for name, _, _ in FUNCTIONS}  # "Sales", not "sales"


def test_csv_leaves_role_and_capacity_empty_without_roles() -> None:
    rows = _read_csv(participants_to_csv(generate_organisation(50)))
    assert {(row["role"], row["capacity"]) for row in rows} == {("", "")}


def test_csv_of_nobody_is_just_the_header() -> None:
    assert participants_to_csv([]) == ",".join(CSV_COLUMNS) + "\n"


def test_csv_parses_back_with_the_engine_parser() -> None:
    from stepahead.matching import parse_participants

    people = generate_organisation(300, seed=4, roles=True, exclude_share=0.1, prefer_share=0.1)
    data = participants_to_csv(people).encode("utf-8")
    assert parse_participants(data, file_format="csv") == people


# --- other organisation shapes ---------------------------------------------------------------------


def _shaped(name: str) -> list[Participant]:
    return generate_organisation(3000, seed=11, shape=name)


def _skill_names(people: list[Participant]) -> set[str]:
    return {s for p in people for s in p.skills} | {g for p in people for g in p.goals}


def test_the_standard_shape_is_the_default() -> None:
    assert generate_organisation(400, seed=2, shape="standard") == generate_organisation(400, seed=2)
    assert generate_organisation(400, seed=2, shape=SHAPES["standard"]) == generate_organisation(400, seed=2)


def test_a_steep_pyramid_has_most_people_in_the_lowest_grades() -> None:
    counts = Counter(p.grade for p in _shaped("steep"))
    assert (counts[1] + counts[2]) / 3000 > 0.55
    assert counts[9] / 3000 < 0.03


def test_even_grades_are_spread_evenly() -> None:
    counts = Counter(p.grade for p in _shaped("even"))
    assert set(counts) == set(GRADES)
    assert max(counts.values()) / min(counts.values()) < 1.4


def test_few_skills_means_at_most_twelve_and_many_shared_goals() -> None:
    people = _shaped("few-skills")
    assert len(_skill_names(people)) <= 12
    top_goal_share = Counter(g for p in people for g in p.goals).most_common(1)[0][1] / 3000
    assert top_goal_share > 0.15  # many people want the same thing: ties


def test_many_skills_means_sixty_or_more() -> None:
    assert len(_skill_names(_shaped("many-skills"))) >= 60


def test_one_function_gives_no_cross_function_pairs() -> None:
    assert {p.function for p in _shaped("one-function")} == {"engineering"}


def test_the_languages_shape_splits_people_by_language_and_excludes_more() -> None:
    standard, split = _shaped("standard"), _shaped("languages")
    english = [sum("en" in p.languages for p in people) for people in (standard, split)]
    assert english[1] < 0.75 * english[0]
    assert sum(len(p.exclude) for p in split) > 3 * sum(len(p.exclude) for p in standard)


@pytest.mark.parametrize("name", sorted(SHAPES))
def test_every_shape_is_valid_matching_input(name: str) -> None:
    people = generate_organisation(300, seed=5, roles=True, shape=name)
    assert len({p.id for p in people}) == 300
    assert all(p.goals for p in people)
    ids = {p.id for p in people}
    assert all(set(p.exclude) <= ids and set(p.prefer) <= ids for p in people)


def test_an_unknown_shape_is_refused_by_name() -> None:
    with pytest.raises(ValueError, match=r"unknown shape 'pear'.*steep"):
        generate_organisation(10, shape="pear")


def test_a_malformed_shape_is_refused() -> None:
    with pytest.raises(ValueError, match="nine grade shares"):
        generate_organisation(10, shape=Shape("odd", grade_shares=(1.0,)))
