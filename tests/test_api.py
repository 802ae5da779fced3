"""The read API: shapes, the pages' filters and numbers, drafts, bad input, query counts, throttling, schema."""

import re

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from drf_spectacular.generators import SchemaGenerator
from drf_spectacular.validation import validate_schema

from tests.factories import AppearanceFactory, HearingFactory, HearingLinkFactory

LIST_ENDPOINTS = [
    "/api/hearings/",
    "/api/people/",
    "/api/organizations/",
    "/api/stakeholder-groups/",
    "/api/processes/",
    "/api/venues/",
    "/api/appearances/",
]


@pytest.fixture(autouse=True)
def _no_throttle(settings):
    settings.API_ANON_RATE = None


def test_api_root_lists_every_endpoint(client, db):
    assert sorted(client.get("/api/").json()) == [
        "appearances", "hearings", "organizations", "people", "processes", "stakeholder-groups", "statistics", "venues"
    ]  # fmt: skip


def test_hearing_list_and_detail(client, records):
    listed = client.get("/api/hearings/").json()

    assert (listed["count"], listed["previous"]) == (2, None)
    assert [hearing["slug"] for hearing in listed["results"]] == ["third", "first"]
    third = listed["results"][0]
    assert (third["url"], third["html_url"]) == (
        "http://testserver/api/hearings/third/",
        "http://testserver/hearings/third/",
    )
    detail = client.get(third["url"]).json()
    assert (detail["process"]["slug"], detail["venue"]["name"], detail["date"]) == (
        "gcm",
        "Trusteeship Chamber",
        "2017-12-18",
    )
    [segment] = detail["segments"]
    assert (segment["title"], segment["kind"]) == ("First panel", "panel")
    [appearance] = segment["appearances"]
    assert (appearance["person"]["slug"], appearance["role"], appearance["position"]) == (
        "dennis-sinyolo", "panelist", "Coordinator"
    )  # fmt: skip
    assert appearance["organization"]["stakeholder_group"]["slug"] == "trade-unions"


def test_appearances_are_the_researchers_table(client, records):
    rows = client.get("/api/appearances/?stakeholder_group=civil-society").json()["results"]

    table = [
        (row["hearing"], row["date"], row["person"]["name"], row["role"], row["organization"]["name"]) for row in rows
    ]
    assert table == [("third", "2017-12-18", "Dennis Sinyolo", "panelist", "Education International")]


def test_stakeholder_groups_carry_parent_and_children(client, records):
    groups = {group["slug"]: group for group in client.get("/api/stakeholder-groups/").json()}

    assert sorted(groups) == ["civil-society", "member-states", "trade-unions"]
    assert (groups["civil-society"]["children"], groups["trade-unions"]["parent"]) == (
        ["trade-unions"],
        "civil-society",
    )


@pytest.mark.parametrize(
    "query",
    ["", "stakeholder_group=civil-society", "q=sinyolo", "year=2017", "process=gcm&date_after=2017-08-01",
     "stakeholder_group=trade-unions&stakeholder_group=member-states"],
)  # fmt: skip
def test_api_csv_and_page_count_the_same(client, records, query):
    page = client.get(f"/hearings/?{query}").context["facets"]["count"]
    api = client.get(f"/api/hearings/?{query}").json()["count"]
    csv_rows = b"".join(client.get(f"/hearings.csv?{query}").streaming_content).decode().count("\r\n") - 1

    assert (api, csv_rows) == (page, page)


@pytest.mark.parametrize(
    ("path", "field"),
    [("/api/hearings/?year=abcd", "year"), ("/api/hearings/?date_before=2017-13-45", "date_before"),
     ("/api/people/?role=emperor", "role"), ("/api/appearances/?organization=no-such", "organization"),
     ("/api/organizations/?stakeholder_group=zorrillo-media", "stakeholder_group")],
)  # fmt: skip
def test_bad_filter_values_get_a_json_400(client, records, path, field):
    response = client.get(path)

    assert (response.status_code, response["Content-Type"], list(response.json())) == (400, "application/json", [field])


@pytest.mark.parametrize(
    "path", ["/api/hearings/draft/", "/api/hearings/no-such/", "/api/people/zorrillo/", "/api/organizations/ghost/",
             "/api/stakeholder-groups/zorrillo-guild/", "/api/hearings/?page=99", "/api/hearings/?page=abc"]
)  # fmt: skip
def test_unknown_or_draft_records_are_404(client, records, path):
    assert client.get(path).status_code == 404


def test_drafts_leak_nowhere_in_the_api(client, records):
    for path in LIST_ENDPOINTS:
        body = client.get(path + "?page_size=200").content.decode()
        assert (path, "Zorrillo" in body, "zorrillo" in body) == (path, False, False)


