"""Issue 11 bug 8: whoever signs up with the address their match email went to can open their
partnership, once that address is verified; an unverified address links nobody."""

from allauth.account.models import EmailAddress
from django.urls import reverse

from stepahead.organisations.models import Membership
from stepahead.partnerships.services import approve_proposals
from stepahead.people.models import Person
from tests.integration.factories import make_user


def _signed_up(email: str, *, verified: bool):
    user = make_user(email)
    EmailAddress.objects.filter(user=user).delete()  # the factory may record one already
    EmailAddress.objects.create(user=user, email=email, verified=verified, primary=True)
    return user


def test_a_verified_address_links_the_login_and_opens_the_partnership(world, browser_for, reviewable):
    programme, enrolments, (ab, _cd) = reviewable
    approve_proposals(actor=world.manager, programme=programme)
    b_user = _signed_up("b@acme.test", verified=True)  # B's match email went to b@acme.test
    page = browser_for(b_user).get(reverse("web:partnership", args=[ab.pk]))
    assert page.status_code == 200
    assert Person.objects.get(pk=enrolments["B"].person.pk).user == b_user
    assert Membership.objects.filter(organisation=world.org, user=b_user, role="participant").exists()


def test_an_unverified_address_links_nobody(world, browser_for, reviewable):
    programme, enrolments, (ab, _cd) = reviewable
    approve_proposals(actor=world.manager, programme=programme)
    squatter = _signed_up("b@acme.test", verified=False)
    assert browser_for(squatter).get(reverse("web:partnership", args=[ab.pk])).status_code in (302, 403, 404)
    assert Person.objects.get(pk=enrolments["B"].person.pk).user is None


def test_confirming_the_address_later_links_it(world, reviewable):
    from allauth.account.signals import email_confirmed

    _programme, enrolments, _ = reviewable
    user = _signed_up("b@acme.test", verified=False)
    address = EmailAddress.objects.get(user=user)
    address.verified = True
    address.save()
    email_confirmed.send(sender=EmailAddress, request=None, email_address=address)
    assert Person.objects.get(pk=enrolments["B"].person.pk).user == user
