"""Agreements: the first draft on acceptance, co-writing, versions, confirmation, goals."""

from datetime import timedelta

import pytest
import time_machine

from stepahead.errors import DomainError, PermissionDenied
from stepahead.lifecycle.models import AgreementVersion, Goal
from stepahead.lifecycle.services import (
    GoalDraft,
    Terms,
    confirm_agreement,
    next_facilitator,
    reflect_on_goal,
    revise_agreement,
)
from stepahead.partnerships.models import PartnershipStatus
from tests.integration.partnering import accepted, active

NOW = "2026-03-02 09:00 +00:00"


def _terms(version: AgreementVersion, **changes) -> Terms:
    values = {
        "cadence_days": version.cadence_days,
        "session_minutes": version.session_minutes,
        "channel": version.channel,
        "confidentiality": version.confidentiality,
        "ground_rules": version.ground_rules,
        "starts_on": version.starts_on,
        "ends_on": version.ends_on,
    }
    return Terms(**{**values, **changes})


def _drafts(partnership):
    return [
        GoalDraft(g.title, g.success_measure, g.owner_id, g.pk)
        for g in partnership.goals.filter(retired=False, owner__isnull=False)
    ]


@time_machine.travel(NOW, tick=False)
def test_acceptance_drafts_version_one_with_each_peers_goals(world):
    built = accepted(world)
    p = built.partnership
    assert p.status == PartnershipStatus.ACCEPTED
    (version,) = p.agreement_versions.all()
    assert (version.number, version.cadence_days, version.session_minutes) == (1, 14, 60)
    assert version.starts_on.isoformat() == "2026-03-02"
    owners = {
        g.owner.enrolment.person.hris_id: g.title for g in p.goals.select_related("owner__enrolment__person")
    }
    assert owners == {"A": "Grow my sql", "B": "Grow my excel"}  # symmetric: both peers receive
    assert all(g["success_measure"] for g in version.goals)


def test_mentoring_goals_are_the_mentees_only(world):
    built = accepted(world, kind="mentoring", mode="traditional")
    owners = {g.owner.role for g in built.partnership.goals.select_related("owner")}
    assert owners == {"mentee"}


def test_everyone_confirming_activates_and_later_edits_make_a_version_to_reconfirm(world):
    built = accepted(world)
    p, a, b = built.partnership, built.users["A"], built.users["B"]
    confirm_agreement(user=a, partnership=p, number=1)
    p.refresh_from_db()
    assert p.status == PartnershipStatus.ACCEPTED  # B has not confirmed yet
    with time_machine.travel(NOW, tick=False):
        confirm_agreement(user=b, partnership=p, number=1)
    p.refresh_from_db()
    assert p.status == PartnershipStatus.ACTIVE
    assert p.next_session_due_at - p.activated_at == timedelta(days=14)

    v1 = p.agreement_versions.get()
    v2 = revise_agreement(user=a, partnership=p, terms=_terms(v1, cadence_days=7), goals=_drafts(p))
    assert v2.number == 2
    assert p.agreement_versions.get(number=1).cadence_days == 14  # the old version stays readable
    with pytest.raises(DomainError, match="version 2"):
        confirm_agreement(user=b, partnership=p, number=1)
    confirm_agreement(user=b, partnership=p, number=2)
    assert v2.confirmations.count() == 1


def test_unconfirmed_draft_is_edited_in_place_and_goals_keep_progress(world):
    built = accepted(world)
    p, a = built.partnership, built.users["A"]
    v1 = p.agreement_versions.get()
    goal = p.goals.get(owner__enrolment__person__hris_id="A")
    drafts = [*_drafts(p), GoalDraft("Run a meeting in SQL", "Lead one review", goal.owner_id)]
    revise_agreement(user=a, partnership=p, terms=_terms(v1, session_minutes=45), goals=drafts)
    assert p.agreement_versions.count() == 1
    assert p.agreement_versions.get().session_minutes == 45
    assert p.goals.filter(retired=False).count() == 3
    assert [g["title"] for g in p.agreement_versions.get().goals][-1] == "Run a meeting in SQL"


def test_bad_terms_and_strangers_are_refused_without_a_write(world):
    built = accepted(world)
    p = built.partnership
    v1 = p.agreement_versions.get()
    with pytest.raises(DomainError, match="Session length"):
        revise_agreement(user=built.users["A"], partnership=p, terms=_terms(v1, session_minutes=5), goals=[])
    with pytest.raises(PermissionDenied):
        revise_agreement(user=world.manager, partnership=p, terms=_terms(v1), goals=_drafts(p))
    with pytest.raises(DomainError, match="owner"):
        revise_agreement(
            user=built.users["A"], partnership=p, terms=_terms(v1), goals=[GoalDraft("x", "", owner=None)]
        )
    assert p.goals.filter(retired=False).count() == 2
    assert p.agreement_versions.get().session_minutes == 60


def test_progress_reflections_are_dated_history(world):
    built = active(world)
    goal = Goal.objects.filter(partnership=built.partnership).first()
    with time_machine.travel("2026-04-01 10:00 +00:00", tick=False):
        reflect_on_goal(user=built.users["A"], goal=goal, progress=30, text="First steps")
    with time_machine.travel("2026-05-01 10:00 +00:00", tick=False):
        reflect_on_goal(user=built.users["B"], goal=goal, progress=60, text="Halfway")
    goal.refresh_from_db()
    assert goal.progress == 60
    assert [(r.progress, r.written_at.month) for r in goal.reflections.all()] == [(30, 4), (60, 5)]
    with pytest.raises(DomainError, match="0 to 100"):
        reflect_on_goal(user=built.users["A"], goal=goal, progress=120)


def test_circle_rotates_the_facilitator_and_shares_a_goal(world):
    built = accepted(world, kind="circle", names=("A", "B", "C"), mode="circles")
    p = built.partnership
    v1 = p.agreement_versions.get()
    members = list(p.members.order_by("pk").values_list("pk", flat=True))
    assert v1.rotation == members
    revise_agreement(
        user=built.users["A"],
        partnership=p,
        terms=_terms(v1),
        goals=_drafts(p),
        shared_goal="Each of us presents to a senior audience",
        rotation=[members[2], members[0]],  # B left out: appended, so everyone leads in turn
    )
    version = p.agreement_versions.get()
    assert version.rotation == [members[2], members[0], members[1]]
    assert p.goals.filter(owner__isnull=True, retired=False).get().title.startswith("Each of us")
    assert next_facilitator(p).pk == members[2]
