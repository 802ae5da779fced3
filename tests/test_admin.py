"""The editors' admin: a whole hearing entered, published and corrected by a member of the "Editors" group."""

import datetime
import json
import re

import pytest
from django.contrib.auth.models import Group, Permission
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from hearings.models import Appearance, Hearing, HearingGroupIndex, Organization, Person, Segment, Venue
from tests.factories import (
    AppearanceFactory,
    HearingFactory,
    HearingParticipationFactory,
    OrganizationFactory,
    PersonFactory,
    ProcessFactory,
    SegmentFactory,
    StaffUserFactory,
    StakeholderGroupFactory,
    VenueFactory,
)
from tests.support import form_data, hearing_admin_data

HEARING_ADD = reverse("admin:hearings_hearing_add")
HEARING_CHANGELIST = reverse("admin:hearings_hearing_changelist")


def errors_in(response):
    """The form errors of an admin page, to show what went wrong when a save was refused."""
    if response.context is None or "adminform" not in response.context:
        return []
    errors = [response.context["adminform"].form.errors]
    for inline in response.context["inline_admin_formsets"]:
        errors += [inline.formset.non_form_errors(), *inline.formset.errors]
        for form in inline.formset.forms:
            for nested in getattr(form, "nested_formsets", []):
                errors += [nested.non_form_errors(), *nested.errors]
    return [error for error in errors if error]


@pytest.fixture
def hearing_records(db):
    """What an editor finds in the database before entering a hearing: a process, a venue, people, organizations."""
    civil_society = StakeholderGroupFactory(name="Civil society")
    member_states = StakeholderGroupFactory(name="Member States")
    return {
        "process": ProcessFactory(name="Preparatory process for the Global Compact for Migration"),
        "venue": VenueFactory(name="Trusteeship Chamber"),
        "civil_society": civil_society,
        "member_states": member_states,
        "lajcak": PersonFactory(name="Miroslav Lajčák", sort_name="Lajčák, Miroslav", slug="miroslav-lajcak"),
        "gomez": PersonFactory(name="Juan José Gómez Camacho", slug="juan-jose-gomez-camacho"),
        "lauber": PersonFactory(name="Jürg Lauber", slug="jurg-lauber"),
        "mexico": OrganizationFactory(name="Permanent Mission of Mexico", stakeholder_group=member_states),
        "ngo": OrganizationFactory(name="Migrant Forum in Asia", stakeholder_group=civil_society),
    }


def test_hearing_add_page_renders_the_nested_management_forms(editor_client):
    response = editor_client.get(HEARING_ADD)

    assert response.status_code == 200
    content = response.content.decode()
    for prefix in ("links", "hearingparticipation_set", "segments", "segments-empty-appearances"):
        assert f'name="{prefix}-TOTAL_FORMS"' in content
    assert 'data-model-name="appearance" data-field-name="person"' in content
    assert 'id="add_id_segments-empty-appearances-__prefix__-person"' in content


