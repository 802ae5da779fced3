"""Security headers, cookies, static files and the health check.

The `production` fixture applies the security settings that a process started
with DJANGO_DEBUG=0 computes (`load_settings` in tests/support.py, as in
tests/test_settings.py), so these tests check the real production values through
the real middleware stack.
"""

import copy
import re
import socket
from html.parser import HTMLParser

import pytest
from django.contrib import admin
from django.core.management import call_command
from django.db import DEFAULT_DB_ALIAS, connections
from django.db.utils import load_backend
from django.templatetags.static import static
from django.urls import reverse

from tests.factories import AppearanceFactory, HearingLinkFactory, HearingParticipationFactory
from tests.support import PRODUCTION_ENV, load_settings

SECURITY_SETTING_PREFIXES = ("SECURE_", "SESSION_COOKIE_", "CSRF_COOKIE_", "LANGUAGE_COOKIE_")
SECURITY_SETTINGS = {"CONTENT_SECURITY_POLICY", "PERMISSIONS_POLICY", "X_FRAME_OPTIONS"}

EXPECTED_CSP = {
    "default-src": ["'self'"],
    "script-src": ["'self'"],
    "style-src": ["'self'"],
    "img-src": ["'self'", "data:"],
    "object-src": ["'none'"],
    "base-uri": ["'none'"],
    "form-action": ["'self'"],
    "frame-ancestors": ["'none'"],
}

# Every powerful browser feature the site never uses, switched off (config/settings.py, PERMISSIONS_POLICY).
EXPECTED_PERMISSIONS_POLICY = ", ".join(
    f"{feature}=()"
    for feature in (
        "accelerometer",
        "autoplay",
        "browsing-topics",
        "camera",
        "display-capture",
        "geolocation",
        "gyroscope",
        "hid",
        "idle-detection",
        "magnetometer",
        "microphone",
        "midi",
        "payment",
        "serial",
        "usb",
        "xr-spatial-tracking",
    )
)

PUBLIC_PATHS = ["/", "/hearings/", "/people/", "/organizations/", "/stakeholder-groups/", "/admin/login/"]


def _apply_production_security(settings, monkeypatch, **env):
    config = load_settings(monkeypatch, **PRODUCTION_ENV, **env)
    for name, value in config.items():
        if name.startswith(SECURITY_SETTING_PREFIXES) or name in SECURITY_SETTINGS:
            setattr(settings, name, value)


@pytest.fixture
def production(settings, monkeypatch):
    """The production security settings, with TLS seen directly (secure=True requests)."""
    _apply_production_security(settings, monkeypatch)


@pytest.fixture
def production_behind_proxy(settings, monkeypatch):
    """The production security settings behind a TLS-terminating proxy that sets X-Forwarded-Proto."""
    _apply_production_security(settings, monkeypatch, DJANGO_SECURE_PROXY_SSL_HEADER="X-Forwarded-Proto")


def parse_csp(header):
    directives = {}
    for directive in header.split(";"):
        name, *sources = directive.split()
        directives[name] = sources
    return directives


def assert_security_headers(response):
    assert response["Strict-Transport-Security"] == "max-age=31536000; includeSubDomains; preload"
    assert parse_csp(response["Content-Security-Policy"]) == EXPECTED_CSP
    assert response["Referrer-Policy"] == "same-origin"
    assert response["X-Content-Type-Options"] == "nosniff"
    assert response["Cross-Origin-Opener-Policy"] == "same-origin"
    assert response["Permissions-Policy"] == EXPECTED_PERMISSIONS_POLICY
    assert response["X-Frame-Options"] == "DENY"


@pytest.mark.parametrize("path", PUBLIC_PATHS)
def test_public_pages_carry_the_security_headers(production, client, db, path):
    response = client.get(path, secure=True)

    assert response.status_code == 200
    assert_security_headers(response)


