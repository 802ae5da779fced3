import functools

from django import template
from django.conf import settings
from django.template.loader import get_template
from django.urls import NoReverseMatch, reverse
from django.utils import translation
from django.utils.encoding import iri_to_uri
from django.utils.html import conditional_escape, format_html, linebreaks
from django.utils.http import urlencode
from django.utils.safestring import mark_safe

from hearings.domain import record_text as translated
from hearings.pagecache import fragments
from hearings.queries import statistics
from hearings.web.filters import KNOWN_PARAMETERS, MAX_QUERY_LENGTH

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


class FragmentNode(template.Node):
    def __init__(self, name, parts, nodelist):
        self.name = name
        self.parts = parts
        self.nodelist = nodelist

    def render(self, context):
        if self.parts is not None:
            # A part of every page that shows no record: kept by its own key.
            shown = fragments.PageFragments([self.name], *(part.resolve(context) for part in self.parts))
        else:
            shown = context.get("fragments")
        if shown is None:
            return self.nodelist.render(context)
        text = shown.get(self.name)
        if text is None:
            text = self.nodelist.render(context)
            shown.keep(self.name, text)
        return mark_safe(text)  # rendered by this template's nodes, which escape


@register.tag
def fragment(parser, token):
    """`{% fragment "name" %}…{% endfragment %}`: a part of a page kept under the version of what it shows.

    The view names the fragments and what their keys hold (`fragments.PageFragments`, in the context as
    `fragments`); the tag outputs the kept text, or renders its contents and keeps them. Without
    `fragments` in the context, it renders its contents.

    `{% fragment "name" using value … %}`: a part that shows no record (the site's header), kept under
    its name and the values given, with the release and the language like every fragment.
    """
    bits = token.split_contents()
    if len(bits) < 2 or bits[1][0] not in "\"'" or bits[1][0] != bits[1][-1]:
        raise template.TemplateSyntaxError("{% fragment %} takes a quoted name")
    parts = None
    if len(bits) > 2:
        if bits[2] != "using":
            raise template.TemplateSyntaxError('{% fragment "name" using value … %}')
        parts = [parser.compile_filter(bit) for bit in bits[3:]]
    nodelist = parser.parse(("endfragment",))
    parser.delete_first_token()
    return FragmentNode(bits[1][1:-1], parts, nodelist)


def _kept_rows(records, name, token, template_name, variable, prefetches=()):
    """`records` rendered one by one with `template_name`, each row kept as a fragment under the `token` of
    the hearing it shows. Only the records whose row is not kept have `prefetches` read and are rendered."""
    row = get_template(template_name)
    rows = fragments.kept_for(
        list(records),
        name,
        lambda record: (record.pk, token(record)),
        lambda missing: [row.render({variable: record}) for record in missing],
        prefetches,
    )
    return mark_safe("".join(rows))  # rendered by the row's template, which escapes


@register.simple_tag
def hearing_rows(hearings):
    """The rows of a list of hearings, each kept as a fragment under its hearing's `shown_token`.

    Only the hearings whose row is not kept have their participating groups read (one query for all of
    them); a list whose every row is kept asks nothing more than the list itself.
    """
    return _kept_rows(
        hearings,
        "hearing-row",
        lambda hearing: hearing.shown_token,
        "includes/hearing_row.html",
        "hearing",
        ["participating_groups"],
    )


@register.simple_tag
def person_appearance_rows(appearances):
    """A person's appearances, each row kept under its hearing's `shown_token`: all a row shows (the hearing,
    its process, the segment, the position, the organization and its group) is part of what the hearing shows."""
    return _kept_rows(
        appearances,
        "person-appearance",
        lambda appearance: appearance.segment.hearing.shown_token,
        "includes/person_appearance_row.html",
        "appearance",
    )


@register.filter
def bdi(value):
    """`value` isolated in <bdi>, for a name put into a translated sentence.

    A Latin name in an Arabic sentence (or an Arabic one in English) then keeps its own direction, and its
    punctuation stays with it. Wrapping the value, not the sentence, leaves the translators' text as it was.
    """
    return format_html("<bdi>{}</bdi>", value)


def _marked(text):
    """A record's text, escaped, in a `lang` span when it is the English text standing in for a translation."""
    if text.fallback:
        return format_html('<span lang="{}" dir="ltr">{}</span>', text.lang, text.text)
    return conditional_escape(text.text)


@register.filter
def tr(record, field):
    """`record`'s `field` in the page's language, or its English text marked `lang="en"` (screen readers switch)."""
    if not record:
        return ""
    return _marked(translated.in_language(record, field))


@register.filter
def marked(text, lang):
    """A text already resolved to the reader's language (statistics rows), marked with `lang` when it is English."""
    return _marked(translated.ShownText(text or "", lang))


