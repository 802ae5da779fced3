from django import template
from django.conf import settings
from django.urls import translate_url
from django.utils import translation
from django.utils.html import format_html
from django.utils.http import urlencode

from hearings import statistics
from hearings.filters import KNOWN_PARAMETERS, MAX_QUERY_LENGTH

register = template.Library()


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
def current_filters(context):
    """The current filters as a query string ("?year=2017"), without the page; empty when there are none."""
    items = _known_items(context["request"].GET, page=None)
    return "?" + urlencode(items) if items else ""


@register.simple_tag(takes_context=True)
def canonical_url(context):
    request = context["request"]
    items = _known_items(request.GET)
    items = [(key, value) for key, value in items if not (key == "page" and value == "1")]
    query = "?" + urlencode(items) if items else ""
    return request.build_absolute_uri(request.path) + query


@register.simple_tag
def max_query_length():
    """The longest search the filters accept, for the search boxes outside a filter form."""
    return MAX_QUERY_LENGTH


@register.filter
def bdi(value):
    """`value` isolated in <bdi>, for a name put into a translated sentence.

    A Latin name in an Arabic sentence (or an Arabic one in English) then keeps its own direction, and its
    punctuation stays with it. Wrapping the value, not the sentence, leaves the translators' text as it was.
    """
    return format_html("<bdi>{}</bdi>", value)


@register.simple_tag
def group_tag(group):
    """A stakeholder group as a tag linking to its page; nothing for no group."""
    if not group:  # also a missing organization's group, which templates resolve to ""
        return ""
    return format_html('<a class="tag tag--group" href="{}">{}</a>', group.get_absolute_url(), group.name)


@register.simple_tag
def appearance_line(appearance):
    """“Position, Organization” as the speaker held them then; the organization links to its page.

    A position that already names the organization (“Senator of the Mexico Senate”) is not followed by it
    again: the name inside the position becomes the link.
    """
    title, organization = appearance.position_title, appearance.organization
    if not organization:
        return title
    start = title.casefold().find(organization.name.casefold())
    if start >= 0 and len(title.casefold()) == len(title):
        end = start + len(organization.name)
        link = format_html('<a href="{}">{}</a>', organization.get_absolute_url(), title[start:end])
        return format_html("{}{}{}", title[:start], link, title[end:])
    link = format_html('<a href="{}">{}</a>', organization.get_absolute_url(), organization.name)
    return format_html("{}, {}", title, link) if title else link


@register.simple_tag
def series_value(series, key, measure):
    """A statistics row's number for one series (a stakeholder group), 0 when it has none."""
    return series.get(key, {}).get(measure, 0)


@register.filter
def group_name(name):
    """A statistics row's group name; the appearances without an organization have none."""
    return statistics.group_label(name)


@register.simple_tag
def role_label(role):
    """A role's name in the reader's language."""
    return statistics.role_label(role)


def hreflang(code):
    """A language code as BCP 47 writes it for hreflang: "zh-hans" is "zh-Hans"."""
    language, _sep, script = code.partition("-")
    return f"{language}-{script.title()}" if len(script) == 4 else code


@register.simple_tag(takes_context=True)
def language_versions(context):
    """This page in each of the site's languages: code, hreflang, own name, address (filters kept), current."""
    request = context["request"]
    current = translation.get_language()
    path = request.get_full_path()
    versions = []
    for code, _name in settings.LANGUAGES:
        info = translation.get_language_info(code)
        url = translate_url(path, code)
        versions.append(
            {
                "code": code,
                "hreflang": hreflang(code),
                "name": info["name_local"],
                "bidi": info["bidi"],
                "url": url,
                "absolute_url": request.build_absolute_uri(url),
                "current": code == current,
            }
        )
    return versions
