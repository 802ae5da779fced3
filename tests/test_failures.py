"""Failures the site survives: a cache that refuses or hangs, a restored backup, bad input in the admin."""

import copy
import json
import logging
import socket
import time

import pytest
from django.db import OperationalError, close_old_connections, connection
from django.db.utils import load_backend
from django.test.utils import CaptureQueriesContext

from hearings.models import DataVersion, Hearing
from hearings.pagecache.store import breaker, recent_pages
from hearings.pagecache.versions import version_key
from tests.factories import AppearanceFactory, HearingFactory


@pytest.fixture
def public_urls(db):
    appearance = AppearanceFactory(
        segment__hearing__title="Hearing on decent work",
        person__name="Ana Pérez",
        organization__stakeholder_group__name="Trade unions",
    )
    hearing = appearance.segment.hearing
    group = appearance.organization.stakeholder_group
    return [
        "/",
        "/hearings/",
        f"/hearings/?stakeholder_group={group.slug}",
        "/hearings/?q=decent",
        hearing.get_absolute_url(),
        "/people/",
        appearance.person.get_absolute_url(),
        "/organizations/",
        appearance.organization.get_absolute_url(),
        "/stakeholder-groups/",
        group.get_absolute_url(),
        hearing.process.get_absolute_url(),
    ]


@pytest.fixture
def hanging_port():
    """A local server that accepts connections and never answers."""
    with socket.socket() as server:
        server.bind(("127.0.0.1", 0))
        server.listen(64)  # the kernel completes the handshakes; nothing ever reads or writes
        yield server.getsockname()[1]


@pytest.fixture
def refusing_port():
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


@pytest.fixture(params=["refusing", "hanging"])
def broken_cache(request, settings):
    port = request.getfixturevalue(f"{request.param}_port")
    settings.CACHES = {
        "default": {
            "BACKEND": "django.core.cache.backends.redis.RedisCache",
            "LOCATION": f"redis://127.0.0.1:{port}/0",
            "OPTIONS": {"socket_connect_timeout": 0.25, "socket_timeout": 0.25},
        }
    }
    return request.param


def test_public_pages_are_served_without_a_broken_cache(client, public_urls, broken_cache, caplog):
    with caplog.at_level(logging.WARNING, logger="hearings.pagecache"):
        for url in public_urls:
            started = time.monotonic()
            response = client.get(url)
            elapsed = time.monotonic() - started

            assert (url, response.status_code) == (url, 200)
            assert elapsed < 1, (url, elapsed)
    # Logged once, when the cache first failed: the site then left it alone.
    assert len([record for record in caplog.records if "cache unavailable" in record.getMessage()]) == 1
    assert "Hearing on decent work" in client.get("/hearings/").content.decode()


def test_healthz_says_the_cache_is_unavailable_and_stays_200(client, db, broken_cache):
    started = time.monotonic()
    response = client.get("/healthz")

    assert time.monotonic() - started < 1
    assert (response.status_code, json.loads(response.content)) == (
        200,
        {"database": "ok", "cache": "unavailable", "pages": "ok"},
    )


def test_the_cache_is_asked_again_once_its_pause_is_over(client, public_urls, settings, refusing_port):
    url = public_urls[0]
    recent_pages.size = 0  # only the shared cache, as in a process that has not served the page yet
    settings.CACHES = {
        "default": {
            "BACKEND": "django.core.cache.backends.redis.RedisCache",
            "LOCATION": f"redis://127.0.0.1:{refusing_port}/0",
        }
    }
    client.get(url)
    assert breaker.available is False
    settings.CACHES = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}}
    breaker.closed_until = time.monotonic()  # the pause is over

    client.get(url)
    with CaptureQueriesContext(connection) as queries:
        client.get(url)
    assert (breaker.available, len(queries)) == (True, 1)


def test_a_restored_backup_never_meets_pages_cached_after_it(client, db):
    """Back up, edit a title, load the page, restore, edit an unrelated record: the restored title shows."""
    hearing = AppearanceFactory(segment__hearing__title="Title in the backup").segment.hearing
    other = HearingFactory(title="Another hearing")
    backup = {"title": hearing.title, "shown": hearing.shown_token, "version": DataVersion.objects.get().token}
    url = hearing.get_absolute_url()

    hearing.title = "Title after the backup"
    hearing.save()
    assert "Title after the backup" in client.get(url).content.decode()

    # The restore: the database holds again what it held when the backup was taken.
    Hearing.objects.filter(pk=hearing.pk).update(title=backup["title"], shown_token=backup["shown"])
    DataVersion.objects.update(token=backup["version"])
    other.title = "Another hearing, edited"
    other.save()

    body = client.get(url).content.decode()
    assert ("Title in the backup" in body, "Title after the backup" in body) == (True, False)


@pytest.mark.parametrize(
    "query", ["status=%00", "q=%00", "process__id__exact=%00", "stakeholder_group=%00", "year=%00", "%00=1"]
)
def test_admin_lists_answer_nul_bytes_with_a_400(editor_client, query):
    response = editor_client.get(f"/admin/hearings/hearing/?{query}")

    assert response.status_code == 400
    assert "<h1>Bad request</h1>" in response.content.decode()