@register.filter
def tr_paragraphs(record, field):
    """A long text of `record` in paragraphs, in the page's language or in English inside `<div lang="en">`."""
    if not record:
        return ""
    text = translated.in_language(record, field)
    paragraphs = mark_safe(linebreaks(text.text, autoescape=True))  # the text is escaped by `linebreaks`
    if text.fallback:
        return format_html('<div lang="{}" dir="ltr">{}</div>', text.lang, paragraphs)
    return paragraphs


@register.filter
def segment_heading(segment):
    """A segment's title in the page's language, or the name of its kind when it has none."""
    if segment.title:
        return tr(segment, "title")
    return segment.get_kind_display()


@register.filter
def short_label(process):
    """A process's short name (“GCM”), or its name when it has none, in the page's language or marked English."""
    return tr(process, "short_name") if process.short_name else tr(process, "name")


@register.filter
def venue_line(venue):
    """“Room, Site, City”, each part in the page's language or marked as English."""
    parts = [part for field in ("name", "site", "city") if (part := translated.in_language(venue, field)).text]
    if parts and all(part.fallback for part in parts):
        # All English: one run, so that in a right-to-left page its commas stay between its parts.
        return _marked(translated.ShownText(", ".join(part.text for part in parts), parts[0].lang))
    return mark_safe(", ".join(_marked(part) for part in parts))  # each part escaped by `_marked`


@register.filter
def venue_city(venue):
    """A venue's city, or the whole venue when its city is not given."""
    return tr(venue, "city") if venue.city else venue_line(venue)


@register.simple_tag
def group_tag(group):
    """A stakeholder group as a tag linking to its page; nothing for no group."""
    if not group:  # also a missing organization's group, which templates resolve to ""
        return ""
    return format_html('<a class="tag tag--group" href="{}">{}</a>', group.get_absolute_url(), tr(group, "name"))


@register.simple_tag
def appearance_line(appearance):
    """“Position, Organization” as the speaker held them then; the organization links to its page.

    A position that already names the organization (“Senator of the Mexico Senate”) is not followed by it
    again: the name inside the position becomes the link. Each text is in the page's language, or in English
    marked as such.
    """
    title, organization = translated.in_language(appearance, "position_title"), appearance.organization
    if not organization:
        return _marked(title)
    name = translated.in_language(organization, "name")
    start = title.text.casefold().find(name.text.casefold())
    if start >= 0 and len(title.text.casefold()) == len(title.text) and title.lang == name.lang:
        end = start + len(name.text)
        link = format_html('<a href="{}">{}</a>', organization.get_absolute_url(), title.text[start:end])
        line = format_html("{}{}{}", title.text[:start], link, title.text[end:])
        return format_html('<span lang="{}" dir="ltr">{}</span>', title.lang, line) if title.fallback else line
    if title.text and title.fallback and name.fallback:
        # Both English: one run, so that in a right-to-left page the comma stays between them.
        link = format_html('<a href="{}">{}</a>', organization.get_absolute_url(), name.text)
        return format_html('<span lang="{}" dir="ltr">{}, {}</span>', title.lang, title.text, link)
    link = format_html('<a href="{}">{}</a>', organization.get_absolute_url(), _marked(name))
    return format_html("{}, {}", _marked(title), link) if title.text else link


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


class LanguageVersion:
    """This page in one of the site's languages; its absolute address is built only when a template asks for it."""

    def __init__(self, request, code, url, current):
        info = translation.get_language_info(code)
        self.request = request
        self.code = code
        self.hreflang = hreflang(code)
        self.name = info["name_local"]
        self.bidi = info["bidi"]
        self.url = url
        self.current = current

    @functools.cached_property
    def absolute_url(self):
        return self.request.build_absolute_uri(self.url)


def _page_in(match, query, code):
    """The address of the page `match` resolved to, in language `code`, with the same query string.

    Built by reversing the resolved view, never from the request's path: a path such as `//other.example/`
    (which no view answers) must not become a link to another site. A page no view answered links to each
    language's home page.
    """
    with translation.override(code):
        if match is None:
            return reverse("hearings:home")
        try:
            url = reverse(match.view_name, args=match.args, kwargs=match.kwargs)
        except NoReverseMatch:
            return reverse("hearings:home")
    return f"{url}?{query}" if query else url


@register.simple_tag(takes_context=True)
def language_versions(context):
    """This page in each of the site's languages: code, hreflang, own name, address (filters kept), current."""
    request = context["request"]
    current = translation.get_language()
    match = request.resolver_match
    query = iri_to_uri(request.META.get("QUERY_STRING", ""))
    return [
        LanguageVersion(request, code, _page_in(match, query, code), code == current)
        for code, _name in settings.LANGUAGES
    ]
