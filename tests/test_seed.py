"""The seed fixtures hold what the sources say, and `load_seed` loads them safely beside editors' records."""

import datetime
from io import StringIO

from django.apps import apps
from django.core.management import call_command
from django.test import Client
from django.utils.text import slugify
from reversion.models import Revision
from unidecode import unidecode

from hearings.management.commands.load_seed import read_records, seed_paths
from hearings.models import (
    Appearance,
    Hearing,
    HearingGroupIndex,
    HearingLink,
    HearingParticipation,
    Organization,
    Person,
    Segment,
    StakeholderGroup,
)
from tests.factories import (
    AppearanceFactory,
    HearingLinkFactory,
    HearingParticipationFactory,
    PersonFactory,
    SegmentFactory,
)

THIRD = "gcm-third-hearing-2017-12-18"
GCM = "global-compact-for-migration-preparatory-process"


def load_seed():
    out = StringIO()
    call_command("load_seed", stdout=out)
    return out.getvalue()


def load_seed_summary(*, added, hearings):
    """What `load_seed` prints when it added `added` of the seed records and reindexed `hearings` hearings."""
    records = len(read_records(seed_paths()))
    return (
        f"Loaded {records} seed records from 3 fixtures: {added} added, {records - added} already present and "
        f"brought up to date. Rebuilt the search and group index of {hearings} hearings.\n"
    )


def snapshot(querysets):
    """Every field of every row, so that any change, however small, shows."""
    return {qs.model._meta.label: sorted(qs.values(), key=lambda row: row["id"]) for qs in querysets}


def seeded_tables():
    """Every row of every model the seed writes (bookkeeping such as cache counters is not the seed's)."""
    rows = snapshot(
        apps.get_model(label)._default_manager.all() for label in {r["model"] for r in read_records(seed_paths())}
    )
    # The version of what a hearing shows moves with every load that touches it (its fragments are rendered
    # again, which is never wrong); it is derived, not the seed's.
    for row in rows.get("hearings.Hearing", []):
        row.pop("shown_token", None)
    # The derived index is rebuilt on every load: its content must match, its row ids need not.
    rows["index"] = sorted(HearingGroupIndex.objects.values_list("hearing_id", "group_id"))
    return rows


# --- The third hearing, as its summary tells it -----------------------------------

# segment, person, honorific, role, position at the time, organization, its stakeholder group
THIRD_HEARING_LINE_UP = [
    (1, "Miroslav Lajčák", "H.E. Mr.", "speaker", "President of the General Assembly",
     "President of the General Assembly", "un-system"),
    (1, "Louise Arbour", "Ms.", "speaker",
     "Secretary-General of the intergovernmental conference to adopt the Global Compact for Safe, Orderly and "
     "Regular Migration",
     "Intergovernmental conference to adopt the Global Compact for Safe, Orderly and Regular Migration",
     "un-system"),
    (1, "John Bingham", "", "presenter", "", "International Catholic Migration Commission", "civil-society"),
    (2, "Sherwin Bryce-Pease", "", "moderator", "President", "UN Correspondents Association", "media"),
    (2, "Eni Lestari Andayani Adi", "", "panelist", "Chairperson", "International Migrants Alliance",
     "migrant-and-diaspora-organizations"),
    (2, "Deborah Valencia", "", "panelist", "Founding member", "Melissa Network of Migrant Women in Greece",
     "migrant-and-diaspora-organizations"),
    (2, "Onyekachi Wambu", "", "panelist", "Executive Director", "African Foundation for Development",
     "migrant-and-diaspora-organizations"),
    (2, "Barbara Span", "", "panelist", "Vice President, Global Public Affairs", "Western Union", "private-sector"),
    (3, "Sherwin Bryce-Pease", "", "moderator", "President", "UN Correspondents Association", "media"),
    (3, "Laura Angélica Rojas Hernández", "Hon.", "panelist", "Senator of the Mexico Senate", "Mexico Senate",
     "parliaments"),
    (3, "Tendayi Bloom", "", "panelist", "Lecturer", "The Open University", "academia"),
    (3, "Dennis Sinyolo", "", "panelist", "Senior Coordinator", "Education International", "trade-unions"),
    (4, "Jürg Lauber", "H.E. Mr.", "co-facilitator",
     "Ambassador and Permanent Representative of Switzerland to the United Nations",
     "Permanent Mission of Switzerland to the United Nations", "member-states"),
    (4, "Juan José Gómez Camacho", "H.E. Mr.", "co-facilitator",
     "Permanent Representative of Mexico to the United Nations",
     "Permanent Mission of Mexico to the United Nations", "member-states"),
    (4, "Miroslav Lajčák", "H.E. Mr.", "speaker", "President of the General Assembly",
     "President of the General Assembly", "un-system"),
]  # fmt: skip


