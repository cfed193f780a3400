"""The two journeys the platform exists for, in a real browser, with axe on every page visited.

(a) HR: import a file with errors (the preview lists the bad rows), then a clean one; create a peer
    programme; open enrolment (people enrolled through the services: the UI has no bulk action);
    run matching (executed inside the request, see conftest); swap two people between pairs;
    approve.
(b) A participant: accept an invitation and enrol; once matched and approved, see the match and
    its reasons, and accept it.

Selectors are accessible names (labels, roles, button text), matched loosely (case-insensitive
patterns), so the tests read like the UI and survive cosmetic changes.
"""

from __future__ import annotations

import re

import pytest

from stepahead.core.reasons import addressed_to
from stepahead.matchruns.services import execute_match_run, start_match_run
from stepahead.organisations.models import Membership, Role
from stepahead.organisations.services import create_organisation
from stepahead.partnerships.models import Partnership, PartnershipStatus
from stepahead.partnerships.services import approve_proposals
from stepahead.people.models import Person
from stepahead.programmes.invitations import invite_people
from stepahead.programmes.models import Enrolment, Invitation, Programme, Status
from stepahead.programmes.services import enrol_participant
from tests.integration.factories import make_person

pytestmark = pytest.mark.browser

PASSWORD = "x-password-123"


def _i(text: str) -> re.Pattern[str]:
    return re.compile(text, re.IGNORECASE)


# --- set-up through the services --------------------------------------------------------------------


@pytest.fixture
def acme(django_user_model):
    def user(email):
        from allauth.account.models import EmailAddress

        login = django_user_model.objects.create_user(username=email, email=email, password=PASSWORD)
        EmailAddress.objects.create(user=login, email=email, verified=True, primary=True)  # as after sign-up
        return login

    admin, hr, pat = user("admin@acme.test"), user("hr@acme.test"), user("pat@acme.test")
    org = create_organisation(name="Acme", slug="acme", admin_user=admin)
    Membership.objects.create(organisation=org, user=hr, role=Role.PROGRAMME_MANAGER)
    Membership.objects.create(organisation=org, user=pat, role=Role.PARTICIPANT)
    return {"org": org, "admin": admin, "hr": hr, "pat": pat}


# Two reciprocal pairs (A↔B trade excel/sql, C↔D pitching/negotiation) — and two more people
# who fit either pair's partner, so a swap between the pairs stays eligible.
PEOPLE = (
    "id,name,email,function,grade,skills,goals\n"
    "A1,Ada Lovelace,ada@acme.test,Finance,3,excel:3; sql:1,sql\n"
    "B1,Bo Diddley,bo@acme.test,Data,3,sql:3; excel:1,excel\n"
    "C1,Cy Twombly,cy@acme.test,Sales,3,excel:3; sql:1,sql\n"
    "D1,Di Fossey,di@acme.test,Data,3,sql:3; excel:1,excel\n"
)
BAD_PEOPLE = (
    "id,name,email,function,grade,skills,goals\n"
    "A1,Ada Lovelace,not-an-email,Finance,3,excel:3,sql\n"
    "B1,Bo Diddley,bo@acme.test,Data,x,sql:3,excel\n"
    "C1,Cy Twombly,cy@acme.test,Sales,3,excel:9,sql\n"
)


# --- steps ------------------------------------------------------------------------------------------


def sign_in(page, axe, email):
    page.goto("/accounts/login/")
    axe(page)
    page.get_by_label(_i("e-?mail")).fill(email)
    page.get_by_label(_i("^password")).fill(PASSWORD)
    page.get_by_role("button", name=_i("sign in|log in")).click()
    page.wait_for_load_state()
    assert "/accounts/login/" not in page.url, "sign-in failed"
    axe(page)


def go(page, axe, name):
    """Follow a navigation link or button by its name, then check the page."""
    page.get_by_role("link", name=_i(name)).first.click()
    page.wait_for_load_state()
    axe(page)


def click(page, axe, name):
    page.get_by_role("button", name=_i(name)).first.click()
    page.wait_for_load_state()
    axe(page)


def upload(page, axe, tmp_path, filename, text):
    path = tmp_path / filename
    path.write_text(text, encoding="utf-8")
    page.locator("input[type=file]").set_input_files(str(path))
    click(page, axe, "preview|upload|check")


# --- (a) HR -----------------------------------------------------------------------------------------


