"""Editors' history: every save a revision; compare, revert and recover; stale forms refused."""

import re

import pytest
import reversion
from django.db import connection
from django.test import Client
from django.urls import reverse
from django.utils import translation
from django.utils.text import capfirst
from reversion.models import Revision, Version

from hearings.domain import history
from hearings.domain.history import compare
from hearings.models import Appearance, DataVersion, Hearing, Person, Segment, StakeholderGroup
from tests.factories import (
    OrganizationFactory,
    PersonFactory,
    ProcessFactory,
    StaffUserFactory,
    StakeholderGroupFactory,
)
from tests.support import form_data, hearing_admin_data

HEARING_ADD = reverse("admin:hearings_hearing_add")


def _client(user):
    client = Client()
    client.force_login(user)
    return client


@pytest.fixture
def alice(db):
    return StaffUserFactory(username="alice", groups=["Editors"])


@pytest.fixture
def bob(db):
    return StaffUserFactory(username="bob", groups=["Editors"])


@pytest.fixture
def cast(db):
    group = StakeholderGroupFactory(name="Civil society", slug="civil-society")
    return {
        "people": [PersonFactory(name=name) for name in ("Ana Moderator", "Ben Panelist", "Cleo Speaker", "Dan Late")],
        "organization": OrganizationFactory(name="Migrants Forum", stakeholder_group=group),
        "group": group,
        "process": ProcessFactory(),
    }


def _speaker(person, role, position, organization, summary=""):
    return {
        "position": position,
        "person": person.pk,
        "role": role,
        "position_title_en": "Director",
        "organization": organization.pk,
        "summary_en": summary,
    }


def _add_hearing(client, cast):
    people, organization = cast["people"], cast["organization"]
    data = hearing_admin_data(
        process=cast["process"].pk,
        title_en="Hearing on migration",
        slug="hearing-on-migration",
        date="2017-12-18",
        status=Hearing.Status.PUBLISHED,
        summary_en="First summary.",
        links=[{"position": 0, "kind": "webcast", "title": "Webcast", "url": "https://example.org/webcast"}],
        groups=[{"group": cast["group"].pk}],
        segments=[
            {
                "position": 0,
                "kind": "opening",
                "title_en": "Opening",
                "theme_en": "",
                "summary_en": "",
                "appearances": [
                    _speaker(people[0], "moderator", 0, organization),
                    _speaker(people[1], "panelist", 1, organization, "Spoke of labour mobility."),
                ],
            },
            {
                "position": 1,
                "kind": "panel",
                "title_en": "Panel on return",
                "theme_en": "Return",
                "summary_en": "",
                "appearances": [_speaker(people[2], "panelist", 0, organization, "Spoke of return.")],
            },
        ],
    )
    response = client.post(HEARING_ADD, data)
    assert response.status_code == 302, response.content.decode()[:2000]
    return Hearing.objects.get(slug="hearing-on-migration")


def _snapshot(hearing):
    """Everything an editor entered for a hearing, ready to compare."""
    hearing = Hearing.objects.get(pk=hearing.pk)
    return {
        "fields": (hearing.title, hearing.summary, hearing.status, hearing.date),
        "links": sorted(hearing.links.values_list("pk", "title", "url")),
        "groups": sorted(hearing.participating_groups.values_list("pk", flat=True)),
        "segments": sorted(hearing.segments.values_list("pk", "position", "title", "theme")),
        "speakers": sorted(
            Appearance.objects.filter(segment__hearing=hearing).values_list(
                "pk", "segment_id", "position", "person_id", "role", "position_title", "organization_id", "summary"
            )
        ),
    }


def _change_url(hearing):
    return reverse("admin:hearings_hearing_change", args=[hearing.pk])


