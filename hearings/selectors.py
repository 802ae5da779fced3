"""Read queries for the public pages. Each returns plain data or a queryset with its related rows."""

import hashlib
import json

from django.core.cache import cache
from django.db.models import Count, Exists, OuterRef, Prefetch, Q, Subquery
from django.db.models.functions import ExtractYear
from django.http import Http404

from .indexing import ancestor_map
from .models import (
    Appearance,
    Hearing,
    HearingGroupIndex,
    HearingLink,
    Organization,
    Person,
    Process,
    Segment,
    StakeholderGroup,
)
from .text import fold

PUBLISHED = Hearing.Status.PUBLISHED
COUNTS_TIMEOUT = 24 * 60 * 60


def filtered_without(filterset, *excluded):
    """The filterset's queryset with every valid filter applied except `excluded` (for facet counts)."""
    qs = filterset.queryset
    for name, value in filterset.form.cleaned_data.items():
        if name not in excluded:
            qs = filterset.filters[name].filter(qs, value)
    return qs


def remembered(version, name, parts, compute):
    """`compute()`, kept in the cache until the records next change.

    For counts that read every published hearing: they change only when the
    records do, so they are worked out once per data version and filter
    state, while the page around them is rendered per request.
    """
    if version is None:
        return compute()
    identity = json.dumps([version, name, parts], sort_keys=True, default=str)
    key = "counts:" + hashlib.blake2b(identity.encode(), digest_size=16).hexdigest()
    value = cache.get(key)
    if value is None:
        value = compute()
        cache.set(key, value, COUNTS_TIMEOUT)
    return value


def _filter_state(filterset):
    """The valid filters as plain, order-free values, naming one result set."""
    state = {}
    for name, value in filterset.form.cleaned_data.items():
        if value in (None, "", [], ()):
            continue
        if hasattr(value, "__iter__") and not isinstance(value, str):
            value = sorted(getattr(item, "slug", item) for item in value)
        elif name == "q":
            value = " ".join(fold(value).split())
        else:
            value = getattr(value, "slug", value)
        state[name] = value
    return state


def hearing_facets(filterset, *, version=None):
    """Counts for each filter option, each computed with the other filters applied (disjunctive facets)."""
    return remembered(version, "hearing-facets", _filter_state(filterset), lambda: _hearing_facets(filterset))


def _hearing_facets(filterset):
    group_base = filtered_without(filterset, "stakeholder_group")
    group_counts = dict(
        HearingGroupIndex.objects.filter(hearing__in=group_base.values("pk"))
        .values_list("group")
        .annotate(n=Count("hearing"))
        .order_by()
    )
    year_counts = list(
        filtered_without(filterset, "year")
        .annotate(year_value=ExtractYear("date"))
        .values_list("year_value")
        .annotate(n=Count("pk"))
        .order_by("-year_value")
    )
    process_counts = list(
        filtered_without(filterset, "process")
        .values_list("process__slug", "process__name")
        .annotate(n=Count("pk"))
        .order_by("process__name")
    )
    return {
        "count": filterset.qs.count(),
        "groups": group_counts,
        "years": year_counts,
        "processes": process_counts,
    }


def group_tree(groups, counts=None, selected=()):
    """Groups in display order, each child right after its parent, with depth and count.

    Yields dicts so templates need no further queries. With `counts`, groups at zero are left
    out unless selected.
    """
    by_parent = {}
    for group in groups:
        by_parent.setdefault(group.parent_id, []).append(group)
    known = {group.pk for group in groups}
    roots = [group for group in groups if group.parent_id is None or group.parent_id not in known]
    result = []

    def walk(nodes, depth):
        for group in nodes:
            count = counts.get(group.pk, 0) if counts is not None else None
            if counts is None or count or group.slug in selected:
                result.append({"group": group, "depth": depth, "count": count, "selected": group.slug in selected})
            walk(by_parent.get(group.pk, []), depth + 1)

    walk(roots, 0)
    return result


def group_statistics(*, version=None):
    """For every stakeholder group: public hearings and people, children counted in their parent."""
    groups = list(StakeholderGroup.objects.all())
    hearing_counts, people_counts = remembered(version, "group-statistics", None, lambda: _group_counts(groups))
    return groups, hearing_counts, people_counts


