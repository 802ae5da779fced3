"""Made-up records for trying the site at size; `manage.py generate_demo_data` runs them.

Every generated row is marked: its slug starts with ``demo-``, the hearings sit
in a process of their own ("Generated demo process") and their titles start
with "[Demo]"; people, organizations and groups carry a second mark (see
MARK and WEBSITE), and `--delete` needs both. Names of people, countries and organizations are built from
syllables, so they belong to no one. Stakeholder groups are the existing
taxonomy; only when there is none is a small ``demo-`` taxonomy created.

The same seed and number of hearings give the same records, given the same
stakeholder groups (and names of people on record, which made-up names avoid).
"""

import datetime
import random
from dataclasses import dataclass, fields

from django.utils.text import slugify

from . import changes
from .models import (
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
from .text import fold

PREFIX = "demo-"
PROCESS_SLUG = "demo-generated-process"
PROCESS_NAME = "Generated demo process"
TITLE_PREFIX = "[Demo]"
# Besides the slug, people carry MARK as biography, organizations a WEBSITE address and groups
# MARK as description, so that an editor's "Demo …" record is never taken for a generated one.
WEBSITE = "https://example.org/"
MARK = "Made-up record generated for demonstration; not a real event, person or organization."
# Hearing.ordinal is a PositiveSmallIntegerField and ordinals are unique within the process.
MAX_HEARINGS = 32767
BATCH_SIZE = 1000
# Hearings built, written and indexed per step: bounds memory and paces the progress bar.
CHUNK = 500
FIRST_DAY = datetime.date(1990, 1, 1)
LAST_DAY = datetime.date(2026, 12, 31)
DRAFT_SHARE = 0.05

# Syllables for made-up names, with accents as in real records; they make no name of the seed records.
GIVEN_STARTS = ["Jü", "Mi", "Ana", "Lu", "Ré", "So", "Ka", "Te", "Ol", "Zé", "Ai", "Bo", "Da", "El", "Fa", "Ha"]
GIVEN_STARTS += ["In", "Ja", "Ma", "Ni", "Ra", "Sa", "To", "Ya", "Ço", "Ilé", "Ví", "Ø"]
GIVEN_ENDS = ["rg", "ra", "lia", "mon", "na", "sé", "ko", "dro", "via", "ran", "lis", "ka", "mir", "ène", "thi", "ña"]
GIVEN_ENDS += ["el", "bert", "ssa", "no", "di", "ja"]
FAMILY_STARTS = ["Vaj", "Dóm", "Ber", "Nó", "Kov", "Sø", "Ibá", "Mül", "Ša", "Oku", "Dia", "Fer", "Hal", "Ngu", "Pe"]
FAMILY_STARTS += ["Rö", "Tan", "Vá", "Zap", "Čer", "Al", "Be", "Co", "Du", "Esté", "Gra", "Kwa", "Lo", "Mbe", "Ra"]
FAMILY_ENDS = ["čák", "ez", "ler", "ssen", "ñez", "ová", "ski", "lund", "ard", "owe", "ić", "adi", "ero", "ström"]
FAMILY_ENDS += ["yan", "ella", "ko", "mba", "cho", "ides", "oğlu", "ani", "ton", "vić"]
HONORIFICS = ["", "", "", "Ms.", "Mr.", "H.E. Ms.", "H.E. Mr.", "Hon.", "Dr.", "Prof."]

PLACE_STARTS = ["Vel", "Kas", "Mor", "Ald", "Zan", "Ost", "Bri", "Cal", "Ter", "Lun", "Sar", "Eri", "Nov", "Quel"]
PLACE_STARTS += ["Tav", "Dor", "Mar", "Pel", "Rhu", "Sol"]
PLACE_MIDDLES = ["", "", "a", "e", "o", "an", "il"]
PLACE_ENDS = ["oria", "ova", "avia", "esia", "and", "ania", "ium", "ora", "enia", "adia", "ique", "ero"]
CITY_ENDS = ["burg", "polis", "ville", "grad", "ford", "haven", "port", "field", "mouth", "stad"]

FIELDS = ["Migration", "Development", "Health", "Human Rights", "Education", "Labour", "Climate", "Trade"]
FIELDS += ["Children", "Gender Equality", "Peace", "Water", "Food Security", "Urban Policy"]
INDUSTRIES = ["Logistics", "Telecom", "Energy", "Agrifood", "Finance", "Textiles", "Software", "Shipping"]
THEMES = [
    "safe and regular pathways for migration",
    "decent work for migrant workers",
    "climate change and human mobility",
    "remittances and financial inclusion",
    "data for evidence-based policy",
    "the rights of migrant children",
    "return and reintegration",
    "social cohesion in host communities",
    "access to basic services",
    "recognition of skills and qualifications",
    "regional cooperation",
    "countering xenophobia and discrimination",
    "the role of local authorities",
    "diaspora engagement",
    "gender-responsive policy",
    "universal health coverage",
    "financing for development",
    "ocean conservation",
    "disaster risk reduction",
    "youth employment",
    "the rights of indigenous peoples",
    "antimicrobial resistance",
    "non-communicable diseases",
    "sustainable cities",
    "education in emergencies",
    "access to justice",
    "digital inclusion",
    "water and sanitation",
]
JOB_TITLES = [
    "Executive Director",
    "Director",
    "Programme Officer",
    "Policy Adviser",
    "Professor",
    "Researcher",
    "Coordinator",
    "Member of Parliament",
    "Mayor",
    "Permanent Representative",
    "Deputy Permanent Representative",
    "Secretary-General",
    "President",
    "Founder",
    "Legal Officer",
]
SAYINGS = [
    "Called for stronger commitments on {theme}.",
    "Described the experience of {place} with {theme}.",
    "Urged Member States to involve affected communities in work on {theme}.",
    "Presented findings on {theme} and asked for better data.",
    "Stressed that {theme} needs predictable funding.",
    "Shared lessons learned in {place} and proposed follow-up indicators.",
    "",
]
SEGMENT_SUMMARIES = [
    "Speakers discussed {theme} and exchanged views on priorities for the outcome document.",
    "The discussion focused on {theme}, with examples from several regions.",
    "Participants reviewed progress on {theme} and identified gaps in implementation.",
]
PANEL_NAMES = ["First", "Second", "Third", "Fourth"]
SEGMENT_TITLES = {
    "opening": "Opening segment",
    "presentation": "Keynote presentation",
    "discussion": "Interactive discussion",
    "closing": "Closing segment",
}
VENUES = [
    ("Trusteeship Chamber", "United Nations Headquarters", "New York", "United States"),
    ("Conference Room 4", "United Nations Headquarters", "New York", "United States"),
    ("Economic and Social Council Chamber", "United Nations Headquarters", "New York", "United States"),
    ("General Assembly Hall", "United Nations Headquarters", "New York", "United States"),
    ("Assembly Hall", "Palais des Nations", "Geneva", "Switzerland"),
    ("Room XX", "Palais des Nations", "Geneva", "Switzerland"),
    ("Conference Room 1", "United Nations Office at Nairobi", "Nairobi", "Kenya"),
    ("Board Room", "Vienna International Centre", "Vienna", "Austria"),
]
# Per kind of segment: the first speaker's role, the others' role, and how many speak (3 to 10 in all).
SPEAKING = {
    Segment.Kind.OPENING: (Appearance.Role.CHAIR, Appearance.Role.SPEAKER, 3, 5),
    Segment.Kind.PANEL: (Appearance.Role.MODERATOR, Appearance.Role.PANELIST, 4, 7),
    Segment.Kind.PRESENTATION: (Appearance.Role.MODERATOR, Appearance.Role.PRESENTER, 3, 4),
    Segment.Kind.DISCUSSION: (Appearance.Role.CO_FACILITATOR, Appearance.Role.SPEAKER, 6, 10),
    Segment.Kind.CLOSING: (Appearance.Role.CHAIR, Appearance.Role.SPEAKER, 3, 5),
}
# Used only when the database has no stakeholder groups: (slug, name, parent slug).
DEMO_GROUPS = [
    ("demo-member-states", "Member States (demo)", None),
    ("demo-un-system", "UN system (demo)", None),
    ("demo-civil-society", "Civil society (demo)", None),
    ("demo-trade-unions", "Trade unions (demo)", "demo-civil-society"),
    ("demo-migrant-and-diaspora-organizations", "Migrant and diaspora organizations (demo)", "demo-civil-society"),
    ("demo-academia", "Academia (demo)", None),
    ("demo-private-sector", "Private sector (demo)", None),
    ("demo-parliaments", "Parliaments (demo)", None),
]


SINGULAR = {
    "hearings": "hearing",
    "segments": "segment",
    "appearances": "appearance",
    "people": "person",
    "organizations": "organization",
    "venues": "venue",
    "stakeholder_groups": "stakeholder group",
    "processes": "process",
}


class DemoDataExists(Exception):
    """Generated rows are already in the database; they are removed before new ones are made."""


@dataclass
class Counts:
    hearings: int = 0
    segments: int = 0
    appearances: int = 0
    people: int = 0
    organizations: int = 0
    venues: int = 0
    stakeholder_groups: int = 0
    processes: int = 0

    def __str__(self):
        return ", ".join(
            f"{number} {SINGULAR[field.name] if number == 1 else field.name.replace('_', ' ')}"
            for field in fields(self)
            if (number := getattr(self, field.name)) or field.name == "hearings"
        )

    def __bool__(self):
        return any(getattr(self, field.name) for field in fields(self))


# --- Which rows are generated -------------------------------------------------


def generated_hearings():
    return Hearing.objects.filter(process__slug=PROCESS_SLUG, slug__startswith=PREFIX)


def generated_people():
    return Person.objects.filter(slug__startswith=PREFIX, biography=MARK)


def generated_organizations():
    return Organization.objects.filter(slug__startswith=PREFIX, website__startswith=f"{WEBSITE}{PREFIX}")


def generated_venues():
    return Venue.objects.filter(slug__in=[_venue_slug(name, city) for name, _, city, _ in VENUES])


def generated_groups():
    return StakeholderGroup.objects.filter(slug__startswith=PREFIX, description=MARK)


def generated_process():
    return Process.objects.filter(slug=PROCESS_SLUG)


def _venue_slug(name, city):
    return f"{PREFIX}{slugify(f'{name} {city}')}"


def generated_counts():
    """How many generated rows of each kind the database holds."""
    return Counts(
        hearings=generated_hearings().count(),
        segments=Segment.objects.filter(hearing__in=generated_hearings()).count(),
        appearances=Appearance.objects.filter(segment__hearing__in=generated_hearings()).count(),
        people=generated_people().count(),
        organizations=generated_organizations().count(),
        venues=generated_venues().count(),
        stakeholder_groups=generated_groups().count(),
        processes=generated_process().count(),
    )


# --- Deleting -----------------------------------------------------------------


def delete_generated():
    """Delete every generated row and nothing else. Returns (deleted, kept) counts.

    A generated person, organization, venue or group that an editor has since
    used in a record of their own is kept, so that record stays whole.
    """
    with changes.atomic():
        return _delete_generated()


def _delete_generated():
    deleted, kept = Counts(), Counts()
    hearing_ids = list(generated_hearings().values_list("pk", flat=True))
    # A few hundred hearings at a time: the ORM's delete holds each batch's rows in memory.
    for chunk in _chunks(hearing_ids):
        counts = Hearing.objects.filter(pk__in=chunk).delete()[1]
        deleted.hearings += counts.get(Hearing._meta.label, 0)
        deleted.segments += counts.get(Segment._meta.label, 0)
        deleted.appearances += counts.get(Appearance._meta.label, 0)

    demo_people = generated_people()
    deleted.people, kept.people = _delete_unused(demo_people, demo_people.filter(appearances__isnull=False))
    demo_orgs = generated_organizations()
    deleted.organizations, kept.organizations = _delete_unused(demo_orgs, demo_orgs.filter(appearances__isnull=False))
    demo_venues = generated_venues()
    deleted.venues, kept.venues = _delete_unused(demo_venues, demo_venues.filter(hearings__isnull=False))
    demo_process = generated_process()
    deleted.processes, kept.processes = _delete_unused(demo_process, demo_process.filter(hearings__isnull=False))
    # Groups refer to their parent, so leaves go first, round after round.
    while True:
        demo_groups = generated_groups()
        in_use = (
            demo_groups.filter(organizations__isnull=False)
            | demo_groups.filter(hearingparticipation__isnull=False)
            | demo_groups.filter(children__isnull=False)
        )
        removed = demo_groups.exclude(pk__in=in_use.values("pk")).delete()[1].get(StakeholderGroup._meta.label, 0)
        kept.stakeholder_groups = demo_groups.count()
        deleted.stakeholder_groups += removed
        if not removed:
            break
    return deleted, kept


def _delete_unused(candidates, in_use):
    """Delete the candidates not `in_use`, which covers every row that refers to them. Returns (deleted, kept)."""
    unused = list(candidates.exclude(pk__in=in_use.values("pk")).values_list("pk", flat=True))
    removed = 0
    for chunk in _chunks(unused):
        removed += candidates.model.objects.filter(pk__in=chunk).delete()[1].get(candidates.model._meta.label, 0)
    return removed, candidates.count()


def _chunks(items, size=BATCH_SIZE // 2):
    for start in range(0, len(items), size):
        yield items[start : start + size]


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
