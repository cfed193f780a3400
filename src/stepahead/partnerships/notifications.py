"""Emails about partnerships, queued in the outbox with the approval (sent after commit, so a
rolled-back approval never emails anyone; retried if SMTP is down)."""

from collections.abc import Iterable

from stepahead.core.unmatched import idle_mentor_in_plain_words, in_plain_words
from stepahead.mail.links import absolute_url
from stepahead.mail.services import Outgoing, queue_email, queue_emails
from stepahead.matchruns.models import MatchRun
from stepahead.programmes.models import Enrolment, EnrolmentStatus, Programme

from .models import MemberRole, Partnership, PartnershipMember


def notify_approved(partnership: Partnership) -> None:
    """Tell each member who they are matched with and where to answer."""
    members = list(partnership.members.select_related("enrolment__person"))
    programme = partnership.programme
    for member in members:
        person = member.enrolment.person
        if not person.email:
            continue
        others = ", ".join(m.enrolment.person.display_name for m in members if m != member)
        queue_email(
            organisation=programme.organisation,
            to=person.email,
            template="partnerships/approved",
            context={
                "name": person.display_name,
                "kind": partnership.get_kind_display().lower(),
                "programme": programme.name,
                "others": others,
                "roles": _who_does_what(member, members),
                "link": absolute_url(f"/partnerships/{partnership.pk}/"),
            },
            key=f"partnership-approved:{partnership.pk}:{member.pk}",
            related=partnership,
        )


def notify_declined(partnership: Partnership, decliner: PartnershipMember) -> None:
    """Tell the other members, kindly, that the match will not go ahead and what happens next.
    The decliner's own words go to HR only (they can be personal)."""
    programme = partnership.programme
    for member in partnership.members.select_related("enrolment__person"):
        person = member.enrolment.person
        if member.pk == decliner.pk or not person.email:
            continue
        queue_email(
            organisation=programme.organisation,
            to=person.email,
            template="partnerships/declined",
            context={"name": person.display_name, "programme": programme.name},
            key=f"partnership-declined:{partnership.pk}:{member.pk}",
            related=partnership,
        )


def notify_unmatched(programme: Programme, runs: Iterable[MatchRun], *, unplaced: frozenset[int]) -> int:
    """Tell each person a run left unmatched, and who is still unmatched now (`unplaced`: enrolment
    ids in no live partnership, so not paired by hand since), why in plain words and what happens
    next. Keyed per run and person, so approving a run's proposals in several goes mails once."""
    messages = []
    contact = _programme_contact(programme)
    for run in runs:
        reasons = _why_not(run)
        waiting = (
            Enrolment.objects.filter(
                programme=programme, status=EnrolmentStatus.ACTIVE, person__hris_id__in=list(reasons)
            )
            .filter(pk__in=unplaced)
            .exclude(person__email="")
            .select_related("person")
        )
        for enrolment in waiting:
            person = enrolment.person
            context = {
                "name": person.display_name,
                "programme": programme.name,
                "why": reasons[person.hris_id],
                "contact": contact,
                "link": absolute_url(f"/my/programmes/{programme.pk}/"),
            }
            key = f"unmatched:{run.pk}:{enrolment.pk}"
            messages.append(
                Outgoing(programme.organisation, person.email, "partnerships/unmatched", context, key, run)
            )
    return len(queue_emails(messages)) if messages else 0


def _why_not(run: MatchRun) -> dict[str, str]:
    """{HRIS id: why, in the reader's words} for everyone the run left out: the unplaced, and
    mentors it gave no mentee (a `both` in both lists is told about the mentee side)."""
    summary = run.summary or {}
    why = {u["id"]: idle_mentor_in_plain_words(u["reason"]) for u in summary.get("idle_mentors") or []}
    why.update({u["id"]: in_plain_words(u["reason"]) for u in summary.get("unmatched") or []})
    return why


def _programme_contact(programme: Programme) -> str:
    """Who to ask: the programme's managers by name and address."""
    managers = programme.managers.select_related("user").order_by("pk")
    named = [f"{m.user.get_full_name() or m.user.email} <{m.user.email}>" for m in managers if m.user.email]
    return ", ".join(named[:3]) or "the programme team"


def _who_does_what(member: PartnershipMember, members: list[PartnershipMember]) -> str:
    """Who mentors whom, in the member's own terms (issue 11 bug 11)."""
    others = [m for m in members if m != member]
    names = ", ".join(m.enrolment.person.display_name for m in others)
    if member.role == MemberRole.MENTOR:
        return f"You are the mentor: you will mentor {names}."
    if member.role == MemberRole.MENTEE:
        return f"{names} will be your mentor."
    if member.role == MemberRole.PEER:
        return (
            f"You and {names} are peers: each of you is ahead of the other in something they want to learn."
        )
    return f"You are one of {len(members)} members of a peer circle, each helping the others."
