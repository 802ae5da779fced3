"""The open-data formats as their own tools read them: identifiers, Atom (RFC 4287), CSV in spreadsheets, citations.

Identifiers do not depend on how the site was reached; the feed keeps RFC
4287's rules and the W3C validator's advice; no CSV cell runs as a formula; a
citation parses back, in BibTeX and RIS tools, to the text of the record.
"""

import datetime
import xml.etree.ElementTree as ET

import bibtexparser
import feedparser
import pybtex.database
import pytest
import rispy
from bibtexparser.middlewares import LatexDecodingMiddleware
from django.core.exceptions import ImproperlyConfigured
from icalendar import Calendar
from pybtex.plugin import find_plugin
from pylatexenc.latex2text import LatexNodes2Text, MacroTextSpec, get_default_latex_context_db

from hearings.models import Appearance, Hearing, Organization, Person, Segment, StakeholderGroup
from opendata.downloads import spreadsheet_safe
from tests.support import load_settings
from tests.test_opendata import ATOM, read_csv

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
    assert load_settings(monkeypatch, DJANGO_SITE_URL=" HTTPS://Hearings.Example.org:8443")["SITE_URL"] == (
        "https://hearings.example.org:8443"
    )
    wrong_addresses = (
        "hearings.example.org",
        "https://hearings.example.org/records",
        "ftp://hearings.example.org",
        "https://editor@hearings.example.org",
        "https://hearings.example.org/?lang=fr",
    )
    for wrong in wrong_addresses:
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


# --- CSV: no cell runs as a formula in a spreadsheet ----------------------------------------------

HOSTILE = {
    "hearing_title": '=HYPERLINK("https://evil.example/","Click")',
    "hearing_title_fr": "+33 1 23 45 67 89",
    "convener": "@SUM(1+1)",
    "person_name": "-2+3+cmd|' /C calc'!A0",
    "sort_name": "\t=1+1",
    "honorific": "\r=1+1",
    "organization_name": "=cmd|' /C calc'!A0",
    "organization_name_fr": "@Internationale",
    "short_name": "-EI",
    "group_name": "+Trade unions",
    "segment_title": "=1+1",
    "position_title": "@Coordinator",
}


@pytest.fixture
def hostile(records):
    """The third hearing, its speaker, organization and group named with formulas, in English and French."""
    third = records["third"]
    third.title, third.title_fr, third.convener = (
        HOSTILE["hearing_title"],
        HOSTILE["hearing_title_fr"],
        HOSTILE["convener"],
    )
    third.save()
    person = Person.objects.get(slug="dennis-sinyolo")
    person.name, person.sort_name, person.honorific_prefix = (
        HOSTILE["person_name"], HOSTILE["sort_name"], HOSTILE["honorific"]
    )  # fmt: skip
    person.save()
    organization = Organization.objects.get(slug="education-international")
    organization.name, organization.name_fr = HOSTILE["organization_name"], HOSTILE["organization_name_fr"]
    organization.short_name = HOSTILE["short_name"]
    organization.save()
    group = StakeholderGroup.objects.get(slug="trade-unions")
    group.name = HOSTILE["group_name"]
    group.save()
    segment = Segment.objects.get(hearing=third)
    segment.title = HOSTILE["segment_title"]
    segment.save()
    appearance = Appearance.objects.get(segment=segment)
    appearance.position_title = HOSTILE["position_title"]
    appearance.save()
    return records


# What starts a formula or a DDE command in a spreadsheet cell, as OWASP lists it ("CSV Injection").
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")


def safe(text):
    return "'" + text


def assert_no_formula(rows):
    for row in rows:
        for column, value in row.items():
            assert not value.startswith(FORMULA_STARTS), (column, value)


def test_hearings_csv_neutralises_formulas(client, hostile):
    rows = read_csv(client.get("/hearings.csv"))

    assert_no_formula(rows)
    third = rows[0]
    assert (third["title"], third["title_en"], third["title_fr"], third["convener"], third["convener_en"]) == (
        safe(HOSTILE["hearing_title"]),
        safe(HOSTILE["hearing_title"]),
        safe(HOSTILE["hearing_title_fr"]),
        safe(HOSTILE["convener"]),
        safe(HOSTILE["convener"]),
    )
    assert read_csv(client.get("/hearings.csv?lang=fr"))[0]["title"] == safe(HOSTILE["hearing_title_fr"])


