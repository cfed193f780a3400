"""The ISMCP evidence report: for each criterion, what the platform holds about a programme,
what the programme manager attached, the finding, and what to do where evidence is missing.

Findings come from the programme's own records (purpose, briefing, training, matches and their
reasons, answers, partnerships' lifecycle and feedback where those apps hold data); the pure
`stepahead.core.ismcp` turns findings into adherence and an award.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from dataclasses import dataclass
from fractions import Fraction

from django.db.models import Count, Exists, Max, OuterRef, Q, QuerySet
from django.urls import reverse

from stepahead.core.ismcp import (
    CRITERIA,
    Assessment,
    Criterion,
    Finding,
    assess,
    completed_cycle,
    finding_with_statement,
    level_of,
)
from stepahead.partnerships.models import PartnershipMember, PartnershipStatus, Response
from stepahead.people.models import MentorTraining
from stepahead.programmes.briefing import meant_for
from stepahead.programmes.models import (
    BriefingAudience,
    BriefingCompletion,
    BriefingItem,
    BriefingKind,
    Enrolment,
    EnrolmentStatus,
    Programme,
)

from . import lifecycle_evidence
from .findings import Evidence
from .models import EvidenceDocument

RUNNING = (PartnershipStatus.APPROVED, PartnershipStatus.ACCEPTED)
MOSTLY, HALF = Fraction(4, 5), Fraction(1, 2)


@dataclass(frozen=True, slots=True)
class CriterionReport:
    criterion: Criterion
    finding: Finding
    items: list[str]
    documents: list[EvidenceDocument]

    @property
    def what_to_do(self) -> str:
        return "" if self.finding is Finding.MET else self.criterion.what_to_do


@dataclass(frozen=True, slots=True)
class EvidenceReport:
    programme: Programme
    assessment: Assessment
    criteria: dict[str, CriterionReport]
    cycle_complete: bool
    generated_on: dt.date

    def sections(self) -> list[tuple[object, list[CriterionReport]]]:
        return [
            (result, [self.criteria[c.code] for c in result.standard.criteria])
            for result in self.assessment.standards
        ]


def evidence_report(programme: Programme, *, today: dt.date) -> EvidenceReport:
    found = platform_evidence(programme)
    documents: dict[str, list[EvidenceDocument]] = {}
    for document in programme.evidence_documents.defer("content").order_by("criterion", "pk"):
        documents.setdefault(document.criterion, []).append(document)
    reports = {}
    for code, criterion in CRITERIA.items():
        platform = found.get(code, Evidence(Finding.MISSING))
        finding = finding_with_statement(
            platform.finding, has_statement=bool(documents.get(code)), external=criterion.external
        )
        reports[code] = CriterionReport(criterion, finding, platform.items, documents.get(code, []))
    assessment = assess({code: r.finding for code, r in reports.items()})
    return EvidenceReport(programme, assessment, reports, completed_cycle(programme.starts_on, today), today)


def platform_evidence(programme: Programme) -> dict[str, Evidence]:
    found: dict[str, Evidence] = {}
    for gather in GATHERERS:
        found.update(gather(programme))
    return found


def _purpose(programme: Programme) -> dict[str, Evidence]:
    objectives = programme.objective_list
    how = reverse("web:how_we_match", args=[programme.pk])
    return {
        "1.1": Evidence(Finding.MET, [f"Purpose: {programme.purpose}"])
        if programme.purpose
        else Evidence(Finding.MISSING),
        "1.2": Evidence(
            Finding.MET if objectives else Finding.MISSING, [f"Objective: {o}" for o in objectives]
        ),
        "1.3": Evidence(
            Finding.MET if programme.purpose else Finding.PARTLY,
            [f"“How we match” page generated from the programme's parameters ({how}), linked from enrolment."]
            + (
                ["The purpose is shown on the enrolment and How we match pages."] if programme.purpose else []
            ),
        ),
    }


def _givers(programme: Programme) -> QuerySet[Enrolment]:
    """Active enrolments of people who mentor (the briefing's "givers")."""
    active = programme.enrolments.filter(status=EnrolmentStatus.ACTIVE)
    return active.filter(meant_for(BriefingAudience.GIVERS, programme))


def _expected(programme: Programme, items: list[BriefingItem]) -> int:
    """Briefing completions expected: each item times the active enrolments it is meant for,
    each audience counted in the database (one query)."""
    counts = {a.value: Count("pk", filter=meant_for(a, programme)) for a in BriefingAudience}
    per_audience = programme.enrolments.filter(status=EnrolmentStatus.ACTIVE).aggregate(**counts)
    return sum(per_audience.get(i.audience, 0) for i in items)


def _briefing(programme: Programme) -> dict[str, Evidence]:
    items = list(programme.briefing_items.all())
    for_everyone = [i for i in items if i.audience == BriefingAudience.EVERYONE]
    training = [i for i in items if i.kind == BriefingKind.TRAINING]
    listed = [f"{i.get_kind_display()}: {i.title} ({i.get_audience_display().lower()})" for i in items]
    given = Finding.MET if for_everyone and training else (Finding.PARTLY if items else Finding.MISSING)
    expected = _expected(programme, items)
    done = BriefingCompletion.objects.filter(item__programme=programme, enrolment__status="active").count()
    completion = Fraction(min(done, expected), expected) if expected else None
    givers = _givers(programme)
    giver_count = givers.count()
    trained = givers.filter(Exists(MentorTraining.objects.filter(person=OuterRef("person")))).count()
    accredited = givers.filter(
        Exists(MentorTraining.objects.filter(person=OuterRef("person"), accreditation__gt=""))
    ).count()
    share = Fraction(trained, giver_count) if giver_count else None
    return {
        "2.1": Evidence(given, listed),
        "2.2": Evidence(
            level_of(completion, met=MOSTLY, partly=HALF),
            [f"{done} of {expected} briefing items completed by participants."] if expected else [],
        ),
        "2.3": Evidence(
            level_of(share, met=MOSTLY, partly=HALF),
            [
                f"{trained} of {giver_count} people who mentor have a training record; "
                f"{accredited} accredited.",
                *_courses(givers),
            ]
            if giver_count
            else [],
        ),
    }


def _courses(givers: QuerySet[Enrolment], most: int = 10) -> list[str]:
    """The courses behind the training records of the people who mentor, most taken first."""
    rows = (
        MentorTraining.objects.filter(person__in=givers.values("person"))
        .values("course", "provider", "level", "accreditation")
        .annotate(people=Count("person", distinct=True), latest=Max("completed_on"))
        .order_by("-people", "course")[:most]
    )
    return [
        f"{r['course']} ({'; '.join(x for x in (r['provider'], r['level'], r['accreditation']) if x)}): "
        f"{r['people']} {'person' if r['people'] == 1 else 'people'}, latest {r['latest']:%d %b %Y}."
        for r in rows
    ]


def _matching(programme: Programme) -> dict[str, Evidence]:
    went_ahead = programme.partnerships.filter(status__in=RUNNING)
    total = went_ahead.count()
    with_reasons = went_ahead.exclude(reasons=[]).count()
    answers = PartnershipMember.objects.filter(partnership__programme=programme).aggregate(
        accepted=Count("pk", filter=Q(response=Response.ACCEPTED)),
        declined=Count("pk", filter=Q(response=Response.DECLINED)),
    )
    preferences = (
        programme.enrolments.filter(Q(prefer__isnull=False) | Q(avoid__isnull=False)).distinct().count()
    )
    reasons_share = Fraction(with_reasons, total) if total else None
    answered = answers["accepted"] + answers["declined"]
    how = reverse("web:how_we_match", args=[programme.pk])
    opt_in = "open enrolment" if programme.self_enrolment else "invitations people accept or leave"
    return {
        "3.1": Evidence(
            Finding.MET, [f"Published “How we match” page ({how}), linked from the enrolment form."]
        ),
        "3.2": Evidence(
            level_of(reasons_share, met=Fraction(9, 10), partly=HALF),
            [f"{with_reasons} of {total} matches carry the engine's reasons, shown to both sides."]
            if total
            else [],
        ),
        "3.3": Evidence(
            Finding.MET if answered else Finding.PARTLY,
            [
                f"People opt in through {opt_in}; {preferences} stated whom they prefer or avoid.",
                f"{answers['accepted']} acceptances and {answers['declined']} declines recorded.",
            ],
        ),
        "3.4": Evidence(
            Finding.PARTLY if total else Finding.MISSING,
            [f"A decline returns everyone to the pool for the next run ({answers['declined']} so far)."]
            if total
            else [],
        ),
    }


def _records(programme: Programme) -> dict[str, Evidence]:
    enrolled = programme.enrolments.count()
    partnerships = programme.partnerships.count()
    runs = programme.match_runs.count()
    items = [
        f"{enrolled} enrolments, {runs} match runs and {partnerships} proposals and partnerships on record."
    ]
    return {"6.3": Evidence(Finding.MET if enrolled and partnerships else Finding.PARTLY, items)}


GATHERERS: list[Callable[[Programme], dict[str, Evidence]]] = [
    _purpose,
    _briefing,
    _matching,
    _records,
    lifecycle_evidence.gather,
]
