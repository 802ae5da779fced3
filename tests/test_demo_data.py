"""`generate_demo_data` makes valid, realistic, marked records, and `--delete` takes back only those."""

from collections import Counter
from io import StringIO

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError
from django.db import connection

from hearings import demo
from hearings.domain.text import fold
from hearings.models import (
    Appearance,
    Hearing,
    HearingGroupIndex,
    HearingLink,
    HearingParticipation,
    Organization,
    Person,
    Process,
    Segment,
    StakeholderGroup,
    Venue,
)
from hearings.pagecache.versions import version_key
from tests.factories import (
    AppearanceFactory,
    HearingLinkFactory,
    HearingParticipationFactory,
    OrganizationFactory,
    PersonFactory,
    StakeholderGroupFactory,
    VenueFactory,
)

N = 20


def generate_demo_data(**options):
    out = StringIO()
    call_command("generate_demo_data", stdout=out, stderr=StringIO(), **options)
    return out.getvalue()


def generated_rows():
    """Every generated row, model by model, as `demo` recognises them."""
    hearings = demo.generated_hearings()
    return {
        Process: demo.generated_process(),
        Venue: demo.generated_venues(),
        StakeholderGroup: demo.generated_groups(),
        Organization: demo.generated_organizations(),
        Person: demo.generated_people(),
        Hearing: hearings,
        Segment: Segment.objects.filter(hearing__in=hearings),
        Appearance: Appearance.objects.filter(segment__hearing__in=hearings),
        HearingParticipation: HearingParticipation.objects.filter(hearing__in=hearings),
        HearingLink: HearingLink.objects.filter(hearing__in=hearings),
    }


def every_row():
    """Every field of every row of the record tables, to show that nothing else changed."""
    tables = {model: model.objects.all() for model in generated_rows()}
    rows = {model._meta.label: sorted(qs.values(), key=lambda row: row["id"]) for model, qs in tables.items()}
    rows["index"] = sorted(HearingGroupIndex.objects.values_list("hearing_id", "group_id"))
    return rows


@pytest.fixture
def taxonomy(db):
    """A seeded-like taxonomy: two groups sit under "Civil society"."""
    civil_society = StakeholderGroupFactory(name="Civil society")
    return [
        StakeholderGroupFactory(name="Member States"),
        StakeholderGroupFactory(name="UN system"),
        civil_society,
        StakeholderGroupFactory(name="Trade unions", parent=civil_society),
        StakeholderGroupFactory(name="Migrant and diaspora organizations", parent=civil_society),
        StakeholderGroupFactory(name="Academia"),
        StakeholderGroupFactory(name="Private sector"),
    ]


@pytest.fixture
def generated(taxonomy):
    generate_demo_data(hearings=N, seed=3)
    return taxonomy


def test_generated_records_pass_model_validation(generated):
    checked = Counter()
    for model, rows in generated_rows().items():
        for row in rows:
            row.full_clean(validate_unique=True, validate_constraints=True)
            checked[model] += 1

    # Groups are the existing taxonomy; segments, speakers and participating groups are drawn with seed 3.
    assert {model.__name__: checked[model] for model in generated_rows()} == {
        "Process": 1,
        "Venue": len(demo.VENUES),
        "StakeholderGroup": 0,
        "Organization": N // 2 + 30,
        "Person": N * 2 + 50,
        "Hearing": N,
        "Segment": 89,
        "Appearance": 437,
        "HearingParticipation": 74,
        "HearingLink": N,
    }


def test_generated_records_are_marked_and_recognised(taxonomy):
    before = {model: set(model.objects.values_list("pk", flat=True)) for model in generated_rows()}
    generate_demo_data(hearings=N)

    for model, rows in generated_rows().items():
        new = set(model.objects.values_list("pk", flat=True)) - before[model]
        assert set(rows.values_list("pk", flat=True)) == new
        if hasattr(model, "slug"):
            assert [slug for slug in rows.values_list("slug", flat=True) if not slug.startswith("demo-")] == []
    assert Process.objects.get(slug="demo-generated-process").name == "Generated demo process"
    titles = demo.generated_hearings().values_list("title", flat=True)
    assert [title for title in titles if not title.startswith("[Demo] ")] == []


