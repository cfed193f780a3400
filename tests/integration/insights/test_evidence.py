"""The evidence report's findings from a programme's records, and attached statements."""

from __future__ import annotations

import datetime as dt
from fractions import Fraction

from stepahead.core.ismcp import Finding
from stepahead.insights.evidence import evidence_report
from stepahead.insights.services import attach_evidence
from stepahead.people.services import record_mentor_training
from stepahead.programmes.briefing import add_briefing_item, complete_briefing_item
from stepahead.programmes.models import BriefingKind
from stepahead.programmes.services import update_programme_settings
from tests.integration.insights.builders import mentoring_programme

TODAY = dt.date(2026, 6, 1)


def test_a_bare_programme_has_gaps_with_what_to_do(world):
    programme, _ = mentoring_programme(world)
    report = evidence_report(programme, today=TODAY)
    assert report.criteria["1.1"].finding is Finding.MISSING
    assert report.criteria["1.1"].what_to_do.startswith("Write the purpose")
    assert report.criteria["3.1"].finding is Finding.MET
    assert report.criteria["3.2"].finding is Finding.MISSING  # the hand-made partnerships have no reasons
    assert report.criteria["6.3"].finding is Finding.MET
    assert report.assessment.award is None
    assert not report.cycle_complete


def test_purpose_briefing_training_and_statements_raise_adherence(world):
    programme, enrolments = mentoring_programme(world)
    update_programme_settings(
        actor=world.manager,
        programme=programme,
        purpose="Grow data skills.",
        objectives="60 % of mentees reach their goal",
        starts_on=dt.date(2025, 5, 1),
    )
    programme.refresh_from_db()
    everyone = add_briefing_item(actor=world.manager, programme=programme, title="Ground rules")
    add_briefing_item(
        actor=world.manager,
        programme=programme,
        title="Mentor skills",
        kind=BriefingKind.TRAINING,
        audience="givers",
    )
    for enrolment in enrolments.values():
        complete_briefing_item(
            actor=world.admin, item=everyone, enrolment=enrolment, now=dt.datetime(2026, 1, 1, tzinfo=dt.UTC)
        )
    record_mentor_training(
        actor=world.admin,
        person=enrolments["expert"].person,
        course="Mentoring",
        provider="Academy",
        accreditation="EMCC EQA",
        completed_on=dt.date(2025, 1, 1),
    )
    attach_evidence(
        actor=world.manager,
        programme=programme,
        criterion="4.4",
        title="ROI",
        statement="Retention up 4 points.",
    )
    attach_evidence(
        actor=world.manager,
        programme=programme,
        criterion="5.3",
        title="Route",
        statement="Concerns go to HR.",
    )
    report = evidence_report(programme, today=TODAY)
    found = {code: r.finding for code, r in report.criteria.items()}
    assert found["1.1"] is Finding.MET
    assert found["1.2"] is Finding.MET
    assert found["2.1"] is Finding.MET
    assert found["2.2"] is Finding.PARTLY  # 7 of 9 expected (7 × everyone + 2 mentors' training) < 80 %
    assert report.criteria["2.2"].items == ["7 of 9 briefing items completed by participants."]
    assert found["2.3"] is Finding.PARTLY  # 1 of 2 mentors trained
    assert report.criteria["2.3"].items == [
        "1 of 2 people who mentor have a training record; 1 accredited.",
        "Mentoring (Academy; EMCC EQA): 1 person, latest 01 Jan 2025.",
    ]
    assert found["4.4"] is Finding.MET  # external: a statement meets it
    assert found["5.3"] is Finding.PARTLY  # a platform criterion: a statement lifts it halfway
    assert report.cycle_complete
    standard1 = report.assessment.standards[0]
    assert standard1.adherence == Fraction(3, 4)  # 1.4 (sponsor statement) still missing


def test_the_lifecycle_supplies_agreements_sessions_goals_and_early_endings(world):
    from stepahead.lifecycle.models import AgreementTemplate
    from tests.integration.insights.builders import lived_programme

    programme, _ = lived_programme(world)
    AgreementTemplate.objects.create(
        programme=programme, confidentiality="What is said stays here.", ground_rules="Turn up prepared."
    )
    found = evidence_report(programme, today=TODAY).criteria
    assert found["5.1"].finding is Finding.MET  # the active and the completed: 2 of 2 confirmed
    assert found["5.1"].items[0].startswith("2 of 2")
    assert found["5.2"].finding is Finding.MET
    assert found["4.1"].finding is Finding.PARTLY  # sessions logged; pulses are feedback's part
    assert found["4.3"].finding is Finding.MET  # 3 of 3 goals in ended partnerships marked
    assert found["3.4"].finding is Finding.MET
    assert found["6.4"].finding is Finding.PARTLY


def test_feedback_support_contact_and_concerns_supply_standards_4_to_6(world):
    from stepahead.concerns.models import Concern, SupportContact
    from stepahead.feedback.models import FitCheck, Pulse
    from stepahead.lifecycle.models import Session
    from tests.integration.insights.builders import lived_programme

    programme, _ = lived_programme(world)
    session = Session.objects.filter(partnership__programme=programme).first()
    member = session.partnership.members.first()
    at = dt.datetime(2026, 2, 1, tzinfo=dt.UTC)
    Pulse.objects.create(
        partnership=session.partnership, member=member, session=session, value=4, answered_at=at
    )
    FitCheck.objects.create(partnership=session.partnership, member=member, good_fit=False, answered_at=at)
    SupportContact.objects.create(programme=programme, user=world.manager)
    Concern.objects.create(
        partnership=session.partnership,
        raised_by=member,
        category="behaviour",
        description="x",
        status="closed",
        raised_at=at,
        closed_at=at + dt.timedelta(days=3),
    )
    Concern.objects.create(
        partnership=session.partnership, raised_by=member, category="behaviour", description="y", raised_at=at
    )
    found = evidence_report(programme, today=TODAY).criteria
    assert found["4.1"].finding is Finding.MET
    assert found["5.3"].finding is Finding.MET
    assert found["6.1"].finding is Finding.MET
    assert found["6.2"].finding is Finding.PARTLY  # 1 of 2 closed within 14 days
    assert found["6.2"].items == ["1 of 2 concerns closed within 14 days, with their handling recorded."]
