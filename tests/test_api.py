"""The read API: shapes, the pages' filters and numbers, drafts, bad input, query counts, throttling, schema."""

import os
import re
import runpy
import socket
import subprocess
import sys
import time

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from drf_spectacular.generators import SchemaGenerator
from drf_spectacular.validation import validate_schema
from openapi_spec_validator import validate as validate_openapi

from opendata.api.schema import REQUEST_LINE_LIMIT
from tests.factories import AppearanceFactory, HearingFactory, HearingLinkFactory
from tests.support import BASE_DIR

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


def test_an_empty_page_number_is_no_page(client, records):
    assert client.get("/api/hearings/?page=").status_code == 404


@pytest.mark.parametrize("value", ["abc", "-5", "0", "null", "", "1.5", "+5", " 5", "\u0665"])
@pytest.mark.parametrize("path", ["/api/hearings/", "/api/processes/", "/api/appearances/"])
def test_a_page_size_that_is_not_a_whole_number_of_1_or_more_is_a_json_400(client, records, path, value):
    response = client.get(path, {"page_size": value})

    assert (response.status_code, response["Content-Type"]) == (400, "application/json")
    assert response.json() == {"page_size": ["Enter a whole number of 1 or more."]}


@pytest.mark.parametrize(("year", "status"), [("1899", 400), ("1900", 200), ("2999", 200), ("3000", 400), ("0", 400)])
def test_years_are_taken_within_their_bounds(client, records, year, status):
    response = client.get("/api/hearings/", {"year": year})

    assert (response.status_code, list(response.json()) if status == 400 else "ok") == (
        status, ["year"] if status == 400 else "ok"
    )  # fmt: skip


@pytest.mark.parametrize(
    "path", ["/api/hearings/?process=no-such", "/api/appearances/?process=no-such", "/api/people/?organization=no-such",
             "/api/statistics/?stakeholder_group=no-such",
             "/api/hearings/?stakeholder_group=civil-society&stakeholder_group=nope"]
)  # fmt: skip
def test_a_well_formed_slug_of_no_public_record_is_a_400(client, records, path):
    name = re.search(r"(\w+)=(no-such|nope)", path).group(1)
    response = client.get(path)

    assert (response.status_code, list(response.json())) == (400, [name])


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


def _schema(client):
    response = client.get("/api/schema/", headers={"accept": "application/vnd.oai.openapi+json"})
    assert response.status_code == 200
    return response.json()


def _operations(schema):
    return [(path, operation) for path, operations in schema["paths"].items() for operation in operations.values()]


def _parameters(schema, path):
    return {parameter["name"]: parameter for parameter in schema["paths"][path]["get"].get("parameters", ())}


def test_schema_is_valid_for_an_openapi_validator_of_its_own(client, db):
    validate_openapi(_schema(client))


def test_schema_gives_each_parameters_bounds(client, db):
    schema = _schema(client)
    hearings = _parameters(schema, "/api/hearings/")

    assert hearings["year"]["schema"] == {"type": "integer", "minimum": 1900, "maximum": 2999}
    assert (hearings["page"]["schema"], hearings["page_size"]["schema"]) == (
        {"type": "integer", "minimum": 1},
        {"type": "integer", "minimum": 1, "default": 50},
    )
    assert "above 200, 200" in hearings["page_size"]["description"]
    assert hearings["q"]["schema"] == {"type": "string", "maxLength": 200, "pattern": r"^[^\x00]*$"}
    # An empty filter is no filter, as the pages' forms send it; an empty page or page size is refused.
    empty = {name for name, parameter in hearings.items() if parameter.get("allowEmptyValue")}
    assert empty == {"q", "stakeholder_group", "process", "year", "date_after", "date_before"}


def test_schema_gives_slug_filters_a_slugs_form_and_their_400(client, db):
    schema = _schema(client)
    slug = {"type": "string", "pattern": "^[-a-zA-Z0-9_]*$"}
    filters = {
        "/api/hearings/": ["stakeholder_group", "process"],
        "/api/statistics/": ["stakeholder_group", "process"],
        "/api/appearances/": ["stakeholder_group", "process", "organization"],
        "/api/people/": ["stakeholder_group", "organization"],
        "/api/organizations/": ["stakeholder_group"],
    }

    for path, names in filters.items():
        parameters = _parameters(schema, path)
        for name in names:
            parameter = parameters[name]
            documented = parameter["schema"]["items"] if name == "stakeholder_group" else parameter["schema"]
            assert (path, name, documented, "400" in parameter["description"]) == (path, name, slug, True)
        assert "a slug of no public record" in schema["paths"][path]["get"]["responses"]["400"]["description"]


def test_schema_documents_the_414_of_every_operation(client, db):
    for path, operation in _operations(_schema(client)):
        response = operation["responses"].get("414", {})
        assert (path, list(response.get("content", {}))) == (path, ["text/html"])
        assert f"({REQUEST_LINE_LIMIT} bytes)" in response["description"]


def test_gunicorn_answers_a_request_line_past_its_limit_with_the_documented_414(tmp_path):
    assert runpy.run_path(str(BASE_DIR / "gunicorn.conf.py"))["limit_request_line"] == REQUEST_LINE_LIMIT
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    log = tmp_path / "gunicorn.log"
    env = {**os.environ, "GUNICORN_BIND": f"127.0.0.1:{port}", "WEB_CONCURRENCY": "1", "GUNICORN_ACCESS_LOG": "off"}
    with log.open("w") as output:
        server = subprocess.Popen(
            [sys.executable, "-m", "gunicorn"], cwd=BASE_DIR, env=env, stdout=output, stderr=output
        )
    try:
        deadline = time.monotonic() + 30
        while "Listening at" not in log.read_text():  # then connections wait for the worker
            assert (server.poll(), time.monotonic() < deadline) == (None, True), log.read_text()
            time.sleep(0.1)
        path = "/api/hearings/?q=" + "x" * REQUEST_LINE_LIMIT
        with socket.create_connection(("127.0.0.1", port), timeout=10) as client:
            client.sendall(f"GET {path} HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n".encode())
            answer = b""
            while chunk := client.recv(4096):
                answer += chunk
    finally:
        server.terminate()
        server.wait(timeout=30)
    head = answer.decode("latin-1").split("\r\n\r\n")[0].lower().split("\r\n")
    assert (head[0], "content-type: text/html" in head) == ("http/1.1 414 uri too long", True)


def test_api_docs_are_served_locally_under_the_sites_csp(client, db):
    response = client.get("/api/docs/")
    html = response.content.decode()

    assert response.status_code == 200
    assert re.findall(r"<script(?![^>]*\bsrc=)[^>]*>", html) == []  # no inline script for the CSP to refuse
    assert all(src.startswith("/") for src in re.findall(r'src="([^"]+)"', html))
    assert client.get("/api/docs/?script=").status_code == 200