def test_third_hearing_line_up_matches_the_source(seeded):
    line_up = Appearance.objects.filter(segment__hearing__slug=THIRD).order_by("segment__position", "position")

    assert [
        (
            appearance.segment.position,
            appearance.person.name,
            appearance.person.honorific_prefix,
            appearance.role,
            appearance.position_title,
            appearance.organization.name,
            appearance.organization.stakeholder_group.slug,
        )
        for appearance in line_up
    ] == THIRD_HEARING_LINE_UP
    assert [appearance.position for appearance in line_up] == [1, 2, 3, 1, 2, 3, 4, 5, 1, 2, 3, 4, 1, 2, 3]


def test_third_hearing_people_are_one_record_each_with_their_names(seeded):
    people = Person.objects.filter(appearances__segment__hearing__slug=THIRD).distinct().order_by("sort_name")

    assert [(person.slug, person.name, person.sort_name, person.other_names_list) for person in people] == [
        ("louise-arbour", "Louise Arbour", "Arbour, Louise", []),
        ("john-bingham", "John Bingham", "Bingham, John", []),
        ("tendayi-bloom", "Tendayi Bloom", "Bloom, Tendayi", []),
        ("sherwin-bryce-pease", "Sherwin Bryce-Pease", "Bryce-Pease, Sherwin", []),
        ("eni-lestari-andayani-adi", "Eni Lestari Andayani Adi", "Eni Lestari Andayani Adi", ["Eni Lestari"]),
        ("juan-jose-gomez-camacho", "Juan José Gómez Camacho", "Gómez Camacho, Juan José", []),
        ("miroslav-lajcak", "Miroslav Lajčák", "Lajčák, Miroslav", []),
        ("jurg-lauber", "Jürg Lauber", "Lauber, Jürg", []),
        ("laura-angelica-rojas-hernandez", "Laura Angélica Rojas Hernández", "Rojas Hernández, Laura Angélica", []),
        ("dennis-sinyolo", "Dennis Sinyolo", "Sinyolo, Dennis", []),
        ("barbara-span", "Barbara Span", "Span, Barbara", []),
        ("deborah-valencia", "Deborah Valencia", "Valencia, Deborah", ["Deborah Carlos-Valencia"]),
        ("onyekachi-wambu", "Onyekachi Wambu", "Wambu, Onyekachi", []),
    ]


def test_third_hearing_fields_match_the_source(seeded):
    hearing = Hearing.objects.get(slug=THIRD)

    assert hearing.process.slug == GCM
    assert hearing.process.name == "Preparatory process for the Global Compact for Safe, Orderly and Regular Migration"
    assert hearing.ordinal == 3
    assert hearing.title == "Third informal interactive multi-stakeholder hearing"
    assert hearing.date == datetime.date(2017, 12, 18)
    assert str(hearing.venue) == "Trusteeship Chamber, United Nations Headquarters, New York"
    assert hearing.convener == "President of the General Assembly"
    assert hearing.mandate == "paragraph 30 of General Assembly resolution 71/280"
    assert hearing.status == Hearing.Status.PUBLISHED
    assert list(hearing.participating_groups.order_by("position").values_list("slug", flat=True)) == [
        "member-states",
        "observers",
        "civil-society",
        "academia",
        "parliaments",
        "private-sector",
    ]
    assert list(hearing.links.values_list("kind", "url")) == [
        ("source", "https://un.org/pga/72/2017/12/18/third-multi-stakeholder-hearing-on-migration-2"),
        ("source", "https://sdg.iisd.org/news/multi-stakeholder-hearing-calls-for-holistic-approach-to-migration/"),
    ]


def test_third_hearing_segments_match_the_source(seeded):
    segments = Segment.objects.filter(hearing__slug=THIRD).order_by("position")

    assert [(segment.position, segment.kind, segment.title, segment.theme) for segment in segments] == [
        (1, "opening", "", ""),
        (2, "panel", "First panel", "The local perspective of the whole-of-society approach to migration"),
        (
            3,
            "panel",
            "Second panel",
            "The national-level perspective on the whole-of-society approach to facilitate safe, orderly and "
            "regular migration",
        ),
        (4, "closing", "", ""),
    ]
    assert [segment.position for segment in segments if not segment.summary] == []


def test_subgroups_sit_under_civil_society(seeded):
    children = StakeholderGroup.objects.filter(parent__slug="civil-society").order_by("position")

    assert list(children.values_list("slug", flat=True)) == [
        "non-governmental-organizations",
        "trade-unions",
        "migrant-and-diaspora-organizations",
    ]
    assert StakeholderGroup.objects.filter(description="").count() == 0