def test_people_csv_neutralises_formulas(client, hostile):
    rows = read_csv(client.get("/people.csv"))

    assert_no_formula(rows)
    sinyolo = next(row for row in rows if row["slug"] == "dennis-sinyolo")
    assert (sinyolo["name"], sinyolo["sort_name"], sinyolo["honorific_prefix"]) == (
        safe(HOSTILE["person_name"]), safe(HOSTILE["sort_name"]), safe(HOSTILE["honorific"])
    )  # fmt: skip


def test_organizations_csv_neutralises_formulas(client, hostile):
    rows = read_csv(client.get("/organizations.csv"))

    assert_no_formula(rows)
    ei = next(row for row in rows if row["slug"] == "education-international")
    assert (ei["name"], ei["name_fr"], ei["short_name"], ei["stakeholder_group"], ei["stakeholder_group_en"]) == (
        safe(HOSTILE["organization_name"]),
        safe(HOSTILE["organization_name_fr"]),
        safe(HOSTILE["short_name"]),
        safe(HOSTILE["group_name"]),
        safe(HOSTILE["group_name"]),
    )


def test_appearances_csv_neutralises_formulas(client, hostile):
    rows = read_csv(client.get("/appearances.csv"))

    assert_no_formula(rows)
    third = rows[0]
    assert [third[column] for column in (
        "hearing_title", "hearing_title_fr", "person_name", "segment_title", "position", "position_en",
        "organization_name", "organization_name_fr", "stakeholder_group",
    )] == [safe(HOSTILE[name]) for name in (
        "hearing_title", "hearing_title_fr", "person_name", "segment_title", "position_title", "position_title",
        "organization_name", "organization_name_fr", "group_name",
    )]  # fmt: skip


def test_statistics_csv_neutralises_formulas(client, hostile):
    rows = read_csv(client.get("/statistics.csv"))

    assert_no_formula(rows)
    labels = {(row["section"], row["key"]): row["label"] for row in rows}
    assert labels["groups", "trade-unions"] == safe(HOSTILE["group_name"])
    assert labels["organizations", "education-international"] == safe(HOSTILE["organization_name"])


def test_the_api_keeps_the_text_as_it_is(client, hostile, settings):
    settings.API_ANON_RATE = None
    hearing = client.get("/api/hearings/third/").json()
    person = client.get("/api/people/dennis-sinyolo/").json()
    organization = client.get("/api/organizations/education-international/").json()

    assert (hearing["title"], hearing["convener"], hearing["translations"]["fr"]["title"]) == (
        HOSTILE["hearing_title"], HOSTILE["convener"], HOSTILE["hearing_title_fr"]
    )  # fmt: skip
    assert (person["name"], person["sort_name"]) == (HOSTILE["person_name"], HOSTILE["sort_name"])
    assert (organization["name"], organization["short_name"]) == (HOSTILE["organization_name"], HOSTILE["short_name"])


def test_numbers_and_other_cells_are_left_as_they_are():
    assert [spreadsheet_safe(value) for value in (-3, 0.5, "", "Trade unions", " =1", "a=b", None)] == [
        -3, 0.5, "", "Trade unions", " =1", "a=b", None
    ]  # fmt: skip


# --- Citations: BibTeX and RIS read back by their tools -------------------------------------------

# Every character BibTeX or LaTeX reads as markup, and a lone closing brace that ends a field too early.
MARKUP = r"Rights } of {migrants} \ 100% & more # 1 _ $ 2 ~ ^ @ NGOs"


def latex_to_text():
    """pylatexenc's decoder (bibtexparser's), knowing LaTeX's text-mode brace commands, which it lacks."""
    context = get_default_latex_context_db()
    context.add_context_category(
        "text-mode-symbols",
        macros=[
            MacroTextSpec("textbraceleft", "{"),
            MacroTextSpec("textbraceright", "}"),
            # pylatexenc reads it as the modifier letter (U+02C6); LaTeX prints the ASCII circumflex
            MacroTextSpec("textasciicircum", "^"),
        ],
        prepend=True,
    )
    return LatexNodes2Text(latex_context=context)


