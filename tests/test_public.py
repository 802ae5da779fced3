"""The public site: filters, facets, search, drafts, query counts and bad input."""

import datetime
import re

import pytest
from django.core.cache import cache
from django.db import connection
from django.test.utils import CaptureQueriesContext

from hearings.models import Appearance, Hearing
from hearings.pagecache.fragments import recent_fragments
from hearings.pagecache.store import recent_pages
from tests.factories import (
    AppearanceFactory,
    HearingFactory,
    HearingParticipationFactory,
    OrganizationFactory,
    PersonFactory,
    ProcessFactory,
    SegmentFactory,
    StakeholderGroupFactory,
)


@pytest.fixture
def world(db):
    """Three published hearings across two processes and a draft, with a small group taxonomy."""
    civil = StakeholderGroupFactory(name="Civil society", slug="civil-society")
    unions = StakeholderGroupFactory(name="Trade unions", slug="trade-unions", parent=civil)
    academia = StakeholderGroupFactory(name="Academia", slug="academia")
    states = StakeholderGroupFactory(name="Member States", slug="member-states")
    gcm = ProcessFactory(name="Global compact process", slug="gcm")
    other = ProcessFactory(name="High-level dialogue", slug="hld")

    ei = OrganizationFactory(name="Education International", slug="education-international", stakeholder_group=unions)
    ou = OrganizationFactory(name="The Open University", slug="open-university", stakeholder_group=academia)
    mission = OrganizationFactory(
        name="Permanent Mission of Mexico", slug="mission-mexico", short_name="PM Mexico", stakeholder_group=states
    )
    lajcak = PersonFactory(name="Miroslav Lajčák", sort_name="Lajčák, Miroslav", slug="miroslav-lajcak")
    gomez = PersonFactory(
        name="Juan José Gómez Camacho", sort_name="Gómez Camacho, Juan José", slug="juan-jose-gomez-camacho"
    )
    lauber = PersonFactory(name="Jürg Lauber", sort_name="Lauber, Jürg", slug="jurg-lauber")
    sinyolo = PersonFactory(name="Dennis Sinyolo", sort_name="Sinyolo, Dennis", slug="dennis-sinyolo")
    bloom = PersonFactory(name="Tendayi Bloom", sort_name="Bloom, Tendayi", slug="tendayi-bloom")

    third = HearingFactory(
        process=gcm, ordinal=3, title="Third hearing", slug="third", date=datetime.date(2017, 12, 18)
    )
    first = HearingFactory(process=gcm, ordinal=1, title="First hearing", slug="first", date=datetime.date(2017, 7, 26))
    dialogue = HearingFactory(
        process=other, ordinal=1, title="Dialogue hearing", slug="dialogue", date=datetime.date(2013, 7, 15)
    )
    panel = SegmentFactory(hearing=third, title="Second panel", theme="National perspective")
    closing = SegmentFactory(hearing=third, title="Closing segment", kind="closing")
    AppearanceFactory(segment=panel, person=sinyolo, organization=ei)
    AppearanceFactory(segment=panel, person=bloom, organization=ou)
    AppearanceFactory(segment=closing, person=gomez, organization=mission, role=Appearance.Role.CO_FACILITATOR)
    AppearanceFactory(segment=closing, person=lauber, organization=mission, role=Appearance.Role.CO_FACILITATOR)
    AppearanceFactory(segment=closing, person=lajcak, organization=None, role=Appearance.Role.SPEAKER)
    AppearanceFactory(segment=SegmentFactory(hearing=first), person=sinyolo, organization=ei)
    HearingParticipationFactory(hearing=dialogue, group=academia)

    draft = HearingFactory(
        process=gcm, ordinal=4, title="Secret draft hearing", slug="draft", status=Hearing.Status.DRAFT
    )
    ghost_group = StakeholderGroupFactory(name="Media", slug="media")
    ghost_org = OrganizationFactory(name="Ghost Broadcasting", slug="ghost-broadcasting", stakeholder_group=ghost_group)
    ghost = PersonFactory(name="Zorro Phantom", sort_name="Phantom, Zorro", slug="zorro-phantom")
    AppearanceFactory(segment=SegmentFactory(hearing=draft), person=ghost, organization=ghost_org)
    return {
        "civil": civil,
        "unions": unions,
        "academia": academia,
        "states": states,
        "gcm": gcm,
        "other": other,
        "ei": ei,
        "ou": ou,
        "mission": mission,
        "lajcak": lajcak,
        "gomez": gomez,
        "lauber": lauber,
        "sinyolo": sinyolo,
        "bloom": bloom,
        "third": third,
        "first": first,
        "dialogue": dialogue,
        "draft": draft,
        "ghost_group": ghost_group,
        "ghost_org": ghost_org,
        "ghost": ghost,
    }