def test_generated_hearings_have_the_shape_of_real_records(generated):
    hearings = demo.generated_hearings()
    segments = Segment.objects.filter(hearing__in=hearings)

    assert sorted(hearings.values_list("ordinal", flat=True)) == list(range(1, N + 1))
    # With seed 3, every size from 3 to 6 segments occurs.
    assert set(Counter(segments.values_list("hearing_id", flat=True)).values()) == {3, 4, 5, 6}
    for hearing in hearings.prefetch_related("segments"):
        kinds = [segment.kind for segment in hearing.segments.all()]
        assert (kinds[0], kinds[-1]) == (Segment.Kind.OPENING, Segment.Kind.CLOSING)
    per_segment = Counter(Appearance.objects.filter(segment__in=segments).values_list("segment_id", flat=True))
    assert len(per_segment) == segments.count()
    # The fewest and most speakers a segment can have (3 and 10) both occur with seed 3.
    assert (min(per_segment.values()), max(per_segment.values())) == (3, 10)
    per_hearing = Counter(HearingParticipation.objects.filter(hearing__in=hearings).values_list("hearing", flat=True))
    assert sorted(per_hearing) == sorted(hearings.values_list("pk", flat=True))
    assert set(per_hearing.values()) == {2, 3, 4, 5}
    links = HearingLink.objects.filter(hearing__in=hearings)
    assert sorted(links.values_list("hearing", flat=True)) == sorted(hearings.values_list("pk", flat=True))
    assert set(links.values_list("kind", flat=True)) == {HearingLink.Kind.SOURCE}
    # 5 % of 20 hearings, rounded: one draft.
    assert hearings.filter(status=Hearing.Status.DRAFT).count() == 1
    # Dates are drawn from 1990 to 2026; with seed 3 they span 1991 to 2026.
    years = {date.year for date in hearings.values_list("date", flat=True)}
    assert (min(years), max(years)) == (1991, 2026)


def test_every_stakeholder_group_is_spoken_for(generated):
    spoken_for = set(
        Appearance.objects.filter(segment__hearing__in=demo.generated_hearings()).values_list(
            "organization__stakeholder_group", flat=True
        )
    )

    assert spoken_for == {group.pk for group in generated}


