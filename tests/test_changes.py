"""Record changes reach the derived data and the data version once per unit of work, through Django's commit hook."""

import pytest
from django.apps import apps
from django.db import connection, transaction
from django.db.models.signals import post_delete, post_save
from django.test.utils import CaptureQueriesContext
from django.utils import translation

from hearings.domain import changes, signals
from hearings.domain.record_text import SOURCE_LANGUAGE, column
from hearings.models import Appearance, DataVersion, Hearing, HearingGroupIndex, Venue
from hearings.pagecache.pages import current_version
from hearings.pagecache.versions import version_key
from tests.factories import (
    AppearanceFactory,
    HearingFactory,
    OrganizationFactory,
    PersonFactory,
    ProcessFactory,
    SegmentFactory,
    StakeholderGroupFactory,
)

LANGUAGES = ["en", "fr"]


def _speakers(group, count):
    return [(PersonFactory(), OrganizationFactory(stakeholder_group=group)) for _ in range(count)]


def _groups_of(hearing):
    return list(HearingGroupIndex.objects.filter(hearing=hearing).values_list("group", flat=True))


@pytest.mark.parametrize("language", LANGUAGES)
def test_a_plain_save_in_autocommit_mode_is_applied_at_once(transactional_db, language):
    hearing = AppearanceFactory(segment__hearing__venue__city="Geneva").segment.hearing
    venue = Venue.objects.get(pk=hearing.venue_id)
    version = version_key()

    with translation.override(language):
        setattr(venue, column("city", SOURCE_LANGUAGE), "Nairobi")
        venue.save()  # as in a shell: no transaction of its own

        assert not changes.pending()
        assert list(Hearing.objects.search("nairobi")) == [hearing]
    assert version_key() != version


@pytest.mark.parametrize("language", LANGUAGES)
def test_a_unit_of_work_applies_its_changes_once_at_its_end(db, language):
    group = StakeholderGroupFactory(name="Trade unions")
    segment = SegmentFactory()
    speakers = _speakers(group, 3)

    with translation.override(language), changes.atomic() as applied:
        for person, organization in speakers:
            Appearance.objects.create(segment=segment, person=person, organization=organization)
        assert _groups_of(segment.hearing) == []

    assert (applied.hearings, _groups_of(segment.hearing), changes.pending()) == (1, [group.pk], False)


def test_a_unit_of_work_rolled_back_takes_what_it_noted_with_it(db):
    segment = SegmentFactory()
    [(person, organization)] = _speakers(StakeholderGroupFactory(), 1)
    version = version_key()

    with pytest.raises(RuntimeError), changes.atomic():
        Appearance.objects.create(segment=segment, person=person, organization=organization)
        assert changes.pending()
        raise RuntimeError("the import's check found errors")

    assert not changes.pending()
    assert version_key() == version


def test_a_unit_of_work_in_a_transaction_leaves_nothing_to_the_commit(db, django_capture_on_commit_callbacks):
    group = StakeholderGroupFactory()
    segment = SegmentFactory()
    [(person, organization)] = _speakers(group, 1)

    with django_capture_on_commit_callbacks() as callbacks, transaction.atomic():
        with changes.atomic():
            Appearance.objects.create(segment=segment, person=person, organization=organization)
        assert _groups_of(segment.hearing) == [group.pk]

    assert callbacks == []


def test_changes_applied_in_a_unit_that_fails_are_applied_again_by_the_unit_around_it(db):
    group = StakeholderGroupFactory()
    segment = SegmentFactory()
    [(person, organization)] = _speakers(group, 1)

    with changes.atomic():
        Appearance.objects.create(segment=segment, person=person, organization=organization)
        with pytest.raises(RuntimeError), changes.atomic():
            changes.flush()  # what a page read inside it would do (`caching.version_key()`)
            raise RuntimeError("the inner step failed")
        # The derived data that flush wrote went with the inner unit's savepoint.
        assert (_groups_of(segment.hearing), changes.pending()) == ([], True)

    assert _groups_of(segment.hearing) == [group.pk]


