"""Identifiers of the open data (calendar UIDs, Atom ids), the same however the site was reached.

Made from `settings.SITE_URL` (`DJANGO_SITE_URL`) where it is set, otherwise from
the path alone, never from the request: a request's Host header is whatever
the client (or a proxy, or a second domain) sent, and a calendar or feed reader
that saw one hearing under two ids would show it twice.
"""

from urllib.parse import urlsplit

from django.conf import settings
from django.urls import reverse
from django.utils import translation

# The tagging entity of RFC 4151 tag URIs where no site address is configured: a fixed name and the year the
# records began, so that the ids never change while the setting stays unset.
DEFAULT_AUTHORITY = "hearings-records"
TAG_DATE = "2026"


def authority():
    """The site's host name (`hearings.example.org`), or the fixed `hearings-records` without a site address."""
    return urlsplit(settings.SITE_URL).hostname if settings.SITE_URL else DEFAULT_AUTHORITY


def path_of(view_name, **kwargs):
    """The path of a page in the source language, so that an identifier is the same in every language."""
    with translation.override(settings.LANGUAGE_CODE):
        return reverse(view_name, kwargs=kwargs or None)


def uri(path):
    """A permanent URI for `path`: the site's address and the path, or a tag URI (RFC 4151) of the path."""
    if settings.SITE_URL:
        return settings.SITE_URL + path
    return f"tag:{DEFAULT_AUTHORITY},{TAG_DATE}:{path}"


def hearing_uid(hearing):
    """The calendar UID of a hearing (RFC 5545): `hearing-<slug>@<authority>`."""
    return f"hearing-{hearing.slug}@{authority()}"


def hearing_uri(hearing):
    """The Atom id of a hearing's entry."""
    return uri(path_of("hearings:hearing_detail", slug=hearing.slug))
