"""Whole-page cache: every edit shows on the next request; conditional requests get a 304."""

import uuid

import pytest
from django.core.cache import cache
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from hearings.domain.publishing import publish_hearings, unpublish_hearings
from hearings.models import Hearing
from hearings.pagecache.store import recent_pages
from tests.factories import AppearanceFactory, HearingFactory, HearingLinkFactory
from tests.support import hearing_admin_data

REDIS_URL = "redis://127.0.0.1:6379/0"


@pytest.fixture(params=["locmem", "redis"])
def page_cache(request, settings):
    if request.param == "redis":
        settings.CACHES = {
            "default": {
                "BACKEND": "django.core.cache.backends.redis.RedisCache",
                "LOCATION": REDIS_URL,
                "KEY_PREFIX": f"test-{uuid.uuid4().hex}",
            }
        }
    else:
        settings.CACHES = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}}
    cache.clear()
    yield request.param
    cache.clear()


@pytest.fixture
def hearing(db):
    return AppearanceFactory(segment__hearing__title="Original title", person__name="Ana Pérez").segment.hearing


def test_second_request_is_served_from_the_cache(client, page_cache, hearing):
    first = client.get(hearing.get_absolute_url())
    with CaptureQueriesContext(connection) as queries:
        second = client.get(hearing.get_absolute_url())

    assert second.content == first.content
    assert len(queries) == 1  # the data version only


def test_editing_shows_at_once(client, page_cache, hearing):
    assert "Original title" in client.get("/hearings/").content.decode()

    hearing.title = "Corrected title"
    hearing.save()

    body = client.get("/hearings/").content.decode()
    assert "Corrected title" in body
    assert "Original title" not in body
    assert "Corrected title" in client.get(hearing.get_absolute_url()).content.decode()


def test_publishing_and_unpublishing_show_at_once(client, page_cache, hearing):
    url = hearing.get_absolute_url()
    page = client.get(url)
    assert page.status_code == 200
    assert "<h1>Original title</h1>" in page.content.decode()
    assert "Ana Pérez" in client.get("/people/").content.decode()

    unpublish_hearings(hearings=Hearing.objects.filter(pk=hearing.pk))
    assert client.get(url).status_code == 404
    assert "Ana Pérez" not in client.get("/people/").content.decode()

    publish_hearings(hearings=Hearing.objects.filter(pk=hearing.pk))
    page = client.get(url)
    assert page.status_code == 200
    assert "<h1>Original title</h1>" in page.content.decode()
    assert "Ana Pérez" in client.get("/people/").content.decode()


def test_deleting_shows_at_once(client, page_cache, hearing):
    url = hearing.get_absolute_url()
    assert "Original title" in client.get("/").content.decode()

    hearing.delete()

    assert "Original title" not in client.get("/").content.decode()
    assert client.get(url).status_code == 404


def test_editing_a_speaker_refreshes_the_hearing_page(client, page_cache, hearing):
    url = hearing.get_absolute_url()
    assert "Ana Pérez" in client.get(url).content.decode()

    person = hearing.segments.get().appearances.get().person
    person.name = "Ana Pérez García"
    person.save()

    assert "Ana Pérez García" in client.get(url).content.decode()


def test_conditional_get_of_an_unchanged_page_gets_a_304(client, page_cache, hearing):
    url = hearing.get_absolute_url()
    first = client.get(url)
    etag = first["ETag"]

    with CaptureQueriesContext(connection) as queries:
        again = client.get(url, headers={"if-none-match": etag})
    assert again.status_code == 304
    assert len(queries) == 1

    hearing.title = "Changed"
    hearing.save()
    changed = client.get(url, headers={"if-none-match": etag})
    assert changed.status_code == 200
    assert "<h1>Changed</h1>" in changed.content.decode()
    assert changed["ETag"] != etag


def test_pages_differ_by_query_string(client, page_cache, hearing):
    everything = client.get("/hearings/").content.decode()
    nothing = client.get("/hearings/?year=1900").content.decode()

    assert "Original title" in everything
    assert "Original title" not in nothing


def test_error_pages_are_not_cached(client, page_cache, hearing):
    bad_filter = client.get("/hearings/?year=abcd")
    missing = client.get("/hearings/no-such/")
    missing_again = client.get("/hearings/no-such/")

    assert (bad_filter.status_code, missing.status_code, missing_again.status_code) == (400, 404, 404)
    assert [response.has_header("ETag") for response in (bad_filter, missing, missing_again)] == [False] * 3
    with CaptureQueriesContext(connection) as rendered_again:
        client.get("/hearings/?year=abcd")
    # The refused filter was rendered anew: the data version, the groups and processes it offers.
    # On PostgreSQL, one more: the public statement timeout set for the rendering.
    assert len(rendered_again) == 3 + (connection.vendor == "postgresql")
    client.get(hearing.get_absolute_url())
    with CaptureQueriesContext(connection) as from_the_cache:
        client.get(hearing.get_absolute_url())
    assert len(from_the_cache) == 1  # a page that is found is kept: only the data version is read


def test_counts_are_shared_between_urls_of_one_filter_state_until_an_edit(client, page_cache, hearing):
    year = hearing.date.year
    with CaptureQueriesContext(connection) as first:
        response = client.get(f"/hearings/?year={year}&utm_source=a")
    with CaptureQueriesContext(connection) as second:
        client.get(f"/hearings/?utm_source=b&year={year}")
    assert response.context["facets"]["count"] == 1
    # The group, year, process and total counts are worked out for the first URL only.
    assert [sum("COUNT(" in query["sql"] for query in run.captured_queries) for run in (first, second)] == [4, 0]

    AppearanceFactory(segment__hearing__date=hearing.date)

    again = client.get(f"/hearings/?year={year}&utm_source=c")
    assert again.context["facets"]["count"] == 2
    assert again.content.decode().count('class="hearing-row"') == 2