def _edit_as_bob(bob, hearing, cast):
    """Bob changes the title and one speaker, removes one speaker and the link, and adds a speaker."""
    client = _client(bob)
    data = form_data(client.get(_change_url(hearing)).content.decode())
    data["title_en"] = "Hearing on migration (corrected)"
    data["segments-0-appearances-1-summary_en"] = "Spoke of labour mobility and of skills."
    data["segments-1-appearances-0-DELETE"] = "on"
    data["links-0-DELETE"] = "on"
    segment = hearing.segments.get(position=2)
    total = int(data["segments-1-appearances-TOTAL_FORMS"])
    row = f"segments-1-appearances-{total}"
    data.update(
        {
            f"{row}-id": "",
            f"{row}-segment": str(segment.pk),
            f"{row}-position": "1",
            f"{row}-person": str(cast["people"][3].pk),
            f"{row}-role": "panelist",
            f"{row}-position_title_en": "Adviser",
            f"{row}-organization": str(cast["organization"].pk),
            f"{row}-summary_en": "Arrived late.",
        }
    )
    data["segments-1-appearances-TOTAL_FORMS"] = str(total + 1)
    response = client.post(_change_url(hearing), data)
    assert response.status_code == 302, response.content.decode()[:3000]


def test_revert_brings_a_hearing_back_exactly_and_the_public_page_shows_it(alice, bob, cast):
    hearing = _add_hearing(_client(alice), cast)
    as_entered = _snapshot(hearing)
    _edit_as_bob(bob, hearing, cast)
    edited = _snapshot(hearing)
    assert edited != as_entered
    assert "Dan Late" in Client().get(hearing.get_absolute_url()).content.decode()

    client = _client(alice)
    history = client.get(reverse("admin:hearings_hearing_history", args=[hearing.pk])).content.decode()
    assert "alice" in history and "bob" in history
    versions = list(Version.objects.get_for_object(hearing).order_by("pk"))
    assert len(versions) == 2
    version_before = DataVersion.objects.get().token

    revert_url = reverse("admin:hearings_hearing_revision", args=[hearing.pk, versions[0].pk])
    form = client.get(revert_url)
    assert form.status_code == 200
    assert _snapshot(hearing) == edited  # looking at an old revision changes nothing
    response = client.post(revert_url, form_data(form.content.decode()))
    assert response.status_code == 302, response.content.decode()[:3000]

    assert _snapshot(hearing) == as_entered
    assert DataVersion.objects.get().token != version_before
    page = Client().get(hearing.get_absolute_url()).content.decode()
    assert "Cleo Speaker" in page and "Dan Late" not in page and "Webcast" in page
    newest = Version.objects.get_for_object(hearing).select_related("revision__user").first().revision
    assert newest.user == alice
    assert newest.comment.startswith("Reverted to previous version")


def test_revert_with_the_screens_in_french_brings_a_hearing_back_exactly(alice, bob, cast):
    hearing = _add_hearing(_client(alice), cast)
    as_entered = _snapshot(hearing)
    _edit_as_bob(bob, hearing, cast)
    edited = _snapshot(hearing)
    version_before = DataVersion.objects.get().token

    client = _client(alice)
    client.defaults["HTTP_ACCEPT_LANGUAGE"] = "fr"
    oldest = Version.objects.get_for_object(hearing).order_by("pk").first()
    revert_url = reverse("admin:hearings_hearing_revision", args=[hearing.pk, oldest.pk])
    form = client.get(revert_url)
    assert form.status_code == 200 and 'lang="fr"' in form.content.decode()
    assert _snapshot(hearing) == edited
    response = client.post(revert_url, form_data(form.content.decode()))
    assert response.status_code == 302, response.content.decode()[:3000]

    assert _snapshot(hearing) == as_entered
    assert DataVersion.objects.get().token != version_before
    newest = Version.objects.get_for_object(hearing).select_related("revision__user").first().revision
    assert newest.user == alice and newest.pk != oldest.revision_id


def test_compare_names_the_fields_and_speakers_that_changed(alice, bob, cast):
    hearing = _add_hearing(_client(alice), cast)
    _edit_as_bob(bob, hearing, cast)
    older, newer = Version.objects.get_for_object(hearing).order_by("pk")

    url = reverse("admin:hearings_hearing_compare", args=[hearing.pk])
    response = _client(alice).get(url, {"from": newer.revision_id, "to": older.revision_id})  # either order
    assert response.status_code == 200
    page = response.content.decode()
    added = page[page.index("Added") : page.index("Removed")]
    assert "Dan Late" in added
    assert "Cleo Speaker" in page[page.index("Removed") :]
    assert "Spoke of labour mobility." in page and "Spoke of labour mobility and of skills." in page
    assert "Hearing on migration (corrected)" in page
    assert "Webcast" in page  # the link removed


