"""Each integrity rule: the database refuses the bad row, and the admin shows a form error instead of a 500."""

import datetime

import pytest
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.urls import reverse

from hearings.models import Appearance, Hearing, HearingLink, HearingParticipation, StakeholderGroup
from tests.factories import (
    AppearanceFactory,
    HearingFactory,
    HearingLinkFactory,
    HearingParticipationFactory,
    OrganizationFactory,
    PersonFactory,
    ProcessFactory,
    StakeholderGroupFactory,
    VenueFactory,
)
from tests.support import hearing_admin_data

HEARING_ADD = reverse("admin:hearings_hearing_add")


def assert_refused(factory, **kwargs):
    with pytest.raises(IntegrityError), transaction.atomic():
        factory(**kwargs)


def assert_form_error(response, message):
    assert response.status_code == 200
    assert message in response.content.decode()


def validation_errors(instance):
    """The errors model validation (which the admin runs) finds in a saved row, constraints included."""
    try:
        instance.full_clean()
    except ValidationError as error:
        return error.message_dict
    return {}


def _new_hearing(process, **fields):
    values = {"process": process.pk, "title_en": "A hearing", "date": "2017-12-18"}
    values.update(fields)
    return values


# --- Unique slugs -------------------------------------------------------------

SLUG_CASES = {
    "stakeholdergroup": (
        StakeholderGroupFactory,
        lambda: {"name_en": "Civil society (new)", "slug": "taken", "position": "0"},
        "Stakeholder group with this Slug already exists.",
    ),
    "organization": (
        OrganizationFactory,
        lambda: {"name_en": "New", "slug": "taken", "stakeholder_group": StakeholderGroupFactory().pk},
        "Organization with this Slug already exists.",
    ),
    "person": (
        PersonFactory,
        lambda: {"name": "New Person", "sort_name": "Person, New", "slug": "taken"},
        "Person with this Slug already exists.",
    ),
    "process": (
        ProcessFactory,
        lambda: {"name_en": "New process", "slug": "taken"},
        "Process with this Slug already exists.",
    ),
    "venue": (VenueFactory, lambda: {"name_en": "New room", "slug": "taken"}, "Venue with this Slug already exists."),
}


@pytest.mark.parametrize("model_name", list(SLUG_CASES))
def test_duplicate_slug_is_refused_by_the_database(db, model_name):
    factory, _data, _message = SLUG_CASES[model_name]
    copy = factory(slug="taken")
    # A second row that differs from the first in everything but its slug.
    copy.pk, copy.name = None, "Another name"

    with pytest.raises(IntegrityError), transaction.atomic():
        copy.save()


@pytest.mark.parametrize("model_name", list(SLUG_CASES))
def test_duplicate_slug_is_a_form_error(editor_client, model_name):
    factory, data, message = SLUG_CASES[model_name]
    factory(slug="taken")

    response = editor_client.post(reverse(f"admin:hearings_{model_name}_add"), data())

    assert_form_error(response, message)
    assert factory._meta.model.objects.count() == 1


def test_duplicate_slug_made_from_the_name_is_a_form_error(editor_client):
    PersonFactory(name="Miroslav Lajčák", slug="miroslav-lajcak")

    response = editor_client.post(
        reverse("admin:hearings_person_add"), {"name": "Miroslav Lajčák", "sort_name": "Lajčák, Miroslav", "slug": ""}
    )

    assert_form_error(response, "Person with this Slug already exists.")


def test_duplicate_hearing_slug_is_refused_by_the_database(db):
    HearingFactory(slug="taken")

    assert_refused(HearingFactory, slug="taken")


def test_duplicate_hearing_slug_is_a_form_error(editor_client):
    HearingFactory(slug="taken")

    response = editor_client.post(HEARING_ADD, hearing_admin_data(**_new_hearing(ProcessFactory(), slug="taken")))

    assert_form_error(response, "Hearing with this Slug already exists.")
    assert Hearing.objects.count() == 1


# --- A hearing's number within its process ----------------------------------


def test_duplicate_ordinal_in_a_process_is_refused_by_the_database(db):
    process = ProcessFactory()
    HearingFactory(process=process, ordinal=3)

    assert_refused(HearingFactory, process=process, ordinal=3)


def test_same_ordinal_in_another_process_and_missing_ordinals_are_allowed(db):
    process = ProcessFactory()
    HearingFactory(process=process, ordinal=3)
    others = [HearingFactory(ordinal=3), *HearingFactory.create_batch(2, process=process, ordinal=None)]

    # The database took every row; validation accepts each of them beside the first as well.
    assert [validation_errors(hearing) for hearing in others] == [{}, {}, {}]


def test_duplicate_ordinal_in_a_process_is_a_form_error(editor_client):
    process = ProcessFactory()
    HearingFactory(process=process, ordinal=3)

    response = editor_client.post(HEARING_ADD, hearing_admin_data(**_new_hearing(process, ordinal=3)))

    assert_form_error(response, "This process already has a hearing with this number.")
    assert Hearing.objects.count() == 1


# --- End time after start time ------------------------------------------------


def test_end_before_start_is_refused_by_the_database(db):
    assert_refused(HearingFactory, start_time=datetime.time(10), end_time=datetime.time(9))


def test_end_before_start_is_a_form_error(editor_client):
    data = hearing_admin_data(**_new_hearing(ProcessFactory(), start_time="10:00", end_time="09:00"))

    response = editor_client.post(HEARING_ADD, data)

    assert_form_error(response, "The end time must be after the start time.")
    assert Hearing.objects.count() == 0


