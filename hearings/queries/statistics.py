"""Who speaks at the hearings: participation by stakeholder group, year, role, process and organization.

Every number is counted from the public querysets over the hearings a
`HearingFilter` selects, so drafts never count and the statistics agree with
the hearing list, the API and the downloads for the same filters. The whole
set is a handful of queries whatever the number of hearings, kept under the
data version like the facets (plain data, so it can be cached).

Counting rules:

- an appearance is one person speaking in one segment; a person who speaks in
  two segments of a hearing counts twice as appearances, once as a speaker;
- an appearance counts for its organization's stakeholder group and for every
  group above it, so a parent's totals include its subgroups' (a person counts
  once in a group however many subgroups they spoke for);
- an appearance without an organization counts as "no organization given".
"""

from collections import defaultdict

from django.db.models import Count
from django.utils.translation import gettext as _

from hearings.domain import grouptree
from hearings.domain import record_text as translated
from hearings.models import Appearance, Organization, Process, Segment, StakeholderGroup
from hearings.pagecache.versions import remembered

NO_ORGANIZATION = "no-organization"
TOP_ORGANIZATIONS = 10


def participation(filterset, *, version):
    """The statistics of the hearings `filterset` selects (a valid `HearingFilter`), as plain data."""
    return remembered(version, "statistics", filterset.state(), lambda: _participation(filterset.qs), per_language=True)


def _participation(hearings):
    hearing_ids = hearings.order_by().values("pk")
    appearances = Appearance.objects.public().filter(segment__hearing__in=hearing_ids).order_by()
    tree = list(StakeholderGroup.objects.tree())
    groups = {group.pk: group for group, _depth in tree}
    ancestors = grouptree.ancestor_map(groups.values())
    tally = _Tally(groups, ancestors)
    # One pass over the appearances, grouped by everything the numbers are cut by; the rest is arithmetic.
    # By the hearing's date, its year taken here: SQLite has no year function of its own, and Django's stands
    # in with one call into Python per row. Plain rows: none of these columns is translated, so
    # django-modeltranslation's rewriting (`rewrite(False)`, its documented switch) has nothing to do.
    rows = (
        appearances.rewrite(False)
        .values_list("segment__hearing__date", "role", "organization__stakeholder_group", "organization", "person")
        .annotate(n=Count("pk"))
    )
    for date, *row in rows.iterator(chunk_size=5000):
        tally.add(date.year, *row)
    years = tally.years()
    present = {key for row in years for key in row["series"]}
    return {
        "totals": {
            "hearings": hearings.order_by().count(),
            "segments": Segment.objects.filter(hearing__in=hearing_ids).count(),
            "appearances": tally.appearances,
            "people": len(tally.people),
            "organizations": len(tally.organizations),
        },
        "groups": tally.groups(tree),
        "years": years,
        "roles": tally.roles(),
        "processes": _by_process(hearings),
        "organizations": _top_organizations(appearances, groups),
        "series": [series for series in _series(tree) if series["slug"] in present],
    }


class _Tally:
    """The counts of one selection of appearances, fed (year, role, group, organization, person, n) rows."""

    def __init__(self, groups, ancestors):
        self.groups_by_id, self.ancestors = groups, ancestors
        self.appearances = 0
        self.people, self.organizations = set(), set()
        self.group_appearances, self.group_people = defaultdict(int), defaultdict(set)
        self.year_appearances, self.year_people = defaultdict(int), defaultdict(set)
        self.series_appearances, self.series_people = defaultdict(int), defaultdict(set)
        self.role_appearances, self.role_series = defaultdict(int), defaultdict(int)

    def add(self, year, role, group_id, organization_id, person_id, count):
        self.appearances += count
        self.people.add(person_id)
        chain = self.ancestors.get(group_id, [group_id]) if group_id is not None else [NO_ORGANIZATION]
        for key in chain:
            self.group_appearances[key] += count
            self.group_people[key].add(person_id)
        series = _series_key(self.groups_by_id, chain[-1])
        self.year_appearances[year] += count
        self.year_people[year].add(person_id)
        self.series_appearances[year, series] += count
        self.series_people[year, series].add(person_id)
        self.role_appearances[role] += count
        self.role_series[role, series] += count
        if organization_id is not None:
            self.organizations.add(organization_id)

    def groups(self, tree):
        """Every group in tree order with its own and its subgroups' appearances and distinct speakers."""
        roots = {NO_ORGANIZATION, *(group.pk for group, depth in tree if depth == 0)}
        total = sum(count for key, count in self.group_appearances.items() if key in roots)
        slugs = {group.pk: group.slug for group, _depth in tree}
        rows = [
            {
                "slug": group.slug,
                **_name(group),
                "parent": slugs.get(group.parent_id),
                "depth": depth,
                "appearances": self.group_appearances[group.pk],
                "speakers": len(self.group_people[group.pk]),
                "share": _share(self.group_appearances[group.pk], total),
            }
            for group, depth in tree
            if self.group_appearances.get(group.pk)
        ]
        if self.group_appearances.get(NO_ORGANIZATION):
            rows.append(
                {
                    "slug": NO_ORGANIZATION,
                    "name": None,
                    "lang": None,
                    "parent": None,
                    "depth": 0,
                    "appearances": self.group_appearances[NO_ORGANIZATION],
                    "speakers": len(self.group_people[NO_ORGANIZATION]),
                    "share": _share(self.group_appearances[NO_ORGANIZATION], total),
                }
            )
        return rows

    def years(self):
        """One row per year: appearances and distinct speakers in all, and per top-level group."""
        rows = []
        for year in sorted(self.year_appearances):
            series = {
                key: {"appearances": count, "speakers": len(self.series_people[year, key])}
                for (row_year, key), count in self.series_appearances.items()
                if row_year == year
            }
            rows.append(
                {
                    "year": year,
                    "appearances": self.year_appearances[year],
                    "speakers": len(self.year_people[year]),
                    "series": series,
                }
            )
        return rows

    def roles(self):
        """Appearances per role (in the roles' own order), in all and per top-level group."""
        order = [value for value, _label in Appearance.Role.choices]
        rows = []
        for role in sorted(self.role_appearances, key=lambda role: order.index(role) if role in order else 99):
            series = {
                key: {"appearances": count} for (row_role, key), count in self.role_series.items() if row_role == role
            }
            rows.append({"role": role, "appearances": self.role_appearances[role], "series": series})
        return rows


