"""Derived data kept beside each hearing so that public lists stay cheap at any size.

For every hearing: `search_text`, the folded text of the hearing, its segments,
speakers and their organizations; and its rows in `HearingGroupIndex`, every
stakeholder group it matches (a speaker's organization's group or a
participating group) together with their ancestors. `signals` keeps both
current on every save and delete; bulk writers call `reindex_hearings` directly.
"""

from itertools import islice

from django.db import transaction

from .models import Appearance, Hearing, HearingGroupIndex, HearingParticipation, Segment, StakeholderGroup
from .text import fold

BATCH = 500


def ancestor_map(pairs=None):
    """Each group's id with the ids above it, from (id, parent id) pairs or the group table."""
    parents = dict(StakeholderGroup.objects.values_list("pk", "parent_id") if pairs is None else pairs)
    ancestors = {}
    for pk in parents:
        chain, seen, current = [], set(), pk
        while current is not None and current not in seen:
            seen.add(current)
            chain.append(current)
            current = parents.get(current)
        ancestors[pk] = chain
    return ancestors


def _batches(iterable, size):
    iterator = iter(iterable)
    while batch := list(islice(iterator, size)):
        yield batch


@transaction.atomic
def reindex_hearings(hearing_ids=None):
    """Rebuild the derived data of the given hearings (all hearings when None). Returns how many."""
    if hearing_ids is None:
        hearing_ids = Hearing.objects.values_list("pk", flat=True).order_by("pk")
    ancestors = ancestor_map()
    total = 0
    for batch in _batches(hearing_ids, BATCH):
        texts = {}
        groups = {}
        for row in Hearing.objects.filter(pk__in=batch).values(
            "pk",
            "title",
            "summary",
            "convener",
            "mandate",
            "process__name",
            "process__short_name",
            "venue__name",
            "venue__site",
            "venue__city",
            "venue__country",
        ):
            pk = row.pop("pk")
            texts[pk] = [value or "" for value in row.values()]
            groups[pk] = set()
        for hearing_id, *values in Segment.objects.filter(hearing__in=batch).values_list(
            "hearing_id", "title", "theme", "summary"
        ):
            texts[hearing_id].extend(values)
        for hearing_id, *values, group_id in Appearance.objects.filter(segment__hearing__in=batch).values_list(
            "segment__hearing_id",
            "person__search_text",
            "position_title",
            "summary",
            "organization__search_text",
            "organization__stakeholder_group_id",
        ):
            texts[hearing_id].extend(value or "" for value in values)
            if group_id is not None:
                groups[hearing_id].update(ancestors.get(group_id, [group_id]))
        for hearing_id, group_id in HearingParticipation.objects.filter(hearing__in=batch).values_list(
            "hearing_id", "group_id"
        ):
            groups[hearing_id].update(ancestors.get(group_id, [group_id]))

        hearings = [Hearing(pk=pk, search_text=fold(" ".join(parts))) for pk, parts in texts.items()]
        Hearing.objects.bulk_update(hearings, ["search_text"])
        HearingGroupIndex.objects.filter(hearing__in=list(texts)).delete()
        HearingGroupIndex.objects.bulk_create(
            HearingGroupIndex(hearing_id=hearing_id, group_id=group_id)
            for hearing_id, group_ids in groups.items()
            for group_id in group_ids
        )
        total += len(texts)
    return total
