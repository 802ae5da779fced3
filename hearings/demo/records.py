"""Which rows are generated, how many, and deleting them (and nothing else)."""

from dataclasses import dataclass, fields

from django.utils.text import slugify

from hearings.demo.vocabulary import (
    BATCH_SIZE,
    MARK,
    PREFIX,
    PROCESS_SLUG,
    SINGULAR,
    VENUES,
    WEBSITE,
)
from hearings.domain import changes
from hearings.models import (
    Appearance,
    Hearing,
    Organization,
    Person,
    Process,
    Segment,
    StakeholderGroup,
    Venue,
)


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
    return StakeholderGroup.objects.filter(slug__startswith=PREFIX, description_en=MARK)


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