def test_editor_enters_publishes_and_corrects_a_whole_hearing(editor_client, hearing_records):
    r = hearing_records
    data = hearing_admin_data(
        process=r["process"].pk,
        ordinal=3,
        title_en="Third informal interactive multi-stakeholder hearing",
        slug="",
        date="2017-12-18",
        start_time="10:00",
        end_time="18:00",
        venue=r["venue"].pk,
        convener_en="President of the General Assembly",
        links=[{"kind": "source", "title": "Summary", "url": "https://example.org/summary", "position": 0}],
        groups=[{"group": r["civil_society"].pk}],
        segments=[
            {
                "position": 0,
                "kind": "opening",
                "title_en": "Opening segment",
                "theme_en": "",
                "summary_en": "",
                "appearances": [
                    {"position": 0, "person": r["lajcak"].pk, "role": "chair", "position_title_en": "President"},
                    {"position": 1, "person": r["gomez"].pk, "role": "co-facilitator", "organization": r["mexico"].pk},
                ],
            },
            {
                "position": 1,
                "kind": "panel",
                "title_en": "First panel",
                "theme_en": "Human rights of all migrants",
                "summary_en": "",
                "appearances": [
                    {"position": 0, "person": r["lauber"].pk, "role": "panelist", "organization": r["ngo"].pk}
                ],
            },
        ],
    )

    response = editor_client.post(HEARING_ADD, data)

    assert errors_in(response) == []
    assert response.status_code == 302
    hearing = Hearing.objects.get()
    assert hearing.slug == "third-informal-interactive-multi-stakeholder-hearing"
    assert (hearing.ordinal, hearing.date, hearing.status) == (3, datetime.date(2017, 12, 18), Hearing.Status.DRAFT)
    assert list(hearing.links.values_list("url", flat=True)) == ["https://example.org/summary"]
    assert list(hearing.participating_groups.all()) == [r["civil_society"]]
    assert list(hearing.segments.values_list("position", "title")) == [(1, "Opening segment"), (2, "First panel")]
    assert list(
        Appearance.objects.filter(segment__hearing=hearing).values_list(
            "segment__title", "position", "person__name", "role", "organization__name"
        )
    ) == [
        ("Opening segment", 1, "Miroslav Lajčák", "chair", None),
        ("Opening segment", 2, "Juan José Gómez Camacho", "co-facilitator", "Permanent Mission of Mexico"),
        ("First panel", 1, "Jürg Lauber", "panelist", "Migrant Forum in Asia"),
    ]
    # The signals kept the derived data current through the admin's saves.
    assert list(Hearing.objects.search("lajcak")) == [hearing]
    assert set(HearingGroupIndex.objects.filter(hearing=hearing).values_list("group", flat=True)) == {
        r["civil_society"].pk,
        r["member_states"].pk,
    }

    response = editor_client.post(
        HEARING_CHANGELIST, {"action": "publish", "_selected_action": [hearing.pk], "index": 0}
    )

    assert response.status_code == 302
    hearing.refresh_from_db()
    assert hearing.status == Hearing.Status.PUBLISHED

    opening, panel = hearing.segments.all()
    chair, co_facilitator = opening.appearances.all()
    (panelist,) = panel.appearances.all()
    data = hearing_admin_data(
        hearing,
        process=r["process"].pk,
        ordinal=3,
        title_en="Third informal interactive multi-stakeholder hearing",
        slug=hearing.slug,
        date="2017-12-18",
        start_time="10:00",
        end_time="18:00",
        venue=r["venue"].pk,
        status=Hearing.Status.PUBLISHED,
        links=[
            {
                "id": hearing.links.get().pk,
                "position": 0,
                "kind": "source",
                "title": "Summary",
                "url": "https://example.org/summary",
            }
        ],
        groups=[{"id": hearing.hearingparticipation_set.get().pk, "group": r["civil_society"].pk}],
        segments=[
            {
                "id": opening.pk,
                "position": 0,
                "kind": "opening",
                "title_en": "Opening",
                "appearances": [
                    {"id": chair.pk, "position": 1, "person": r["lajcak"].pk, "role": "chair"},
                    {"id": co_facilitator.pk, "position": 0, "person": r["gomez"].pk, "role": "co-facilitator"},
                ],
            },
            {
                "id": panel.pk,
                "position": 1,
                "kind": "panel",
                "title_en": "First panel",
                "appearances": [
                    {"id": panelist.pk, "position": 0, "person": r["lauber"].pk, "role": "panelist", "DELETE": True},
                    {"position": 1, "person": r["gomez"].pk, "role": "moderator", "organization": r["mexico"].pk},
                ],
            },
        ],
    )

    response = editor_client.post(reverse("admin:hearings_hearing_change", args=[hearing.pk]), data)

    assert errors_in(response) == []
    assert response.status_code == 302
    assert list(hearing.segments.values_list("title", flat=True)) == ["Opening", "First panel"]
    assert list(
        Appearance.objects.filter(segment__hearing=hearing).values_list("segment__title", "position", "person__name")
    ) == [
        ("Opening", 1, "Juan José Gómez Camacho"),
        ("Opening", 2, "Miroslav Lajčák"),
        ("First panel", 1, "Juan José Gómez Camacho"),
    ]
    assert list(Hearing.objects.search("lauber")) == []