def test_seeded_slugs_are_ascii_forms_of_the_names(seeded):
    people = Person.objects.all()

    assert [person.slug for person in people] == [slugify(unidecode(person.name)) for person in people]
    assert Person.objects.filter(slug="miroslav-lajcak").get().name == "Miroslav Lajčák"


# --- The other hearings, as the facts file states them -----------------------------


def hearings_of(person_slug):
    hearings = Hearing.objects.filter(segments__appearances__person__slug=person_slug).distinct()
    return sorted(hearings.values_list("slug", flat=True))


def test_people_who_return_are_one_record_across_hearings(seeded):
    assert hearings_of("dennis-sinyolo") == [
        "gcm-first-hearing-2017-07-26",
        THIRD,
        "high-level-dialogue-migration-hearing-2013-07-15",
    ]
    assert hearings_of("miroslav-lajcak") == [
        "gcm-fifth-hearing-2018-05-21",
        "gcm-second-hearing-2017-10-11",
        THIRD,
    ]
    assert hearings_of("louise-arbour") == [
        "gcm-first-hearing-2017-07-26",
        "gcm-fourth-hearing-2018-02-21",
        THIRD,
    ]
    assert Person.objects.filter(name__in=["Dennis Sinyolo", "Miroslav Lajčák", "Louise Arbour"]).count() == 3


def test_other_hearings_hold_what_the_facts_file_states(seeded):
    hearings = Hearing.objects.select_related("process", "venue").order_by("date")

    assert [
        (hearing.process.slug, hearing.ordinal, hearing.date.isoformat(), hearing.venue and hearing.venue.slug)
        for hearing in hearings
    ] == [
        ("high-level-dialogue-on-international-migration-and-development-2006", None, "2006-07-12", None),
        ("high-level-dialogue-on-international-migration-and-development-2013", None, "2013-07-15",
         "general-assembly-hall"),
        ("high-level-meeting-on-addressing-large-movements-of-refugees-and-migrants", None, "2016-07-18", None),
        (GCM, 1, "2017-07-26", "trusteeship-chamber-new-york"),
        (GCM, 2, "2017-10-11", "palais-des-nations-geneva"),
        (GCM, 3, "2017-12-18", "trusteeship-chamber-new-york"),
        (GCM, 4, "2018-02-21", "trusteeship-chamber-new-york"),
        (GCM, 5, "2018-05-21", None),
    ]  # fmt: skip
    assert {hearing.status for hearing in hearings} == {Hearing.Status.PUBLISHED}
    assert set(HearingLink.objects.values_list("kind", flat=True)) == {HearingLink.Kind.SOURCE}
    assert [url for url in HearingLink.objects.values_list("url", flat=True) if not url.startswith("https://")] == []
    # The facts file gives no source page for the 2013 hearings.
    assert list(Hearing.objects.filter(links=None).values_list("slug", flat=True)) == [
        "high-level-dialogue-migration-hearing-2013-07-15"
    ]


def test_panel_with_unknown_line_up_has_only_its_theme(seeded):
    panel = Segment.objects.get(hearing__slug="gcm-first-hearing-2017-07-26", position=3)

    assert (panel.title, panel.theme, panel.summary) == ("Panel 2", "Drivers of migration", "")
    assert panel.appearances.count() == 0


def test_first_hearing_panel_line_up_matches_the_source(seeded):
    line_up = Appearance.objects.filter(segment__hearing__slug="gcm-first-hearing-2017-07-26", segment__position=2)

    assert [
        (a.person.honorific_prefix, a.person.name, a.role, a.position_title, a.organization.name)
        for a in line_up.order_by("position")
    ] == [
        ("Mr.", "Craig Mokhiber", "moderator",
         "Director of the New York Office of the United Nations High Commissioner for Human Rights",
         "Office of the United Nations High Commissioner for Human Rights"),
        ("Ms.", "Raísa Ortiz Cetra", "panelist", "Member of the International Work Team",
         "Centro de Estudios Legales y Sociales Asociación Civil"),
        ("Mr.", "Marc Schenker", "panelist", "Professor", "University of California, Davis"),
        ("", "Dennis Sinyolo", "panelist", "Senior Coordinator", "Education International"),
    ]  # fmt: skip


# --- Loading ---------------------------------------------------------------------


def test_load_seed_prints_a_summary(db):
    assert load_seed() == load_seed_summary(added=len(read_records(seed_paths())), hearings=8)


