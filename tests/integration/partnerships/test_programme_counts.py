"""Programme counts for the dashboard and the programme list: right, and without multiplying
enrolments by partnerships (a 10,000-person programme with 5,000 pairs took minutes)."""

from stepahead.partnerships.selectors import programmes_with_counts
from tests.integration.partnering import accepted, approved


def test_counts_are_right_and_each_comes_from_its_own_subquery(world):
    built = accepted(world)
    other = approved(world, names=("C", "D"))
    rows = {p.pk: p for p in programmes_with_counts(user=world.admin, organisation=world.org)}
    assert (rows[built.programme.pk].enrolled, rows[built.programme.pk].matched) == (2, 1)
    assert (rows[other.programme.pk].enrolled, rows[other.programme.pk].proposals) == (2, 0)
    sql = str(programmes_with_counts(user=world.admin, organisation=world.org).query)
    assert 'JOIN "programmes_enrolment"' not in sql
    assert 'JOIN "partnerships_partnership"' not in sql