def _top_organizations(appearances, groups):
    """The organizations spoken for most often, ranked in the database (a fixed number of queries)."""
    counts = list(
        appearances.filter(organization__isnull=False)
        .values_list("organization")
        .annotate(n=Count("pk"), speakers=Count("person", distinct=True))
        .order_by("-n", "organization__name_en", "organization")[:TOP_ORGANIZATIONS]
    )
    organizations = Organization.objects.in_bulk([organization_id for organization_id, _n, _s in counts])
    return [
        {
            "slug": organizations[organization_id].slug,
            **_name(organizations[organization_id]),
            "short_name": organizations[organization_id].short_name,
            "group": groups[organizations[organization_id].stakeholder_group_id].slug,
            **_name(groups[organizations[organization_id].stakeholder_group_id], "group_"),
            "appearances": count,
            "speakers": speakers,
        }
        for organization_id, count, speakers in counts
    ]


def _name(record, prefix=""):
    """A record's name in the reader's language, with `lang` "en" when the English one stands in for it."""
    name = translated.in_language(record, "name")
    return {f"{prefix}name": name.text, f"{prefix}lang": name.lang}


def _share(count, total):
    return round(100 * count / total, 1) if total else 0.0


def _series_key(groups, top_id):
    return groups[top_id].slug if top_id in groups else NO_ORGANIZATION


def _by_process(hearings):
    counts = hearings.order_by().values_list("process").annotate(n=Count("pk"))
    processes = Process.objects.in_bulk([process_id for process_id, _n in counts])
    rows = [
        {
            "slug": processes[process_id].slug,
            **_name(processes[process_id]),
            "short_name": processes[process_id].short_name,
            "hearings": count,
        }
        for process_id, count in counts
    ]
    return sorted(rows, key=lambda row: (-row["hearings"], row["name"]))


def _series(tree):
    """The top-level groups, in display order, and "no organization given": the series of the per-year charts."""
    return [{"slug": group.slug, **_name(group)} for group, depth in tree if depth == 0] + [
        {"slug": NO_ORGANIZATION, "name": None, "lang": None}
    ]


def group_label(name):
    """A statistics row's group name in the reader's language: the appearances without organization have none."""
    return name if name is not None else _("No organization given")


def role_label(role):
    """A role's name in the reader's language."""
    return Appearance.Role(role).label if role in Appearance.Role.values else role


def hearing_breakdown(hearing):
    """A hearing's appearances by stakeholder group, counted as /statistics/ counts them: a subgroup in its
    parent too, the groups in tree order, each with its share; appearances without organization apart.

    Reads the segments and speakers the hearing page has already fetched, and the group tree (one query).
    """
    tree = StakeholderGroup.objects.tree()
    ancestors = grouptree.ancestor_map(group for group, _depth in tree)
    counts = defaultdict(int)
    total = 0
    for segment in hearing.segments.all():
        for appearance in segment.appearances.all():
            total += 1
            group_id = appearance.organization.stakeholder_group_id if appearance.organization_id else None
            for key in ancestors.get(group_id, [group_id]) if group_id is not None else [NO_ORGANIZATION]:
                counts[key] += 1
    rows = [
        {"slug": group.slug, **_name(group), "depth": depth, "appearances": counts[group.pk]}
        for group, depth in tree
        if counts.get(group.pk)
    ]
    if counts.get(NO_ORGANIZATION):
        rows.append(
            {"slug": NO_ORGANIZATION, "name": None, "lang": None, "depth": 0, "appearances": counts[NO_ORGANIZATION]}
        )
    for row in rows:
        row["share"] = _share(row["appearances"], total)
    return rows