def test_if_none_match_star_does_not_hide_a_missing_page(client, page_cache, hearing):
    assert client.get("/hearings/no-such/", headers={"if-none-match": "*"}).status_code == 404


def test_records_loaded_from_outside_never_meet_pages_cached_before(client, page_cache, hearing):
    from django.core import serializers

    from hearings.models import DataVersion
    from hearings.pagecache.versions import version_key

    dumped = serializers.serialize("json", DataVersion.objects.all())
    before = version_key()
    for restored in serializers.deserialize("json", dumped):
        restored.save()  # a raw save, as loaddata does

    assert DataVersion.objects.count() == 1
    assert version_key() != before


PUBLIC_URLS = ["/", "/hearings/", "/people/", "/organizations/", "/stakeholder-groups/"]


def test_editors_working_on_a_draft_keep_every_public_page_and_etag(client, editor_client, page_cache, hearing):
    draft = HearingFactory(status=Hearing.Status.DRAFT, title="Draft in progress", process=hearing.process)
    urls = [*PUBLIC_URLS, hearing.get_absolute_url(), hearing.process.get_absolute_url()]
    etags = {url: client.get(url)["ETag"] for url in urls}

    # An editor adds a speaker (a new person, organization and group), a link, and retitles the draft.
    AppearanceFactory(segment__hearing=draft, person__name="Zoë Ñúñez")
    HearingLinkFactory(hearing=draft)
    data = hearing_admin_data(
        draft, process=draft.process.pk, title_en="Draft, retitled", slug=draft.slug, date=draft.date.isoformat()
    )
    response = editor_client.post(reverse("admin:hearings_hearing_change", args=[draft.pk]), data)
    assert response.status_code == 302

    assert {url: client.get(url)["ETag"] for url in urls} == etags

    publish_hearings(hearings=Hearing.objects.filter(pk=draft.pk))

    assert [url for url in urls if client.get(url)["ETag"] == etags[url]] == []
    assert "Draft, retitled" in client.get("/hearings/").content.decode()


def test_renaming_a_person_of_a_published_hearing_changes_the_etag(client, page_cache, hearing):
    url = hearing.get_absolute_url()
    etag = client.get(url)["ETag"]
    person = hearing.segments.get().appearances.get().person

    person.name = "Ana Pérez Díaz"
    person.save()

    response = client.get(url)
    assert response["ETag"] != etag
    assert "Ana Pérez Díaz" in response.content.decode()


def test_a_page_kept_in_process_memory_still_follows_edits(client, page_cache, hearing):
    url = hearing.get_absolute_url()
    client.get(url)
    cache.clear()  # only this process's own copy is left
    with CaptureQueriesContext(connection) as queries:
        assert "Original title" in client.get(url).content.decode()
    assert len(queries) == 1

    hearing.title = "Changed title"
    hearing.save()

    assert "Changed title" in client.get(url).content.decode()


# --- Staff preview of drafts ------------------------------------------------------


@pytest.fixture
def draft(db):
    appearance = AppearanceFactory(
        segment__hearing__status=Hearing.Status.DRAFT,
        segment__hearing__title="Draft in preparation",
        person__name="Zoë Ñúñez",
        organization__name="Draft-only network",
    )
    return appearance


def test_staff_preview_a_draft_as_the_public_will_see_it(editor_client, page_cache, draft):
    hearing = draft.segment.hearing

    response = editor_client.get(hearing.get_absolute_url())

    body = response.content.decode()
    assert response.status_code == 200
    assert "<strong>Draft — not public.</strong>" in body
    assert '<meta name="robots" content="noindex">' in body
    assert response["Cache-Control"] == "private, no-store"
    assert response.has_header("ETag") is False
    assert "<h1>Draft in preparation</h1>" in body
    # Its speaker's and organization's pages too, for staff only.
    assert editor_client.get(draft.person.get_absolute_url()).status_code == 200
    assert "Draft in preparation" in editor_client.get(draft.organization.get_absolute_url()).content.decode()
    for url in (hearing.get_absolute_url(), draft.person.get_absolute_url(), draft.organization.get_absolute_url()):
        assert Client().get(url).status_code == 404


def test_a_preview_never_enters_the_shared_cache(editor_client, page_cache, draft):
    url = draft.segment.hearing.get_absolute_url()
    editor_client.get(url)
    editor_client.get(url)

    recent_pages.clear()  # as another process, which only has the shared cache
    assert Client().get(url).status_code == 404
    with CaptureQueriesContext(connection) as queries:
        assert editor_client.get(url).status_code == 200
    assert len(queries) > 1  # rendered again, not served from any cache


def test_published_pages_are_the_same_for_staff_and_public(editor_client, page_cache, hearing):
    staff = editor_client.get(hearing.get_absolute_url())

    assert "Draft — not public." not in staff.content.decode()
    assert staff["ETag"] == Client().get(hearing.get_absolute_url())["ETag"]


def test_hearing_screen_links_the_preview(editor_client, draft):
    hearing = draft.segment.hearing

    body = editor_client.get(reverse("admin:hearings_hearing_change", args=[hearing.pk])).content.decode()

    assert f'<a href="{hearing.get_absolute_url()}">See the public page of this hearing</a>' in body
