"""Note every change to the records for `changes`, which applies them once per transaction.

Receivers only record ids, with no query for records read from the database
(one for a record built by hand, one before deleting a hearing), so saving a
hearing with dozens of rows costs nothing here. `RECEIVERS` is the one list
of how each record model's saves and deletes are noted; a model of the app it
does not name (one added later) is noted as a change the public sees.
"""

from django.apps import apps
from django.db.models.signals import m2m_changed, post_delete, post_save, pre_delete, pre_save
from django.dispatch import receiver

from hearings.domain import changes
from hearings.models import (
    Appearance,
    DataVersion,
    Hearing,
    HearingGroupIndex,
    HearingLink,
    HearingParticipation,
    Organization,
    Person,
    Process,
    Segment,
    StakeholderGroup,
    Venue,
    new_token,
)


def _loaded(instance, name):
    """The value `name` had when the instance was read from the database (None if it was not)."""
    return getattr(instance, "loaded", {}).get(name)


def _ids(*values):
    return {value for value in values if value is not None}


@receiver(pre_save)
def read_what_was_saved_before(sender, instance, using, raw=False, **kwargs):
    """The tracked values (a part's hearing, a hearing's status, a group's parent) the database holds.

    Known without a query for an instance read whole from the database; read
    here, one query, for one built by hand or read with those fields deferred.
    Raw saves (fixtures, restores) are not read row by row: they count as public.
    """
    tracked = getattr(sender, "tracked_fields", ())
    if not tracked or (raw and sender is not StakeholderGroup) or instance.pk is None:
        return
    loaded = getattr(instance, "loaded", {})
    missing = [name for name in tracked if name not in loaded]
    if missing:
        row = sender._base_manager.using(using).filter(pk=instance.pk).values(*missing).first()
        instance.loaded = {**loaded, **(row or {})}


def _changed(instance, name):
    loaded = getattr(instance, "loaded", {})
    return name in loaded and loaded[name] != getattr(instance, name)


def _counted(instance, created, raw, *names):
    """Whether a save may change what counts read: a new or raw record, or one of `names` changed (or unknown)."""
    loaded = getattr(instance, "loaded", {})
    return created or raw or any(name not in loaded or _changed(instance, name) for name in names)


def hearing_saved(sender, instance, using, created=False, raw=False, **kwargs):
    # Published or unpublished: public. Otherwise public only if the hearing is published now, which
    # `changes` asks the public queryset: a draft's edits are not.
    changes.note(
        using,
        hearings=[instance.pk],
        public=raw or _changed(instance, "status"),
        counted=_counted(instance, created, raw, "status", "date", "process_id"),
    )


@receiver(pre_delete, sender=Hearing)
def hearing_to_be_deleted(sender, instance, using, **kwargs):
    instance.was_public = Hearing.objects.using(using).public().filter(pk=instance.pk).exists()


def hearing_deleted(sender, instance, using, **kwargs):
    changes.note(using, public=getattr(instance, "was_public", True))


def hearing_link_changed(sender, instance, using, raw=False, **kwargs):
    # Not part of the derived data, but shown on the hearing's page; nothing counts links.
    changes.note(using, shown_by=_ids(instance.hearing_id), public=raw, counted=raw)


def hearing_part_changed(sender, instance, using, created=True, raw=False, **kwargs):
    # A part moved to another hearing leaves its old hearing to be indexed again too. Counts read which
    # hearing a segment belongs to, not its text; a participating group, always (a delete has no `created`).
    counted = sender is not Segment or _counted(instance, created, raw, "hearing_id")
    changes.note(
        using, hearings=_ids(instance.hearing_id, _loaded(instance, "hearing_id")), public=raw, counted=counted
    )


