import pytest
from django.db import transaction

from hearings.domain import changes
from hearings.models import Appearance, Hearing, HearingGroupIndex
from tests.factories import (
    AppearanceFactory,
    HearingFactory,
    HearingParticipationFactory,
    OrganizationFactory,
    PersonFactory,
    SegmentFactory,
    StakeholderGroupFactory,
)


def test_speaker_group_and_its_parent_match_the_hearing(db):
    parent = StakeholderGroupFactory(name="Civil society")
    child = StakeholderGroupFactory(name="Trade unions", parent=parent)
    appearance = AppearanceFactory(organization__stakeholder_group=child)
    hearing = appearance.segment.hearing

    assert set(Hearing.objects.for_stakeholder_groups([parent])) == {hearing}
    assert set(Hearing.objects.for_stakeholder_groups([child])) == {hearing}


def test_participating_group_matches_the_hearing(db):
    participation = HearingParticipationFactory()

    assert list(Hearing.objects.for_stakeholder_groups([participation.group])) == [participation.hearing]


def test_search_folds_accents_and_case_and_follows_renames(db, django_capture_on_commit_callbacks):
    appearance = AppearanceFactory(person__name="Miroslav Lajčák")
    hearing = appearance.segment.hearing

    assert list(Hearing.objects.search("LAJCAK")) == [hearing]
    person = appearance.person
    person.name = person.sort_name = "Jürg Lauber"
    with django_capture_on_commit_callbacks(execute=True):
        person.save()
    assert list(Hearing.objects.search("lajcak")) == []
    assert list(Hearing.objects.search("jurg")) == [hearing]


def test_deleting_a_hearing_leaves_no_index_rows(db):
    appearance = AppearanceFactory()
    appearance.segment.hearing.delete()

    assert HearingGroupIndex.objects.count() == 0


def test_renaming_a_venue_or_process_updates_search(db, django_capture_on_commit_callbacks):
    appearance = AppearanceFactory(segment__hearing__venue__city="Geneva", segment__hearing__process__name="Alpha")
    hearing = appearance.segment.hearing

    with django_capture_on_commit_callbacks(execute=True):
        hearing.venue.city = "Nairobi"
        hearing.venue.save()
        hearing.process.name = "Omega dialogue"
        hearing.process.save()

    assert list(Hearing.objects.search("nairobi omega")) == [hearing]
    assert list(Hearing.objects.search("geneva")) == []


def test_moving_a_speaker_to_another_hearing_reindexes_both(db, django_capture_on_commit_callbacks):
    appearance = AppearanceFactory(person__name="Wandering Speaker")
    old_hearing = appearance.segment.hearing
    new_segment = AppearanceFactory().segment

    appearance.segment = new_segment
    with django_capture_on_commit_callbacks(execute=True):
        appearance.save()

    assert list(Hearing.objects.search("wandering")) == [new_segment.hearing]
    assert old_hearing not in Hearing.objects.for_stakeholder_groups([appearance.organization.stakeholder_group])


def test_a_transaction_applies_its_changes_once_when_it_commits(db, django_capture_on_commit_callbacks):
    group = StakeholderGroupFactory(name="Trade unions")
    hearing = HearingFactory(title="Hearing on decent work")
    segment = SegmentFactory(hearing=hearing)
    speakers = [(PersonFactory(), OrganizationFactory(stakeholder_group=group)) for _ in range(3)]

    with django_capture_on_commit_callbacks(execute=True), transaction.atomic():
        # Plain saves, as a shell or a command makes them (a factory makes each record as a unit of work).
        for person, organization in speakers:
            Appearance.objects.create(segment=segment, person=person, organization=organization)
        # Nothing is rebuilt row by row: the index waits for the end of the transaction.
        assert list(HearingGroupIndex.objects.filter(hearing=hearing)) == []

    assert list(HearingGroupIndex.objects.filter(hearing=hearing).values_list("group", flat=True)) == [group.pk]


def test_a_transaction_that_reads_before_it_commits_sees_its_own_changes(client, db):
    group = StakeholderGroupFactory(name="Trade unions", slug="trade-unions")
    segment = SegmentFactory()
    person, organization = PersonFactory(name="Zoë Ñúñez"), OrganizationFactory(stakeholder_group=group)

    with transaction.atomic():
        appearance = Appearance.objects.create(segment=segment, person=person, organization=organization)
        body = client.get("/hearings/?stakeholder_group=trade-unions&q=zoe+nunez").content.decode()

    assert appearance.segment.hearing.title in body


def test_a_change_rolled_back_leaves_the_derived_data_as_the_records_are(db, django_capture_on_commit_callbacks):
    kept = AppearanceFactory(organization__stakeholder_group__name="Member States").segment.hearing
    other = StakeholderGroupFactory(name="Academia")
    segment, person, organization = (
        SegmentFactory(hearing=kept),
        PersonFactory(),
        OrganizationFactory(stakeholder_group=other),
    )

    with django_capture_on_commit_callbacks(execute=True), pytest.raises(RuntimeError), transaction.atomic():
        Appearance.objects.create(segment=segment, person=person, organization=organization)
        raise RuntimeError("the editor's save failed")
    changes.flush()

    assert list(Hearing.objects.for_stakeholder_groups([other])) == []
    assert list(Hearing.objects.search("academia")) == []
    assert list(HearingGroupIndex.objects.filter(hearing=kept).values_list("group__name", flat=True)) == [
        "Member States"
    ]