def test_unpublish_action_takes_hearings_back_to_draft(editor_client):
    hearings = HearingFactory.create_batch(2, status=Hearing.Status.PUBLISHED)

    response = editor_client.post(
        HEARING_CHANGELIST, {"action": "unpublish", "_selected_action": [h.pk for h in hearings], "index": 0}
    )

    assert response.status_code == 302
    assert list(Hearing.objects.values_list("status", flat=True)) == [Hearing.Status.DRAFT, Hearing.Status.DRAFT]


def test_add_view_is_forbidden_to_staff_outside_the_editors_group(client, db):
    client.force_login(StaffUserFactory())

    response = client.get(HEARING_ADD)

    assert response.status_code == 403


def test_editors_group_has_hearing_permissions_and_no_auth_permissions(db):
    editors = Group.objects.get(name="Editors")
    expected = {
        f"{action}_{model}"
        for action in ("add", "change", "delete", "view")
        for model in (
            "stakeholdergroup",
            "organization",
            "person",
            "process",
            "venue",
            "hearing",
            "hearingparticipation",
            "hearinglink",
            "segment",
            "appearance",
        )
    }

    assert set(editors.permissions.values_list("codename", flat=True)) == expected
    assert set(editors.permissions.values_list("content_type__app_label", flat=True)) == {"hearings"}
    # The derived index has permissions of its own, which the group is left without: nobody edits it.
    assert sorted(
        Permission.objects.filter(content_type__model="hearinggroupindex").values_list("codename", flat=True)
    ) == [
        "add_hearinggroupindex",
        "change_hearinggroupindex",
        "delete_hearinggroupindex",
        "view_hearinggroupindex",
    ]


def test_user_admin_is_forbidden_to_editors(editor_client):
    assert editor_client.get(reverse("admin:auth_user_changelist")).status_code == 403
    assert editor_client.get(reverse("admin:auth_group_changelist")).status_code == 403


def _changelist_queries(client, url):
    client.get(url)  # sessions, content types and the like are warm from here on
    with CaptureQueriesContext(connection) as queries:
        response = client.get(url)
    assert response.status_code == 200
    return len(response.context["cl"].result_list), len(queries)


def _hearings_with_speakers(count, group):
    for hearing in HearingFactory.create_batch(count):
        AppearanceFactory(segment__hearing=hearing, organization__stakeholder_group=group)
        HearingParticipationFactory(hearing=hearing, group=group)


def test_hearing_changelist_query_count_is_the_same_for_1_and_50_hearings(editor_client):
    group = StakeholderGroupFactory()
    _hearings_with_speakers(1, group)
    rows_one, queries_one = _changelist_queries(editor_client, HEARING_CHANGELIST)
    _hearings_with_speakers(49, group)
    rows_many, queries_many = _changelist_queries(editor_client, HEARING_CHANGELIST)

    assert (rows_one, rows_many) == (1, 50)
    assert queries_many == queries_one


@pytest.mark.parametrize(
    ("url_name", "make"),
    [
        ("admin:hearings_person_changelist", lambda: AppearanceFactory().person),
        ("admin:hearings_organization_changelist", lambda: AppearanceFactory().organization),
        ("admin:hearings_stakeholdergroup_changelist", lambda: OrganizationFactory().stakeholder_group),
        ("admin:hearings_process_changelist", lambda: HearingFactory().process),
        ("admin:hearings_venue_changelist", lambda: HearingFactory().venue),
    ],
)
def test_record_changelist_query_count_is_the_same_for_1_and_20_rows(editor_client, url_name, make):
    url = reverse(url_name)
    make()
    rows_one, queries_one = _changelist_queries(editor_client, url)
    for _ in range(19):
        make()
    rows_many, queries_many = _changelist_queries(editor_client, url)

    assert (rows_one, rows_many) == (1, 20)
    assert queries_many == queries_one


def test_hearing_changelist_filters_by_stakeholder_group_with_subgroups(editor_client):
    civil_society = StakeholderGroupFactory(name="Civil society")
    trade_unions = StakeholderGroupFactory(name="Trade unions", parent=civil_society)
    spoke = AppearanceFactory(organization__stakeholder_group=trade_unions).segment.hearing
    took_part = HearingParticipationFactory(group=civil_society).hearing
    HearingFactory()

    response = editor_client.get(HEARING_CHANGELIST, {"stakeholder_group": civil_society.slug})

    assert set(response.context["cl"].result_list) == {spoke, took_part}
    assert "— Trade unions" in response.content.decode()


