"""Groups made by hand from unplaced people: checked against the engine's hard rules (the rule
that blocks is named), scored and worded by the engine, saved as pinned proposals."""

import pytest

from stepahead.errors import DomainError, PermissionDenied
from stepahead.matchruns.mapper import Draft, IneligibleGroupError
from stepahead.partnerships.models import Partnership, PartnershipStatus
from stepahead.partnerships.review import (
    add_to_circle,
    circle_addition_check,
    new_group_check,
    pair_by_hand,
)
from stepahead.partnerships.selectors import placement_of
from stepahead.partnerships.services import record_proposals
from stepahead.programmes.models import Status
from stepahead.programmes.services import save_enrolment
from tests.integration.factories import PEERS, make_person, make_programme


def _matching(world, people: dict, **settings):
    """A programme in matching with these people enrolled ({name: (grade, skills, goals, fields)})."""
    programme = make_programme(world, **settings)
    enrolments = {}
    for name, (grade, skills, goals, fields) in people.items():
        role = fields.pop("role", "")
        person = make_person(world.org, name, grade, skills=skills, goals=goals, **fields)
        enrolments[name] = save_enrolment(programme=programme, person=person, role=role)
    programme.status = Status.MATCHING
    programme.save()
    return programme, enrolments


def _peers(world, **extra):
    people = {name: (3, *PEERS[name], {}) for name in ("A", "B", "C", "D")}
    people.update(extra)
    return _matching(world, people)


def test_a_pair_made_by_hand_is_scored_and_worded_by_the_engine_and_pinned(world):
    programme, e = _peers(world)
    members = [(e["A"], "peer"), (e["B"], "peer")]
    checked = new_group_check(actor=world.manager, programme=programme, members=members)
    assert sorted(checked.reasons) == ["A is ahead of B in excel (3 vs 1)", "B is ahead of A in sql (3 vs 1)"]
    assert Partnership.objects.count() == 0  # a check saves nothing
    made = pair_by_hand(actor=world.manager, programme=programme, members=members)
    assert (made.status, made.kind, made.pinned, made.adjusted) == ("proposed", "pair", True, True)
    assert (made.score, made.reasons) == (checked.score, list(checked.reasons))
    assert not {e["A"].pk, e["B"].pk} & placement_of(programme=programme).unplaced
    with pytest.raises(DomainError, match="A is already placed"):
        new_group_check(
            actor=world.manager, programme=programme, members=[(e["A"], "peer"), (e["C"], "peer")]
        )


@pytest.mark.parametrize(
    ("change", "rule"),
    [
        ({"manager_hris_id": "B"}, "one is the other's line manager"),
        ({"languages": ["fr"]}, "they share no language"),
        ({"grade": 6}, "are more than 1 grade apart"),
    ],
)
def test_each_hard_rule_that_blocks_a_pair_is_named(world, change, rule):
    programme, e = _peers(world)
    person = e["A"].person
    for field, value in change.items():
        setattr(person, field, value)
    person.save()
    e["B"].person.languages = ["en"]
    e["B"].person.save()
    with pytest.raises(IneligibleGroupError, match=rule):
        pair_by_hand(actor=world.manager, programme=programme, members=[(e["A"], "peer"), (e["B"], "peer")])
    assert not Partnership.objects.exists()


def test_people_kept_apart_unreciprocal_pairs_and_the_same_person_twice_are_refused(world):
    programme, e = _peers(world)
    e["A"].avoid.add(e["B"].person)
    with pytest.raises(IneligibleGroupError, match="asked not to be matched"):
        new_group_check(
            actor=world.manager, programme=programme, members=[(e["A"], "peer"), (e["B"], "peer")]
        )
    with pytest.raises(IneligibleGroupError, match="not a reciprocal pair"):
        new_group_check(
            actor=world.manager, programme=programme, members=[(e["A"], "peer"), (e["C"], "peer")]
        )
    with pytest.raises(IneligibleGroupError, match="twice"):
        new_group_check(
            actor=world.manager, programme=programme, members=[(e["A"], "peer"), (e["A"], "peer")]
        )
    with pytest.raises(PermissionDenied):
        new_group_check(
            actor=world.participant, programme=programme, members=[(e["C"], "peer"), (e["D"], "peer")]
        )
    programme.status = Status.CLOSED
    programme.save()
    with pytest.raises(DomainError, match="once matching has started"):
        pair_by_hand(actor=world.manager, programme=programme, members=[(e["C"], "peer"), (e["D"], "peer")])