def listed_slugs(response, prefix="/hearings/"):
    """Slugs of the result links on a list page, in order."""
    html = response.content.decode()
    results = html.split('id="results-heading"', 1)[1].split('class="downloads"', 1)[0]
    return re.findall(rf'href="{re.escape(prefix)}([a-z0-9-]+)/"', results)


# --- Filters and facets ------------------------------------------------------


@pytest.mark.parametrize(
    ("query", "expected"),
    [
        ("", ["third", "first", "dialogue"]),
        ("stakeholder_group=trade-unions", ["third", "first"]),
        ("stakeholder_group=civil-society", ["third", "first"]),
        ("stakeholder_group=academia", ["third", "dialogue"]),
        ("stakeholder_group=academia&stakeholder_group=trade-unions", ["third", "first", "dialogue"]),
        ("process=gcm", ["third", "first"]),
        ("process=hld", ["dialogue"]),
        ("year=2017", ["third", "first"]),
        ("date_after=2017-08-01", ["third"]),
        ("date_before=2017-08-01", ["first", "dialogue"]),
        ("date_after=2017-01-01&date_before=2017-12-31&process=gcm", ["third", "first"]),
        ("stakeholder_group=academia&year=2017", ["third"]),
        ("stakeholder_group=academia&process=hld&year=2013", ["dialogue"]),
        ("q=sinyolo&year=2017", ["third", "first"]),
        ("q=sinyolo&stakeholder_group=academia", ["third"]),
        ("year=1999", []),
    ],
)
def test_hearing_list_filters_alone_and_combined(client, world, query, expected):
    response = client.get(f"/hearings/?{query}")

    assert response.status_code == 200
    assert listed_slugs(response) == expected


def test_hearing_list_facet_counts_match_the_results(client, world):
    response = client.get("/hearings/?process=gcm")
    facets = response.context["facets"]
    offered = re.findall(
        r'name="stakeholder_group" value="([^"]+)"[^>]*><label[^>]*>[^<]*<span class="count">\((\d+)\)</span>',
        response.content.decode(),
    )
    groups = {slug: int(count) for slug, count in offered}

    assert facets["count"] == 2
    assert groups == {"civil-society": 2, "trade-unions": 2, "academia": 1, "member-states": 1}
    for slug, count in groups.items():
        assert len(listed_slugs(client.get(f"/hearings/?process=gcm&stakeholder_group={slug}"))) == count
    assert dict(facets["years"]) == {2017: 2}
    assert [(slug, count) for slug, _name, count in facets["processes"]] == [("gcm", 2), ("hld", 1)]
    assert 'Civil society <span class="count">(2)</span>' in response.content.decode()


def test_hearing_list_shows_a_way_back_when_nothing_matches(client, world):
    response = client.get("/hearings/?year=1999")

    assert "No hearing matches these filters." in response.content.decode()
    assert 'href="/hearings/">Show all hearings' in response.content.decode()


def test_hearing_list_paginates_with_filters_kept(client, world):
    process = world["gcm"]
    for n in range(25):
        HearingFactory(process=process, ordinal=100 + n, date=datetime.date(2018, 1, 1) + datetime.timedelta(days=n))

    first_page = client.get("/hearings/?process=gcm")
    second_page = client.get("/hearings/?process=gcm&page=2")

    assert len(listed_slugs(first_page)) == 20
    assert len(listed_slugs(second_page)) == 7
    assert 'href="?process=gcm&amp;page=2"' in first_page.content.decode()