@pytest.mark.parametrize("language", LANGUAGES)
def test_a_transaction_applies_its_changes_when_it_commits(db, django_capture_on_commit_callbacks, language):
    group = StakeholderGroupFactory()
    segment = SegmentFactory()
    [(person, organization)] = _speakers(group, 1)

    committing = django_capture_on_commit_callbacks(execute=True)
    with translation.override(language), committing as callbacks, transaction.atomic():
        Appearance.objects.create(segment=segment, person=person, organization=organization)
        assert (_groups_of(segment.hearing), changes.pending()) == ([], True)

    assert (len(callbacks), _groups_of(segment.hearing), changes.pending()) == (1, [group.pk], False)


def test_every_record_model_is_noted_and_named_in_the_one_list(db):
    records = [model for model in apps.get_app_config("hearings").get_models() if model not in signals.DERIVED]

    assert set(signals.RECEIVERS) == set(records)
    assert all(post_save.has_listeners(model) and post_delete.has_listeners(model) for model in records)


def test_a_page_reads_the_data_version_once(client, records):
    with CaptureQueriesContext(connection) as queries:
        response = client.get("/statistics/")  # its facets and its numbers are both kept under the version

    reads = [query for query in queries.captured_queries if DataVersion._meta.db_table in query["sql"]]
    assert (response.status_code, len(reads)) == (200, 1)


def test_outside_a_page_the_current_version_is_read_from_the_database(db):
    HearingFactory()

    assert current_version() == version_key()


# --- The counts version: moved by what counts read, not by a corrected text ----------------------------


def _set(model, field, value):
    def edit(appearance):
        record = {
            "appearance": appearance,
            "segment": appearance.segment,
            "hearing": appearance.segment.hearing,
            "person": appearance.person,
            "organization": appearance.organization,
        }[model]
        setattr(record, field, value(record) if callable(value) else value)
        record.save()

    return edit


TEXT_EDITS = {
    "hearing title": _set("hearing", "title_en", "Corrected title"),
    "hearing summary": _set("hearing", "summary_en", "A corrected summary."),
    "segment theme": _set("segment", "theme_en", "A corrected theme"),
    "speaker's position": _set("appearance", "position_title_en", "Corrected position"),
    "speaker's summary": _set("appearance", "summary_en", "A corrected summary."),
    "nothing": _set("hearing", "title_en", lambda hearing: hearing.title_en),
}
COUNTED_EDITS = {
    "hearing date": _set("hearing", "date", lambda hearing: hearing.date.replace(year=hearing.date.year + 1)),
    "hearing unpublished": _set("hearing", "status", Hearing.Status.DRAFT),
    "hearing process": _set("hearing", "process", lambda hearing: ProcessFactory()),
    "speaker's role": _set("appearance", "role", Appearance.Role.MODERATOR),
    "speaker's person": _set("appearance", "person", lambda appearance: PersonFactory()),
    "speaker's organization": _set("appearance", "organization", lambda appearance: OrganizationFactory()),
    "speaker's segment": _set(
        "appearance", "segment", lambda appearance: SegmentFactory(hearing=appearance.segment.hearing)
    ),
    "organization's group": _set("organization", "stakeholder_group", lambda organization: StakeholderGroupFactory()),
    "organization's name": _set("organization", "name_en", "A renamed organization"),
    "person's name": _set("person", "name", "A renamed person"),
    "new speaker": lambda appearance: AppearanceFactory(segment=appearance.segment),
    "speaker removed": lambda appearance: appearance.delete(),
}


def _tokens():
    return tuple(DataVersion.objects.values_list("token", "counts_token").get())


@pytest.mark.parametrize("edit", TEXT_EDITS.values(), ids=TEXT_EDITS.keys())
def test_a_corrected_text_keeps_the_counts_version(db, edit):
    appearance = AppearanceFactory(segment__theme="A theme", position_title="A position")
    data, counts = _tokens()

    with changes.atomic():
        edit(Appearance.objects.select_related("segment__hearing", "person", "organization").get(pk=appearance.pk))

    new_data, new_counts = _tokens()
    assert (new_data != data, new_counts == counts) == (True, True)  # pages are made again, counts are kept


@pytest.mark.parametrize("edit", COUNTED_EDITS.values(), ids=COUNTED_EDITS.keys())
def test_a_change_that_counts_read_moves_both_versions(db, edit):
    appearance = AppearanceFactory()
    data, counts = _tokens()

    with changes.atomic():
        edit(Appearance.objects.select_related("segment__hearing", "person", "organization").get(pk=appearance.pk))

    new_data, new_counts = _tokens()
    assert (new_data != data, new_counts != counts) == (True, True)
