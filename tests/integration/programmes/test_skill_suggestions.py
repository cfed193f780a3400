"""New skill names on enrolment forms are suggestions HR decides on (issue 11), never instant
organisation-wide skills."""

import pytest

from stepahead.errors import DomainError, PermissionDenied
from stepahead.people.models import Skill, SkillAlias
from stepahead.programmes.models import SkillSuggestion, SuggestionStatus
from stepahead.programmes.selectors import pending_names, suggestion_queue
from stepahead.programmes.services import save_enrolment
from stepahead.programmes.suggestions import approve_suggestion, merge_suggestion, reject_suggestion
from tests.integration.factories import make_person, make_programme


@pytest.fixture
def suggested(world):
    """Two people typed 'Kubernetes' (one as a skill at level 3, one as a goal); sql is known."""
    programme = make_programme(world)
    make_person(world.org, "OLD", 3, skills={"sql": 2, "docker": 1})  # the organisation's list
    ada = make_person(world.org, "ADA", 3, name="Ada")
    bob = make_person(world.org, "BOB", 3, name="Bob")
    a = save_enrolment(programme=programme, person=ada, skills={"sql": 4, "Kubernetes": 3}, goals=["docker"])
    b = save_enrolment(programme=programme, person=bob, skills={"sql": 1}, goals=["kubernetes ", "docker"])
    return a, b


def test_an_unknown_name_is_kept_out_of_the_enrolment_and_the_list(world, suggested):
    a, b = suggested
    assert a.skills == {"sql": 4}
    assert b.goals == ["docker"]
    assert not Skill.objects.filter(organisation=world.org, key="kubernetes").exists()
    [queued] = suggestion_queue(organisation=world.org)
    assert (queued.label, queued.as_skill, queued.as_goal) == ("Kubernetes", 1, 1)
    assert pending_names(organisation=world.org) == 1


def test_saving_again_replaces_the_enrolments_pending_suggestions(world, suggested):
    a, _ = suggested
    save_enrolment(programme=a.programme, person=a.person, skills={"sql": 4, "Helm": 2})
    labels = set(
        SkillSuggestion.objects.filter(enrolment=a, status="pending").values_list("label", flat=True)
    )
    assert labels == {"Helm"}


def test_approving_adds_the_skill_and_gives_it_to_everyone_who_suggested_it(world, suggested):
    a, b = suggested
    skill = approve_suggestion(actor=world.manager, organisation=world.org, key="kubernetes")
    assert skill.name == "Kubernetes"
    a.refresh_from_db()
    b.refresh_from_db()
    assert a.skills == {"sql": 4, "kubernetes": 3}
    assert b.goals == ["docker", "kubernetes"]
    assert set(SkillSuggestion.objects.values_list("status", flat=True)) == {SuggestionStatus.APPROVED}
    assert suggestion_queue(organisation=world.org) == []


def test_merging_makes_the_name_an_alias_and_resolves_to_the_existing_skill(world, suggested):
    a, b = suggested
    docker = Skill.objects.get(organisation=world.org, key="docker")
    merge_suggestion(actor=world.manager, organisation=world.org, key="kubernetes", into=docker)
    a.refresh_from_db()
    b.refresh_from_db()
    assert a.skills == {"sql": 4, "docker": 3}
    assert b.goals == ["docker"]  # already a goal: not twice
    assert SkillAlias.objects.get(organisation=world.org, key="kubernetes").skill == docker
    assert not Skill.objects.filter(organisation=world.org, key="kubernetes").exists()
    # next time the name is understood at once
    again = save_enrolment(programme=a.programme, person=a.person, skills={"Kubernetes": 2})
    assert again.skills == {"docker": 2}
    assert not SkillSuggestion.objects.filter(enrolment=a, status="pending").exists()


def test_rejecting_leaves_the_enrolments_as_they_were(world, suggested):
    a, _ = suggested
    reject_suggestion(actor=world.manager, organisation=world.org, key="kubernetes")
    a.refresh_from_db()
    assert a.skills == {"sql": 4}
    assert not Skill.objects.filter(organisation=world.org, key="kubernetes").exists()
    with pytest.raises(DomainError, match="already been dealt with"):
        approve_suggestion(actor=world.manager, organisation=world.org, key="kubernetes")


def test_only_hr_of_the_organisation_decides(world, suggested):
    with pytest.raises(PermissionDenied):
        approve_suggestion(actor=world.participant, organisation=world.org, key="kubernetes")
    with pytest.raises(PermissionDenied):
        approve_suggestion(actor=world.other_admin, organisation=world.org, key="kubernetes")
    theirs = Skill.objects.create(organisation=world.other_org, name="Go", key="go")
    with pytest.raises(DomainError, match="not in your organisation"):
        merge_suggestion(actor=world.manager, organisation=world.org, key="kubernetes", into=theirs)


def test_goals_and_suggested_goals_together_are_at_most_three(world, suggested):
    a, _ = suggested
    with pytest.raises(DomainError, match="At most 3 goals"):
        save_enrolment(programme=a.programme, person=a.person, goals=["sql", "docker", "rust", "go"])
