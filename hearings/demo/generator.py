"""Generating: plan every hearing from a seeded random generator, then write them in bulk, chunk by chunk."""

import datetime
import random

from django.utils import translation
from django.utils.text import slugify

from hearings.demo.records import Counts, DemoDataExists, _venue_slug, generated_counts
from hearings.demo.vocabulary import (
    BATCH_SIZE,
    CHUNK,
    CITY_ENDS,
    DEMO_GROUPS,
    DRAFT_SHARE,
    FAMILY_ENDS,
    FAMILY_STARTS,
    FIELDS,
    FIRST_DAY,
    GIVEN_ENDS,
    GIVEN_STARTS,
    HONORIFICS,
    INDUSTRIES,
    JOB_TITLES,
    LAST_DAY,
    MARK,
    MAX_HEARINGS,
    PANEL_NAMES,
    PLACE_ENDS,
    PLACE_MIDDLES,
    PLACE_STARTS,
    PREFIX,
    PROCESS_NAME,
    PROCESS_SLUG,
    SAYINGS,
    SEGMENT_SUMMARIES,
    SEGMENT_TITLES,
    SPEAKING,
    THEMES,
    TITLE_PREFIX,
    VENUES,
    WEBSITE,
)
from hearings.domain import changes
from hearings.domain.languages import SOURCE_LANGUAGE
from hearings.domain.text import fold
from hearings.models import (
    Appearance,
    Hearing,
    HearingLink,
    HearingParticipation,
    Organization,
    Person,
    Process,
    Segment,
    StakeholderGroup,
    Venue,
)

# --- Generating ---------------------------------------------------------------


def generate(*, hearings, seed=1, progress=None):
    """Create `hearings` made-up hearings with their people and organizations. Returns the counts.

    Refuses (DemoDataExists) when generated rows are already present, so that a
    second run cannot mix two sets; `delete_generated` clears the way.
    `progress`, if given, is called with the number of hearings just written.
    """
    if not 1 <= hearings <= MAX_HEARINGS:
        raise ValueError(f"The number of hearings must be between 1 and {MAX_HEARINGS}.")
    with changes.atomic():
        existing = generated_counts()
        if existing:
            raise DemoDataExists(existing)
        return _Generator(random.Random(seed), hearings, progress).run()