def test_person_list_filters_alone_and_combined(client, world):
    def people(query):
        return listed_slugs(client.get(f"/people/?{query}"), "/people/")

    assert people("") == [
        "tendayi-bloom",
        "juan-jose-gomez-camacho",
        "miroslav-lajcak",
        "jurg-lauber",
        "dennis-sinyolo",
    ]
    assert people("stakeholder_group=civil-society") == ["dennis-sinyolo"]
    assert people("stakeholder_group=member-states") == ["juan-jose-gomez-camacho", "jurg-lauber"]
    assert people("organization=open-university") == ["tendayi-bloom"]
    assert people("role=co-facilitator") == ["juan-jose-gomez-camacho", "jurg-lauber"]
    assert people("role=co-facilitator&q=jurg") == ["jurg-lauber"]


def test_organization_list_filters_alone_and_combined(client, world):
    def organizations(query):
        return listed_slugs(client.get(f"/organizations/?{query}"), "/organizations/")

    assert organizations("") == ["education-international", "mission-mexico", "open-university"]
    assert organizations("stakeholder_group=civil-society") == ["education-international"]
    assert organizations("q=pm mexico") == ["mission-mexico"]


# --- Search ------------------------------------------------------------------


@pytest.mark.parametrize(
    ("query", "person"),
    [
        ("lajcak", "miroslav-lajcak"),
        ("LAJČÁK", "miroslav-lajcak"),
        ("Lajčák", "miroslav-lajcak"),
        ("gomez camacho", "juan-jose-gomez-camacho"),
        ("jurg", "jurg-lauber"),
    ],
)
def test_search_is_case_and_accent_insensitive(client, world, query, person):
    assert listed_slugs(client.get("/people/", {"q": query}), "/people/") == [person]
    assert listed_slugs(client.get("/hearings/", {"q": query})) == ["third"]


def test_search_covers_segment_themes_and_organizations(client, world):
    assert listed_slugs(client.get("/hearings/", {"q": "national perspective"})) == ["third"]
    assert listed_slugs(client.get("/hearings/", {"q": "open university"})) == ["third"]


# --- Drafts ------------------------------------------------------------------


def test_drafts_leak_nowhere(client, world):
    pages = [
        "/",
        "/hearings/",
        "/hearings/?q=zorro",
        "/hearings/?q=secret",
        "/people/",
        "/people/?q=zorro",
        "/organizations/",
        "/organizations/?q=ghost",
        "/stakeholder-groups/",
        "/stakeholder-groups/media/",
        "/processes/gcm/",
        "/hearings/third/",
        "/hearings/first/",
    ]
    for path in pages:
        body = client.get(path).content.decode()
        for secret in ("Zorro", "Phantom", "Ghost Broadcasting", "Secret draft"):
            assert secret not in body, (path, secret)
    for path in ["/hearings/draft/", "/people/zorro-phantom/", "/organizations/ghost-broadcasting/"]:
        assert client.get(path).status_code == 404, path


def test_drafts_are_not_counted(client, world):
    response = client.get("/stakeholder-groups/")
    rows = {row["group"].slug: (row["hearings"], row["people"]) for row in response.context["group_rows"]}

    assert "media" not in rows  # a group only drafts use is not public
    assert rows["civil-society"] == (2, 1)
    assert response.context["group_rows"][0]["group"].slug == "civil-society"
    assert client.get("/hearings/?process=gcm").context["facets"]["count"] == 2


def test_draft_only_filters_are_not_offered(client, world):
    body = client.get("/hearings/").content.decode()

    assert 'value="media"' not in body
    assert 'value="media"' not in client.get("/people/").content.decode()
    refused = client.get("/people/?organization=ghost-broadcasting")
    assert refused.status_code == 400
    assert "<h2>Some filters could not be used</h2>" in refused.content.decode()
    assert "Zorro Phantom" not in refused.content.decode()
    assert client.get("/hearings/?stakeholder_group=media").status_code == 400
    assert client.get("/stakeholder-groups/media/").status_code == 404