def test_record_pages_and_not_found_pages_carry_the_security_headers(production, client, db):
    hearing = AppearanceFactory().segment.hearing

    found = client.get(hearing.get_absolute_url(), secure=True)
    missing = client.get("/hearings/no-such-hearing/", secure=True)

    assert (found.status_code, missing.status_code) == (200, 404)
    assert_security_headers(found)
    assert_security_headers(missing)


def test_plain_http_is_redirected_to_https(production, client, db):
    response = client.get("/hearings/?page=2")

    assert (response.status_code, response["Location"]) == (301, "https://testserver/hearings/?page=2")
    assert "Strict-Transport-Security" not in response  # browsers ignore it over plain HTTP


def test_forwarded_scheme_behind_a_proxy_makes_the_request_secure(production_behind_proxy, client, db):
    forwarded = client.get("/hearings/", headers={"X-Forwarded-Proto": "https"})
    direct = client.get("/hearings/")

    assert forwarded.status_code == 200
    assert_security_headers(forwarded)
    assert (direct.status_code, direct["Location"]) == (301, "https://testserver/hearings/")


def test_cookies_are_secure_http_only_and_same_site(production, client, django_user_model):
    django_user_model.objects.create_superuser("editor", "editor@example.org", "correct horse battery staple")

    login_page = client.get("/admin/login/", secure=True)
    logged_in = client.post(
        "/admin/login/?next=/admin/",
        {"username": "editor", "password": "correct horse battery staple"},
        secure=True,
    )

    assert (login_page.status_code, logged_in.status_code, logged_in["Location"]) == (200, 302, "/admin/")
    for cookie in (login_page.cookies["csrftoken"], logged_in.cookies["sessionid"]):
        assert (cookie["secure"], cookie["httponly"], cookie["samesite"]) == (True, True, "Lax")


def test_static_files_are_hashed_compressed_and_cached_forever(production, client, settings, tmp_path):
    settings.STATIC_ROOT = tmp_path / "staticfiles"
    settings.STORAGES = {
        **settings.STORAGES,
        "staticfiles": {"BACKEND": "whitenoise.storage.CompressedManifestStaticFilesStorage"},
    }
    call_command("collectstatic", interactive=False, verbosity=0)

    url = static("admin/css/base.css")
    response = client.get(url, secure=True, headers={"Accept-Encoding": "gzip"})
    body = b"".join(response.streaming_content)  # reading to the end closes the file

    assert re.fullmatch(r"/static/admin/css/base\.[0-9a-f]{12}\.css", url)
    assert response.status_code == 200
    assert response["Cache-Control"] == "max-age=315360000, public, immutable"
    assert (response["Content-Encoding"], response["Vary"]) == ("gzip", "Accept-Encoding")
    assert body.startswith(b"\x1f\x8b")  # gzip magic number
    assert_security_headers(response)


# Content-Security-Policy without 'unsafe-inline': every page must do without
# inline scripts, inline styles and event-handler attributes.

DATA_BLOCK_TYPES = {"application/json", "application/ld+json"}


class InlineCodeFinder(HTMLParser):
    """Collects what a policy without 'unsafe-inline' would block."""

    def __init__(self):
        super().__init__()
        self.blocked = []

    def handle_starttag(self, tag, attrs):
        attributes = dict(attrs)
        if tag == "script" and "src" not in attributes and attributes.get("type") not in DATA_BLOCK_TYPES:
            self.blocked.append(f"inline <script> at line {self.getpos()[0]}")
        if tag == "style":
            self.blocked.append(f"<style> element at line {self.getpos()[0]}")
        for name in attributes:
            if name == "style" or name.startswith("on"):
                self.blocked.append(f'{name}="…" on <{tag}> at line {self.getpos()[0]}')


def blocked_inline_code(response):
    finder = InlineCodeFinder()
    finder.feed(response.content.decode())
    finder.close()
    return finder.blocked


