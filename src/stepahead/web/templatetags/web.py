"""Template helpers: accessible form widgets and the role-aware navigation."""

from django import template

from stepahead.web.access import current_membership, current_person, is_hr, memberships

register = template.Library()


@register.filter
def accessible(bound_field):
    """Render a field's widget linked to its help text and errors (aria-describedby), and
    marked aria-invalid when it has errors."""
    ids, attrs = [], {}
    if bound_field.help_text:
        ids.append(f"{bound_field.auto_id}_help")
    if bound_field.errors:
        ids.append(f"{bound_field.auto_id}_error")
        attrs["aria-invalid"] = "true"
    if ids:
        attrs["aria-describedby"] = " ".join(ids)
    return bound_field.as_widget(attrs=attrs)


@register.simple_tag(takes_context=True)
def nav_state(context):
    """What the navigation shows: the organisation, and links for what the role can do."""
    request = context.get("request")
    if request is None or not request.user.is_authenticated:
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
def percent(value):
    try:
        return round(float(value) * 100)
    except (TypeError, ValueError):
        return 0


@register.filter
def get_item(mapping, key):
    return mapping.get(key) if hasattr(mapping, "get") else None
