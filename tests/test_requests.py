"""Requests from outside: hosts that are not ours, addresses that look like another site's, sign-in
redirects, the health check of a release that cannot render, and the pages of refusals (429, CSRF)."""

import re

import pytest
from django.contrib.auth import get_user_model
from django.test import Client
from django.urls import reverse

from tests.factories import HearingFactory

HOSTILE_HOST = "evil.example"


@pytest.fixture
def own_hosts(settings):
    settings.ALLOWED_HOSTS = ["hearings.example.org"]
    settings.DEBUG = False


@pytest.mark.parametrize(
    "path",
    [
        "/",
        "/hearings/",
        "/fr/hearings/",
        "/no-such-page/",
        "/api/hearings/",
        "/hearings.csv",
        "/admin/login/",
        "/healthz",
    ],
)
def test_a_host_that_is_not_ours_gets_a_plain_400_with_nothing_built_from_it(own_hosts, db, path):
    client = Client(raise_request_exception=False)
    response = client.get(path, headers={"Host": HOSTILE_HOST})

    assert response.status_code == 400
    assert HOSTILE_HOST not in response.content.decode()


# As the server hands them over: `/%2F%2Fevil.example/` arrives decoded, as `//evil.example/`. (The test client
# would read a path starting with // as a host, so the path is given as PATH_INFO.)
OFF_SITE_PATHS = ["//evil.example/", "//evil.example/hearings/", "/fr//evil.example/", "///evil.example/?page=2"]


def _links(html):
    return re.findall(r'(?:href|content)="([^"]*)"', html)


@pytest.mark.parametrize("path", OFF_SITE_PATHS)
def test_links_built_from_the_request_path_stay_on_this_site(client, db, path):
    path_info, _sep, query = path.partition("?")
    response = client.get("/", PATH_INFO=path_info, QUERY_STRING=query)

    assert response.status_code == 404
    html = response.content.decode()
    assert "evil.example" not in html
    for link in _links(html):
        assert not link.startswith("//"), link
        assert link.startswith(("/", "#", "http://testserver/")) or "://" not in link, link


def test_the_language_versions_of_a_page_keep_its_address_and_filters(client, db):
    hearing = HearingFactory()
    response = client.get(hearing.get_absolute_url() + "?x=1")

    html = response.content.decode()
    assert f'hreflang="fr" href="http://testserver/fr{hearing.get_absolute_url()}' in html


def test_every_page_names_all_its_language_versions_itself_included(client, db):
    html = client.get("/hearings/").content.decode()
    alternates = dict(re.findall(r'<link rel="alternate" hreflang="([^"]+)" href="([^"]+)"', html))

    assert alternates == {
        "en": "http://testserver/hearings/",
        "x-default": "http://testserver/hearings/",
        "ar": "http://testserver/ar/hearings/",
        "zh-Hans": "http://testserver/zh-hans/hearings/",
        "fr": "http://testserver/fr/hearings/",
        "ru": "http://testserver/ru/hearings/",
        "es": "http://testserver/es/hearings/",
    }
    french = client.get("/fr/hearings/").content.decode()
    assert '<link rel="alternate" hreflang="fr" href="http://testserver/fr/hearings/">' in french


def test_signing_in_after_a_refused_next_address_lands_on_the_admin_index(client, db):
    user = get_user_model().objects.create_user("editor", password="a long pass phrase", is_staff=True)
    response = client.post(
        "/admin/login/?next=https://evil.example",
        {"username": user.username, "password": "a long pass phrase", "next": "https://evil.example"},
    )

    assert response.status_code == 302
    assert response["Location"] == reverse("admin:index")


def test_a_form_refused_by_the_csrf_check_gets_the_sites_own_403_page_which_the_policy_allows(db):
    client = Client(enforce_csrf_checks=True)
    response = client.post("/admin/login/", {"username": "someone", "password": "x"})

    assert response.status_code == 403
    html = response.content.decode()
    assert "<style" not in html and " style=" not in html
    assert "Form not accepted" in html


def test_a_locked_out_sign_in_says_when_to_try_again(client, db, settings):
    settings.AXES_FAILURE_LIMIT = 2
    for _attempt in range(3):
        response = client.post("/admin/login/", {"username": "someone", "password": "wrong"})

    assert response.status_code == 429
    assert response["Retry-After"] == str(int(settings.AXES_COOLOFF_TIME.total_seconds()))


def test_healthz_fails_when_the_static_files_were_collected_without_their_manifest(client, db, settings, tmp_path):
    # collectstatic run with debug on: the files are there, the manifest that gives their hashed names is not.
    settings.STATIC_ROOT = tmp_path / "staticfiles"
    settings.STATIC_ROOT.mkdir()
    settings.STORAGES = {
        **settings.STORAGES,
        "staticfiles": {"BACKEND": "whitenoise.storage.CompressedManifestStaticFilesStorage"},
    }
    page = Client(raise_request_exception=False).get("/")
    response = client.get("/healthz")

    assert page.status_code == 500
    assert (response.status_code, response.json()) == (503, {"database": "ok", "cache": "ok", "pages": "unavailable"})