def test_hearing_changelist_filters_by_year(editor_client):
    old = HearingFactory(date=datetime.date(2017, 12, 18))
    HearingFactory(date=datetime.date(2018, 7, 13))

    assert list(editor_client.get(HEARING_CHANGELIST, {"year": "2017"}).context["cl"].result_list) == [old]
    assert list(editor_client.get(HEARING_CHANGELIST, {"year": "abc"}).context["cl"].result_list) == []


def test_person_changelist_filters_by_the_group_spoken_for_drafts_included(editor_client):
    civil_society = StakeholderGroupFactory(name="Civil society")
    trade_unions = StakeholderGroupFactory(name="Trade unions", parent=civil_society)
    unionist = AppearanceFactory(
        organization__stakeholder_group=trade_unions, segment__hearing__status=Hearing.Status.DRAFT
    ).person
    AppearanceFactory()

    response = editor_client.get(reverse("admin:hearings_person_changelist"), {"stakeholder_group": civil_society.slug})

    assert list(response.context["cl"].result_list) == [unionist]


@pytest.mark.parametrize("term", ["lajcak", "LAJČÁK", "Lajčák", "miroslav lajcak"])
def test_person_changelist_search_is_accent_insensitive(editor_client, term):
    PersonFactory(name="Miroslav Lajčák", sort_name="Lajčák, Miroslav")
    PersonFactory(name="Jürg Lauber")

    response = editor_client.get(reverse("admin:hearings_person_changelist"), {"q": term})

    assert [person.name for person in response.context["cl"].result_list] == ["Miroslav Lajčák"]


def test_person_autocomplete_on_the_hearing_screen_is_accent_insensitive(editor_client):
    lajcak = PersonFactory(name="Miroslav Lajčák")
    PersonFactory(name="Jürg Lauber")

    response = editor_client.get(
        reverse("admin:autocomplete"),
        {"app_label": "hearings", "model_name": "appearance", "field_name": "person", "term": "lajcak"},
    )

    assert response.status_code == 200
    assert json.loads(response.content)["results"] == [{"id": str(lajcak.pk), "text": "Miroslav Lajčák"}]


def test_organization_autocomplete_finds_the_short_name(editor_client):
    organization = OrganizationFactory(name="International Organization for Migration", short_name="IOM")

    response = editor_client.get(
        reverse("admin:autocomplete"),
        {"app_label": "hearings", "model_name": "appearance", "field_name": "organization", "term": "iom"},
    )

    assert [result["id"] for result in json.loads(response.content)["results"]] == [str(organization.pk)]


def test_stakeholder_group_search_finds_the_name_without_accents(editor_client):
    group = StakeholderGroupFactory(name="Sociedad civil de América Latina")

    response = editor_client.get(reverse("admin:hearings_stakeholdergroup_changelist"), {"q": "america latina"})

    assert list(response.context["cl"].result_list) == [group]


def test_add_another_popup_returns_the_new_person_to_the_hearing_screen(editor_client):
    url = reverse("admin:hearings_person_add") + "?_to_field=id&_popup=1"

    response = editor_client.post(
        url, {"name": "María Fernanda Espinosa", "sort_name": "Espinosa, María Fernanda", "slug": "", "_popup": "1"}
    )

    person = Person.objects.get()
    assert person.slug == "maria-fernanda-espinosa"
    assert response.status_code == 200
    popup = json.loads(
        re.search(r'data-popup-response="([^"]*)"', response.content.decode()).group(1).replace("&quot;", '"')
    )
    assert popup == {"value": str(person.pk), "obj": "María Fernanda Espinosa"}


@pytest.mark.parametrize(
    ("slug", "expected"),
    [("", "miroslav-lajcak"), ("Lajčák", "lajcak"), ("m lajcak", "m-lajcak"), ("Miroslav_Lajcak", "Miroslav_Lajcak")],
)
def test_person_slug_is_made_ascii_on_the_server(editor_client, slug, expected):
    response = editor_client.post(
        reverse("admin:hearings_person_add"), {"name": "Miroslav Lajčák", "sort_name": "Lajčák, Miroslav", "slug": slug}
    )

    assert errors_in(response) == []
    assert list(Person.objects.values_list("slug", flat=True)) == [expected]