def read_bibtex(content):
    """The entry as bibtexparser and as pybtex read it: (bibtexparser's fields as text, pybtex's entry)."""
    text = content.decode()
    raw = bibtexparser.parse_string(text)
    decoded = bibtexparser.parse_string(text, append_middleware=[LatexDecodingMiddleware(decoder=latex_to_text())])
    assert (raw.failed_blocks, decoded.failed_blocks, len(decoded.entries)) == ([], [], 1)
    database = pybtex.database.parse_string(text, "bibtex")
    [(key, entry)] = database.entries.items()
    assert key == decoded.entries[0].key
    fields = {field.key: field.value for field in raw.entries[0].fields}
    # pybtex reads every field as bibtexparser does: the month's macro apart, which it resolves, and the
    # author, which it reads as a person (here an institution, one braced name).
    assert {name: value for name, value in entry.fields.items() if name != "month"} == {
        name: value for name, value in fields.items() if name not in {"month", "author"}
    }
    assert [str(person) for person in entry.persons["author"]] == [fields["author"]]
    return {field.key: field.value for field in decoded.entries[0].fields}, entry


def plain_style(content):
    """The reference as pybtex's `plain` style prints it, as text."""
    database = pybtex.database.parse_string(content.decode(), "bibtex")
    style = find_plugin("pybtex.style.formatting", "plain")()
    [formatted] = style.format_entries(database.entries.values())
    return formatted.text.render_as("text")


def test_bibtex_of_every_seed_hearing_reads_back_with_its_text(client, seeded):
    for hearing in Hearing.objects.public().select_related("process", "venue"):
        content = client.get(f"/hearings/{hearing.slug}/cite.bib").content
        fields, entry = read_bibtex(content)

        assert (fields["title"], fields["howpublished"], fields["year"]) == (
            hearing.title, hearing.process.name, str(hearing.date.year)
        )  # fmt: skip
        assert fields.get("note", "") == hearing.convener
        assert fields.get("address", "") == (hearing.venue.city if hearing.venue else "")
        assert entry.fields["month"] == hearing.date.strftime("%B")
        printed = plain_style(content)
        assert f"{hearing.date.strftime('%B')} {hearing.date.year}" in printed
        assert hearing.title in printed, printed


def test_bibtex_keeps_the_capitals_and_prints_the_month(client, seeded):
    content = client.get("/hearings/high-level-dialogue-migration-hearing-2006-07-12/cite.bib").content

    assert b"  month = jul,\n" in content
    printed = plain_style(content)
    assert "Informal interactive hearings with NGOs, civil society organizations and the private sector" in printed
    assert "July 2006" in printed


def test_bibtex_with_markup_characters_reads_back_with_the_same_text(client, records):
    third = records["third"]
    third.title, third.convener = MARKUP, "} " + MARKUP
    third.save()
    third.process.name = "{ " + MARKUP
    third.process.save()

    fields, entry = read_bibtex(client.get("/hearings/third/cite.bib").content)

    assert (fields["title"], fields["note"], fields["howpublished"]) == (MARKUP, "} " + MARKUP, "{ " + MARKUP)
    assert entry.fields["month"] == "December"


def test_ris_reads_back_in_rispy(client, records):
    third = records["third"]
    third.title, third.summary = MARKUP, "First line.\r\nER  - second line"
    third.save()

    [record] = rispy.loads(client.get("/hearings/third/cite.ris").content.decode())

    assert (record["type_of_reference"], record["title"], record["secondary_title"]) == (
        "HEAR", MARKUP, "Global Compact for Migration"
    )  # fmt: skip
    assert (record["authors"], record["year"], record["date"], record["place_published"]) == (
        ["United Nations General Assembly"], "2017", "2017/12/18", "New York"
    )  # fmt: skip
    assert (record["abstract"], record["urls"]) == (
        "First line. ER - second line",
        ["http://testserver/hearings/third/"],
    )