def test_mentoring_by_hand_respects_roles_seniority_and_capacity(world):
    programme, e = _matching(
        world,
        {
            "SEN": (6, {"sql": 4}, [], {"role": "mentor"}),
            "JUN": (2, {"sql": 1}, ["sql"], {"role": "mentee"}),
            "JUN2": (2, {"sql": 1}, ["sql"], {"role": "mentee"}),
            "PEER": (2, {"sql": 4}, [], {"role": "mentor"}),
        },
        mode="traditional",
    )
    with pytest.raises(IneligibleGroupError, match="enrolled as mentee, so cannot be the mentor"):
        new_group_check(
            actor=world.manager, programme=programme, members=[(e["JUN"], "mentor"), (e["SEN"], "mentee")]
        )
    with pytest.raises(IneligibleGroupError, match="must be more senior"):
        new_group_check(
            actor=world.manager, programme=programme, members=[(e["PEER"], "mentor"), (e["JUN"], "mentee")]
        )
    made = pair_by_hand(
        actor=world.manager, programme=programme, members=[(e["SEN"], "mentor"), (e["JUN"], "mentee")]
    )
    assert made.kind == "mentoring"
    assert any("SEN" in reason and "JUN" in reason for reason in made.reasons)
    with pytest.raises(DomainError, match="SEN is already placed"):  # capacity 1, taken
        pair_by_hand(
            actor=world.manager, programme=programme, members=[(e["SEN"], "mentor"), (e["JUN2"], "mentee")]
        )


CYCLE = {  # each knows what the next one wants: everyone gives and receives
    "X1": (3, {"excel": 3}, ["sql"], {}),
    "X2": (3, {"sql": 3}, ["negotiation"], {}),
    "X3": (3, {"negotiation": 3}, ["excel"], {}),
    "X4": (3, {"excel": 3, "sql": 2}, ["negotiation"], {}),
    "X5": (3, {"sql": 3}, ["excel"], {}),
    "X6": (3, {"negotiation": 3}, ["sql"], {}),
    "FAR": (9, {"excel": 3}, ["sql"], {}),
}


def _circles(world, members=("X1", "X2", "X3")):
    programme, e = _matching(world, dict(CYCLE), mode="circles")
    (circle,) = record_proposals(
        programme=programme,
        match_run=None,
        drafts=[Draft("circle", tuple((e[n], "member") for n in members), 1.0, ("engine reason",))],
    )
    return programme, e, circle


def test_someone_unplaced_joins_a_circle_with_the_engines_new_score_and_reasons(world):
    programme, e, circle = _circles(world)
    checked = circle_addition_check(actor=world.manager, partnership=circle, joining=e["X4"])
    assert circle.members.count() == 3  # a check changes nothing
    score = add_to_circle(actor=world.manager, partnership=circle, joining=e["X4"])
    circle.refresh_from_db()
    assert (score, circle.score, circle.adjusted) == (checked.score, checked.score, True)
    assert circle.reasons == list(checked.reasons)
    assert "engine reason" not in circle.reasons
    assert e["X4"].pk not in placement_of(programme=programme).unplaced
    with pytest.raises(IneligibleGroupError, match="grades spread more than 2"):
        add_to_circle(actor=world.manager, partnership=circle, joining=e["FAR"])


def test_a_full_circle_and_a_circle_no_longer_proposed_take_nobody(world):
    _programme, e, circle = _circles(world, ("X1", "X2", "X3", "X4", "X5"))
    with pytest.raises(IneligibleGroupError, match="already has 5 members, the most a circle can have"):
        circle_addition_check(actor=world.manager, partnership=circle, joining=e["X6"])
    Partnership.objects.filter(pk=circle.pk).update(status=PartnershipStatus.WITHDRAWN)
    circle.refresh_from_db()
    with pytest.raises(DomainError, match="only to a proposed circle"):
        add_to_circle(actor=world.manager, partnership=circle, joining=e["X6"])