def test_slug_that_cannot_be_made_ascii_is_a_form_error(editor_client):
    response = editor_client.post(
        reverse("admin:hearings_person_add"), {"name": "Someone", "sort_name": "Someone", "slug": "!!!"}
    )

    assert response.status_code == 200
    assert "A slug could not be made from this text." in response.content.decode()
    assert Person.objects.count() == 0


@pytest.mark.parametrize("language", ["en", "fr"])
def test_venue_slug_is_made_from_room_and_city(editor_client, language):
    editor_client.post(
        reverse("admin:hearings_venue_add"),
        {"name_en": "Salle des Assemblées", "city_en": "Genève"},
        headers={"accept-language": language},
    )

    assert list(Venue.objects.values_list("slug", flat=True)) == ["salle-des-assemblees-geneve"]
    assert list(Venue.objects.values_list("name_en", "name_fr")) == [("Salle des Assemblées", None)]


@pytest.mark.parametrize(
    ("record", "url_name"),
    [
        (lambda a: a.organization, "admin:hearings_organization_delete"),
        (lambda a: a.person, "admin:hearings_person_delete"),
        (lambda a: a.organization.stakeholder_group, "admin:hearings_stakeholdergroup_delete"),
        (lambda a: a.segment.hearing.process, "admin:hearings_process_delete"),
        (lambda a: a.segment.hearing.venue, "admin:hearings_venue_delete"),
    ],
)
def test_deleting_a_record_in_use_is_refused(editor_client, record, url_name):
    obj = record(AppearanceFactory())
    url = reverse(url_name, args=[obj.pk])

    response = editor_client.post(url, {"post": "yes"})

    assert response.status_code == 200
    assert "would require deleting the following protected related objects" in response.content.decode()
    assert type(obj).objects.filter(pk=obj.pk).exists()


def test_deleting_an_unused_organization_is_allowed(editor_client):
    organization = OrganizationFactory()

    response = editor_client.post(
        reverse("admin:hearings_organization_delete", args=[organization.pk]), {"post": "yes"}
    )

    assert response.status_code == 302
    assert Organization.objects.count() == 0


def test_deleting_a_hearing_removes_its_segments_and_appearances(editor_client):
    hearing = AppearanceFactory().segment.hearing

    response = editor_client.post(reverse("admin:hearings_hearing_delete", args=[hearing.pk]), {"post": "yes"})

    assert response.status_code == 302
    assert (Hearing.objects.count(), Segment.objects.count(), Appearance.objects.count()) == (0, 0, 0)


def test_view_on_site_is_offered_for_published_hearings_only(editor_client):
    published = HearingFactory(status=Hearing.Status.PUBLISHED)
    draft = HearingFactory(status=Hearing.Status.DRAFT)

    published_page = editor_client.get(reverse("admin:hearings_hearing_change", args=[published.pk]))
    draft_page = editor_client.get(reverse("admin:hearings_hearing_change", args=[draft.pk]))

    view_on_site = f'<a href="{published.get_absolute_url()}" class="viewsitelink">View on site</a>'
    assert published_page.content.decode().count(view_on_site) == 1
    assert 'class="viewsitelink"' not in draft_page.content.decode()


def test_hearing_change_page_with_segments_renders_each_segments_appearances(editor_client):
    appearance = AppearanceFactory(person__name="Miroslav Lajčák")
    SegmentFactory(hearing=appearance.segment.hearing)

    response = editor_client.get(reverse("admin:hearings_hearing_change", args=[appearance.segment.hearing_id]))

    assert response.status_code == 200
    content = response.content.decode()
    assert 'name="segments-0-appearances-TOTAL_FORMS"' in content
    assert 'name="segments-1-appearances-TOTAL_FORMS"' in content
    assert "Miroslav Lajčák" in content


# --- The write path: derived data once per save --------------------------------

SPEAKERS = 4
SEGMENTS = 4