# --- Pages -------------------------------------------------------------------


def test_hearing_page_shows_segments_speakers_and_neighbours(client, world):
    response = client.get("/hearings/third/")
    body = response.content.decode()

    assert "Second panel" in body
    assert "National perspective" in body
    assert 'href="/people/jurg-lauber/">Jürg Lauber</a>' in body
    assert 'href="/stakeholder-groups/trade-unions/">Trade unions</a>' in body
    assert 'rel="prev" href="/hearings/first/"' in body
    assert "Secret draft hearing" not in body


def test_person_page_lists_appearances_across_hearings(client, world):
    body = client.get("/people/dennis-sinyolo/").content.decode()

    assert body.index('href="/hearings/third/"') < body.index('href="/hearings/first/"')
    assert "Education International" in body


def test_pages_have_one_h1_a_canonical_link_and_a_skip_link(client, world):
    for path in ["/", "/hearings/", "/hearings/third/", "/people/", "/people/jurg-lauber/", "/stakeholder-groups/"]:
        body = client.get(path).content.decode()
        assert body.count("<h1") == 1, path
        assert '<link rel="canonical" href="http://testserver' in body, path
        assert 'href="#main"' in body, path


def test_canonical_link_drops_unknown_parameters(client, world):
    body = client.get("/hearings/?process=gcm&utm_source=x").content.decode()

    assert '<link rel="canonical" href="http://testserver/hearings/?process=gcm">' in body


# --- Query counts ------------------------------------------------------------


def _make_hearings(world, count):
    for _n in range(count):
        hearing = HearingFactory(process=world["gcm"], ordinal=None)
        segment = SegmentFactory(hearing=hearing)
        AppearanceFactory(segment=segment, person=world["sinyolo"], organization=world["ei"])
        AppearanceFactory(segment=segment, organization=world["ou"])
        HearingParticipationFactory(hearing=hearing, group=world["academia"])


PAGES = [
    "/",
    "/hearings/",
    "/hearings/?stakeholder_group=civil-society&year=2017",
    "/hearings/?q=hearing",
    "/hearings/third/",
    "/people/",
    "/people/?stakeholder_group=academia&role=panelist",
    "/people/dennis-sinyolo/",
    "/organizations/",
    "/organizations/education-international/",
    "/stakeholder-groups/",
    "/stakeholder-groups/academia/",
    "/processes/gcm/",
]


def _queries(client, path):
    with CaptureQueriesContext(connection) as queries:
        assert client.get(path).status_code == 200, path
    return len(queries)


def _query_counts(client):
    """Each page's queries with nothing kept, then at another address of it: no page kept, its fragments are."""
    counts = {}
    for path in PAGES:
        cache.clear()
        recent_pages.clear()
        recent_fragments.clear()
        counts[path] = (_queries(client, path), _queries(client, path + ("&" if "?" in path else "?") + "again=1"))
    return counts


def test_public_page_query_count_does_not_grow_with_the_data(client, world):
    _make_hearings(world, 1)
    few = _query_counts(client)
    _make_hearings(world, 29)
    many = _query_counts(client)

    assert many == few
    assert all(warm <= cold <= 10 for cold, warm in many.values())


# --- Bad input ---------------------------------------------------------------


# What the reader sees for each answer: a missing page, filters that could not be used, an empty result.
CLEAR_ANSWERS = {
    404: "<h1>Page not found</h1>",
    400: "<h2>Some filters could not be used</h2>",
    200: "No hearing matches these filters.",
}