@pytest.mark.parametrize("query", [{}, {"from": "1", "to": "x"}, {"from": "9" * 40, "to": "1"}])
def test_compare_with_missing_or_malformed_revisions_goes_back_to_the_history(alice, cast, query):
    hearing = _add_hearing(_client(alice), cast)
    response = _client(alice).get(reverse("admin:hearings_hearing_compare", args=[hearing.pk]), query)
    assert response.status_code == 302
    assert response["Location"] == reverse("admin:hearings_hearing_history", args=[hearing.pk])


def test_compare_with_a_revision_of_another_record_is_not_found(alice, cast):
    hearing = _add_hearing(_client(alice), cast)
    other = Version.objects.get_for_model(Person).first() or _person_version(alice)
    own = Version.objects.get_for_object(hearing).first()
    url = reverse("admin:hearings_hearing_compare", args=[hearing.pk])
    assert _client(alice).get(url, {"from": own.revision_id, "to": other.revision_id}).status_code == 404


def _person_version(user):
    client = _client(user)
    person = PersonFactory()
    data = form_data(client.get(reverse("admin:hearings_person_change", args=[person.pk])).content.decode())
    client.post(reverse("admin:hearings_person_change", args=[person.pk]), data)
    return Version.objects.get_for_object(person).first()


def test_a_deleted_hearing_is_recovered_whole(alice, cast):
    client = _client(alice)
    hearing = _add_hearing(client, cast)
    as_entered = _snapshot(hearing)
    response = client.post(reverse("admin:hearings_hearing_delete", args=[hearing.pk]), {"post": "yes"})
    assert response.status_code == 302
    assert not Hearing.objects.exists()
    assert Client().get(hearing.get_absolute_url()).status_code == 404

    recover_list = client.get(reverse("admin:hearings_hearing_recoverlist")).content.decode()
    assert "Hearing on migration" in recover_list
    version = Version.objects.get_deleted(Hearing).get()
    recover_url = reverse("admin:hearings_hearing_recover", args=[version.pk])
    response = client.post(recover_url, form_data(client.get(recover_url).content.decode()))
    assert response.status_code == 302, response.content.decode()[:3000]

    assert _snapshot(hearing) == as_entered
    assert "Cleo Speaker" in Client().get(hearing.get_absolute_url()).content.decode()


def test_publishing_is_a_revision_that_names_who_published(alice, cast):
    client = _client(alice)
    hearing = _add_hearing(client, cast)
    client.post(reverse("admin:hearings_hearing_changelist"), {"action": "unpublish", "_selected_action": [hearing.pk]})
    client.post(reverse("admin:hearings_hearing_changelist"), {"action": "publish", "_selected_action": [hearing.pk]})

    revisions = [v.revision for v in Version.objects.get_for_object(hearing).select_related("revision__user")]
    assert [revision.comment for revision in revisions[:2]] == ["Published", "Taken back to draft"]
    assert {revision.user for revision in revisions} == {alice}
    history = client.get(reverse("admin:hearings_hearing_history", args=[hearing.pk])).content.decode()
    assert "Published" in history and "Taken back to draft" in history
    # Each revision holds the whole hearing, speakers included.
    assert revisions[0].version_set.filter(content_type__model="appearance").count() == 3


def test_loading_the_seed_twice_records_one_revision(seeded):
    from django.core.management import call_command

    call_command("load_seed", verbosity=0)
    assert Revision.objects.count() == 1
    assert Revision.objects.get().comment.startswith("Loaded from")


