"""Changes to the records, gathered per transaction and applied once.

Signal receivers (`signals`) only note what a save or delete touched: a
hearing, a segment, a person, an organization, a process, a venue, a group
that moved in the tree. Nothing is computed per row. `flush()` then brings the
derived data of every hearing concerned up to date (`indexing`) and gives the
records a new data version (`DataVersion`, under which public pages are
cached), with a handful of queries whatever the number of rows.

Whoever writes gets the same path:

- `atomic()` wraps a unit of work (an admin save, the seed loader, the demo
  generator, an import) and flushes at its end, inside its transaction, so that
  the records, their derived data and the version commit together; a unit that
  fails takes what it noted with it;
- any other write flushes when its transaction commits (`transaction.on_commit`,
  which Django runs at once for a write in autocommit mode: a plain `.save()` in
  a shell, a raw `loaddata`);
- a read that depends on derived data (`caching.version_key()`, run by every
  public page) flushes first, so a transaction that has not flushed yet still
  reads its own writes.

What is pending is kept here, per database alias, in storage local to the
thread like Django's own connections (`asgiref.local.Local(thread_critical=True)`),
never on the connection object. `reindex_hearings` is idempotent and reads what
the database holds, so noting a hearing twice, or one whose change was rolled
back, costs a little and breaks nothing.
"""

import contextlib
import functools
from dataclasses import dataclass, field, fields

from asgiref.local import Local
from django.db import DEFAULT_DB_ALIAS, connections, transaction
from django.utils import timezone

from hearings.domain.indexing import BATCH, hearings_under_groups, reindex_hearings
from hearings.models import DataVersion, Hearing, Organization, Person, Segment, StakeholderGroup, new_token


@dataclass
class Pending:
    """What a transaction (or a unit of work within it) has touched and not applied yet."""

    hearings: set = field(default_factory=set)
    segments: set = field(default_factory=set)
    people: set = field(default_factory=set)
    organizations: set = field(default_factory=set)
    processes: set = field(default_factory=set)
    venues: set = field(default_factory=set)
    # Groups placed under a new parent: every hearing under them matches other ancestors now.
    groups: set = field(default_factory=set)
    # Hearings whose page shows the change (a link), though their derived data does not change.
    shown_by: set = field(default_factory=set)
    # Groups whose own name or description changed: public pages show them when a published hearing uses them.
    groups_shown: set = field(default_factory=set)
    # People and organizations saved raw (fixtures), whose own `search_text` was not made by `save()`.
    raw_searchable: dict = field(default_factory=dict)
    # A change whose reach is not known (a record model `signals` does not name): every hearing's
    # fragments are rendered again.
    everything_shown: bool = False
    # Changes something that counts read (see `note`); when only text changed, kept counts stay valid.
    counted: bool = False
    changed: bool = False
    # Known to change what the public sees; otherwise that is decided at the end, from the hearings concerned.
    public: bool = False

    def __bool__(self):
        return self.changed

    def update(self, other):
        """Add what `other` holds to this."""
        for item in fields(self):
            mine, theirs = getattr(self, item.name), getattr(other, item.name)
            if isinstance(mine, set):
                mine.update(theirs)
            elif isinstance(mine, dict):
                for model, ids in theirs.items():
                    mine.setdefault(model, set()).update(ids)
        self.changed = self.changed or other.changed
        self.public = self.public or other.public
        self.everything_shown = self.everything_shown or other.everything_shown
        self.counted = self.counted or other.counted


@dataclass
class _Frame:
    """The changes noted at one level: outside any unit of work (the first frame), or in one `atomic()`."""

    noted: Pending = field(default_factory=Pending)
    # What a flush applied while this unit was the innermost, noted outside it: the derived data written for
    # it goes if the unit's transaction is rolled back, so it is pending again then.
    applied: Pending = field(default_factory=Pending)


# Per thread (and per async task), like `django.db.connections`: {alias: [first frame, unit, inner unit, …]}.
_local = Local(thread_critical=True)


