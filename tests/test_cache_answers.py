"""A page from the cache is the same answer as the page first rendered: status, every header, body; and the
public answers are compressed (gzip, Brotli) once, when they are kept, never per request."""

import gzip

import brotli
import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import URLPattern, URLResolver, get_resolver

from hearings.pagecache.store import recent_pages


def cached_route_names(resolver=None, prefix=""):
    """The name of every address whose view goes through the page cache."""
    names = set()
    for pattern in (resolver or get_resolver()).url_patterns:
        if isinstance(pattern, URLResolver):
            namespace = f"{prefix}{pattern.namespace}:" if pattern.namespace else prefix
            names |= cached_route_names(pattern, namespace)
        elif isinstance(pattern, URLPattern) and getattr(pattern.callback, "served_from_page_cache", False):
            names.add(prefix + pattern.name)
    return names


def addresses(records):
    third = records["third"]
    slug = third.slug
    person = third.segments.first().appearances.first().person
    organization = third.segments.first().appearances.first().organization
    group = organization.stakeholder_group
    return {
        "hearings:home": ["/", "/fr/", "/ar/"],
        "hearings:hearing_list": ["/hearings/", "/fr/hearings/?year=2017", "/hearings/?stakeholder_group=trade-unions"],
        "hearings:hearing_detail": [f"/hearings/{slug}/", f"/zh-hans/hearings/{slug}/"],
        "hearings:person_list": ["/people/", "/es/people/"],
        "hearings:person_detail": [f"/people/{person.slug}/"],
        "hearings:organization_list": ["/organizations/", "/ru/organizations/"],
        "hearings:organization_detail": [f"/organizations/{organization.slug}/"],
        "hearings:stakeholdergroup_list": ["/stakeholder-groups/"],
        "hearings:stakeholdergroup_detail": [f"/stakeholder-groups/{group.slug}/"],
        "hearings:process_detail": [f"/processes/{third.process.slug}/"],
        "hearings:statistics": ["/statistics/", "/fr/statistics/"],
        "opendata:hearings_csv": ["/hearings.csv", "/hearings.csv?lang=fr"],
        "opendata:people_csv": ["/people.csv"],
        "opendata:organizations_csv": ["/organizations.csv"],
        "opendata:appearances_csv": ["/appearances.csv"],
        "opendata:statistics_csv": ["/statistics.csv"],
        "opendata:hearings_ics": ["/hearings.ics", "/hearings.ics?lang=ar"],
        "opendata:hearings_feed": ["/hearings/feed/", "/hearings/feed/?lang=fr"],
        "opendata:sitemap": ["/sitemap.xml"],
        "opendata:hearing_akn": [f"/hearings/{slug}/akn.xml", f"/hearings/{slug}/akn.xml?lang=fr"],
        "opendata:hearing_bibtex": [f"/hearings/{slug}/cite.bib"],
        "opendata:hearing_ris": [f"/hearings/{slug}/cite.ris?lang=fr"],
        "api:hearing-list": ["/api/hearings/", "/api/hearings/?lang=fr"],
        "api:hearing-detail": [f"/api/hearings/{slug}/"],
        "api:person-list": ["/api/people/"],
        "api:person-detail": [f"/api/people/{person.slug}/"],
        "api:organization-list": ["/api/organizations/"],
        "api:organization-detail": [f"/api/organizations/{organization.slug}/"],
        "api:stakeholdergroup-list": ["/api/stakeholder-groups/"],
        "api:stakeholdergroup-detail": [f"/api/stakeholder-groups/{group.slug}/"],
        "api:process-list": ["/api/processes/"],
        "api:process-detail": [f"/api/processes/{third.process.slug}/"],
        "api:venue-list": ["/api/venues/"],
        "api:venue-detail": [f"/api/venues/{third.venue.slug}/"],
        "api:appearance-list": ["/api/appearances/"],
        "api:statistics-list": ["/api/statistics/"],
    }


def body(response):
    return b"".join(response.streaming_content) if response.streaming else response.content


def decoded(response):
    content = body(response)
    encoding = response.get("Content-Encoding", "")
    if encoding == "gzip":
        return gzip.decompress(content)
    if encoding == "br":
        return brotli.decompress(content)
    assert not encoding
    return content


def test_every_address_served_from_the_page_cache_is_checked(records):
    assert cached_route_names() == set(addresses(records))


