"""Structured data and citation meta tags for the page head."""

import json

from django import template
from django.core.serializers.json import DjangoJSONEncoder
from django.utils.html import format_html
from django.utils.safestring import mark_safe

from opendata import citations, structured

register = template.Library()

# What a JSON string may not carry inside <script>: no text an editor typed can close the element.
_SCRIPT_ESCAPES = {ord("<"): "\\u003C", ord(">"): "\\u003E", ord("&"): "\\u0026"}


def _json_ld(data):
    text = json.dumps(data, cls=DjangoJSONEncoder, ensure_ascii=False).translate(_SCRIPT_ESCAPES)
    # Safe: the JSON above cannot contain "<", ">" or "&" unescaped.
    return format_html('<script type="application/ld+json">{}</script>', mark_safe(text))


def _absolute(request):
    return lambda obj: request.build_absolute_uri(obj.get_absolute_url())


@register.simple_tag(takes_context=True)
def hearing_json_ld(context, hearing):
    return _json_ld(structured.hearing(hearing, _absolute(context["request"])))


@register.simple_tag(takes_context=True)
def person_json_ld(context, person, appearances):
    return _json_ld(structured.person(person, appearances, _absolute(context["request"])))


@register.simple_tag(takes_context=True)
def organization_json_ld(context, organization):
    return _json_ld(structured.organization(organization, _absolute(context["request"])))


@register.simple_tag(takes_context=True)
def hearing_reference(context, hearing):
    """The formatted reference of “Cite this hearing”."""
    return citations.reference(hearing, context["request"].build_absolute_uri(hearing.get_absolute_url()))
