"""Read queries for the public pages, over the models' public querysets. Each returns a queryset or plain data."""

from django.core.exceptions import EmptyResultSet
from django.db.models import Count, OuterRef, Prefetch, Q, Subquery
from django.db.models.functions import ExtractYear
from django.utils import translation

from hearings.domain import record_text as translated
from hearings.models import (
    Appearance,
    Hearing,
    HearingGroupIndex,
    HearingLink,
    Organization,
    Person,
    Segment,
    StakeholderGroup,
)
from hearings.pagecache.versions import remembered


def hearing_facets(filterset, *, version):
    """Counts for each filter option, each computed with the other filters applied (disjunctive facets)."""
    return remembered(
        version, "hearing-facets", filterset.state(), lambda: _hearing_facets(filterset), per_language=True
    )


def _hearing_facets(filterset):
    group_counts = dict(
        HearingGroupIndex.objects.filter(hearing__in=filterset.queryset_without("stakeholder_group").values("pk"))
        .values_list("group")
        .annotate(n=Count("hearing"))
        .order_by()
    )
    year_counts = list(
        filterset.queryset_without("year")
        .annotate(year_value=ExtractYear("date"))
        .values_list("year_value")
        .annotate(n=Count("pk"))
        .order_by("-year_value")
    )
    language = translation.get_language()
    english, own = f"process__{translated.english('name')}", f"process__{translated.column('name', language)}"
    names = (english,) if own == english else (english, own)
    process_counts = sorted(
        (
            (slug, (own[0] if own else None) or name, n)
            for slug, name, *own, n in filterset.queryset_without("process")
            .values_list("process__slug", *names)
            .annotate(n=Count("pk"))
            .order_by()
        ),
        key=lambda row: row[1].casefold(),
    )
    return {"count": filterset.qs.count(), "groups": group_counts, "years": year_counts, "processes": process_counts}


def group_rows(*, version):
    """The public group tree in display order, as dicts with the group, its depth and its hearing and people counts.

    Children are counted in their parent too.
    """
    rows = StakeholderGroup.objects.public().tree()
    hearing_counts, people_counts = remembered(version, "group-counts", None, _group_counts)
    return [
        {
            "group": group,
            "depth": depth,
            "hearings": hearing_counts.get(group.pk, 0),
            "people": people_counts.get(group.pk, 0),
        }
        for group, depth in rows
    ]


def _group_counts():
    hearing_counts = dict(
        HearingGroupIndex.objects.filter(hearing__in=Hearing.objects.public().values("pk"))
        .values_list("group")
        .annotate(n=Count("hearing"))
        .order_by()
    )
    ancestors = StakeholderGroup.objects.ancestor_map()
    # Each person once per group, counted in the group and every group above it.
    people = {}
    pairs = (
        Appearance.objects.public()
        .filter(organization__isnull=False)
        .rewrite(False)  # plain rows: no translated column (django-modeltranslation's documented switch)
        .values_list("organization__stakeholder_group", "person")
        .distinct()
        .order_by()
    )
    for group_id, person_id in pairs.iterator(chunk_size=5000):
        for ancestor_id in ancestors.get(group_id, [group_id]):
            people.setdefault(ancestor_id, set()).add(person_id)
    return hearing_counts, {group_id: len(members) for group_id, members in people.items()}


def count(queryset, *, version):
    """How many rows `queryset` has, kept under the data version like the facets (keyed by its SQL)."""
    try:
        sql = str(queryset.order_by().query)
    except EmptyResultSet:
        return 0
    return remembered(version, "count", sql, queryset.count)


def detail_prefetches():
    """The related rows a hearing's page shows: participating groups, links, segments in order, speakers."""
    appearances = Appearance.objects.select_related("person", "organization__stakeholder_group").defer(
        "person__search_text", "person__biography", "organization__search_text"
    )
    return [
        "participating_groups",
        Prefetch("links", queryset=HearingLink.objects.all()),
        Prefetch("segments", queryset=Segment.objects.prefetch_related(Prefetch("appearances", appearances))),
    ]


def hearings_with_place(hearings=None):
    """Public hearings (or `hearings`) with their process and venue: what a hearing's page shows of itself."""
    return (
        (Hearing.objects.public() if hearings is None else hearings)
        .select_related("process", "venue")
        .defer("search_text", "process__description")
    )


def hearings_for_detail(hearings=None):
    """Public hearings (or `hearings`) with everything their page shows: segments in order, speakers, organizations."""
    return hearings_with_place(hearings).prefetch_related(*detail_prefetches())


def neighbours(hearing):
    """The previous and next published hearing of the same process, by date."""
    siblings = Hearing.objects.public().filter(process_id=hearing.process_id).only("title", "slug", "date")
    # The plain date bound lets the database walk the (process, date) index from this hearing outwards.
    earlier = siblings.filter(date__lte=hearing.date).filter(Q(date__lt=hearing.date) | Q(pk__lt=hearing.pk))
    later = siblings.filter(date__gte=hearing.date).filter(Q(date__gt=hearing.date) | Q(pk__gt=hearing.pk))
    return earlier.order_by("-date", "-pk").first(), later.order_by("date", "pk").first()


# What a list of appearances in context (a person's or an organization's page) does not show: the long
# texts of the hearing, segment, process, group and person, in every language, and the search texts.
_NOT_SHOWN_IN_CONTEXT = (
    "segment__summary",
    "segment__theme",
    "segment__hearing__summary",
    "segment__hearing__convener",
    "segment__hearing__mandate",
    "segment__hearing__search_text",
    "segment__hearing__process__description",
    "segment__hearing__process__mandate",
    "organization__search_text",
    "organization__stakeholder_group__description",
    "person__search_text",
    "person__biography",
)


def appearances_with_context(appearances=None):
    """Public appearances (or `appearances`) with their hearing, process, person and organization's group."""
    return (
        (Appearance.objects.public() if appearances is None else appearances)
        .select_related("segment__hearing__process", "organization__stakeholder_group", "person")
        .defer(*_NOT_SHOWN_IN_CONTEXT)
    )


def latest_appearances(people):
    """Each person's most recent public appearance, in one query, keyed by person id."""
    latest = (
        Appearance.objects.public()
        .filter(person=OuterRef("pk"))
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


def group_hearings(group):
    """A stakeholder group's latest public hearings, for its page."""
    return Hearing.objects.public().for_stakeholder_groups([group]).with_listing_related().order_by("-date", "-pk")[:10]


def group_members(group):
    """What a stakeholder group's page lists besides its hearings: its public subgroups, organizations and people."""
    ids = StakeholderGroup.objects.descendant_ids([group])
    return {
        "children": StakeholderGroup.objects.public().filter(parent=group),
        "organizations": Organization.objects.public()
        .in_groups(ids)
        .only("name", "slug")
        .order_by(translated.in_language_order("name"))[:25],
        "people": Person.objects.public().in_groups(ids).only("name", "slug").order_by("sort_name", "name")[:25],
    }


def process_hearings(process):
    return Hearing.objects.public().filter(process=process).select_related("venue").defer("search_text", "summary")