def test_hr_imports_creates_a_programme_matches_swaps_and_approves(page, axe, acme, tmp_path):
    sign_in(page, axe, "hr@acme.test")

    go(page, axe, "^people")
    go(page, axe, "import")
    upload(page, axe, tmp_path, "people-with-errors.csv", BAD_PEOPLE)
    problems = page.get_by_role("table").filter(has_text=_i("line"))
    for line, column in (("2", "email"), ("3", "grade"), ("4", "skills")):
        row = (
            problems.get_by_role("row")
            .filter(has_text=re.compile(rf"\b{line}\b"))
            .filter(has_text=_i(column))
        )
        assert row.count() >= 1, f"the preview does not list line {line} ({column})"
    assert Person.objects.count() == 0  # a preview writes nothing

    upload(page, axe, tmp_path, "people.csv", PEOPLE)
    click(page, axe, "^import")
    assert Person.objects.filter(organisation=acme["org"]).count() == 4

    go(page, axe, "^programmes")
    go(page, axe, "new programme|create programme")
    page.get_by_label(_i("^name")).fill("Spring peer pairs")
    page.get_by_label(_i("^mode")).select_option("peer")
    click(page, axe, "create|save")
    programme = Programme.objects.get(name="Spring peer pairs")
    assert programme.mode == "peer"

    click(page, axe, "open enrolment")
    programme.refresh_from_db()
    assert programme.status == Status.ENROLLING
    for person in Person.objects.filter(organisation=acme["org"]):
        enrol_participant(actor=acme["hr"], programme=programme, person=person)
    page.reload()
    axe(page)

    click(page, axe, "run matching|start matching|match")
    click(page, axe, "^run matching")  # the confirmation page says what will happen first
    page.get_by_text(_i("proposal|pairs")).first.wait_for()
    go(page, axe, "review proposals")
    proposals = list(Partnership.objects.filter(programme=programme, status=PartnershipStatus.PROPOSED))
    assert len(proposals) == 2

    # Swap: the two "excel" people trade places between the pairs.
    first, second = proposals
    leaving = first.members.get(enrolment__person__hris_id__in=["A1", "C1"]).enrolment
    joining = second.members.get(enrolment__person__hris_id__in=["A1", "C1"]).enrolment
    swap(page, axe, leaving.person.name, joining.person.name)
    first.refresh_from_db()
    assert first.adjusted
    assert set(first.members.values_list("enrolment__person__hris_id", flat=True)) & {"A1", "C1"} == {
        joining.person.hris_id
    }

    click(page, axe, "^approve all")
    assert Partnership.objects.filter(programme=programme, status=PartnershipStatus.APPROVED).count() == 0
    click(page, axe, "^approve and email")  # confirmed, naming who is emailed
    assert set(Partnership.objects.filter(programme=programme).values_list("status", flat=True)) == {
        PartnershipStatus.APPROVED
    }
    assert page.js_errors == []


def swap(page, axe, leaving_name, joining_name):
    """Swap two people between proposals with the review page's swap form; wait for the verdict."""
    form = page.get_by_test_id("swap-form")
    form.get_by_label("Swap person", exact=True).select_option(label=leaving_name)
    form.get_by_label("With", exact=True).select_option(label=joining_name)
    form.get_by_role("button", name="Swap", exact=True).click()
    verdict = page.get_by_test_id("edit-result").or_(page.get_by_test_id("edit-error"))
    verdict.wait_for()
    assert page.get_by_test_id("edit-error").count() == 0, verdict.inner_text()
    axe(page)


# --- (b) participant ----------------------------------------------------------------------------------


def test_participant_enrols_sees_the_match_and_its_reasons_and_accepts(page, axe, acme):
    org, hr = acme["org"], acme["hr"]
    from stepahead.programmes.services import assign_programme_manager, create_programme

    programme = create_programme(actor=acme["admin"], organisation=org, name="Peer pairs", mode="peer")
    assign_programme_manager(actor=acme["admin"], programme=programme, user=hr)
    Programme.objects.filter(pk=programme.pk).update(status=Status.ENROLLING)
    programme.refresh_from_db()
    pat = make_person(org, "P1", 3, skills={"excel": 3, "sql": 1}, goals=["sql"], email="pat@acme.test")
    partner = make_person(org, "P2", 3, skills={"sql": 3, "excel": 1}, goals=["excel"], email="sam@acme.test")
    enrol_participant(actor=hr, programme=programme, person=partner)
    (invitation,) = invite_people(actor=hr, programme=programme, people=[pat])
    assert isinstance(invitation, Invitation)

    sign_in(page, axe, "pat@acme.test")
    page.goto(f"/invitations/{invitation.token}/")
    axe(page)
    click(page, axe, "accept|enrol|join")
    enrolment = Enrolment.objects.get(programme=programme, person=pat)
    assert enrolment.status == "active"

    run = start_match_run(actor=hr, programme=programme)
    execute_match_run(run_id=run.pk)
    approve_proposals(actor=hr, programme=programme)
    partnership = Partnership.objects.get(programme=programme)

    page.goto("/")
    axe(page)
    go(page, axe, "match|partner|sam|P2")
    assert page.get_by_text(_i("P2|sam")).count() >= 1
    for reason in partnership.reasons:  # addressed to Pat: "You are ahead of P2 in …"
        shown = addressed_to(reason, "P1")
        assert page.get_by_text(shown, exact=False).count() >= 1, f"reason not shown: {shown}"
    click(page, axe, "^accept")
    partnership.refresh_from_db()
    member = partnership.members.get(enrolment__person=pat)
    assert member.response == "accepted"
    assert page.js_errors == []
