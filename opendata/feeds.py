"""The Atom feed of published hearings, `/hearings/feed/`, with the hearing list's filters.

"Every new hearing where trade unions spoke" is one address:
`/hearings/feed/?stakeholder_group=trade-unions`. Django's syndication framework.

Valid Atom (RFC 4287, and the W3C feed validator's warnings): ids that do not
depend on the request's host (`identifiers`), an author for the feed (the site)
and for each entry (its convener, else the site), each entry's `updated` from
when its hearing record last changed, and the plain-text summary declared as
text, left out where a hearing has none.
"""

import datetime

from django.contrib.syndication.views import Feed
from django.urls import reverse
from django.utils import timezone
from django.utils.feedgenerator import Atom1Feed
from django.utils.http import urlencode
from django.utils.translation import gettext_lazy as _

from hearings.web.filters import KNOWN_PARAMETERS, HearingFilter

from .downloads import refused
from .identifiers import hearing_uri, uri

FEED_SIZE = 50


class PlainTextAtomFeed(Atom1Feed):
    """Atom whose entries' summary is plain text (`type="text"`); Atom1Feed writes every summary as HTML."""

    def add_item_elements(self, handler, item):
        super().add_item_elements(handler, item)
        if item.get("summary_text"):
            handler.addQuickElement("summary", item["summary_text"], {"type": "text"})


# The hearing list's parameters but `page`: the feed has no pages, so `page` names no other feed.
FEED_PARAMETERS = KNOWN_PARAMETERS - {"page"}


def _filter_query(filterset):
    """The request's filters, by name, so the same filters make the same address: `stakeholder_group=…&year=2017`."""
    data = filterset.data
    return urlencode(
        [(key, value) for key in sorted(data) if key in FEED_PARAMETERS for value in data.getlist(key) if value]
    )


def _with_query(path, query):
    return path + (f"?{query}" if query else "")


class HearingFeed(Feed):
    feed_type = PlainTextAtomFeed
    title = _("Hearings records: published hearings")
    subtitle = _("The multi-stakeholder hearings of the United Nations General Assembly, newest first.")
    author_name = _("Hearings records")

    def __call__(self, request, *args, **kwargs):
        filterset = HearingFilter(request.GET)
        if not filterset.is_valid():
            return refused(filterset)
        request.filterset = filterset
        return super().__call__(request, *args, **kwargs)

    def get_object(self, request, *args, **kwargs):
        return request.filterset

    def link(self, filterset):
        """The hearing list showing the same hearings."""
        return _with_query(reverse("hearings:hearing_list"), _filter_query(filterset))

    def feed_url(self, filterset):
        """This feed's own address: its filters, and the language asked for."""
        query = _filter_query(filterset)
        if "lang" in filterset.data:
            query = "&".join(part for part in (query, urlencode({"lang": filterset.data["lang"]})) if part)
        return _with_query(reverse("opendata:hearings_feed"), query)

    def feed_guid(self, filterset):
        """The feed's id: the same for the same filters, whatever the host or language it was asked in."""
        return uri(_with_query(reverse("opendata:hearings_feed"), _filter_query(filterset)))

    def items(self, filterset):
        return filterset.qs.select_related("process", "venue").order_by("-date", "-ordinal", "-pk")[:FEED_SIZE]

    def item_title(self, hearing):
        return hearing.title

    def item_description(self, hearing):
        """None: Atom1Feed would declare it HTML; the plain-text summary goes in as text (`item_extra_kwargs`)."""
        return None

    def item_extra_kwargs(self, hearing):
        summary = hearing.summary or ""
        return {"summary_text": summary if summary.strip() else None}

    def item_guid(self, hearing):
        return hearing_uri(hearing)

    def item_guid_is_permalink(self, hearing):
        return False

    def item_author_name(self, hearing):
        return hearing.convener or self.author_name

    def item_pubdate(self, hearing):
        return timezone.make_aware(datetime.datetime.combine(hearing.date, hearing.start_time or datetime.time()))

    def item_updateddate(self, hearing):
        """When the hearing record last changed (saved in the admin, published, loaded)."""
        return hearing.updated

    def item_categories(self, hearing):
        return [hearing.process.short_name or hearing.process.name]
