"""The open-data formats as their own tools read them: identifiers, Atom (RFC 4287), CSV in spreadsheets, citations.

Identifiers do not depend on how the site was reached; the feed keeps RFC
4287's rules and the W3C validator's advice; no CSV cell runs as a formula; a
citation parses back, in BibTeX and RIS tools, to the text of the record.
"""

import datetime
import xml.etree.ElementTree as ET

import feedparser
import pytest
from django.core.exceptions import ImproperlyConfigured
from icalendar import Calendar

from hearings.models import Hearing
from tests.support import load_settings
from tests.test_opendata import ATOM

MIRROR = "mirror.example.net"


@pytest.fixture
def any_host(settings):
    settings.ALLOWED_HOSTS = ["testserver", MIRROR]


def feed_ids(response):
    feed = ET.fromstring(response.content)
    return feed.find(f"{ATOM}id").text, [entry.find(f"{ATOM}id").text for entry in feed.iter(f"{ATOM}entry")]


def calendar_uids(response):
    return sorted(str(event["uid"]) for event in Calendar.from_ical(response.content).walk("VEVENT"))


# --- Identifiers ------------------------------------------------------------------------------


def test_feed_ids_and_calendar_uids_do_not_change_with_the_host_or_language(client, records, any_host):
    feed, entries = feed_ids(client.get("/hearings/feed/?stakeholder_group=trade-unions"))
    uids = calendar_uids(client.get("/hearings.ics"))

    assert (feed, entries) == (
        "tag:hearings-records,2026:/hearings/feed/?stakeholder_group=trade-unions",
        ["tag:hearings-records,2026:/hearings/third/"],
    )
    assert uids == ["hearing-first@hearings-records", "hearing-third@hearings-records"]
    for host, query in ((MIRROR, ""), ("testserver", "&lang=fr"), (f"{MIRROR}:8443", "&page=2")):
        other = client.get(f"/hearings/feed/?stakeholder_group=trade-unions{query}", HTTP_HOST=host)
        assert feed_ids(other) == (feed, entries)
        assert calendar_uids(client.get(f"/hearings.ics?_={query}", HTTP_HOST=host)) == uids


def test_the_same_filters_in_another_order_are_the_same_feed(client, records):
    one, _entries = feed_ids(client.get("/hearings/feed/?year=2017&stakeholder_group=trade-unions"))
    other, _entries = feed_ids(client.get("/hearings/feed/?stakeholder_group=trade-unions&year=2017"))

    assert one == other == "tag:hearings-records,2026:/hearings/feed/?stakeholder_group=trade-unions&year=2017"


def test_identifiers_come_from_the_site_address_where_it_is_set(client, records, any_host, settings):
    settings.SITE_URL = "https://hearings.example.org"

    feed, entries = feed_ids(client.get("/hearings/feed/", HTTP_HOST=MIRROR))

    assert (feed, entries) == (
        "https://hearings.example.org/hearings/feed/",
        ["https://hearings.example.org/hearings/third/", "https://hearings.example.org/hearings/first/"],
    )
    assert calendar_uids(client.get("/hearings.ics", HTTP_HOST=MIRROR)) == [
        "hearing-first@hearings.example.org",
        "hearing-third@hearings.example.org",
    ]


def test_site_url_is_read_from_the_environment_and_checked(monkeypatch):
    assert load_settings(monkeypatch)["SITE_URL"] == ""
    assert load_settings(monkeypatch, DJANGO_SITE_URL="https://hearings.example.org/")["SITE_URL"] == (
        "https://hearings.example.org"
    )
    for wrong in ("hearings.example.org", "https://hearings.example.org/records", "ftp://hearings.example.org"):
        with pytest.raises(ImproperlyConfigured, match="DJANGO_SITE_URL must be the site's address alone"):
            load_settings(monkeypatch, DJANGO_SITE_URL=wrong)


# --- Atom (RFC 4287, and the W3C feed validator's warnings) -------------------------------------


def parse_rfc3339(text):
    return datetime.datetime.fromisoformat(text.replace("Z", "+00:00"))