@pytest.fixture
def records(db):
    appearance = AppearanceFactory(person__name="Miroslav Lajčák")
    HearingLinkFactory(hearing=appearance.segment.hearing)
    HearingParticipationFactory(hearing=appearance.segment.hearing)
    return appearance


def test_public_pages_need_no_inline_code(client, records):
    paths = [
        *PUBLIC_PATHS,
        records.segment.hearing.get_absolute_url(),
        records.person.get_absolute_url(),
        records.organization.get_absolute_url(),
        records.organization.stakeholder_group.get_absolute_url(),
        records.segment.hearing.process.get_absolute_url(),
        "/hearings/no-such-hearing/",
    ]

    blocked = {path: blocked_inline_code(client.get(path)) for path in paths}

    assert blocked == {path: [] for path in paths}


def test_admin_pages_need_no_inline_code_and_keep_the_strict_policy(admin_client, admin_user, rf, records):
    """Every admin screen, django-nested-admin's hearing screen included, works under the site-wide policy."""
    request = rf.get("/admin/")
    request.user = admin_user
    paths = [reverse("admin:index"), reverse("admin:two_factor")]
    for model, model_admin in admin.site._registry.items():
        info = (model._meta.app_label, model._meta.model_name)
        paths.append(reverse("admin:{}_{}_changelist".format(*info)))
        if model_admin.has_add_permission(request):  # django-axes' records of sign-ins are written by it alone
            paths.append(reverse("admin:{}_{}_add".format(*info)))
        first = model._default_manager.order_by("pk").first()
        if first is not None:
            paths.append(reverse("admin:{}_{}_change".format(*info), args=[first.pk]))

    responses = {path: admin_client.get(path) for path in paths}

    assert {path: response.status_code for path, response in responses.items()} == dict.fromkeys(paths, 200)
    assert {path: blocked_inline_code(response) for path, response in responses.items()} == {path: [] for path in paths}
    assert {path: parse_csp(response["Content-Security-Policy"]) for path, response in responses.items()} == (
        dict.fromkeys(paths, EXPECTED_CSP)
    )


# /healthz: 200 when the app and its database answer, 503 otherwise.


def _closed_port():
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


@pytest.fixture
def unreachable_database(db, tmp_path):
    """Points the default connection at a database that cannot be reached, on SQLite and PostgreSQL alike.

    A separate connection object takes the place of the test connection, which
    stays open (with its test transaction) and comes back afterwards.
    """
    original = connections[DEFAULT_DB_ALIAS]
    unreachable = copy.deepcopy(original.settings_dict)
    if original.vendor == "sqlite":
        unreachable["NAME"] = str(tmp_path / "no-such-directory" / "db.sqlite3")
    else:
        unreachable.update(HOST="127.0.0.1", PORT=_closed_port())
        unreachable["OPTIONS"] = {**unreachable["OPTIONS"], "connect_timeout": 2}
    connection = load_backend(unreachable["ENGINE"]).DatabaseWrapper(unreachable, DEFAULT_DB_ALIAS)
    connections[DEFAULT_DB_ALIAS] = connection
    try:
        yield
    finally:
        connection.close()
        connections[DEFAULT_DB_ALIAS] = original


def test_healthz_answers_200_when_the_database_answers(client, db):
    response = client.get("/healthz")

    assert (response.status_code, response.json()) == (200, {"database": "ok", "cache": "ok", "pages": "ok"})


def test_healthz_answers_503_when_the_database_is_unreachable(client, unreachable_database):
    response = client.get("/healthz")

    assert (response.status_code, response.json()) == (503, {"database": "unavailable", "cache": "ok", "pages": "ok"})


def test_healthz_answers_load_balancers_over_plain_http_in_production(production, client, db):
    response = client.get("/healthz")

    assert (response.status_code, response.json()) == (200, {"database": "ok", "cache": "ok", "pages": "ok"})
