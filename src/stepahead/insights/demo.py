"""The demo's ISMCP evidence: purpose and objectives, briefing and training with completions,
mentor training records and two attached documents — and real gaps left open (no sponsor
statement, briefing and training not complete, no 12-month cycle yet), so the report shows both.
"""

from __future__ import annotations

import datetime as dt

from django.utils import timezone

from stepahead.accounts import User
from stepahead.organisations.models import Organisation
from stepahead.people.services import record_mentor_training
from stepahead.programmes.briefing import add_briefing_item, applies_to, complete_briefing_item
from stepahead.programmes.models import BriefingAudience, BriefingKind, Programme
from stepahead.programmes.services import update_programme_settings

from .services import attach_evidence

PURPOSE = (
    "Help colleagues grow the skills the business needs next by learning from someone one step "
    "ahead, and build working relationships across functions."
)
OBJECTIVES = (
    "60 % of partnerships mark at least one goal achieved\n"
    "A third of partnerships join two functions\n"
    "Half of the people who mentor are not senior to those they support"
)
BRIEFING = (
    (
        "How the programme works",
        "Purpose, the agreement, sessions and feedback.",
        BriefingKind.BRIEFING,
        BriefingAudience.EVERYONE,
    ),
    (
        "Confidentiality and raising a concern",
        "What stays in the partnership, and who to turn to.",
        BriefingKind.BRIEFING,
        BriefingAudience.EVERYONE,
    ),
    (
        "Mentoring conversations",
        "A 90-minute workshop: listening, questions, feedback.",
        BriefingKind.TRAINING,
        BriefingAudience.GIVERS,
    ),
)


def stage_evidence(*, hr: User, organisation: Organisation) -> None:
    for programme in Programme.objects.filter(organisation=organisation, name__startswith="Peer pairs"):
        update_programme_settings(actor=hr, programme=programme, purpose=PURPOSE, objectives=OBJECTIVES)
    pairs = Programme.objects.filter(organisation=organisation, name="Peer pairs: winter cohort").first()
    if pairs is None:
        return
    now = timezone.now()
    items = [
        add_briefing_item(actor=hr, programme=pairs, title=t, description=d, kind=k, audience=a)
        for t, d, k, a in BRIEFING
    ]
    enrolments = list(pairs.enrolments.select_related("person", "programme").order_by("pk"))
    for n, enrolment in enumerate(enrolments):
        done = items if n % 4 else items[:1]  # a quarter have only read the first item: a gap
        for item in done:
            if applies_to(item, enrolment):
                complete_briefing_item(actor=hr, item=item, enrolment=enrolment, now=now)
        if n % 2 == 0:
            record_mentor_training(
                actor=hr,
                person=enrolment.person,
                course="Mentoring conversations",
                provider="StepAhead Academy",
                level="Foundation",
                accreditation="EMCC EQA" if n % 4 == 0 else "",
                completed_on=(now - dt.timedelta(days=40 + n)).date(),
            )
    attach_evidence(
        actor=hr,
        programme=pairs,
        criterion="4.4",
        title="Cost–benefit review, first half-year",
        statement="Programme cost £6,400 (facilitation and time); participants report 2.1 hours a month "
        "saved finding help; retention of participants 4 points above their peers.",
    )
    attach_evidence(
        actor=hr,
        programme=pairs,
        criterion="2.4",
        title="Line managers' briefing",
        statement="Sent to every participant's line manager before the cohort started.",
        file_name="line-manager-briefing.txt",
        content_type="text/plain",
        content=b"Your team member is taking part in peer mentoring: about an hour a fortnight.\n",
    )