@pytest.mark.parametrize(
    ("path", "status"),
    [
        ("/hearings/no-such-hearing/", 404),
        ("/people/no-such-person/", 404),
        ("/organizations/no-such-organization/", 404),
        ("/stakeholder-groups/no-such-group/", 404),
        ("/processes/no-such-process/", 404),
        ("/hearings/?page=abc", 404),
        ("/hearings/?page=99999", 404),
        ("/hearings/?page=0", 404),
        ("/people/?page=-1", 404),
        ("/hearings/?year=abcd", 400),
        ("/hearings/?date_after=2017-13-45", 400),
        ("/hearings/?date_before=yesterday", 400),
        ("/hearings/?stakeholder_group=no-such-group", 400),
        ("/hearings/?process=no-such-process", 400),
        ("/people/?role=emperor", 400),
        ("/people/?stakeholder_group=%00", 400),
        ("/hearings/?q=%00", 400),
        ("/hearings/?q=" + "x" * 10_000, 400),
        ("/hearings/?q=%27%3B+DROP+TABLE+hearings_hearing%3B--", 200),
        ("/hearings/?q=1%27+OR+%271%27%3D%271", 200),
    ],
)
def test_bad_input_gets_a_clear_answer(client, world, path, status):
    response = client.get(path)

    assert response.status_code == status
    assert CLEAR_ANSWERS[status] in response.content.decode()
    assert Hearing.objects.count() == 4


SCRIPT_PAYLOAD = '<script>alert("x")</script>'
ESCAPED_PAYLOAD = "&lt;script&gt;alert(&quot;x&quot;)&lt;/script&gt;"


@pytest.mark.parametrize(
    ("parameter", "echoed_on"),
    [
        # Shown back in the search box.
        ("q", ["/hearings/", "/people/", "/organizations/"]),
        # Quoted in the "not one of the available choices" error.
        ("stakeholder_group", ["/hearings/", "/people/", "/organizations/"]),
        # A process slug or a year that is not valid gets an error that does not quote it.
        ("process", []),
        ("year", []),
        # Shown back in the date box of the hearing list, the only list with dates.
        ("date_after", ["/hearings/"]),
        # Quoted in the error of the people list, the only list with roles.
        ("role", ["/people/"]),
    ],
)
def test_typed_input_is_never_echoed_unescaped(client, world, parameter, echoed_on):
    paths = ["/hearings/", "/people/", "/organizations/"]
    bodies = {path: client.get(path, {parameter: SCRIPT_PAYLOAD}).content.decode() for path in paths}

    assert {path: body.count("<script>") for path, body in bodies.items()} == dict.fromkeys(paths, 0)
    # Every "alert(" on the page is the escaped copy of the input, on the pages that show the input back.
    expected = {path: int(path in echoed_on) for path in paths}
    assert {path: body.count(ESCAPED_PAYLOAD) for path, body in bodies.items()} == expected
    assert {path: body.count("alert(") for path, body in bodies.items()} == expected


def test_long_query_gets_a_form_error(client, world):
    response = client.get("/hearings/", {"q": "x" * 10_000})

    assert response.status_code == 400
    assert "Ensure this value has at most 200 characters" in response.content.decode()


def test_list_forms_submitted_with_every_field_empty_show_everything(client, world):
    people = client.get("/people/?q=&stakeholder_group=&role=")
    organizations = client.get("/organizations/?q=&stakeholder_group=")

    assert (people.status_code, organizations.status_code) == (200, 200)
    assert listed_slugs(people, "/people/") == [
        "tendayi-bloom",
        "juan-jose-gomez-camacho",
        "miroslav-lajcak",
        "jurg-lauber",
        "dennis-sinyolo",
    ]
    assert listed_slugs(organizations, "/organizations/") == [
        "education-international",
        "mission-mexico",
        "open-university",
    ]


def test_hearing_list_year_with_a_fraction_is_a_form_error(client, world):
    response = client.get("/hearings/?year=2017.5")

    assert response.status_code == 400
    assert '<a href="#id_year">Year</a>: Enter a whole number.' in response.content.decode()


def test_process_short_name_and_venue_site_are_searchable(client, world):
    process = world["gcm"]
    process.short_name = "GCM"
    process.save()
    venue = world["third"].venue
    venue.site = "Palais des Nations"
    venue.save()

    assert listed_slugs(client.get("/hearings/?q=gcm")) == ["third", "first"]
    assert listed_slugs(client.get("/hearings/?q=palais")) == ["third"]
