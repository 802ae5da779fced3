"""The Atom feed of published hearings, `/hearings/feed/`, with the hearing list's filters.

"Every new hearing where trade unions spoke" is one address:
`/hearings/feed/?stakeholder_group=trade-unions`. Django's syndication framework.
"""

import datetime

from django.contrib.syndication.views import Feed
from django.urls import reverse
from django.utils import timezone
from django.utils.feedgenerator import Atom1Feed
from django.utils.http import urlencode
from django.utils.translation import gettext_lazy as _

from hearings.filters import KNOWN_PARAMETERS, HearingFilter

from .downloads import refused

FEED_SIZE = 50


class HearingFeed(Feed):
    feed_type = Atom1Feed
    title = _("Hearings records: published hearings")
    subtitle = _("The multi-stakeholder hearings of the United Nations General Assembly, newest first.")

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
        data = filterset.data
        query = urlencode(
            [(key, value) for key in data if key in KNOWN_PARAMETERS for value in data.getlist(key) if value]
        )
        return reverse("hearings:hearing_list") + (f"?{query}" if query else "")

    def items(self, filterset):
        return filterset.qs.select_related("process", "venue").order_by("-date", "-ordinal", "-pk")[:FEED_SIZE]

    def item_title(self, hearing):
        return hearing.title

    def item_description(self, hearing):
        return hearing.summary

    def item_pubdate(self, hearing):
        return timezone.make_aware(datetime.datetime.combine(hearing.date, hearing.start_time or datetime.time()))

    def item_updateddate(self, hearing):
        return hearing.updated

    def item_categories(self, hearing):
        return [hearing.process.short_name or hearing.process.name]