def group_rows(*, version=None):
    """The group tree in display order, each row with its public hearing and people counts."""
    groups, hearing_counts, people_counts = group_statistics(version=version)
    return [
        {**row, "hearings": hearing_counts.get(row["group"].pk, 0), "people": people_counts.get(row["group"].pk, 0)}
        for row in group_tree(groups)
    ]


def _group_counts(groups):
    hearing_counts = dict(
        HearingGroupIndex.objects.filter(hearing__status=PUBLISHED)
        .values_list("group")
        .annotate(n=Count("hearing"))
        .order_by()
    )
    ancestors = ancestor_map((group.pk, group.parent_id) for group in groups)
    # Each person once per group, counted in the group and every group above it.
    people = {}
    pairs = (
        Appearance.objects.filter(segment__hearing__status=PUBLISHED, organization__isnull=False)
        .values_list("organization__stakeholder_group", "person")
        .distinct()
        .order_by()
    )
    for group_id, person_id in pairs.iterator(chunk_size=5000):
        for ancestor_id in ancestors.get(group_id, [group_id]):
            people.setdefault(ancestor_id, set()).add(person_id)
    return hearing_counts, {group_id: len(members) for group_id, members in people.items()}


def list_count(queryset, filterset, *, version=None):
    """How many rows a filtered list has, kept like the facets."""
    name = f"count:{queryset.model._meta.label}"
    return remembered(version, name, _filter_state(filterset), queryset.count)


def hearing_detail(slug):
    appearances = Appearance.objects.select_related("person", "organization__stakeholder_group").defer(
        "person__search_text", "person__biography", "organization__search_text"
    )
    try:
        return (
            Hearing.objects.published()
            .select_related("process", "venue")
            .defer("search_text", "process__description")
            .prefetch_related(
                "participating_groups",
                Prefetch("links", queryset=HearingLink.objects.all()),
                Prefetch("segments", queryset=Segment.objects.prefetch_related(Prefetch("appearances", appearances))),
            )
            .get(slug=slug)
        )
    except Hearing.DoesNotExist:
        raise Http404 from None


def neighbours(hearing):
    """The previous and next published hearing of the same process, by date."""
    siblings = Hearing.objects.published().filter(process_id=hearing.process_id).only("title", "slug", "date")
    # The plain date bound lets the database walk the (process, date) index from this hearing outwards.
    earlier = siblings.filter(date__lte=hearing.date).filter(Q(date__lt=hearing.date) | Q(pk__lt=hearing.pk))
    later = siblings.filter(date__gte=hearing.date).filter(Q(date__gt=hearing.date) | Q(pk__gt=hearing.pk))
    previous = earlier.order_by("-date", "-pk").first()
    following = later.order_by("date", "pk").first()
    return previous, following


def public_appearances():
    return Appearance.objects.filter(segment__hearing__status=PUBLISHED).select_related(
        "segment__hearing__process", "organization__stakeholder_group", "person"
    )


def latest_appearances(people):
    """Each person's most recent public appearance, in one query, keyed by person id."""
    latest = (
        Appearance.objects.filter(person=OuterRef("pk"), segment__hearing__status=PUBLISHED)
        .order_by("-segment__hearing__date", "-pk")
        .values("pk")[:1]
    )
    ids = [
        pk
        for pk in Person.objects.filter(pk__in=[person.pk for person in people])
        .annotate(latest=Subquery(latest))
        .values_list("latest", flat=True)
        if pk
    ]
    appearances = Appearance.objects.filter(pk__in=ids).select_related("organization__stakeholder_group")
    return {appearance.person_id: appearance for appearance in appearances}


def public_person(slug):
    try:
        return Person.objects.public().get(slug=slug)
    except Person.DoesNotExist:
        raise Http404 from None


def public_organization(slug):
    try:
        return Organization.objects.public().select_related("stakeholder_group__parent").get(slug=slug)
    except Organization.DoesNotExist:
        raise Http404 from None


def public_process(slug):
    try:
        return Process.objects.filter(Exists(Hearing.objects.published().filter(process=OuterRef("pk")))).get(slug=slug)
    except Process.DoesNotExist:
        raise Http404 from None
