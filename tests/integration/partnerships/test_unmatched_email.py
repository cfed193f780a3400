"""People a run leaves unmatched are emailed when HR approves its proposals (issue 11)."""

from django.core import mail

from stepahead.mail.services import deliver_due
from stepahead.matchruns.services import execute_match_run, start_match_run
from stepahead.partnerships.models import PartnershipStatus
from stepahead.partnerships.notifications import notify_unmatched
from stepahead.partnerships.selectors import partnerships_of
from stepahead.partnerships.services import approve_proposals
from stepahead.programmes.services import save_enrolment
from tests.integration.factories import enrol_peers, make_person, make_programme


def _programme_with_a_loner(world, django_capture_on_commit_callbacks):
    programme = make_programme(world)
    enrol_peers(world, programme, ("A", "B"))
    loner = make_person(
        world.org, "L", 3, skills={"excel": 1}, goals=["quantum physics"], name="Lee", email="lee@acme.test"
    )
    save_enrolment(programme=programme, person=loner)
    with django_capture_on_commit_callbacks(execute=True):
        run = start_match_run(actor=world.manager, programme=programme)
    execute_match_run(run_id=run.pk)
    return programme


def _mail_to(address):
    return [m for m in mail.outbox if address in m.to]


def test_approving_tells_the_unmatched_why_and_what_next(world, django_capture_on_commit_callbacks):
    programme = _programme_with_a_loner(world, django_capture_on_commit_callbacks)
    approve_proposals(actor=world.manager, programme=programme)
    deliver_due()
    [letter] = _mail_to("lee@acme.test")
    assert letter.subject == f"No match for you in {programme.name} this time"
    assert "Hello Lee," in letter.body
    assert (
        "Why: Nobody taking part this time is ahead of you in the skills you want to grow: quantum physics."
        in letter.body
    )
    assert "next matching round" in letter.body
    assert "manager@acme.test" in letter.body  # whom to ask
    assert f"/my/programmes/{programme.pk}/" in letter.body
    assert len(_mail_to("A@acme.test")) == 1  # the matched get their match email, not this one


def test_the_same_run_never_mails_someone_twice(world, django_capture_on_commit_callbacks):
    programme = _programme_with_a_loner(world, django_capture_on_commit_callbacks)
    [proposal] = partnerships_of(programme=programme, statuses=[PartnershipStatus.PROPOSED])
    approve_proposals(actor=world.manager, programme=programme, partnerships=[proposal])
    lee = programme.enrolments.get(person__hris_id="L")
    notify_unmatched(programme, [proposal.match_run], unplaced=frozenset({lee.pk}))
    deliver_due()
    assert len(_mail_to("lee@acme.test")) == 1


def test_nobody_without_an_email_or_since_placed_is_mailed(world, django_capture_on_commit_callbacks):
    programme = _programme_with_a_loner(world, django_capture_on_commit_callbacks)
    [proposal] = partnerships_of(programme=programme, statuses=[PartnershipStatus.PROPOSED])
    lee = programme.enrolments.get(person__hris_id="L")
    assert notify_unmatched(programme, [proposal.match_run], unplaced=frozenset()) == 0  # placed since
    lee.person.email = ""
    lee.person.save()
    assert notify_unmatched(programme, [proposal.match_run], unplaced=frozenset({lee.pk})) == 0


def test_a_mentor_left_without_a_mentee_is_told_too(world, django_capture_on_commit_callbacks):
    programme = make_programme(world, mode="traditional")
    for hris, name, skills in (("S", "Sam", {"python": 4}), ("T", "Tia", {"excel": 4})):
        mentor = make_person(world.org, hris, 5, skills=skills, name=name, email=f"{hris}@acme.test")
        save_enrolment(programme=programme, person=mentor, role="mentor", capacity=2)
    jo = make_person(
        world.org, "J", 2, skills={"python": 3}, goals=["python"], name="Jo", email="j@acme.test"
    )
    save_enrolment(programme=programme, person=jo, role="mentee")
    with django_capture_on_commit_callbacks(execute=True):
        run = start_match_run(actor=world.manager, programme=programme)
    execute_match_run(run_id=run.pk)
    approve_proposals(actor=world.manager, programme=programme)
    deliver_due()
    [letter] = _mail_to("T@acme.test")
    assert "Why: No mentee taking part this time wants to grow in the skills you are ahead in." in letter.body
    assert "Jo" not in letter.body.replace("Jo,", "")  # nobody else is named
