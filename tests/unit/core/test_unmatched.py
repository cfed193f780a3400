"""Grouping the engine's unmatched reasons into causes with fixes, and the run alert."""

from __future__ import annotations

import pytest

from stepahead.core.unmatched import Cause, cause_of, causes, run_alert

# Sentences as the engine's diagnoses write them (see stepahead.matching's explain modules).
SENTENCES = {
    "Ada has no goals listed: add up to 3 skills to grow so a partner can be found": Cause.NO_GOALS,
    "Ada has no role: set mentor, mentee or both": Cause.NO_ROLE,
    "no one else is within 1 grade of Ada (grade 3)": Cause.NOBODY_NEAR,
    "no mentor is more senior than Ada (grade 9)": Cause.NOBODY_NEAR,
    "no one within 1 grade of Ada is ahead of Ada in any of Ada's goals (sql)": Cause.NOBODY_AHEAD,
    "no mentor more senior than Ada is ahead of Ada in Ada's goals (sql, excel)": Cause.NOBODY_AHEAD,
    "the only peers within 1 grade of Ada who are ahead of Ada do not share a language with "
    "Ada": Cause.LANGUAGE,
    "all peers within 1 grade of Ada who are ahead of Ada are excluded (by Ada or by them) or in Ada's "
    "reporting line (line manager or direct report)": Cause.EXCLUDED,
    "2 peers within 1 grade of Ada could help Ada (Bo, Cy), but Ada is not ahead of any of them in their "
    "goals": Cause.GIVES_NOTHING,
    "the only mentors who could help Ada (Bo) have capacity 0": Cause.CAPACITY,
    "eligible mentors exist (1: Bo) but all their places went to better fits": Cause.CAPACITY,
    "eligible mentors exist (1: Bo) but all their places went to equally good fits": Cause.CAPACITY,
    "eligible peers exist (2: Bo, Cy) but were all placed with equally good fits": Cause.BETTER_FITS,
    "no valid circle contains Bo: among 4 possible circle-mates (Cy, Di, Ed and 1 more) no group of 3 "
    "to 5 has everyone giving and receiving within a grade spread of 2": Cause.NO_CIRCLE,
    "only Cy can share a circle with Bo, and a circle needs 3 people": Cause.NO_CIRCLE,
    "Bo could only join a circle by breaking up a better one: every valid circle with Bo takes people "
    "from circles with better fits (placing more people or scoring more)": Cause.BETTER_FITS,
    "eligible peers are also unmatched (Bo): a manual pairing is possible": Cause.BETTER_FITS,
    "eligible peers exist (2: Bo, Cy) but were all placed with better fits": Cause.BETTER_FITS,
    "Declined the match with Bo; nobody else eligible is free": Cause.DECLINED,
    "something new": Cause.OTHER,
}


@pytest.mark.parametrize(("reason", "cause"), SENTENCES.items())
def test_each_engine_sentence_has_its_cause(reason, cause):
    assert cause_of(reason) is cause


def test_causes_count_people_and_name_the_skills_nobody_can_teach():
    reasons = [
        *["no one within 1 grade of X is ahead of X in any of X's goals (sql)"] * 12,
        *["no one within 1 grade of Y is ahead of Y in any of Y's goals (excel, sql)"] * 2,
        "X has no goals listed: add up to 3 skills to grow so a partner can be found",
    ]
    found = causes(reasons)
    assert [(c.cause, c.people) for c in found] == [(Cause.NOBODY_AHEAD, 14), (Cause.NO_GOALS, 1)]
    assert found[0].detail.startswith("14 people want sql and nobody within 1 grade is ahead in it")
    assert "2 people want excel" in found[0].detail
    assert "traditional mentoring or a circle" in found[0].fix


def test_alert_only_when_a_large_share_is_unmatched():
    many = ["Ada has no goals listed: add up to 3 skills to grow so a partner can be found"] * 5
    assert run_alert(many, pool=100) is None  # 5 %
    alert = run_alert(many, pool=10)
    assert alert is not None
    assert (alert.unmatched, alert.pool, alert.share) == (5, 10, 0.5)
    assert alert.causes[0].cause is Cause.NO_GOALS
    assert run_alert(many[:2], pool=2) is None  # too few people to be a pattern


def test_a_kind_is_worded_for_one_person_or_several():
    near = "no one else is within 1 grade of Ada"
    assert cause_of(near) is Cause.NOBODY_NEAR
    (one,) = causes([near])
    (several,) = causes([near] * 3)
    assert f"{one.people} {one.title}" == "1 has nobody close enough in grade"
    assert f"{several.people} {several.title}" == "3 have nobody close enough in grade"