# --- One person once per role per segment -------------------------------------


def test_same_person_twice_in_one_role_in_a_segment_is_refused_by_the_database(db):
    appearance = AppearanceFactory()

    assert_refused(AppearanceFactory, segment=appearance.segment, person=appearance.person, role=appearance.role)


def test_same_person_in_another_role_is_allowed(db):
    appearance = AppearanceFactory(role=Appearance.Role.CHAIR)
    speaker = AppearanceFactory(segment=appearance.segment, person=appearance.person, role=Appearance.Role.SPEAKER)

    # The database took the row; validation accepts it beside the chair's as well.
    assert validation_errors(speaker) == {}


def test_same_person_twice_in_one_role_in_a_new_segment_is_a_form_error(editor_client):
    person = PersonFactory()
    appearance = {"person": person.pk, "role": "speaker", "position_title_en": "", "organization": "", "summary_en": ""}
    data = hearing_admin_data(
        **_new_hearing(ProcessFactory()),
        segments=[
            {
                "position": 0,
                "kind": "panel",
                "title_en": "First panel",
                "appearances": [{**appearance, "position": 0}, {**appearance, "position": 1}],
            }
        ],
    )

    response = editor_client.post(HEARING_ADD, data)

    assert_form_error(response, "This person already has this role in this segment.")
    assert (Hearing.objects.count(), Appearance.objects.count()) == (0, 0)


def test_same_person_twice_in_one_role_in_a_saved_segment_is_a_form_error(editor_client):
    existing = AppearanceFactory(role=Appearance.Role.SPEAKER)
    segment = existing.segment
    hearing = segment.hearing
    data = hearing_admin_data(
        hearing,
        **_new_hearing(hearing.process, title_en=hearing.title, slug=hearing.slug, date=hearing.date.isoformat()),
        segments=[
            {
                "id": segment.pk,
                "position": 0,
                "kind": segment.kind,
                "title_en": segment.title,
                "appearances": [
                    {"id": existing.pk, "position": 0, "person": existing.person_id, "role": "speaker"},
                    {"position": 1, "person": existing.person_id, "role": "speaker"},
                ],
            }
        ],
    )

    response = editor_client.post(reverse("admin:hearings_hearing_change", args=[hearing.pk]), data)

    assert_form_error(response, "This person already has this role in this segment.")
    assert Appearance.objects.count() == 1


# --- A hearing's links and participating groups -------------------------------


def test_duplicate_participating_group_is_refused_by_the_database(db):
    participation = HearingParticipationFactory()

    assert_refused(HearingParticipationFactory, hearing=participation.hearing, group=participation.group)


def test_duplicate_participating_group_is_a_form_error(editor_client):
    group = StakeholderGroupFactory()
    data = hearing_admin_data(**_new_hearing(ProcessFactory()), groups=[{"group": group.pk}, {"group": group.pk}])

    response = editor_client.post(HEARING_ADD, data)

    assert_form_error(response, "This group is already listed for the hearing.")
    assert HearingParticipation.objects.count() == 0


def test_duplicate_link_is_refused_by_the_database(db):
    link = HearingLinkFactory()

    assert_refused(HearingLinkFactory, hearing=link.hearing, url=link.url)


def test_duplicate_link_of_a_saved_hearing_is_a_form_error(editor_client):
    link = HearingLinkFactory(url="https://example.org/summary")
    hearing = link.hearing
    data = hearing_admin_data(
        hearing,
        **_new_hearing(hearing.process, title_en=hearing.title, slug=hearing.slug, date=hearing.date.isoformat()),
        links=[
            {"id": link.pk, "position": 0, "kind": "source", "title": "Summary", "url": link.url},
            {"position": 1, "kind": "webcast", "title": "Webcast", "url": link.url},
        ],
    )

    response = editor_client.post(reverse("admin:hearings_hearing_change", args=[hearing.pk]), data)

    assert_form_error(response, "This address is already listed for the hearing.")
    assert HearingLink.objects.count() == 1


# --- A group is not its own parent --------------------------------------------


def test_group_as_its_own_parent_is_refused_by_the_database(db):
    group = StakeholderGroupFactory()

    with pytest.raises(IntegrityError), transaction.atomic():
        StakeholderGroup.objects.filter(pk=group.pk).update(parent=group)


def _group_data(group, parent):
    return {"name_en": group.name, "slug": group.slug, "parent": parent.pk, "position": group.position}


def test_group_as_its_own_parent_is_a_form_error(editor_client):
    group = StakeholderGroupFactory()

    response = editor_client.post(
        reverse("admin:hearings_stakeholdergroup_change", args=[group.pk]), _group_data(group, group)
    )

    assert_form_error(response, "A group cannot sit under itself or one of its own subgroups.")
    group.refresh_from_db()
    assert group.parent is None


def test_group_under_its_own_subgroup_is_a_form_error(editor_client):
    parent = StakeholderGroupFactory()
    child = StakeholderGroupFactory(parent=parent)

    response = editor_client.post(
        reverse("admin:hearings_stakeholdergroup_change", args=[parent.pk]), _group_data(parent, child)
    )

    assert_form_error(response, "A group cannot sit under itself or one of its own subgroups.")
    parent.refresh_from_db()
    assert parent.parent is None