@pytest.mark.parametrize("accept_encoding", ["", "gzip", "gzip, deflate, br", "br;q=0, gzip"])
def test_a_cached_answer_is_the_first_answer_header_by_header(client, records, accept_encoding):
    headers = {"Accept-Encoding": accept_encoding} if accept_encoding else {}
    checked = 0
    for name, urls in addresses(records).items():
        for url in urls:
            first = client.get(url, headers=headers)
            first_body = body(first)
            from_memory = client.get(url, headers=headers)
            recent_pages.clear()
            from_shared_cache = client.get(url, headers=headers)

            assert first.status_code == 200, (name, url)
            for again in (from_memory, from_shared_cache):
                assert (url, again.status_code) == (url, first.status_code)
                assert (url, dict(again.items())) == (url, dict(first.items()))
                assert (url, body(again)) == (url, first_body)
            checked += 1
    assert checked > 40


@pytest.mark.parametrize(
    ("accept_encoding", "expected"),
    [("", ""), ("gzip", "gzip"), ("gzip, deflate, br", "br"), ("br;q=0, gzip", "gzip"), ("identity", ""),
     ("*", "br"), ("gzip;q=0", ""), ("br;q=0.5, gzip;q=1", "gzip"), ("gzip;q=0.5, br;q=0.5", "br")],
)  # fmt: skip
def test_public_answers_are_compressed_as_the_client_accepts(client, records, accept_encoding, expected):
    plain = {urls[0]: body(client.get(urls[0])) for urls in addresses(records).values()}
    for name, urls in addresses(records).items():
        url = urls[0]
        response = client.get(url, headers={"Accept-Encoding": accept_encoding})

        assert "Accept-Encoding" in response["Vary"], url
        if len(plain[url]) >= 200:
            assert (name, response.get("Content-Encoding", "")) == (name, expected)
        assert (name, decoded(response)) == (name, plain[url])


def test_a_page_kept_in_one_encoding_answers_another_without_rendering_it_again(client, records):
    plain = client.get("/hearings/third/")  # kept as it is: its client takes no compression

    for encoding, decode in (("br", brotli.decompress), ("gzip", gzip.decompress)):
        for _round in range(2):  # compressed when first asked for, then kept with the page
            with CaptureQueriesContext(connection) as queries:
                response = client.get("/hearings/third/", headers={"Accept-Encoding": encoding})
            assert (encoding, response["Content-Encoding"], len(queries)) == (encoding, encoding, 1)
            assert decode(response.content) == plain.content
        recent_pages.clear()  # and from the shared cache too
        response = client.get("/hearings/third/", headers={"Accept-Encoding": encoding})
        assert decode(response.content) == plain.content


def test_each_encoding_has_its_own_etag_and_answers_its_own_304(client, records):
    gzipped = client.get("/hearings/", headers={"Accept-Encoding": "gzip"})
    plain = client.get("/hearings/")

    assert gzipped["ETag"] != plain["ETag"]
    again = client.get("/hearings/", headers={"Accept-Encoding": "gzip", "If-None-Match": gzipped["ETag"]})
    assert again.status_code == 304
    assert "Accept-Encoding" in again["Vary"]
    # What the 200 would carry, and no Content-Length of its empty body (RFC 9110).
    assert (again["ETag"], again["Cache-Control"]) == (gzipped["ETag"], gzipped["Cache-Control"])
    assert "Content-Length" not in again
    assert client.get("/hearings/", headers={"If-None-Match": gzipped["ETag"]}).status_code == 200


def test_the_admin_is_not_compressed(admin_client, records):
    # Its pages carry the CSRF token: compressing them would expose it to a BREACH attack.
    response = admin_client.get("/admin/hearings/hearing/", headers={"Accept-Encoding": "gzip, br"})

    assert response.status_code == 200
    assert "Content-Encoding" not in response


def test_public_pages_carry_no_csrf_token_so_compressing_them_exposes_none(client, records):
    for _name, urls in addresses(records).items():
        response = client.get(urls[0])
        assert b"csrfmiddlewaretoken" not in body(response)
        assert "csrftoken" not in response.cookies


def test_a_staff_preview_of_a_draft_is_neither_kept_nor_compressed(admin_client, records):
    url = records["draft"].get_absolute_url()
    response = admin_client.get(url, headers={"Accept-Encoding": "gzip"})

    assert response.status_code == 200
    assert "Content-Encoding" not in response
    assert "private" in response["Cache-Control"]


@pytest.mark.parametrize("url", ["/hearings.csv", "/people.csv", "/appearances.csv", "/statistics.csv"])
def test_head_of_a_streamed_download_says_nothing_of_its_length(client, records, url):
    # Its length is known only once it is sent: HEAD, like GET, gives none, rather than an empty file's.
    get = client.get(url)
    head = client.head(url)

    assert (head.status_code, b"".join(head.streaming_content)) == (200, b"")
    assert "Content-Length" not in head and "Content-Length" not in get
    assert head["Content-Disposition"] == get["Content-Disposition"]


@pytest.mark.parametrize("url", ["/api/docs/", "/api/schema/"])
def test_the_api_documentation_answers_other_methods_with_a_405(client, db, url):
    assert client.options(url).status_code == 405