def _frames(using):
    try:
        stacks = _local.stacks
    except AttributeError:
        stacks = _local.stacks = {}
    if using not in stacks:
        stacks[using] = [_Frame()]
    return stacks[using]


def pending(using=DEFAULT_DB_ALIAS):
    """Whether changes noted on this database wait to be applied."""
    return any(frame.noted for frame in _frames(using))


def note(using=DEFAULT_DB_ALIAS, *, public=False, everything_shown=False, counted=True, **touched):
    """Record that the records changed, and which (`hearings=…`, `people=…`, … as ids).

    `public=True` when the change is known to show publicly (a published hearing saved or deleted,
    a record loaded raw); otherwise it shows only if one of the hearings concerned is published.
    `counted=False` when the change is known to leave everything counts read as it was: only text that
    counts never show changed (a hearing's, segment's or speaker's text, a link). Counts of a
    search read the text too: they are kept under the data version, which every public change moves.
    """
    frames = _frames(using)
    state = frames[-1].noted
    for name, ids in touched.items():
        getattr(state, name).update(ids)
    state.changed = True
    state.public = state.public or public
    state.everything_shown = state.everything_shown or everything_shown
    state.counted = state.counted or counted
    if len(frames) == 1:
        # In no unit of work, which would apply it at its end.
        _apply_on_commit(using)


def note_raw_searchable(model, pk, using=DEFAULT_DB_ALIAS):
    _frames(using)[-1].noted.raw_searchable.setdefault(model, set()).add(pk)


def _apply_on_commit(using):
    if transaction.get_autocommit(using) or connections[using].in_atomic_block:
        # When the outermost atomic block commits, or at once in autocommit mode. A flush that finds the
        # work done costs nothing, so registering once per note is safe where a savepoint was rolled back.
        transaction.on_commit(functools.partial(flush, using), using=using)
    else:
        # Manual transaction management (`set_autocommit(False)`), where Django offers no commit hook
        # (`on_commit` refuses it): applied now, in the same transaction as the records.
        flush(using)


@dataclass
class Applied:
    """What `atomic()` applied at its end: how many hearings' derived data it brought up to date."""

    hearings: int = 0


@contextlib.contextmanager
def atomic(using=DEFAULT_DB_ALIAS):
    """A transaction whose record changes are applied to the derived data once, at its end, inside it."""
    applied = Applied()
    frames = _frames(using)
    unit = _Frame()
    try:
        with transaction.atomic(using=using):
            frames.append(unit)
            try:
                yield applied
            finally:
                frames.pop()
            frames[-1].noted.update(unit.noted)
            if len(frames) > 1:
                frames[-1].applied.update(unit.applied)
            applied.hearings = flush(using)
    except BaseException:
        # Rolled back with its transaction: what the unit noted goes with it. What a flush within it applied
        # for changes noted before it is pending again (their own `on_commit`, or the enclosing unit, applies it).
        frames[-1].noted.update(unit.applied)
        raise


def forget(using=DEFAULT_DB_ALIAS):
    """Drop what is pending after work that was rolled back (a dry run), unless a transaction still holds it."""
    if not connections[using].in_atomic_block:
        _frames(using)[:] = [_Frame()]


def flush(using=DEFAULT_DB_ALIAS):
    """Apply what is pending: derived data of every hearing concerned, then a new data version.

    The version, under which public pages are cached, moves only when the
    change shows publicly: editors working on drafts leave every cached page
    and ETag as it is. Returns how many hearings' derived data it brought up to date.
    """
    frames = _frames(using)
    outside = Pending()  # noted outside the innermost unit of work
    for frame in frames[:-1]:
        outside.update(frame.noted)
    state = Pending()
    state.update(outside)
    state.update(frames[-1].noted)
    for frame in frames:
        frame.noted = Pending()
    if not state:
        return 0
    try:
        reindexed = _apply(state, using)
    except BaseException:
        frames[-1].noted.update(state)
        raise
    if len(frames) > 1:
        frames[-1].applied.update(outside)
    return reindexed


