"""iCalendar of published hearings, `/hearings.ics`, with the hearing list's filters."""

import datetime

from django.http import HttpResponse
from django.views.decorators.http import require_safe
from icalendar import Calendar, Event

from hearings.pagecache.pages import public_page
from hearings.web.filters import HearingFilter

from .downloads import _file_name, refused
from .identifiers import hearing_uid

CALENDAR_SIZE = 1000


def hearing_event(hearing, url):
    """A hearing as an event: all day when it has no time, at its venue, linking to its page."""
    event = Event()
    event.add("uid", hearing_uid(hearing))
    event.add("summary", hearing.title)
    event.add("dtstamp", hearing.updated)
    if hearing.start_time:
        # The time of day at the venue, as the sources give it: a floating local time.
        event.add("dtstart", datetime.datetime.combine(hearing.date, hearing.start_time))
        if hearing.end_time:
            event.add("dtend", datetime.datetime.combine(hearing.date, hearing.end_time))
    else:
        event.add("dtstart", hearing.date)
        event.add("dtend", hearing.date + datetime.timedelta(days=1))
    if hearing.venue:
        event.add("location", ", ".join(part for part in (str(hearing.venue), hearing.venue.country) if part))
    event.add("url", url)
    description = "\n\n".join(part for part in (hearing.summary, url) if part)
    event.add("description", description)
    return event


@require_safe
@public_page
def hearings_ics(request):
    """Published hearings as calendar events, filtered like /hearings/."""
    filterset = HearingFilter(request.GET)
    if not filterset.is_valid():
        return refused(filterset)
    calendar = Calendar()
    calendar.add("prodid", "-//Hearings records//EN")
    calendar.add("version", "2.0")
    calendar.add("x-wr-calname", "Hearings records")
    hearings = filterset.qs.select_related("venue").order_by("-date", "-pk")[:CALENDAR_SIZE]
    for hearing in hearings:
        calendar.add_component(hearing_event(hearing, request.build_absolute_uri(hearing.get_absolute_url())))
    response = HttpResponse(calendar.to_ical(), content_type="text/calendar; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="{_file_name("hearings", filterset)[:-4]}.ics"'
    return response
