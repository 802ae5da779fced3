"""Derived data kept beside each hearing so that public lists stay cheap at any size.

For every hearing: `search_text`, the folded text of the hearing, its segments,
speakers and their organizations; and its rows in `HearingGroupIndex`, every
stakeholder group it matches (a speaker's organization's group or a
participating group) together with the groups above them.

`reindex_hearings` rebuilds both for a set of hearings from what the database
holds, writing only what differs. It is idempotent, so `changes` calls it once
per transaction for every hearing the transaction touched, whoever wrote.
"""

from itertools import islice

from django.db import DEFAULT_DB_ALIAS

from hearings.domain.record_text import every_language
from hearings.domain.text import fold
from hearings.models import Appearance, Hearing, HearingGroupIndex, HearingParticipation, Segment, StakeholderGroup

BATCH = 500

# The hearing's own text, then that of its process and venue; a translated text in each of its languages, so
# that search finds a record by any of them.
HEARING_TEXT = (
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
)
SEGMENT_TEXT = ("title", "theme", "summary")
# A speaker's folded name and organization come from their own search text.
APPEARANCE_TEXT = ("person__search_text", "position_title", "summary", "organization__search_text")


def _columns():
    """The columns the search text is made of (known once the translated fields are registered)."""
    return (
        every_language(Hearing, HEARING_TEXT),
        every_language(Segment, SEGMENT_TEXT),
        every_language(Appearance, APPEARANCE_TEXT),
    )


def _batches(iterable, size):
    iterator = iter(iterable)
    while batch := list(islice(iterator, size)):
        yield batch


def reindex_hearings(hearing_ids=None, *, using=DEFAULT_DB_ALIAS):
    """Bring the derived data of the given hearings (all when None) up to date. Returns how many exist.

    Ids of hearings that no longer exist are passed over. Run it inside the
    transaction that changed the records, so that readers never see one without the other.
    """
    if hearing_ids is None:
        hearing_ids = Hearing.objects.using(using).values_list("pk", flat=True).order_by("pk")
    ancestors = None
    total = 0
    hearing_text, segment_text, appearance_text = _columns()
    for batch in _batches(hearing_ids, BATCH):
        rows = {
            row.pop("pk"): row
            for row in Hearing.objects.using(using)
            .filter(pk__in=batch)
            .order_by()
            .values("pk", "search_text", *hearing_text)
        }
        if not rows:
            continue
        if ancestors is None:
            ancestors = StakeholderGroup.objects.using(using).ancestor_map()
        texts = {pk: [row[name] or "" for name in hearing_text] for pk, row in rows.items()}
        groups = {pk: set() for pk in rows}
        for hearing_id, *values in (
            Segment.objects.using(using).filter(hearing__in=rows).values_list("hearing_id", *segment_text)
        ):
            texts[hearing_id].extend(value or "" for value in values)
        for hearing_id, group_id, *values in (
            Appearance.objects.using(using)
            .filter(segment__hearing__in=rows)
            .values_list("segment__hearing_id", "organization__stakeholder_group_id", *appearance_text)
        ):
            texts[hearing_id].extend(value or "" for value in values)
            if group_id is not None:
                groups[hearing_id].update(ancestors.get(group_id, [group_id]))
        for hearing_id, group_id in (
            HearingParticipation.objects.using(using).filter(hearing__in=rows).values_list("hearing_id", "group_id")
        ):
            groups[hearing_id].update(ancestors.get(group_id, [group_id]))

        changed_texts = [
            Hearing(pk=pk, search_text=text)
            for pk, parts in texts.items()
            if (text := fold(" ".join(parts))) != rows[pk]["search_text"]
        ]
        if changed_texts:
            Hearing.objects.using(using).bulk_update(changed_texts, ["search_text"])
        _write_group_index(groups, using)
        total += len(rows)
    return total


def _write_group_index(groups, using):
    """Make the index rows of these hearings exactly `groups`, touching only the rows that differ."""
    existing = {
        (hearing_id, group_id): pk
        for pk, hearing_id, group_id in HearingGroupIndex.objects.using(using)
        .filter(hearing__in=groups)
        .values_list("pk", "hearing_id", "group_id")
    }
    wanted = {(hearing_id, group_id) for hearing_id, group_ids in groups.items() for group_id in group_ids}
    stale = [pk for pair, pk in existing.items() if pair not in wanted]
    if stale:
        HearingGroupIndex.objects.using(using).filter(pk__in=stale).delete()
    missing = wanted - existing.keys()
    if missing:
        HearingGroupIndex.objects.using(using).bulk_create(
            HearingGroupIndex(hearing_id=hearing_id, group_id=group_id) for hearing_id, group_id in sorted(missing)
        )


def hearings_under_groups(group_ids):
    """Ids of the hearings whose index holds one of these groups: every hearing that matches them or a subgroup."""
    return HearingGroupIndex.objects.filter(group__in=group_ids).values_list("hearing_id", flat=True).distinct()