def test_page_size_is_the_clients_up_to_a_maximum(client, records):
    assert len(client.get("/api/appearances/?page_size=1").json()["results"]) == 1
    assert (
        client.get("/api/appearances/?page_size=1").json()["next"]
        == "http://testserver/api/appearances/?page=2&page_size=1"
    )
    assert client.get("/api/hearings/?page_size=100000").json()["count"] == 2


def _in_french(n):
    """An appearance whose every record has French text besides its English."""
    return AppearanceFactory(
        position_title="Chair",
        position_title_fr="Présidence",
        segment__title_fr=f"Séance {n}",
        segment__hearing__title_fr=f"Audition {n}",
        segment__hearing__venue__name=f"Room {n}",
        segment__hearing__venue__name_fr=f"Salle {n}",
        segment__hearing__process__name_fr=f"Processus {n}",
        organization__name_fr=f"Organisation {n}",
        organization__stakeholder_group__name_fr=f"Groupe {n}",
    )


@pytest.mark.parametrize("path", LIST_ENDPOINTS)
def test_api_query_count_does_not_grow_with_the_data(client, db, path):
    def queries(marker):
        with CaptureQueriesContext(connection) as captured:
            response = client.get(f"{path}?_={marker}&lang=fr")
        assert response.status_code == 200
        body = response.json()
        rows = body if isinstance(body, list) else body["results"]
        if path != "/api/people/":  # people's names are not translated
            assert all(sorted(row["translations"]) == ["en", "fr"] for row in rows)
        return len(captured)

    _in_french("x")
    one = queries(1)
    for n in range(29):
        HearingLinkFactory(hearing=_in_french(n).segment.hearing)
    assert queries(2) == one


def test_hearing_detail_query_count_does_not_grow_with_its_speakers(client, db):
    few = AppearanceFactory().segment.hearing
    many = HearingFactory(process__description="A preparatory process.", process__description_fr="Un processus.")
    for _ in range(30):
        AppearanceFactory(segment__hearing=many, position_title="Chair", position_title_fr="Présidence")
    counts = []
    for hearing in (few, many):
        with CaptureQueriesContext(connection) as captured:
            client.get(f"/api/hearings/{hearing.slug}/?lang=fr")
        counts.append(len(captured))
    # The data version, the hearing with its process and venue, its groups, links, segments and their speakers;
    # on PostgreSQL, the public statement timeout too.
    expected = 6 + (connection.vendor == "postgresql")
    assert counts == [expected, expected]


def test_api_answers_are_cached_with_etags(client, records):
    first = client.get("/api/hearings/")
    assert client.get("/api/hearings/", headers={"if-none-match": first["ETag"]}).status_code == 304
    with CaptureQueriesContext(connection) as queries:
        client.get("/api/hearings/")
    assert len(queries) == 1  # the data version only


def test_anonymous_clients_are_throttled_with_retry_after(client, records, settings):
    settings.API_ANON_RATE = "3/minute"

    statuses = [client.get(f"/api/hearings/?n={n}").status_code for n in range(4)]

    assert statuses == [200, 200, 200, 429]
    refused = client.get("/api/people/")
    assert (refused.status_code, int(refused["Retry-After"]) > 0) == (429, True)


def test_api_is_open_to_other_origins_for_reading(client, records):
    response = client.get("/api/hearings/", headers={"origin": "https://example.org"})
    preflight = client.options(
        "/api/hearings/", headers={"origin": "https://example.org", "access-control-request-method": "POST"}
    )

    assert response["Access-Control-Allow-Origin"] == "*"
    assert preflight["Access-Control-Allow-Methods"] == "GET, HEAD, OPTIONS"
    assert client.post("/api/hearings/").status_code == 405


def test_schema_is_valid_openapi_3_and_documents_every_filter(client, db):
    schema = SchemaGenerator().get_schema(request=None, public=True)
    validate_schema(schema)

    hearing_parameters = {parameter["name"] for parameter in schema["paths"]["/api/hearings/"]["get"]["parameters"]}
    assert hearing_parameters == {
        "q", "stakeholder_group", "process", "year", "date_after", "date_before", "page", "page_size"
    }  # fmt: skip
    assert client.get("/api/schema/").status_code == 200


def test_api_docs_are_served_locally_under_the_sites_csp(client, db):
    response = client.get("/api/docs/")
    html = response.content.decode()

    assert response.status_code == 200
    assert re.findall(r"<script(?![^>]*\bsrc=)[^>]*>", html) == []  # no inline script for the CSP to refuse
    assert all(src.startswith("/") for src in re.findall(r'src="([^"]+)"', html))
    assert client.get("/api/docs/?script=").status_code == 200