def _apply(state, using):
    reindexed = 0
    with transaction.atomic(using=using, savepoint=False):
        _refresh_raw_search_text(state.raw_searchable, using)
        hearing_ids = _hearings_concerned(state, using)
        if hearing_ids:
            reindexed = reindex_hearings(sorted(hearing_ids), using=using)
        _move_shown_tokens(state, hearing_ids, using)
        if state.public or _shows_publicly(hearing_ids | state.shown_by, state.groups_shown, using):
            move_version(using, counts=state.counted)
    return reindexed


def _move_shown_tokens(state, hearing_ids, using):
    """A new `shown_token` for every hearing whose page or rows show what changed.

    Those whose derived data was rebuilt, those that only show the change (a link), and those that use a
    group whose name changed (their group index names every group they show, with its ancestors). The old
    fragments of these hearings are then never asked for again; those of every other hearing stay valid.
    """
    hearings = Hearing.objects.using(using)
    if state.everything_shown:
        hearings.update(shown_token=new_token())
        return
    shown = hearing_ids | state.shown_by
    for chunk in _chunks(state.groups_shown):
        shown.update(hearings_under_groups(chunk).using(using))
    token = new_token()  # one new value for all: a fragment's key holds the hearing's id too
    for chunk in _chunks(shown):
        hearings.filter(pk__in=chunk).update(shown_token=token)


def _shows_publicly(hearing_ids, group_ids, using):
    """Whether a published hearing is among these, or uses one of these groups (one query each, at most)."""
    published = Hearing.objects.using(using).published()
    if any(published.filter(pk__in=chunk).exists() for chunk in _chunks(hearing_ids)):
        return True
    return bool(group_ids) and StakeholderGroup.objects.using(using).public().filter(pk__in=group_ids).exists()


def move_version(using=DEFAULT_DB_ALIAS, *, counts=True):
    """A new data version: every page cached before is no longer asked for; with `counts`, every count too."""
    versions = DataVersion.objects.using(using)
    tokens = {"token": new_token(), **({"counts_token": new_token()} if counts else {})}
    if not versions.filter(pk=1).update(**tokens, changed=timezone.now()):
        versions.update_or_create(pk=1, defaults={"token": new_token(), "counts_token": new_token()})


def _hearings_concerned(state, using):
    hearing_ids = set(state.hearings)
    segments = Segment.objects.using(using)
    hearings = Hearing.objects.using(using)
    lookups = [
        (state.segments, lambda ids: segments.filter(pk__in=ids).values_list("hearing_id", flat=True)),
        (state.people, lambda ids: segments.filter(appearances__person__in=ids).values_list("hearing_id", flat=True)),
        (
            state.organizations,
            lambda ids: segments.filter(appearances__organization__in=ids).values_list("hearing_id", flat=True),
        ),
        (state.processes, lambda ids: hearings.filter(process__in=ids).values_list("pk", flat=True)),
        (state.venues, lambda ids: hearings.filter(venue__in=ids).values_list("pk", flat=True)),
        (state.groups, lambda ids: hearings_under_groups(ids).using(using)),
    ]
    for ids, hearings_of in lookups:
        for chunk in _chunks(ids):
            hearing_ids.update(hearings_of(chunk))
    return hearing_ids


def _chunks(ids, size=BATCH):
    # A restore or a bulk load can touch more rows than a database takes parameters in one query.
    ids = sorted(ids)
    for start in range(0, len(ids), size):
        yield ids[start : start + size]


def _refresh_raw_search_text(raw_searchable, using):
    for model in (Person, Organization):
        ids = raw_searchable.get(model)
        if not ids:
            continue
        for chunk in _chunks(ids):
            stale = []
            for row in model.objects.using(using).filter(pk__in=chunk):
                text = row.make_search_text()
                if text != row.search_text:
                    row.search_text = text
                    stale.append(row)
            if stale:
                model.objects.using(using).bulk_update(stale, ["search_text"])