def assert_valid_atom(content):
    """RFC 4287's rules for a feed and its entries, the validator's warnings, and feedparser reading it cleanly."""
    feed = ET.fromstring(content)
    entries = list(feed.iter(f"{ATOM}entry"))
    assert feed.tag == f"{ATOM}feed"
    for element in (feed, *entries):
        for name in ("id", "title", "updated"):
            found = element.findall(f"{ATOM}{name}")
            assert len(found) == 1 and (found[0].text or "").strip(), (name, ET.tostring(element)[:200])
        parse_rfc3339(element.find(f"{ATOM}updated").text)
        for author in element.findall(f"{ATOM}author"):
            assert (author.findtext(f"{ATOM}name") or "").strip()
    assert feed.find(f"{ATOM}author") is not None or all(entry.find(f"{ATOM}author") is not None for entry in entries)
    ids = [element.find(f"{ATOM}id").text for element in (feed, *entries)]
    assert len(set(ids)) == len(ids)
    updated = [entry.find(f"{ATOM}updated").text for entry in entries]
    assert len(set(updated)) == len(updated), "entries share an updated time"
    for element in feed.iter():
        assert element.get("type") != "html", element.tag
    for summary in feed.iter(f"{ATOM}summary"):
        assert (summary.text or "").strip()
        assert summary.get("type") in {None, "text"}
    parsed = feedparser.parse(content)
    assert (parsed.bozo, parsed.version, len(parsed.entries)) == (False, "atom10", len(entries))
    assert all(entry.get("author") and entry.get("updated_parsed") for entry in parsed.entries)
    return feed, entries


def test_feed_keeps_the_rules_of_atom(client, records):
    feed, entries = assert_valid_atom(client.get("/hearings/feed/").content)

    assert feed.find(f"{ATOM}author/{ATOM}name").text == "Hearings records"
    third, first = entries
    assert (third.find(f"{ATOM}summary").text, third.find(f"{ATOM}summary").get("type")) == (
        "A whole-of-society approach.",
        "text",
    )
    assert first.find(f"{ATOM}summary") is None  # the first hearing has no summary on record
    assert feed.find(f"{ATOM}link[@rel='self']").get("href") == "http://testserver/hearings/feed/"


def test_the_seed_feed_is_valid_atom_in_every_language(client, seeded):
    for language in ("en", "ar", "zh-hans", "fr", "ru", "es"):
        _feed, entries = assert_valid_atom(client.get(f"/hearings/feed/?lang={language}").content)
        assert len(entries) == 8


def test_entry_updated_is_when_the_hearing_record_last_changed(client, records):
    changed = datetime.datetime(2026, 11, 30, 9, 15, tzinfo=datetime.UTC)
    Hearing.objects.filter(slug="first").update(updated=changed)
    records["third"].save()  # edited now: its `updated` moves

    feed, (third, first) = assert_valid_atom(client.get("/hearings/feed/").content)

    assert parse_rfc3339(first.find(f"{ATOM}updated").text) == changed
    third_updated = Hearing.objects.get(slug="third").updated
    assert parse_rfc3339(third.find(f"{ATOM}updated").text) == third_updated
    assert parse_rfc3339(feed.find(f"{ATOM}updated").text) == third_updated


def test_entry_author_is_the_convener_else_the_site(client, records):
    records["third"].convener = "President of the General Assembly"
    records["third"].save()

    _feed, (third, first) = assert_valid_atom(client.get("/hearings/feed/").content)
    french, _entries = assert_valid_atom(client.get("/hearings/feed/?lang=fr").content)

    assert third.find(f"{ATOM}author/{ATOM}name").text == "President of the General Assembly"
    assert first.find(f"{ATOM}author/{ATOM}name").text == "Hearings records"
    assert french.find(f"{ATOM}author/{ATOM}name").text == "Registre des auditions"
    assert french.find(f"{ATOM}link[@rel='self']").get("href") == "http://testserver/hearings/feed/?lang=fr"