def test_people_and_organizations_recur_across_hearings(generated):
    appearances = Appearance.objects.filter(segment__hearing__in=demo.generated_hearings())
    hearings_of = {}
    for person, hearing in appearances.values_list("person", "segment__hearing").distinct():
        hearings_of.setdefault(person, set()).add(hearing)

    assert demo.generated_people().count() == N * 2 + 50
    assert demo.generated_organizations().count() == N // 2 + 30
    # With seed 3, the most travelled person speaks at 9 of the 20 hearings.
    assert max(len(hearings) for hearings in hearings_of.values()) == 9
    # The 40 organizations share the 437 appearances among them.
    assert (len(set(appearances.values_list("organization", flat=True))), appearances.count()) == (N // 2 + 30, 437)


def test_people_have_made_up_unicode_names_and_folded_search_text(generated):
    people = demo.generated_people()
    organizations = demo.generated_organizations()

    # With seed 3, 63 of the 90 names have a letter outside ASCII.
    assert sum(1 for person in people if not person.name.isascii()) == 63
    assert [person.slug for person in people if not person.slug.isascii()] == []
    for person in people:
        assert person.search_text == fold(" ".join([person.name, person.sort_name, person.other_names]))
    for organization in organizations:
        assert organization.search_text == fold(" ".join([organization.name, organization.short_name]))


def test_made_up_people_are_not_taken_for_people_on_record(taxonomy):
    on_record = PersonFactory(name="Miroslav Lajčák", sort_name="Lajčák, Miroslav")
    generate_demo_data(hearings=N)

    assert list(Person.objects.search("lajcak")) == [on_record]
    assert not demo.generated_people().filter(name=on_record.name).exists()


def test_generated_records_from_the_same_seed_are_the_same(taxonomy):
    def records():
        return (
            list(demo.generated_hearings().order_by("ordinal").values_list("title", "slug", "date", "status")),
            list(demo.generated_people().order_by("slug").values_list("name", "slug")),
            list(
                Appearance.objects.filter(segment__hearing__in=demo.generated_hearings())
                .order_by("segment__hearing__ordinal", "segment__position", "position")
                .values_list("person__slug", "organization__slug", "role")
            ),
        )

    generate_demo_data(hearings=N, seed=7)
    first = records()
    generate_demo_data(hearings=N, seed=7, delete=True)
    again = records()
    generate_demo_data(hearings=N, seed=8, delete=True)
    other = records()

    assert again == first
    assert other[0] != first[0]


def test_second_run_without_delete_refuses_and_changes_nothing(generated):
    before = every_row()

    with pytest.raises(CommandError, match=r"already present.*--delete"):
        generate_demo_data(hearings=N, seed=3)
    assert every_row() == before


def test_delete_with_hearings_replaces_the_generated_set(generated):
    generate_demo_data(hearings=5, delete=True)

    assert demo.generated_hearings().count() == 5
    assert Process.objects.filter(slug=demo.PROCESS_SLUG).count() == 1


def test_delete_removes_generated_rows_and_keeps_every_other_row(taxonomy):
    editors_appearance = AppearanceFactory(organization__stakeholder_group=taxonomy[3])
    HearingParticipationFactory(hearing=editors_appearance.segment.hearing, group=taxonomy[0])
    HearingLinkFactory(hearing=editors_appearance.segment.hearing)
    # Slugs that start with "demo-" too, as an editor may well make: not generated all the same.
    PersonFactory(name="Démo Person")
    OrganizationFactory(name="Demo Network", stakeholder_group=taxonomy[5])
    VenueFactory(name="Demo Room")
    StakeholderGroupFactory(name="Demo groups")
    before = every_row()

    generate_demo_data(hearings=N)
    output = generate_demo_data(delete=True)

    assert "Deleted 20 hearings" in output
    assert demo.generated_counts() == demo.Counts()
    assert every_row() == before


def test_delete_keeps_a_generated_person_an_editor_has_used(generated):
    person = demo.generated_people().first()
    editors_appearance = AppearanceFactory(person=person)

    demo.delete_generated()

    assert demo.generated_hearings().count() == 0
    assert list(demo.generated_people()) == [person]
    assert Appearance.objects.get() == editors_appearance


def test_demo_taxonomy_without_stakeholder_groups_is_made_and_deleted(db):
    generate_demo_data(hearings=N)
    groups = StakeholderGroup.objects.all()

    assert sorted(groups.values_list("slug", flat=True)) == sorted(slug for slug, _name, _parent in demo.DEMO_GROUPS)
    assert sorted(groups.filter(parent__isnull=False).values_list("slug", "parent__slug")) == [
        ("demo-migrant-and-diaspora-organizations", "demo-civil-society"),
        ("demo-trade-unions", "demo-civil-society"),
    ]
    for group in groups:
        group.full_clean()
    generate_demo_data(delete=True)
    assert StakeholderGroup.objects.count() == 0
    assert demo.generated_counts() == demo.Counts()


def test_derived_index_finds_generated_hearings(generated):
    hearings = demo.generated_hearings()
    civil_society, trade_unions = generated[2], generated[3]
    appearance = (
        Appearance.objects.filter(segment__hearing__in=hearings, organization__stakeholder_group=trade_unions)
        .select_related("person", "segment__hearing")
        .first()
    )

    assert [
        group.name
        for group in generated
        if not Hearing.objects.for_stakeholder_groups([group]).filter(pk__in=hearings).exists()
    ] == []
    assert appearance.segment.hearing in Hearing.objects.for_stakeholder_groups([civil_society])
    for query in (appearance.person.name, appearance.person.name.upper(), fold(appearance.person.name)):
        assert appearance.segment.hearing in Hearing.objects.search(query)
        assert appearance.person in Person.objects.search(query)
    assert set(Hearing.objects.search("[demo]")) == set(hearings)


def test_generating_and_deleting_move_the_data_version(taxonomy):
    start = version_key()
    generate_demo_data(hearings=N)
    generated = version_key()
    generate_demo_data(delete=True)

    assert len({start, generated, version_key()}) == 3


@pytest.mark.parametrize(
    ("options", "message"),
    [
        ({}, "Give --hearings N to generate data, --delete to remove it, or both."),
        ({"hearings": 0}, f"--hearings must be between 1 and {demo.MAX_HEARINGS}."),
        ({"hearings": demo.MAX_HEARINGS + 1}, f"--hearings must be between 1 and {demo.MAX_HEARINGS}."),
    ],
)
def test_generate_demo_data_with_bad_options_is_refused(db, options, message):
    with pytest.raises(CommandError) as refused:
        generate_demo_data(**options)

    assert str(refused.value) == message
    assert demo.generated_counts() == demo.Counts()


def test_generating_refreshes_the_planner_statistics(taxonomy):
    generate_demo_data(hearings=N)

    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            cursor.execute("SELECT reltuples FROM pg_class WHERE relname = 'hearings_hearing'")
            rows = int(cursor.fetchone()[0])
        else:
            cursor.execute("SELECT stat FROM sqlite_stat1 WHERE tbl = 'hearings_hearing' ORDER BY idx LIMIT 1")
            rows = int(cursor.fetchone()[0].split()[0])
    assert rows == Hearing.objects.count()
