from hearings.models import Hearing, HearingGroupIndex
from tests.factories import AppearanceFactory, HearingParticipationFactory, StakeholderGroupFactory


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


def test_search_folds_accents_and_case_and_follows_renames(db):
    appearance = AppearanceFactory(person__name="Miroslav Lajčák")
    hearing = appearance.segment.hearing

    assert list(Hearing.objects.search("LAJCAK")) == [hearing]
    person = appearance.person
    person.name = person.sort_name = "Jürg Lauber"
    person.save()
    assert list(Hearing.objects.search("lajcak")) == []
    assert list(Hearing.objects.search("jurg")) == [hearing]


def test_deleting_a_hearing_leaves_no_index_rows(db):
    appearance = AppearanceFactory()
    appearance.segment.hearing.delete()

    assert HearingGroupIndex.objects.count() == 0


def test_renaming_a_venue_or_process_updates_search(db):
    appearance = AppearanceFactory(segment__hearing__venue__city="Geneva", segment__hearing__process__name="Alpha")
    hearing = appearance.segment.hearing

    hearing.venue.city = "Nairobi"
    hearing.venue.save()
    hearing.process.name = "Omega dialogue"
    hearing.process.save()

    assert list(Hearing.objects.search("nairobi omega")) == [hearing]
    assert list(Hearing.objects.search("geneva")) == []


def test_moving_a_speaker_to_another_hearing_reindexes_both(db):
    appearance = AppearanceFactory(person__name="Wandering Speaker")
    old_hearing = appearance.segment.hearing
    new_segment = AppearanceFactory().segment

    appearance.segment = new_segment
    appearance.save()

    assert list(Hearing.objects.search("wandering")) == [new_segment.hearing]
    assert old_hearing not in Hearing.objects.for_stakeholder_groups([appearance.organization.stakeholder_group])
