"""Fragments kept under each hearing's version: an edit renders again what shows it, and only that."""

import pytest
from django.core.cache import cache
from django.urls import set_script_prefix
from django.utils import translation
from django.utils.translation import gettext

from hearings.models import Hearing, HearingParticipation, Organization, Person, Segment, StakeholderGroup, Venue
from hearings.pagecache.fragments import fragment_key, recent_fragments
from hearings.pagecache.store import recent_pages
from tests.factories import HearingLinkFactory

# Every public page and answer that shows the third hearing of `records`, in English and in Arabic.
PAGES = [
    "/",
    "/hearings/",
    "/hearings/?q=third",
    "/hearings/third/",
    "/stakeholder-groups/civil-society/",
    "/ar/hearings/",
    "/ar/hearings/third/",
    "/api/hearings/",
    "/api/hearings/third/",
    "/api/hearings/third/?lang=ar",
    "/statistics/",
    "/ar/statistics/?q=third",
    "/stakeholder-groups/",
    "/people/dennis-sinyolo/",
    "/fr/people/dennis-sinyolo/",
]


def _forget_everything():
    cache.clear()
    recent_pages.clear()
    recent_fragments.clear()


def _rename_hearing(records):
    third = records["third"]
    third.title_en = "Third hearing, as corrected"
    third.save()
    return "Third hearing, as corrected"


def _retheme_segment(records):
    segment = Segment.objects.get(title_en="First panel")
    segment.theme_en = "From fiction to fact"
    segment.save()
    return "From fiction to fact"


def _retitle_speaker(records):
    appearance = Segment.objects.get(title_en="First panel").appearances.get()
    appearance.position_title_en = "General Secretary"
    appearance.save()
    return "General Secretary"


def _rename_person(records):
    person = Person.objects.get(slug="dennis-sinyolo")
    person.name = "Dennis M. Sinyolo"
    person.save()
    return "Dennis M. Sinyolo"


def _rename_organization(records):
    organization = Organization.objects.get(slug="education-international")
    organization.name_en = "Education International (EI)"
    organization.save()
    return "Education International (EI)"


def _rename_group(records):
    group = StakeholderGroup.objects.get(slug="trade-unions")
    group.name_en = "Trade unions and workers"
    group.save()
    return "Trade unions and workers"


def _rename_parent_group(records):
    # Shown in the hearing's breakdown, which counts a subgroup's speakers in its parent too.
    group = StakeholderGroup.objects.get(slug="civil-society")
    group.name_en = "Civil society at large"
    group.save()
    return "Civil society at large"


def _move_group(records):
    group = StakeholderGroup.objects.get(slug="trade-unions")
    group.parent = StakeholderGroup.objects.get(slug="member-states")
    group.save()
    return "Member States"


def _rename_venue_city(records):
    venue = Venue.objects.get(name_en="Trusteeship Chamber")
    venue.city_en = "New York City"
    venue.save()
    return "New York City"


def _rename_process(records):
    process = records["third"].process
    process.short_name_en = "GCM-3"
    process.save()
    return "GCM-3"


def _add_link(records):
    HearingLinkFactory(hearing=records["third"], title="Programme of the hearing")
    return "Programme of the hearing"


def _add_participating_group(records):
    HearingParticipation.objects.create(
        hearing=records["third"], group=StakeholderGroup.objects.get(slug="member-states")
    )
    return "Member States"


EDITS = [
    _rename_hearing,
    _retheme_segment,
    _retitle_speaker,
    _rename_person,
    _rename_organization,
    _rename_group,
    _rename_parent_group,
    _move_group,
    _rename_venue_city,
    _rename_process,
    _add_link,
    _add_participating_group,
]
# Edits that reach the other published hearing too (it shares the third's process).
SHARED = {_rename_process}


@pytest.mark.parametrize("edit", EDITS, ids=lambda edit: edit.__name__.strip("_"))
def test_an_edit_shows_on_every_page_that_shows_it_and_keeps_the_other_hearings_fragments(client, records, edit):
    for url in PAGES:
        assert client.get(url).status_code == 200  # every fragment of these pages is kept now
    other_token = Hearing.objects.get(slug="first").shown_token

    new_text = edit(records)

    served = {url: client.get(url).content.decode() for url in PAGES}
    _forget_everything()
    rendered = {url: client.get(url).content.decode() for url in PAGES}
    assert served == rendered  # what the kept fragments gave is what rendering everything again gives
    assert new_text in served["/hearings/third/"]
    if edit not in SHARED:
        assert Hearing.objects.get(slug="first").shown_token == other_token


def _rows_rendered(response):
    return [template.name for template in response.templates].count("includes/hearing_row.html")


def test_after_an_edit_a_list_renders_the_edited_hearings_row_only(client, records):
    assert _rows_rendered(client.get("/hearings/")) == 2  # the two published hearings, nothing kept yet
    assert _rows_rendered(client.get("/hearings/?page=1")) == 0  # another page, the same rows: all kept

    other = records["other"]
    other.title_en = "First hearing, renamed"
    other.save()
    response = client.get("/hearings/")

    assert "First hearing, renamed" in response.content.decode()
    assert _rows_rendered(response) == 1


def test_a_hearing_page_keeps_its_parts_per_host(client, records, settings):
    settings.ALLOWED_HOSTS = ["one.example", "two.example"]

    first = client.get("/hearings/third/", HTTP_HOST="one.example").content.decode()
    second = client.get("/hearings/third/", HTTP_HOST="two.example").content.decode()

    assert "http://one.example/hearings/third/" in first
    assert "http://two.example/hearings/third/" in second
    assert "one.example" not in second


def test_a_preview_keeps_no_fragment(editor_client, records):
    draft = records["draft"]

    assert "Secret draft Zorrillo" in editor_client.get("/hearings/draft/").content.decode()

    keys = [
        fragment_key(name, "hearing", draft.pk, draft.shown_token, "http", "testserver")
        for name in ("structured", "body", "cite")
    ]
    assert cache.get_many(keys) == {}
    # Only the parts of every page that show no record are kept (the site's header and footer).
    assert recent_fragments.entries
    assert not any("Zorrillo" in text for text in recent_fragments.entries.values())


def test_each_language_has_its_own_fragments(client, records):
    english = client.get("/hearings/third/").content.decode()  # kept in English first
    arabic = client.get("/ar/hearings/third/").content.decode()
    with translation.override("ar"):
        cite_in_arabic = gettext("Cite this hearing")

    assert cite_in_arabic != "Cite this hearing"
    assert "Cite this hearing" in english
    assert cite_in_arabic in arabic and "Cite this hearing" not in arabic


def test_a_site_served_under_another_prefix_gets_its_own_fragments(client, records):
    under_root = client.get("/hearings/").content.decode()  # every row kept, with addresses from /
    # What the WSGI handler does for a site mounted at /records (the test client does not).
    set_script_prefix("/records/")
    try:
        under_prefix = client.get("/hearings/?mounted=1").content.decode()
    finally:
        set_script_prefix("/")

    assert 'href="/hearings/third/"' in under_root
    assert 'href="/records/hearings/third/"' in under_prefix
    assert 'href="/hearings/third/"' not in under_prefix
