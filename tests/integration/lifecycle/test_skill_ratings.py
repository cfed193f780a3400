"""Self-rated levels in goal skills: kept when the goals are agreed, rated again at the close,
shown before→after per skill in the insights' outcomes over 5 or more people only."""

from __future__ import annotations

import datetime as dt

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from stepahead.errors import DomainError
from stepahead.insights.engagement import level_pairs
from stepahead.insights.overview import build_overview
from stepahead.insights.selectors import Filters, Scope
from stepahead.lifecycle.models import RatingMoment, SkillRating
from stepahead.lifecycle.ratings import skills_to_rate
from stepahead.lifecycle.services import confirm_agreement, reflect_and_close
from stepahead.people.models import Skill
from stepahead.people.services import write_skill_levels
from tests.integration.insights.builders import mentoring_programme, rate_levels
from tests.integration.partnering import accepted, active

NOW = dt.datetime(2026, 5, 1, 9, 0, tzinfo=dt.UTC)


def _ratings(partnership, moment):
    rows = SkillRating.objects.filter(partnership=partnership, moment=moment)
    return {(r.member.enrolment.person.hris_id, r.skill.name, r.level) for r in rows}


def test_levels_are_kept_when_the_goals_are_agreed_and_rated_again_at_the_close(world):
    built = active(world)  # A wants SQL (level 1 on the profile), B wants Excel (level 1)
    p = built.partnership
    assert _ratings(p, RatingMoment.BEFORE) == {("A", "sql", 1), ("B", "excel", 1)}
    a = p.members.get(enrolment__person__hris_id="A")
    write_skill_levels(person=a.enrolment.person, levels={"sql": 4}, source="self")
    assert _ratings(p, RatingMoment.BEFORE) == {("A", "sql", 1), ("B", "excel", 1)}  # history stays
    sql, excel = Skill.objects.get(key="sql"), Skill.objects.get(key="excel")
    assert skills_to_rate(a) == [sql]
    with pytest.raises(DomainError, match="only your own goal skills"):
        reflect_and_close(
            user=built.users["A"], partnership=p, reflection="x", outcomes={}, levels={excel.pk: 3}
        )
    with pytest.raises(DomainError, match="Your level in sql: a number from 0 to 5"):
        reflect_and_close(
            user=built.users["A"], partnership=p, reflection="x", outcomes={}, levels={sql.pk: 6}
        )
    assert not SkillRating.objects.filter(moment=RatingMoment.AFTER).exists()
    reflect_and_close(
        user=built.users["A"], partnership=p, reflection="Learnt", outcomes={}, levels={sql.pk: 3}
    )
    reflect_and_close(
        user=built.users["A"], partnership=p, reflection="Again", outcomes={}, levels={sql.pk: 2}
    )
    assert _ratings(p, RatingMoment.AFTER) == {("A", "sql", 2)}  # the latest answer counts once


def test_in_mentoring_only_the_mentee_side_is_rated(world):
    built = active(world, kind="mentoring", mode="traditional")
    members = {r.member.role for r in SkillRating.objects.filter(partnership=built.partnership)}
    assert members == {"mentee"}


def _goal_and_level_reads_when_the_last_member_confirms(world, names):
    built = accepted(world, kind="circle", names=names, mode="circles")
    *first, last = built.users.values()
    for user in first:
        confirm_agreement(user=user, partnership=built.partnership, number=1)
    with CaptureQueriesContext(connection) as queries:
        confirm_agreement(user=last, partnership=built.partnership, number=1)
    assert SkillRating.objects.filter(partnership=built.partnership).count() == len(names)  # one goal each
    wanted = ('FROM "people_skilllevel"', 'FROM "people_developmentgoal"')
    return [q["sql"] for q in queries.captured_queries if any(table in q["sql"] for table in wanted)]


def test_keeping_the_levels_before_reads_goals_and_levels_once_for_three_members_as_for_five(world):
    three = _goal_and_level_reads_when_the_last_member_confirms(world, ("A", "B", "C"))
    five = _goal_and_level_reads_when_the_last_member_confirms(world, ("P1", "P2", "P3", "P4", "P5"))
    assert len(three) == len(five) == 2  # everyone's goals, everyone's levels


def test_outcomes_show_before_and_after_per_skill_over_five_people_worked_by_hand(world):
    programme, e = mentoring_programme(world)
    rate_levels(programme, e)  # SQL: 5 people, 1.6 → 2.8; Excel: 4 people with both ratings
    scope = Scope(world.org, programme)
    assert sorted(level_pairs(scope, Filters())) == [("excel", 4, 4, 4, 8, 4), ("sql", 5, 5, 8, 14, 4)]
    chart = build_overview(scope, Filters(), NOW).chart("level-change")
    assert chart is not None
    assert chart.rows == [
        {"skill": "sql", "before": 1.6, "after": 2.8, "change": 1.2, "rose": 0.8, "people": 5}
    ]
    assert "1 of 1 skills rose" in chart.summary
    leeds = build_overview(scope, Filters(location="Leeds"), NOW).chart("level-change")
    assert leeds is not None
    assert leeds.rows == []
