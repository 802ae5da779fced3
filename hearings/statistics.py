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

from django.db.models import Case, Count, IntegerField, Value, When
from django.db.models.functions import ExtractYear
from django.utils.translation import gettext as _

from .caching import remembered
from .models import Appearance, Organization, Process, Segment, StakeholderGroup

NO_ORGANIZATION = "no-organization"
TOP_ORGANIZATIONS = 10


def participation(filterset, *, version):
    """The statistics of the hearings `filterset` selects (a valid `HearingFilter`), as plain data."""
    return remembered(version, "statistics", filterset.state(), lambda: _participation(filterset.qs))


def _participation(hearings):
    hearing_ids = hearings.order_by().values("pk")
    appearances = Appearance.objects.public().filter(segment__hearing__in=hearing_ids).order_by()
    tree = list(StakeholderGroup.objects.tree())
    groups = {group.pk: group for group, _depth in tree}
    ancestors = StakeholderGroup.objects.ancestor_map()
    tops = {group_id: chain[-1] for group_id, chain in ancestors.items()}

    years = _by_year(appearances, groups, tops)
    roles = _by_role(appearances, groups, tops)
    present = {key for row in years for key in row["series"]}
    return {
        "totals": _totals(hearings, hearing_ids, appearances),
        "groups": _by_group(appearances, tree, ancestors),
        "years": years,
        "roles": roles,
        "processes": _by_process(hearings),
        "organizations": _top_organizations(appearances, groups),
        "series": [series for series in _series(tree) if series["slug"] in present],
    }


def _totals(hearings, hearing_ids, appearances):
    counted = appearances.aggregate(
        appearances=Count("pk"),
        people=Count("person", distinct=True),
        organizations=Count("organization", distinct=True),
    )
    return {
        "hearings": hearings.order_by().count(),
        "segments": Segment.objects.filter(hearing__in=hearing_ids).count(),
        **counted,
    }


def _by_group(appearances, tree, ancestors):
    """Every group in tree order with its own and its subgroups' appearances and distinct speakers."""
    appearance_counts = defaultdict(int)
    for group_id, count in appearances.values_list("organization__stakeholder_group").annotate(n=Count("pk")):
        for ancestor_id in ancestors.get(group_id, [group_id]) if group_id is not None else [NO_ORGANIZATION]:
            appearance_counts[ancestor_id] += count
    speakers = defaultdict(set)
    pairs = appearances.values_list("organization__stakeholder_group", "person").distinct()
    for group_id, person_id in pairs.iterator(chunk_size=5000):
        for ancestor_id in ancestors.get(group_id, [group_id]) if group_id is not None else [NO_ORGANIZATION]:
            speakers[ancestor_id].add(person_id)
    total = sum(count for key, count in appearance_counts.items() if key == NO_ORGANIZATION or key in _roots(tree))
    slugs = {group.pk: group.slug for group, _depth in tree}
    rows = [
        {
            "slug": group.slug,
            "name": group.name,
            "parent": slugs.get(group.parent_id),
            "depth": depth,
            "appearances": appearance_counts.get(group.pk, 0),
            "speakers": len(speakers.get(group.pk, ())),
            "share": _share(appearance_counts.get(group.pk, 0), total),
        }
        for group, depth in tree
        if appearance_counts.get(group.pk)
    ]
    if appearance_counts.get(NO_ORGANIZATION):
        rows.append(
            {
                "slug": NO_ORGANIZATION,
                "name": None,
                "parent": None,
                "depth": 0,
                "appearances": appearance_counts[NO_ORGANIZATION],
                "speakers": len(speakers[NO_ORGANIZATION]),
                "share": _share(appearance_counts[NO_ORGANIZATION], total),
            }
        )
    return rows


def _roots(tree):
    return {group.pk for group, depth in tree if depth == 0}


def _share(count, total):
    return round(100 * count / total, 1) if total else 0.0


def _top_group(tops):
    """An expression naming each appearance's top-level group (0: no organization), for grouping in the database."""
    by_top = defaultdict(list)
    for group_id, top_id in tops.items():
        by_top[top_id].append(group_id)
    whens = [When(organization__stakeholder_group__in=ids, then=Value(top)) for top, ids in sorted(by_top.items())]
    return Case(*whens, default=Value(0), output_field=IntegerField())


