"""schema.org descriptions of the public pages, for the JSON-LD in their head: an Event per hearing, a Person,
an Organization. Built from what the page itself shows, so nothing private can enter."""

import datetime


def _organization(organization, url):
    data = {"@type": "Organization", "name": organization.name, "url": url(organization)}
    if organization.short_name:
        data["alternateName"] = organization.short_name
    if organization.website:
        data["sameAs"] = organization.website
    return data


def _when(day, time):
    return datetime.datetime.combine(day, time).isoformat() if time else day.isoformat()


def hearing(hearing, url):
    """`url(obj)` gives an object's absolute address. The hearing as prefetched for its page."""
    data = {
        "@context": "https://schema.org",
        "@type": "Event",
        "name": hearing.title,
        "url": url(hearing),
        "startDate": _when(hearing.date, hearing.start_time),
        "eventAttendanceMode": "https://schema.org/OfflineEventAttendanceMode",
        "eventStatus": "https://schema.org/EventScheduled",
        "superEvent": {"@type": "EventSeries", "name": hearing.process.name, "url": url(hearing.process)},
    }
    if hearing.end_time:
        data["endDate"] = _when(hearing.date, hearing.end_time)
    if hearing.summary:
        data["description"] = hearing.summary
    if hearing.venue:
        venue = hearing.venue
        address = {"@type": "PostalAddress", "addressLocality": venue.city, "addressCountry": venue.country}
        data["location"] = {
            "@type": "Place",
            "name": ", ".join(part for part in (venue.name, venue.site) if part),
            "address": {key: value for key, value in address.items() if value},
        }
    if hearing.convener:
        data["organizer"] = {"@type": "Organization", "name": hearing.convener}
    performers = {}
    for segment in hearing.segments.all():
        for appearance in segment.appearances.all():
            person = performers.setdefault(
                appearance.person_id,
                {"@type": "Person", "name": appearance.person.name, "url": url(appearance.person)},
            )
            if appearance.organization is not None:
                affiliation = _organization(appearance.organization, url)
                if affiliation not in person.setdefault("affiliation", []):
                    person["affiliation"].append(affiliation)
    if performers:
        data["performer"] = list(performers.values())
    return data


def person(person, appearances, url):
    data = {"@context": "https://schema.org", "@type": "Person", "name": person.name, "url": url(person)}
    if person.honorific_prefix:
        data["honorificPrefix"] = person.honorific_prefix
    if person.other_names_list:
        data["alternateName"] = person.other_names_list
    affiliations = []
    for appearance in appearances:
        if appearance.organization is not None:
            affiliation = _organization(appearance.organization, url)
            if affiliation not in affiliations:
                affiliations.append(affiliation)
    if affiliations:
        data["affiliation"] = affiliations
    return data


def organization(organization, url):
    return {"@context": "https://schema.org", **_organization(organization, url)}