@pytest.fixture
def speakers(db):
    """Sixteen people, each with an organization of their own, half under a parent group."""
    parent = StakeholderGroupFactory(name="Civil society")
    child = StakeholderGroupFactory(name="Trade unions", parent=parent)
    other = StakeholderGroupFactory(name="Member States")
    people = [PersonFactory() for _ in range(SEGMENTS * SPEAKERS)]
    organizations = [
        OrganizationFactory(stakeholder_group=child if n % 2 else other) for n in range(SEGMENTS * SPEAKERS)
    ]
    return {"people": people, "organizations": organizations, "parent": parent, "child": child, "other": other}


def _whole_hearing(speakers, process, hearing=None):
    segments = []
    existing = list(hearing.segments.order_by("position")) if hearing else []
    for s in range(SEGMENTS):
        rows = []
        for a in range(SPEAKERS):
            n = s * SPEAKERS + a
            row = {
                "position": a,
                "person": speakers["people"][n].pk,
                "role": "panelist",
                "position_title_en": f"Coordinator {n}",
                "organization": speakers["organizations"][n].pk,
                "summary_en": f"Spoke about point {n}.",
            }
            if existing:
                appearance = existing[s].appearances.get(position=a + 1)
                row.update(id=appearance.pk, segment=existing[s].pk)
            rows.append(row)
        segment = {
            "position": s,
            "kind": "panel",
            "title_en": f"Panel {s}",
            "theme_en": "",
            "summary_en": "",
            "appearances": rows,
        }
        if existing:
            segment.update(id=existing[s].pk, hearing=hearing.pk)
        segments.append(segment)
    return hearing_admin_data(
        hearing,
        process=process.pk,
        title_en="A hearing of sixteen speakers",
        slug="a-hearing-of-sixteen-speakers",
        date="2019-05-02",
        status=Hearing.Status.PUBLISHED,
        segments=segments,
    )


def test_adding_a_hearing_of_4_segments_of_4_speakers_and_its_revision_runs_at_most_75_queries(editor_client, speakers):
    process = ProcessFactory()
    data = _whole_hearing(speakers, process)

    with CaptureQueriesContext(connection) as queries:
        response = editor_client.post(HEARING_ADD, data)

    assert errors_in(response) == []
    assert response.status_code == 302
    assert len(queries) <= 75, len(queries)

    hearing = Hearing.objects.get()
    assert Appearance.objects.filter(segment__hearing=hearing).count() == 16
    # The derived data was written once, at the end, and is complete.
    assert set(HearingGroupIndex.objects.filter(hearing=hearing).values_list("group", flat=True)) == {
        speakers["parent"].pk,
        speakers["child"].pk,
        speakers["other"].pk,
    }
    assert list(Hearing.objects.search(speakers["people"][15].name)) == [hearing]
    assert list(Hearing.objects.search("point 15")) == [hearing]
    rebuilt = [query["sql"] for query in queries.captured_queries if "hearinggroupindex" in query["sql"].lower()]
    assert len(rebuilt) == 2  # read the hearing's index rows, write the missing ones


def test_editing_one_speakers_summary_with_its_revision_runs_at_most_55_queries(editor_client, speakers):
    process = ProcessFactory()
    editor_client.post(HEARING_ADD, _whole_hearing(speakers, process))
    hearing = Hearing.objects.get()
    page_before = editor_client.get(hearing.get_absolute_url())
    data = _whole_hearing(speakers, process, hearing)
    data["segments-2-appearances-1-summary_en"] = "Called for the portability of social security."

    with CaptureQueriesContext(connection) as queries:
        response = editor_client.post(reverse("admin:hearings_hearing_change", args=[hearing.pk]), data)

    assert errors_in(response) == []
    assert response.status_code == 302
    assert len(queries) <= 55, len(queries)

    changed = Appearance.objects.get(segment__hearing=hearing, segment__position=3, position=2)
    assert changed.summary == "Called for the portability of social security."
    assert list(Hearing.objects.search("portability of social security")) == [hearing]
    page_after = editor_client.get(hearing.get_absolute_url())
    assert "Called for the portability of social security." in page_after.content.decode()
    assert page_after["ETag"] != page_before["ETag"]


