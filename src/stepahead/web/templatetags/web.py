"""Template helpers: accessible form widgets and the role-aware navigation."""

from collections.abc import Iterable, Mapping
from fractions import Fraction
from typing import Any

from django import template
from django.forms import BoundField
from django.template.context import Context
from django.utils.html import format_html_join
from django.utils.safestring import SafeString

from stepahead.core import ismcp
from stepahead.core.levels import level_words
from stepahead.core.optimality import optimality_words
from stepahead.core.strength import match_strength, strength_words
from stepahead.web.access import current_membership, current_person, is_hr, memberships

register = template.Library()


@register.filter
def accessible(bound_field: BoundField) -> SafeString:
    """Render a field's widget linked to its help text and errors (aria-describedby), and
    marked aria-invalid when it has errors."""
    ids: list[str] = []
    attrs: dict[str, str | bool] = {}
    if bound_field.help_text:
        ids.append(f"{bound_field.auto_id}_help")
    if bound_field.errors:
        ids.append(f"{bound_field.auto_id}_error")
        attrs["aria-invalid"] = "true"
    if ids:
        attrs["aria-describedby"] = " ".join(ids)
    return bound_field.as_widget(attrs=attrs)


@register.simple_tag(takes_context=True)
def nav_state(context: Context) -> dict[str, Any]:
    """What the navigation shows: the organisation, and links for what the role can do."""
    request = context.get("request")
    # No `user` when a request is refused before the authentication middleware ran (a bad Host
    # header answers 400 from CommonMiddleware): such a page is anonymous.
    user = getattr(request, "user", None)
    if request is None or user is None or not user.is_authenticated:
        return {"signed_in": False}
    membership = current_membership(request)
    return {
        "signed_in": True,
        "membership": membership,
        "memberships": memberships(request),
        "hr": is_hr(request),
        "person": current_person(request) if membership else None,
    }


@register.filter
def percent(value: object) -> int:
    try:
        return round(float(str(value)) * 100)
    except (TypeError, ValueError):
        return 0


@register.filter(name="level_words")
def level_in_words(level: int) -> str:
    """ "3 · Comfortable"."""
    return level_words(level)


@register.filter
def get_item(mapping: object, key: str) -> object:
    return mapping.get(key) if isinstance(mapping, Mapping) else None


@register.filter
def ismcp_percent(value: Fraction) -> str:
    """An adherence fraction as "72.5 %"."""
    return ismcp.percent(value)


@register.filter
def finding_words(finding: str) -> str:
    return {"met": "Met", "partly": "Partly met", "missing": "Missing"}.get(str(finding), str(finding))


@register.filter
def count_finding(rows: Iterable[Any], finding: str) -> int:
    """How many criterion reports in `rows` have this finding."""
    return sum(1 for row in rows if str(getattr(row, "finding", "")) == finding)


@register.filter
def strength(partnership: Any) -> int | None:
    """A partnership's score as a 0–100 match strength (core.strength)."""
    circle = getattr(partnership, "kind", "") == "circle"
    members = len(partnership.members.all()) if circle else 2
    return match_strength(getattr(partnership, "score", None), members=members, circle=circle)


@register.filter
def strength_word(value: int | None) -> str:
    return strength_words(value)


@register.filter
def optimality_in_words(optimality: Mapping[str, object] | None) -> str:
    return optimality_words(optimality)


@register.simple_tag
def member_items(partnership: Any) -> SafeString:
    """A proposal's members as list items (name, role where it is not obvious, function, grade):
    built in Python, since the board draws a hundred of them and a template loop costs several
    times as much."""
    return format_html_join(
        "",
        '<li>{} <span class="muted small">{}{} · grade {}</span></li>',
        (
            (
                m.enrolment.person.display_name,
                "" if m.role in ("peer", "member") else f"{m.get_role_display()} · ",
                m.enrolment.person.function or "—",
                m.enrolment.person.grade,
            )
            for m in partnership.members.all()
        ),
    )


@register.simple_tag
def member_options(proposals: Iterable[Any]) -> SafeString:
    """The review board's "choose a member" options, grouped by proposal: built once in Python
    and reused by its three pickers (three template loops over 100 members cost more than the
    rest of the page)."""
    return format_html_join(
        "",
        '<optgroup label="Proposal #{}">{}</optgroup>',
        (
            (
                p.pk,
                format_html_join(
                    "",
                    '<option value="{}:{}">{}</option>',
                    ((p.pk, m.enrolment_id, m.enrolment.person.display_name) for m in p.members.all()),
                ),
            )
            for p in proposals
        ),
    )