def test_loading_twice_changes_nothing(seeded):
    before = seeded_tables()

    assert load_seed() == load_seed_summary(added=0, hearings=8)
    assert seeded_tables() == before


def test_loading_keeps_editors_records(db):
    appearance = AppearanceFactory(segment__hearing__title="Editor hearing")
    editor_hearing = appearance.segment.hearing
    HearingParticipationFactory(hearing=editor_hearing)
    HearingLinkFactory(hearing=editor_hearing)
    SegmentFactory(hearing=editor_hearing, position=2, title="Editor extra segment")

    load_seed()
    # Editors then add to the seeded hearing itself: a new segment and a new speaker.
    third = Hearing.objects.get(slug=THIRD)
    extra_segment = SegmentFactory(hearing=third, position=5, title="Editor's own segment")
    first_panel = Segment.objects.get(hearing=third, position=2)
    extra_appearance = AppearanceFactory(segment=first_panel, person=PersonFactory(), position=6)
    editor_rows = [
        Hearing.objects.filter(pk=editor_hearing.pk),
        Segment.objects.filter(hearing=editor_hearing) | Segment.objects.filter(pk=extra_segment.pk),
        Appearance.objects.filter(pk__in=[appearance.pk, extra_appearance.pk]),
        Person.objects.filter(pk__in=[appearance.person_id, extra_appearance.person_id]),
        Organization.objects.filter(pk__in=[appearance.organization_id, extra_appearance.organization_id]),
        HearingParticipation.objects.filter(hearing=editor_hearing),
        HearingLink.objects.filter(hearing=editor_hearing),
    ]
    before = snapshot(editor_rows)
    seeded_before = Appearance.objects.filter(segment__hearing=third).count()

    # Only the seeded hearings are reindexed: the editor's own is not touched.
    assert load_seed() == load_seed_summary(added=0, hearings=8)
    assert snapshot(editor_rows) == before
    assert Appearance.objects.filter(segment__hearing=third).count() == seeded_before
    assert list(Segment.objects.filter(hearing=third).values_list("position", flat=True)) == [1, 2, 3, 4, 5]
    assert list(Hearing.objects.search(extra_appearance.person.name)) == [third]


def test_search_and_group_filters_find_the_third_hearing_after_loading(seeded):
    third = Hearing.objects.get(slug=THIRD)
    civil_society = StakeholderGroup.objects.get(slug="civil-society")
    trade_unions = StakeholderGroup.objects.get(slug="trade-unions")
    lajcak_hearings = ["gcm-fifth-hearing-2018-05-21", THIRD, "gcm-second-hearing-2017-10-11"]

    assert list(Hearing.objects.search("lajcak").values_list("slug", flat=True)) == lajcak_hearings
    assert list(Hearing.objects.search("LAJČÁK").values_list("slug", flat=True)) == lajcak_hearings
    assert list(Hearing.objects.search("eni lestari")) == [third]
    assert list(Hearing.objects.search("carlos-valencia")) == [third]
    assert list(Hearing.objects.for_stakeholder_groups([civil_society]).values_list("slug", flat=True)) == [
        THIRD,
        "gcm-second-hearing-2017-10-11",
        "gcm-first-hearing-2017-07-26",
        "high-level-dialogue-migration-hearing-2013-07-15",
        "high-level-dialogue-migration-hearing-2006-07-12",
    ]
    assert list(Hearing.objects.for_stakeholder_groups([trade_unions]).values_list("slug", flat=True)) == [
        THIRD,
        "gcm-first-hearing-2017-07-26",
        "high-level-dialogue-migration-hearing-2013-07-15",
    ]
    assert list(Person.objects.search("gomez camacho")) == [Person.objects.get(slug="juan-jose-gomez-camacho")]
    assert list(Organization.objects.search("icmc")) == [
        Organization.objects.get(slug="international-catholic-migration-commission")
    ]


def test_loading_the_seed_again_keeps_the_translations_editors_added(seeded):
    hearing = Hearing.objects.get(slug="gcm-third-hearing-2017-12-18")
    hearing.title_fr = "Troisième audition informelle"
    hearing.save()
    organization = Organization.objects.order_by("pk").first()
    organization.name_es = "Nombre en español"
    organization.save()

    call_command("load_seed", stdout=StringIO())
    revisions = Revision.objects.count()
    call_command("load_seed", stdout=StringIO())

    hearing.refresh_from_db()
    organization.refresh_from_db()
    assert (hearing.title_fr, organization.name_es) == ("Troisième audition informelle", "Nombre en español")
    assert "Troisième audition informelle" in Client().get(f"/fr/hearings/{hearing.slug}/").content.decode()
    assert Revision.objects.count() == revisions