def test_head_responses_have_no_body(client, public_urls):
    for url in [*public_urls[:3], "/healthz"]:
        get = client.get(url)
        head = client.head(url)

        assert (url, head.status_code, head.content) == (url, 200, b"")
        assert head["Content-Length"] == str(len(get.content))


def test_failed_admin_logins_are_logged_with_user_name_and_address(client, db, caplog):
    with caplog.at_level(logging.WARNING, logger="accounts.signals"):
        client.post("/admin/login/?next=/admin/", {"username": "jdoe", "password": "wrong"}, REMOTE_ADDR="192.0.2.7")

    assert [record.getMessage() for record in caplog.records if record.name == "accounts.signals"] == [
        "failed login for user name 'jdoe' from 192.0.2.7"
    ]


def test_requests_after_the_database_dropped_the_apps_connection_succeed(client, transactional_db):
    AppearanceFactory(segment__hearing__title="Hearing on decent work")
    assert client.get("/hearings/").status_code == 200  # the connection is kept open between requests
    if connection.vendor == "postgresql":
        # What a database restart or a proxy's idle timeout does to an app's open connection.
        pid = connection.connection.info.backend_pid
        other = load_backend(connection.settings_dict["ENGINE"]).DatabaseWrapper(
            copy.deepcopy(connection.settings_dict), "terminator"
        )
        with other.cursor() as cursor:
            cursor.execute("SELECT pg_terminate_backend(%s)", [pid])
            assert cursor.fetchone()[0] is True
        other.close()

    for query in ("", "?q=decent", "?page=1"):
        close_old_connections()  # as every request starts, outside the test client
        response = client.get("/hearings/" + query)
        assert (response.status_code, "Hearing on decent work" in response.content.decode()) == (200, True)


def test_public_pages_run_under_the_shorter_public_statement_timeout(client, transactional_db, settings):
    settings.PUBLIC_STATEMENT_TIMEOUT = 1.5
    AppearanceFactory()
    with CaptureQueriesContext(connection) as queries:
        assert client.get("/hearings/").status_code == 200
    timeouts = [query["sql"] for query in queries.captured_queries if "statement_timeout" in query["sql"]]

    if connection.vendor == "postgresql":
        assert timeouts == ["SELECT set_config('statement_timeout', '1500', true)"]
        with connection.cursor() as cursor:  # the connection's own timeout is back once the page is rendered
            cursor.execute("SHOW statement_timeout")
            assert cursor.fetchone()[0] == "30s"
    else:
        assert timeouts == []  # SQLite has no statement timeout


def test_a_streamed_download_reads_its_rows_under_the_public_statement_timeout(client, transactional_db, settings):
    # The CSV's rows are read while it is sent, after the view has returned. A query that takes 2 s there must be
    # cancelled by the public timeout (0.5 s), not run on under the connection's own 30 s.
    settings.PUBLIC_STATEMENT_TIMEOUT = 0.5
    AppearanceFactory()
    slowed = []

    def slow_hearing_queries(execute, sql, params, many, context):
        # The rows are read through a server-side cursor, so the sleep goes into the query itself.
        if 'FROM "hearings_hearing"' in sql:
            slowed.append(sql)
            if connection.vendor == "postgresql":
                sql = sql.replace(
                    'FROM "hearings_hearing"', 'FROM "hearings_hearing" CROSS JOIN (SELECT pg_sleep(2)) s', 1
                )
        return execute(sql, params, many, context)

    response = client.get("/hearings.csv")
    assert response.status_code == 200 and response.streaming
    with connection.execute_wrapper(slow_hearing_queries):
        if connection.vendor == "postgresql":
            with pytest.raises(OperationalError, match="statement timeout"):
                b"".join(response.streaming_content)
        else:  # SQLite has no statement timeout: the rows are all sent
            assert b"".join(response.streaming_content).count(b"\n") == 2
    assert slowed  # the rows were read while the answer was sent
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:  # and the connection's own timeout is back afterwards
            cursor.execute("SHOW statement_timeout")
            assert cursor.fetchone()[0] == "30s"


@pytest.mark.parametrize("year", ["0", "10000", "99999999999999999999", "²"])
def test_admin_year_filter_with_a_year_no_date_has_finds_nothing(editor_client, year):
    HearingFactory()

    response = editor_client.get("/admin/hearings/hearing/", {"year": year})

    assert response.status_code == 200
    assert response.context["cl"].result_count == 0


def test_deleting_a_draft_keeps_the_public_data_version_and_deleting_a_published_hearing_moves_it(client, db):
    published = HearingFactory()
    draft = HearingFactory(status=Hearing.Status.DRAFT)
    version = version_key()

    draft.delete()
    assert version_key() == version

    published.delete()
    assert version_key() != version


def test_unpublishing_a_hearing_read_without_its_status_moves_the_data_version(client, db):
    hearing = HearingFactory()
    url = hearing.get_absolute_url()
    assert client.get(url).status_code == 200

    partial = Hearing.objects.only("pk", "slug").get(pk=hearing.pk)
    partial.status = Hearing.Status.DRAFT
    partial.save(update_fields=["status"])

    assert client.get(url).status_code == 404