def test_editing_one_speaker_on_the_screen_as_a_browser_sends_it_runs_at_most_49_queries(editor_client, speakers):
    # The hearing's own fields, its number and times included, are unchanged: their rules are not asked again.
    data = _whole_hearing(speakers, ProcessFactory())
    data.update(ordinal="3", start_time="10:00", end_time="13:00")
    editor_client.post(HEARING_ADD, data)
    hearing = Hearing.objects.get()
    url = reverse("admin:hearings_hearing_change", args=[hearing.pk])
    data = form_data(editor_client.get(url).content.decode())
    data["segments-2-appearances-1-summary_en"] = "Called for the portability of social security."

    with CaptureQueriesContext(connection) as queries:
        response = editor_client.post(url, data)

    assert errors_in(response) == []
    assert response.status_code == 302
    assert len(queries) <= 49, len(queries)  # 49th: the hearing's shown version, for its kept fragments
    assert not [query for query in queries.captured_queries if '"_check"' in query["sql"]]
    changed = Appearance.objects.get(segment__hearing=hearing, segment__position=3, position=2)
    assert changed.summary_en == "Called for the portability of social security."


def test_a_duplicate_speaker_is_still_refused_when_other_rows_are_unchanged(editor_client, speakers):
    process = ProcessFactory()
    editor_client.post(HEARING_ADD, _whole_hearing(speakers, process))
    hearing = Hearing.objects.get()
    data = _whole_hearing(speakers, process, hearing)
    # The second row of the first segment becomes the same person in the same role as the first.
    data["segments-0-appearances-1-person"] = str(speakers["people"][0].pk)

    response = editor_client.post(reverse("admin:hearings_hearing_change", args=[hearing.pk]), data)

    assert response.status_code == 200
    assert "This person already has this role in this segment." in response.content.decode()
    assert (
        Appearance.objects.get(segment__hearing=hearing, segment__position=1, position=2).person
        == (speakers["people"][1])
    )


def _index_of(hearing):
    return set(HearingGroupIndex.objects.filter(hearing=hearing).values_list("group__slug", flat=True))


@pytest.mark.parametrize("unrelated", [1, 20])
def test_moving_a_group_reindexes_only_the_hearings_under_it(editor_client, unrelated):
    civil_society = StakeholderGroupFactory(name="Civil society")
    unions = StakeholderGroupFactory(name="Trade unions")
    elsewhere = StakeholderGroupFactory(name="Member States")
    moved = AppearanceFactory(organization__stakeholder_group=unions).segment.hearing
    others = [AppearanceFactory(organization__stakeholder_group=elsewhere).segment.hearing for _ in range(unrelated)]
    url = reverse("admin:hearings_stakeholdergroup_change", args=[unions.pk])
    data = {
        "name_en": unions.name,
        "slug": unions.slug,
        "parent": civil_society.pk,
        "position": 0,
        "description_en": "",
    }

    with CaptureQueriesContext(connection) as queries:
        response = editor_client.post(url, data)

    assert response.status_code == 302
    assert _index_of(moved) == {"trade-unions", "civil-society"}
    assert all(_index_of(other) == {"member-states"} for other in others)
    # Derived data was rebuilt once, for the one hearing under the group, after the group's own save.
    reindexed = [query["sql"] for query in queries.captured_queries if '"search_text" AS "search_text"' in query["sql"]]
    assert len(reindexed) == 1
    assert reindexed[0].endswith(f'"hearings_hearing"."id" IN ({moved.pk})')


def test_reading_admin_screens_writes_nothing_and_opens_no_transaction(editor_client):
    hearing = HearingFactory()
    screens = [
        HEARING_CHANGELIST,
        reverse("admin:hearings_hearing_change", args=[hearing.pk]),
        HEARING_ADD,
        reverse("admin:hearings_person_changelist"),
    ]
    for url in screens:
        editor_client.get(url)  # the session is renewed on the first admin request
    for url in screens:
        with CaptureQueriesContext(connection) as queries:
            assert editor_client.get(url).status_code == 200
        written = [
            q["sql"] for q in queries.captured_queries if q["sql"].split()[0] in ("SAVEPOINT", "UPDATE", "INSERT")
        ]
        assert written == [], url