@pytest.mark.parametrize(("first", "then"), [("en", "fr"), ("fr", "en")])
def test_loading_the_seed_again_in_another_language_records_no_revision(db, first, then):
    from django.core.management import call_command

    with translation.override(first):
        call_command("load_seed", verbosity=0)
    with translation.override(then):
        call_command("load_seed", verbosity=0)
    assert Revision.objects.count() == 1


def test_revisions_hold_every_language_and_the_hearings_parts_but_not_the_derived_text(alice, cast):
    hearing = _add_hearing(_client(alice), cast)
    stored = Version.objects.get_for_object(hearing).get()
    fields = stored.field_dict
    assert {"title_en", "title_fr", "summary_ar", "convener_zh_hans"} <= fields.keys()
    assert "search_text" not in fields
    assert fields["title_en"] == "Hearing on migration"
    kinds = set(stored.revision.version_set.values_list("content_type__model", flat=True))
    assert kinds == {"hearing", "segment", "appearance", "hearinglink", "hearingparticipation"}
    # What the history module registered (from the app's ready()) is what django-reversion stores.
    assert "title_fr" in history.REGISTERED[Hearing].fields and "search_text" not in history.REGISTERED[Hearing].fields
    assert history.REGISTERED[Segment].follow == ("revision_speakers",)
    assert all(reversion.is_registered(model) for model in history.RECORD_MODELS)


def test_a_history_screen_for_a_model_that_keeps_no_history_is_refused_when_built():
    from django.contrib.admin import AdminSite
    from django.core.exceptions import ImproperlyConfigured

    from hearings.admin.history import HistoryMixin

    with pytest.raises(ImproperlyConfigured, match="keeps no history"):
        HistoryMixin(DataVersion, AdminSite(name="elsewhere"))
    assert not reversion.is_registered(DataVersion)


def test_reading_a_record_screen_opens_no_revision(alice, cast):
    """Only a POST can save: a GET runs outside a revision, so outside its transaction (on SQLite a write lock)."""
    hearing = _add_hearing(_client(alice), cast)
    person = cast["people"][0]
    revisions = Revision.objects.count()
    client = _client(alice)
    urls = [
        reverse("admin:hearings_hearing_change", args=[hearing.pk]),
        reverse("admin:hearings_hearing_add"),
        reverse("admin:hearings_hearing_changelist"),
        reverse("admin:hearings_hearing_history", args=[hearing.pk]),
        reverse("admin:hearings_person_change", args=[person.pk]),
        reverse("admin:hearings_person_add"),
        reverse("admin:hearings_person_changelist"),
    ]
    in_revision = []

    def note(execute, sql, params, many, context):
        in_revision.append(reversion.is_active())
        return execute(sql, params, many, context)

    for url in urls:
        in_revision.clear()
        with connection.execute_wrapper(note):
            assert client.get(url).status_code == 200, url
        assert in_revision and not any(in_revision), url
    assert Revision.objects.count() == revisions


def test_the_revisions_the_history_page_chooses_open_their_comparison(alice, bob, cast):
    hearing = _add_hearing(_client(alice), cast)
    _edit_as_bob(bob, hearing, cast)
    client = _client(alice)
    page = client.get(reverse("admin:hearings_hearing_history", args=[hearing.pk])).content.decode()
    chosen = dict(re.findall(r'<input type="radio" name="(from|to)" value="(\d+)"[^>]* checked', page))
    older, newer = Version.objects.get_for_object(hearing).order_by("pk")
    assert chosen == {"from": str(older.revision_id), "to": str(newer.revision_id)}

    response = client.get(reverse("admin:hearings_hearing_compare", args=[hearing.pk]), chosen)
    assert response.status_code == 200
    assert "Hearing on migration (corrected)" in response.content.decode()


# --- Stale forms ----------------------------------------------------------------


