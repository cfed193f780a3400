"""Emails about partnerships, queued in the outbox with the approval (sent after commit, so a
rolled-back approval never emails anyone; retried if SMTP is down)."""

from stepahead.mail.links import absolute_url
from stepahead.mail.services import queue_email

from .models import MemberRole, Partnership, PartnershipMember


def notify_approved(partnership: Partnership) -> None:
    """Tell each member who they are matched with and where to answer."""
    members = list(partnership.members.select_related("enrolment__person"))
    programme = partnership.programme
    for member in members:
        person = member.enrolment.person
        if not person.email:
            continue
        others = ", ".join(
            m.enrolment.person.name or m.enrolment.person.hris_id for m in members if m != member
        )
        queue_email(
            organisation=programme.organisation,
            to=person.email,
            template="partnerships/approved",
            context={
                "name": person.name or person.hris_id,
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
            context={"name": person.name or person.hris_id, "programme": programme.name},
            key=f"partnership-declined:{partnership.pk}:{member.pk}",
            related=partnership,
        )


def _who_does_what(member: PartnershipMember, members: list[PartnershipMember]) -> str:
    """Who mentors whom, in the member's own terms (issue 11 bug 11)."""
    others = [m for m in members if m != member]
    names = ", ".join(m.enrolment.person.name or m.enrolment.person.hris_id for m in others)
    if member.role == MemberRole.MENTOR:
        return f"You are the mentor: you will mentor {names}."
    if member.role == MemberRole.MENTEE:
        return f"{names} will be your mentor."
    if member.role == MemberRole.PEER:
        return (
            f"You and {names} are peers: each of you is ahead of the other in something they want to learn."
        )
    return f"You are one of {len(members)} members of a peer circle, each helping the others."