def appearance_changed(sender, instance, using, created=True, raw=False, **kwargs):
    # A delete (no `created`) counts; a save counts when the speaker's segment, person, organization or role changed.
    counted = _counted(instance, created, raw, "segment_id", "person_id", "organization_id", "role")
    before = _ids(_loaded(instance, "segment_id"))
    if Appearance.segment.is_cached(instance) and instance.segment is not None:
        changes.note(using, hearings=[instance.segment.hearing_id], segments=before, public=raw, counted=counted)
    else:
        changes.note(using, segments=before | _ids(instance.segment_id), public=raw, counted=counted)


def searchable_saved(sender, instance, using, created, raw=False, **kwargs):
    # Their folded text is part of their hearings' search text; a new one has no hearings yet.
    # Public when one of their hearings is published: `changes` finds out from those hearings.
    if raw:
        changes.note_raw_searchable(sender, instance.pk, using)
    # Counted: the numbers show organizations' names and groups, and the group pages' lists, kept under
    # the counts version, show people's and organizations' names.
    if raw or not created:
        changes.note(using, public=raw, **{"people" if sender is Person else "organizations": [instance.pk]})
    else:
        changes.note(using)


def place_or_process_saved(sender, instance, using, created, raw=False, **kwargs):
    # Their names are part of each of their hearings' search text.
    if raw or not created:
        changes.note(using, public=raw, **{"processes" if sender is Process else "venues": [instance.pk]})
    else:
        changes.note(using)


def group_saved(sender, instance, using, raw=False, **kwargs):
    # A new parent changes which groups every hearing of the subtree matches; `changes` finds those hearings.
    moved = [instance.pk] if _changed(instance, "parent_id") else []
    changes.note(using, groups=moved, groups_shown=[instance.pk], public=raw)


@receiver(m2m_changed, sender=Hearing.participating_groups.through)
def participation_m2m_changed(sender, instance, action, reverse, pk_set=None, using=None, **kwargs):
    if not action.startswith("post_"):
        return
    if not reverse:
        changes.note(using, hearings=[instance.pk])
    elif pk_set is not None:
        changes.note(using, hearings=pk_set)
    else:
        # A group's hearings cleared: they are gone from the table, so the group's index rows tell which.
        changes.note(using, groups=[instance.pk], public=True)


# Deleting a person, organization, process, venue or group that records use is refused (PROTECT), so one
# that can be deleted shows nowhere: noted, but not public.
def unused_record_deleted(sender, instance, using, **kwargs):
    changes.note(using)


def record_changed(sender, using, **kwargs):
    changes.note(using, public=True, everything_shown=True)


# How each record model's saves and deletes are noted: (on save, on delete). The one list of receivers.
RECEIVERS = {
    Hearing: (hearing_saved, hearing_deleted),
    HearingLink: (hearing_link_changed, hearing_link_changed),
    Segment: (hearing_part_changed, hearing_part_changed),
    HearingParticipation: (hearing_part_changed, hearing_part_changed),
    Appearance: (appearance_changed, appearance_changed),
    Person: (searchable_saved, unused_record_deleted),
    Organization: (searchable_saved, unused_record_deleted),
    Process: (place_or_process_saved, unused_record_deleted),
    Venue: (place_or_process_saved, unused_record_deleted),
    StakeholderGroup: (group_saved, unused_record_deleted),
}
# Written by `changes` itself from the records.
DERIVED = (HearingGroupIndex, DataVersion)


def connect_records():
    """Connect the receivers of every record model; any other model of the app (one added later) is a record
    whose every save or delete is taken to show publicly."""
    for model in apps.get_app_config("hearings").get_models():
        if model not in DERIVED:
            saved, deleted = RECEIVERS.get(model, (record_changed, record_changed))
            post_save.connect(saved, sender=model, dispatch_uid=f"changes-saved-{model._meta.label}")
            post_delete.connect(deleted, sender=model, dispatch_uid=f"changes-deleted-{model._meta.label}")


connect_records()  # this module is imported by `HearingsConfig.ready()`


@receiver(pre_save, sender=DataVersion)
def version_row_loaded(sender, instance, raw=False, **kwargs):
    # A version row loaded from a dump names the dumped data; what is in this database may differ.
    if raw:
        instance.token = new_token()
