from django import template
from django.utils.html import format_html
from django.utils.http import urlencode

register = template.Library()

# Parameters that change what a public page shows; anything else is left out of links and canonical URLs.
KNOWN_PARAMETERS = {
    "q",
    "stakeholder_group",
    "process",
    "year",
    "date_after",
    "date_before",
    "organization",
    "role",
    "page",
}


def _known_items(query_dict, **changes):
    items = [
        (key, value)
        for key in query_dict
        if key in KNOWN_PARAMETERS and key not in changes
        for value in query_dict.getlist(key)
        if value != ""
    ]
    items.extend((key, value) for key, value in changes.items() if value not in (None, ""))
    return items


@register.simple_tag(takes_context=True)
def query_with(context, **changes):
    """The current query string with `changes` applied, e.g. {% query_with page=2 %}; `None` drops a key."""
    items = _known_items(context["request"].GET, **changes)
    return "?" + urlencode(items) if items else "?"


@register.simple_tag(takes_context=True)
def canonical_url(context):
    request = context["request"]
    items = _known_items(request.GET)
    items = [(key, value) for key, value in items if not (key == "page" and value == "1")]
    query = "?" + urlencode(items) if items else ""
    return request.build_absolute_uri(request.path) + query


@register.simple_tag(takes_context=True)
def toggle_group(context, slug):
    """The query string with stakeholder group `slug` added or removed, back on page 1."""
    request = context["request"]
    current = request.GET.getlist("stakeholder_group")
    groups = [value for value in current if value != slug] if slug in current else [*current, slug]
    items = [item for item in _known_items(request.GET, page=None) if item[0] != "stakeholder_group"]
    items.extend(("stakeholder_group", value) for value in groups)
    return "?" + urlencode(items) if items else "?"


@register.filter
def indent(depth):
    return range(depth)


@register.simple_tag
def group_tag(group):
    """A stakeholder group as a tag linking to its page; nothing for no group."""
    if not group:  # also a missing organization's group, which templates resolve to ""
        return ""
    return format_html('<a class="tag tag--group" href="{}">{}</a>', group.get_absolute_url(), group.name)


@register.simple_tag
def appearance_line(appearance):
    """“Position, Organization” as the speaker held them then; the organization links to its page."""
    title, organization = appearance.position_title, appearance.organization
    if not organization or organization.name == title:
        return title
    link = format_html('<a href="{}">{}</a>', organization.get_absolute_url(), organization.name)
    return format_html("{}, {}", title, link) if title else link