def test_a_hearing_form_older_than_the_record_is_refused_and_keeps_what_was_typed(alice, bob, cast):
    hearing = _add_hearing(_client(alice), cast)
    alice_client = _client(alice)
    alices_form = form_data(alice_client.get(_change_url(hearing)).content.decode())

    # Bob changes only one speaker, in between.
    bob_client = _client(bob)
    bobs_form = form_data(bob_client.get(_change_url(hearing)).content.decode())
    bobs_form["segments-1-appearances-0-summary_en"] = "Bob's correction."
    assert bob_client.post(_change_url(hearing), bobs_form).status_code == 302

    alices_form["title_en"] = "Alice's new title"
    response = alice_client.post(_change_url(hearing), alices_form)

    assert response.status_code == 200
    page = response.content.decode()
    assert "changed by bob" in page
    assert 'value="Alice&#x27;s new title"' in page or 'value="Alice\'s new title"' in page
    hearing.refresh_from_db()
    assert hearing.title == "Hearing on migration"
    assert Appearance.objects.get(summary="Bob's correction.")

    # Nothing of Bob's is lost, and Alice's next, fresh form saves.
    fresh = form_data(alice_client.get(_change_url(hearing)).content.decode())
    fresh["title_en"] = "Alice's new title"
    assert alice_client.post(_change_url(hearing), fresh).status_code == 302
    hearing.refresh_from_db()
    assert hearing.title == "Alice's new title"
    assert Appearance.objects.filter(summary="Bob's correction.").exists()


def test_a_stale_person_form_is_refused_too(alice, bob):
    person = PersonFactory(name="Louise Arbour")
    url = reverse("admin:hearings_person_change", args=[person.pk])
    alice_client, bob_client = _client(alice), _client(bob)
    alices_form = form_data(alice_client.get(url).content.decode())
    bobs_form = form_data(bob_client.get(url).content.decode())
    bobs_form["biography"] = "Special Representative."
    assert bob_client.post(url, bobs_form).status_code == 302

    alices_form["sort_name"] = "Arbour, L."
    response = alice_client.post(url, alices_form)
    assert response.status_code == 200
    assert "changed by bob" in response.content.decode()
    person.refresh_from_db()
    assert person.biography == "Special Representative." and person.sort_name != "Arbour, L."


def test_the_history_page_lists_revisions_newest_first_with_a_compare_form(alice, bob, cast):
    hearing = _add_hearing(_client(alice), cast)
    _edit_as_bob(bob, hearing, cast)
    page = _client(alice).get(reverse("admin:hearings_hearing_history", args=[hearing.pk])).content.decode()
    rows = page[page.index("<tbody>") :]
    assert rows.index("bob") < rows.index("alice")
    assert len(re.findall(r'name="from"', page)) == 2
    assert reverse("admin:hearings_hearing_compare", args=[hearing.pk]) in page


def test_saving_the_hearing_screen_keeps_every_row_in_its_order_and_records_only_the_change(seeded, alice):
    hearing = Hearing.objects.get(slug="gcm-third-hearing-2017-12-18")
    before = _snapshot(hearing)
    client = _client(alice)
    data = form_data(client.get(_change_url(hearing)).content.decode())
    data["segments-0-appearances-0-summary_en"] = "A corrected summary."
    assert client.post(_change_url(hearing), data).status_code == 302

    after = _snapshot(hearing)
    assert after["segments"] == before["segments"]  # numbered from 1, as the seed has them
    assert [row[:3] for row in after["speakers"]] == [row[:3] for row in before["speakers"]]
    comment = Version.objects.get_for_object(hearing).first().revision.get_comment()
    assert "Order" not in comment and "What they said" in comment


def test_comparing_revisions_names_each_language_of_a_translated_field(editor_client):
    group = StakeholderGroupFactory(name="Academia", slug="academia")
    with reversion.create_revision():
        group.save()
    with reversion.create_revision():
        group.name_fr = "Milieux universitaires"
        group.save()
    newer, older = Version.objects.get_for_object(group)[:2]

    for language in ("en", "fr"):
        with translation.override(language):
            changes = compare(StakeholderGroup, older, newer)
            labels = [(change.label, change.before, change.after) for change in changes.fields]
            expected = translation.gettext("%(field)s (%(language)s)") % {
                "field": capfirst(translation.gettext("name")),
                "language": translation.gettext("French"),
            }
            assert labels == [(expected, "—", "Milieux universitaires")], language