def _series_key(groups, top_id):
    return groups[top_id].slug if top_id in groups else NO_ORGANIZATION


def _by_year(appearances, groups, tops):
    """One row per year: appearances and distinct speakers in all, and per top-level group."""
    by_year = {}
    rows = (
        appearances.annotate(year=ExtractYear("segment__hearing__date"), top=_top_group(tops))
        .values_list("year", "top")
        .annotate(n=Count("pk"), speakers=Count("person", distinct=True))
    )
    for year, top_id, count, speaker_count in rows:
        row = by_year.setdefault(year, {"year": year, "appearances": 0, "series": {}})
        row["appearances"] += count
        row["series"][_series_key(groups, top_id)] = {"appearances": count, "speakers": speaker_count}
    year_speakers = dict(
        appearances.annotate(year=ExtractYear("segment__hearing__date"))
        .values_list("year")
        .annotate(n=Count("person", distinct=True))
    )
    for year, row in by_year.items():
        row["speakers"] = year_speakers.get(year, 0)
    return [by_year[year] for year in sorted(by_year)]


def _by_role(appearances, groups, tops):
    """Appearances per role (in the roles' own order), in all and per top-level group."""
    by_role = {}
    for role, top_id, count in (
        appearances.annotate(top=_top_group(tops)).values_list("role", "top").annotate(n=Count("pk"))
    ):
        row = by_role.setdefault(role, {"role": role, "appearances": 0, "series": {}})
        row["appearances"] += count
        row["series"][_series_key(groups, top_id)] = {"appearances": count}
    order = [value for value, _label in Appearance.Role.choices]
    return [by_role[role] for role in sorted(by_role, key=lambda role: order.index(role) if role in order else 99)]


def _by_process(hearings):
    counts = hearings.order_by().values_list("process").annotate(n=Count("pk"))
    processes = Process.objects.in_bulk([process_id for process_id, _n in counts])
    rows = [
        {
            "slug": processes[process_id].slug,
            "name": processes[process_id].name,
            "short_name": processes[process_id].short_name,
            "hearings": count,
        }
        for process_id, count in counts
    ]
    return sorted(rows, key=lambda row: (-row["hearings"], row["name"]))


def _top_organizations(appearances, groups):
    counts = list(
        appearances.filter(organization__isnull=False)
        .values_list("organization")
        .annotate(n=Count("pk"), speakers=Count("person", distinct=True))
        .order_by("-n", "organization__name", "organization")[:TOP_ORGANIZATIONS]
    )
    organizations = Organization.objects.in_bulk([organization_id for organization_id, _n, _s in counts])
    return [
        {
            "slug": organizations[organization_id].slug,
            "name": organizations[organization_id].name,
            "short_name": organizations[organization_id].short_name,
            "group": groups[organizations[organization_id].stakeholder_group_id].slug,
            "group_name": groups[organizations[organization_id].stakeholder_group_id].name,
            "appearances": count,
            "speakers": speakers,
        }
        for organization_id, count, speakers in counts
    ]


def _series(tree):
    """The top-level groups, in display order, and "no organization given": the series of the per-year charts."""
    return [{"slug": group.slug, "name": group.name} for group, depth in tree if depth == 0] + [
        {"slug": NO_ORGANIZATION, "name": None}
    ]


def group_label(name):
    """A statistics row's group name in the reader's language: the appearances without organization have none."""
    return name if name is not None else _("No organization given")


def role_label(role):
    """A role's name in the reader's language."""
    return Appearance.Role(role).label if role in Appearance.Role.values else role


def hearing_breakdown(hearing):
    """A hearing's appearances by their organization's stakeholder group, with each group's share.

    Reads the segments and speakers the hearing page has already fetched: no query.
    """
    counts = {}
    total = 0
    for segment in hearing.segments.all():
        for appearance in segment.appearances.all():
            group = appearance.organization.stakeholder_group if appearance.organization_id else None
            key = group.slug if group else NO_ORGANIZATION
            row = counts.setdefault(key, {"slug": key, "name": group.name if group else None, "appearances": 0})
            row["appearances"] += 1
            total += 1
    rows = sorted(counts.values(), key=lambda row: (-row["appearances"], row["name"] is None, row["name"] or ""))
    for row in rows:
        row["share"] = _share(row["appearances"], total)
    return rows