class _Generator:
    def __init__(self, rng, hearing_count, progress):
        self.rng = rng
        self.hearing_count = hearing_count
        self.progress = progress or (lambda n: None)
        self.counts = Counts()
        # Groups are referred to by their place in `groups` (ordered by slug), not by primary key,
        # so that the same seed picks the same groups in any database.
        self.org_group_index = []

    def run(self):
        # The made-up text is English, the records' source language: the plain field names below write it.
        with translation.override(SOURCE_LANGUAGE):
            return self._generate()

    def _generate(self):
        self.groups = self.stakeholder_groups()
        self.process = Process.objects.create(
            name=PROCESS_NAME,
            short_name="Demo",
            slug=PROCESS_SLUG,
            mandate="None: the records of this process are made up.",
            description=MARK,
        )
        self.counts.processes = 1
        self.venues = self.make_venues()
        self.organizations = self.make_organizations()
        self.people = self.make_people()
        self.person_ids = [person.pk for person in self.people]
        self.org_ids = [org.pk for org in self.organizations]
        # Each person mostly speaks for one organization, and now and then for another: people change jobs.
        self.home_orgs = [self.rng.choice(self.organizations).pk for _ in self.people]
        self.org_groups = dict(zip((org.pk for org in self.organizations), self.org_group_index, strict=True))
        self.orgs_by_group = {}
        for org in self.organizations:
            self.orgs_by_group.setdefault(self.org_groups[org.pk], []).append(org.pk)
        # The first appearances speak for each group in turn, so that every group is used.
        self.uncovered = list(reversed(range(len(self.groups))))

        plans = self.plan_hearings()
        for start in range(0, len(plans), CHUNK):
            chunk = plans[start : start + CHUNK]
            self.write_hearings(chunk)
            self.progress(len(chunk))
        return self.counts

    # Lookups and small pools

    def stakeholder_groups(self):
        groups = list(StakeholderGroup.objects.order_by("slug"))
        if groups:
            return groups
        by_slug = {}
        for position, (slug, name, parent) in enumerate(DEMO_GROUPS):
            by_slug[slug] = StakeholderGroup.objects.create(
                slug=slug, name=name, parent=by_slug.get(parent), position=position, description=MARK
            )
        self.counts.stakeholder_groups = len(by_slug)
        return sorted(by_slug.values(), key=lambda group: group.slug)

    def make_venues(self):
        venues = [
            Venue(name=name, site=site, city=city, country=country, slug=_venue_slug(name, city))
            for name, site, city, country in VENUES
        ]
        self.counts.venues = len(venues)
        return Venue.objects.bulk_create(venues, batch_size=BATCH_SIZE)

    def place(self):
        rng = self.rng
        return rng.choice(PLACE_STARTS) + rng.choice(PLACE_MIDDLES) + rng.choice(PLACE_ENDS)

    def city(self):
        return self.rng.choice(PLACE_STARTS) + self.rng.choice(CITY_ENDS)

    def make_organizations(self):
        count = max(self.hearing_count // 2 + 30, len(self.groups))
        # Spread over every group, children included, in a seeded order.
        order = self.rng.sample(range(len(self.groups)), len(self.groups))
        organizations, used = [], set()
        for index in range(count):
            group_index = order[index % len(order)]
            group = self.groups[group_index]
            country = self.place()
            for _ in range(20):
                name = self.organization_name(group, country)
                if name not in used:
                    break
                country = self.place()
            while name in used:
                name = f"{name}, {self.city()} office"
            used.add(name)
            short_name = self.acronym(name)
            slug = f"{PREFIX}{slugify(fold(name))[:150].rstrip('-')}-{index + 1}"
            organizations.append(
                Organization(
                    name=name,
                    short_name=short_name,
                    slug=slug,
                    stakeholder_group=group,
                    country=country,
                    website=f"{WEBSITE}{slug}/",
                )
            )
            organizations[-1].search_text = organizations[-1].make_search_text()
            self.org_group_index.append(group_index)
        self.counts.organizations = len(organizations)
        return Organization.objects.bulk_create(organizations, batch_size=BATCH_SIZE)

    def organization_name(self, group, country):
        """A made-up name that fits the kind of group, guessed from the group's name."""
        rng = self.rng
        kind = fold(f"{group.slug} {group.name}")
        field = rng.choice(FIELDS)
        if "member" in kind or "state" in kind:
            return f"Permanent Mission of {country} to the United Nations"
        if "parliament" in kind:
            return rng.choice([f"Parliament of {country}", f"National Assembly of {country}"])
        if "academ" in kind or "research" in kind:
            return rng.choice([f"University of {self.city()}", f"{self.city()} Institute for {field} Studies"])
        if "union" in kind:
            return f"{country} Federation of {rng.choice(['Workers', 'Teachers', 'Nurses', 'Dock Workers'])}"
        if "private" in kind or "business" in kind:
            return f"{country} {rng.choice(INDUSTRIES)} Group"
        if "media" in kind:
            return f"{country} Broadcasting Network"
        if "local" in kind or "cities" in kind:
            return f"City of {self.city()}"
        if "diaspora" in kind or "migrant" in kind:
            return f"{country} Diaspora Association"
        if "un-" in kind or "united nations" in kind or "system" in kind:
            return f"United Nations {field} Office in {country}"
        if "observer" in kind:
            return f"Observer Mission of the {country} Community"
        return f"{country} Network for {field}"

    def acronym(self, name):
        words = [word for word in name.replace("-", " ").split() if word[0].isupper()]
        return "".join(word[0] for word in words) if len(words) > 2 and self.rng.random() < 0.5 else ""

    def make_people(self):
        rng = self.rng
        count = self.hearing_count * 2 + 50
        # Names of people already on record are skipped, so no made-up person is taken for them.
        people, used = [], set(Person.objects.values_list("name", flat=True))
        for index in range(count):
            for attempt in range(50):
                given = rng.choice(GIVEN_STARTS) + rng.choice(GIVEN_ENDS)
                given = given[0] + given[1:].lower()
                family = rng.choice(FAMILY_STARTS) + rng.choice(FAMILY_ENDS)
                if rng.random() < 0.15:
                    family += " " + rng.choice(FAMILY_STARTS) + rng.choice(FAMILY_ENDS)
                if attempt >= 10:
                    given += f" {rng.choice('ABCDEFGHJKLMNPRSTVW')}."
                if f"{given} {family}" not in used:
                    break
            name = f"{given} {family}"
            used.add(name)
            person = Person(
                name=name,
                sort_name=f"{family}, {given}",
                honorific_prefix=rng.choice(HONORIFICS),
                slug=f"{PREFIX}{slugify(fold(name))[:150].rstrip('-')}-{index + 1}",
                biography=MARK,
            )
            person.search_text = person.make_search_text()
            people.append(person)
        self.counts.people = len(people)
        return Person.objects.bulk_create(people, batch_size=BATCH_SIZE)

    # Hearings

    def plan_hearings(self):
        """Dates, ordinals and status for every hearing, drawn before any chunk is written."""
        span = (LAST_DAY - FIRST_DAY).days
        dates = sorted(
            FIRST_DAY + datetime.timedelta(days=self.rng.randrange(span + 1)) for _ in range(self.hearing_count)
        )
        drafts = set(self.rng.sample(range(self.hearing_count), max(1, round(self.hearing_count * DRAFT_SHARE))))
        return [(ordinal, date, ordinal - 1 in drafts) for ordinal, date in enumerate(dates, start=1)]

    def write_hearings(self, plans):
        rng = self.rng
        hearings, segments_of, participations_of = [], [], []
        for ordinal, date, draft in plans:
            theme = rng.choice(THEMES)
            slug = f"{PREFIX}hearing-{ordinal}-{slugify(theme)}"
            start = rng.choice([9, 10, 15])
            resolution = f"{date.year - 1945}/{rng.randint(1, 320)}"
            hearings.append(
                Hearing(
                    process_id=self.process.pk,
                    ordinal=ordinal,
                    title=f"{TITLE_PREFIX} Hearing {ordinal}: {theme[0].upper()}{theme[1:]}",
                    slug=slug,
                    date=date,
                    start_time=datetime.time(start),
                    end_time=datetime.time(start + rng.choice([2, 3])),
                    venue_id=rng.choice(self.venues).pk,
                    convener="President of the General Assembly (made up)",
                    mandate=f"paragraph {rng.randint(2, 40)} of demo resolution {resolution}",
                    summary=(
                        f"{MARK} Representatives of several stakeholder groups discussed {theme} "
                        f"and made recommendations for the intergovernmental negotiations."
                    ),
                    status=Hearing.Status.DRAFT if draft else Hearing.Status.PUBLISHED,
                    # A third of the hearings translated into French, so pages in other languages show both
                    # translated text and the English fallback.
                    **(
                        {
                            "title_fr": f"{TITLE_PREFIX} Audition {ordinal} (démo)",
                            "summary_fr": f"{MARK} Résumé de démonstration de l'audition {ordinal}.",
                        }
                        if ordinal % 3 == 0
                        else {}
                    ),
                )
            )
            segments, speaker_groups = self.plan_segments(theme)
            segments_of.append(segments)
            participations_of.append(self.plan_participation(speaker_groups))

        # Rows are planned as plain values and become model instances once their parent has a
        # primary key: setting ids is much cheaper than assigning related objects, row by row.
        Hearing.objects.bulk_create(hearings, batch_size=BATCH_SIZE)
        segments, planned_appearances, participations, links = [], [], [], []
        for hearing, hearing_segments, groups in zip(hearings, segments_of, participations_of, strict=True):
            for segment_values, appearances_values in hearing_segments:
                segments.append(Segment(hearing_id=hearing.pk, **segment_values))
                planned_appearances.append(appearances_values)
            participations.extend(HearingParticipation(hearing_id=hearing.pk, group_id=group) for group in groups)
            links.append(
                HearingLink(
                    hearing_id=hearing.pk,
                    kind=HearingLink.Kind.SOURCE,
                    title="Summary of the hearing (made up)",
                    url=f"{WEBSITE}{hearing.slug}/summary/",
                )
            )
        Segment.objects.bulk_create(segments, batch_size=BATCH_SIZE)
        appearances = [
            Appearance(segment_id=segment.pk, **values)
            for segment, appearances_values in zip(segments, planned_appearances, strict=True)
            for values in appearances_values
        ]
        Appearance.objects.bulk_create(appearances, batch_size=BATCH_SIZE)
        HearingParticipation.objects.bulk_create(participations, batch_size=BATCH_SIZE)
        HearingLink.objects.bulk_create(links, batch_size=BATCH_SIZE)
        # bulk_create sends no signals: the chunk's hearings are noted by hand, and their derived data
        # is written now, inside the transaction, so that memory stays flat over thousands of hearings.
        changes.note(hearings=[hearing.pk for hearing in hearings])
        changes.flush()

        self.counts.hearings += len(hearings)
        self.counts.segments += len(segments)
        self.counts.appearances += len(appearances)

    def plan_segments(self, theme):
        """3 to 6 segments: opening, panels or a discussion, closing; each with 3 to 10 appearances."""
        rng = self.rng
        middle = [Segment.Kind.PANEL] * rng.randint(1, 4)
        if len(middle) > 1 and rng.random() < 0.4:
            middle[-1] = Segment.Kind.DISCUSSION
        if rng.random() < 0.2:
            middle[0] = Segment.Kind.PRESENTATION
        kinds = [Segment.Kind.OPENING, *middle, Segment.Kind.CLOSING]
        segments, speaker_groups, panels = [], set(), 0
        for position, kind in enumerate(kinds, start=1):
            segment_theme = ""
            if kind == Segment.Kind.PANEL:
                title = f"{PANEL_NAMES[panels]} panel"
                panels += 1
                segment_theme = rng.choice(THEMES)
            else:
                title = SEGMENT_TITLES[kind]
            segment = {
                "position": position,
                "kind": kind,
                "title": title,
                "theme": segment_theme,
                "summary": rng.choice(SEGMENT_SUMMARIES).format(theme=segment_theme or theme),
            }
            appearances = self.plan_appearances(kind, segment_theme or theme)
            speaker_groups.update(self.org_groups[appearance["organization_id"]] for appearance in appearances)
            segments.append((segment, appearances))
        return segments, speaker_groups

    def plan_appearances(self, kind, theme):
        rng = self.rng
        lead_role, role, fewest, most = SPEAKING[kind]
        # Distinct people within a segment: one person once per role per segment.
        person_indexes = rng.sample(range(len(self.people)), rng.randint(fewest, most))
        appearances = []
        for position, person_index in enumerate(person_indexes, start=1):
            lead = position == 1
            if self.uncovered:
                organization_id = rng.choice(self.orgs_by_group[self.uncovered.pop()])
            elif lead or rng.random() < 0.85:
                organization_id = self.home_orgs[person_index]
            else:
                organization_id = rng.choice(self.org_ids)
            chairing = lead and lead_role == Appearance.Role.CHAIR
            saying = rng.choice(SAYINGS)
            appearances.append(
                {
                    "person_id": self.person_ids[person_index],
                    "role": lead_role if lead else role,
                    "position_title": "Chairperson" if chairing else rng.choice(JOB_TITLES),
                    "organization_id": organization_id,
                    "position": position,
                    "summary": saying.format(theme=theme, place=self.place() if "{place}" in saying else ""),
                }
            )
        return appearances

    def plan_participation(self, speaker_groups):
        """2 to 5 participating groups, taken from the speakers' groups when there are enough."""
        rng = self.rng
        wanted = min(rng.randint(2, 5), len(self.groups))
        pool = sorted(speaker_groups) if len(speaker_groups) >= wanted else range(len(self.groups))
        return [self.groups[index].pk for index in rng.sample(pool, wanted)]
