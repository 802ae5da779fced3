"""Note every change to the records for `changes`, which applies them once per transaction.

Receivers only record ids, with no query for records read from the database
(one for a record built by hand, one before deleting a hearing), so saving a
hearing with dozens of rows costs nothing here.
"""

from django.apps import apps
from django.db.models.signals import m2m_changed, post_delete, post_save, pre_delete, pre_save
from django.dispatch import receiver

from . import changes
from .models import (
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


@receiver(post_save, sender=Hearing)
def hearing_saved(sender, instance, using, raw=False, **kwargs):
    # Published or unpublished: public. Otherwise public only if the hearing is published now, which
    # `changes` asks the public queryset: a draft's edits are not.
    changes.note(using, hearings=[instance.pk], public=raw or _changed(instance, "status"))


@receiver(pre_delete, sender=Hearing)
def hearing_to_be_deleted(sender, instance, using, **kwargs):
    instance.was_public = Hearing.objects.using(using).public().filter(pk=instance.pk).exists()


@receiver(post_delete, sender=Hearing)
def hearing_deleted(sender, instance, using, **kwargs):
    changes.note(using, public=getattr(instance, "was_public", True))


@receiver(post_save, sender=HearingLink)
@receiver(post_delete, sender=HearingLink)
def hearing_link_changed(sender, instance, using, raw=False, **kwargs):
    # Not part of the derived data, but shown on the hearing's page.
    changes.note(using, shown_by=_ids(instance.hearing_id), public=raw)


@receiver(post_save, sender=Segment)
@receiver(post_delete, sender=Segment)
@receiver(post_save, sender=HearingParticipation)
@receiver(post_delete, sender=HearingParticipation)
def hearing_part_changed(sender, instance, using, raw=False, **kwargs):
    # A part moved to another hearing leaves its old hearing to be indexed again too.
    changes.note(using, hearings=_ids(instance.hearing_id, _loaded(instance, "hearing_id")), public=raw)


@receiver(post_save, sender=Appearance)
@receiver(post_delete, sender=Appearance)
def appearance_changed(sender, instance, using, raw=False, **kwargs):
    before = _ids(_loaded(instance, "segment_id"))
    if Appearance.segment.is_cached(instance) and instance.segment is not None:
        changes.note(using, hearings=[instance.segment.hearing_id], segments=before, public=raw)
    else:
        changes.note(using, segments=before | _ids(instance.segment_id), public=raw)


@receiver(post_save, sender=Person)
@receiver(post_save, sender=Organization)
def searchable_saved(sender, instance, using, created, raw=False, **kwargs):
    # Their folded text is part of their hearings' search text; a new one has no hearings yet.
    # Public when one of their hearings is published: `changes` finds out from those hearings.
    if raw:
        changes.note_raw_searchable(sender, instance.pk, using)
    if raw or not created:
        changes.note(using, public=raw, **{"people" if sender is Person else "organizations": [instance.pk]})
    else:
        changes.note(using)


@receiver(post_save, sender=Process)
@receiver(post_save, sender=Venue)
def place_or_process_saved(sender, instance, using, created, raw=False, **kwargs):
    # Their names are part of each of their hearings' search text.
    if raw or not created:
        changes.note(using, public=raw, **{"processes" if sender is Process else "venues": [instance.pk]})
    else:
        changes.note(using)


@receiver(post_save, sender=StakeholderGroup)
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
@receiver(post_delete, sender=Person)
@receiver(post_delete, sender=Organization)
@receiver(post_delete, sender=Process)
@receiver(post_delete, sender=Venue)
@receiver(post_delete, sender=StakeholderGroup)
def unused_record_deleted(sender, instance, using, **kwargs):
    changes.note(using)


# Any other record model's save or delete is taken to show publicly.
NOTED_ELSEWHERE = {
    (post_save, Hearing),
    (post_delete, Hearing),
    (post_save, HearingLink),
    (post_delete, HearingLink),
    (post_delete, Person),
    (post_delete, Organization),
    (post_delete, Process),
    (post_delete, Venue),
    (post_delete, StakeholderGroup),
    (post_save, Segment),
    (post_delete, Segment),
    (post_save, HearingParticipation),
    (post_delete, HearingParticipation),
    (post_save, Appearance),
    (post_delete, Appearance),
    (post_save, Person),
    (post_save, Organization),
    (post_save, Process),
    (post_save, Venue),
    (post_save, StakeholderGroup),
}
RECORD_MODELS = [
    model for model in apps.get_app_config("hearings").get_models() if model not in (HearingGroupIndex, DataVersion)
]


def record_changed(sender, using, **kwargs):
    changes.note(using, public=True)


for _name, _signal in (("save", post_save), ("delete", post_delete)):
    for _model in RECORD_MODELS:
        if (_signal, _model) not in NOTED_ELSEWHERE:
            _signal.connect(record_changed, sender=_model, dispatch_uid=f"record-{_name}-{_model._meta.label}")


@receiver(pre_save, sender=DataVersion)
def data_version_loaded(sender, instance, raw=False, **kwargs):
    # A version row loaded from a dump names the dumped data; what is in this database may differ.
    if raw:
        instance.token = new_token()
