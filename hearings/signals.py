"""Keep derived data current whatever saves or deletes a record.

Each hearing's search text and group index (see `indexing`) follow its parts;
fixture loading (raw saves) is skipped there, as `load_seed` reindexes once at
the end. Every change also moves the data version (see `caching`), so no cached
public page outlives an edit.
"""

import threading

from django.apps import apps
from django.core.signals import request_finished
from django.db.models.signals import m2m_changed, post_delete, post_save, pre_delete, pre_save
from django.dispatch import receiver

from .caching import bump_version
from .indexing import reindex_hearings
from .models import (
    Appearance,
    DataVersion,
    Hearing,
    HearingGroupIndex,
    HearingParticipation,
    Organization,
    Person,
    Process,
    Segment,
    StakeholderGroup,
    Venue,
    new_epoch,
)

_state = threading.local()


def _being_deleted():
    if not hasattr(_state, "deleting"):
        _state.deleting = set()
    return _state.deleting


def _reindex(hearing_ids):
    # Rows cascading from a hearing's own deletion must not index it again.
    wanted = set(hearing_ids) - _being_deleted()
    if wanted:
        reindex_hearings(sorted(wanted))


@receiver(request_finished)
def forget_deletions(sender, **kwargs):
    # A deletion that failed after pre_delete never reached post_delete; its id must not linger.
    _being_deleted().clear()


@receiver(pre_delete, sender=Hearing)
def hearing_pre_delete(sender, instance, **kwargs):
    _being_deleted().add(instance.pk)


@receiver(post_delete, sender=Hearing)
def hearing_post_delete(sender, instance, **kwargs):
    _being_deleted().discard(instance.pk)


@receiver(post_save, sender=Hearing)
def hearing_saved(sender, instance, raw=False, **kwargs):
    if not raw:
        _reindex([instance.pk])


@receiver(pre_save, sender=Segment)
@receiver(pre_save, sender=HearingParticipation)
@receiver(pre_save, sender=Appearance)
def part_pre_save(sender, instance, raw=False, **kwargs):
    # A part moved to another hearing leaves its old hearing to be indexed again too.
    if not raw and instance.pk is not None:
        instance._hearings_before = set(_hearing_ids(sender.objects.filter(pk=instance.pk)))


def _hearing_ids(queryset):
    field = "segment__hearing_id" if queryset.model is Appearance else "hearing_id"
    return queryset.values_list(field, flat=True)


@receiver(post_save, sender=Segment)
@receiver(post_delete, sender=Segment)
@receiver(post_save, sender=HearingParticipation)
@receiver(post_delete, sender=HearingParticipation)
def hearing_part_changed(sender, instance, raw=False, **kwargs):
    if not raw:
        _reindex({instance.hearing_id, *getattr(instance, "_hearings_before", ())})


@receiver(post_save, sender=Appearance)
@receiver(post_delete, sender=Appearance)
def appearance_changed(sender, instance, raw=False, **kwargs):
    if not raw:
        hearing_ids = set(Segment.objects.filter(pk=instance.segment_id).values_list("hearing_id", flat=True))
        _reindex(hearing_ids | getattr(instance, "_hearings_before", set()))


@receiver(post_save, sender=Person)
def person_saved(sender, instance, raw=False, created=False, **kwargs):
    if not raw and not created:
        _reindex(Segment.objects.filter(appearances__person=instance).values_list("hearing_id", flat=True))


@receiver(post_save, sender=Organization)
def organization_saved(sender, instance, raw=False, created=False, **kwargs):
    if not raw and not created:
        _reindex(Segment.objects.filter(appearances__organization=instance).values_list("hearing_id", flat=True))


@receiver(post_save, sender=Process)
@receiver(post_save, sender=Venue)
def place_or_process_saved(sender, instance, raw=False, created=False, **kwargs):
    # Their names are part of each of their hearings' search text.
    if not raw and not created:
        _reindex(instance.hearings.values_list("pk", flat=True))


@receiver(pre_save, sender=StakeholderGroup)
def group_pre_save(sender, instance, raw=False, **kwargs):
    if not raw and instance.pk is not None:
        old_parent = StakeholderGroup.objects.filter(pk=instance.pk).values_list("parent_id", flat=True).first()
        instance._parent_changed = old_parent != instance.parent_id


@receiver(post_save, sender=StakeholderGroup)
def group_saved(sender, instance, raw=False, created=False, **kwargs):
    # A new parent changes which ancestors every hearing of the subtree matches.
    if not raw and getattr(instance, "_parent_changed", False):
        reindex_hearings()


@receiver(m2m_changed, sender=Hearing.participating_groups.through)
def participation_m2m_changed(sender, instance, action, pk_set=None, **kwargs):
    if action.startswith("post_"):
        if isinstance(instance, Hearing):
            _reindex([instance.pk])
        else:
            _reindex(HearingParticipation.objects.filter(group=instance).values_list("hearing_id", flat=True))


# Every model of the app is a record, but for the derived index and the version counter itself.
RECORD_MODELS = [
    model for model in apps.get_app_config("hearings").get_models() if model not in (HearingGroupIndex, DataVersion)
]


def record_changed(sender, **kwargs):
    bump_version()


for model in RECORD_MODELS:
    post_save.connect(record_changed, sender=model, dispatch_uid=f"bump-save-{model._meta.label}")
    post_delete.connect(record_changed, sender=model, dispatch_uid=f"bump-delete-{model._meta.label}")
m2m_changed.connect(record_changed, sender=Hearing.participating_groups.through, dispatch_uid="bump-m2m")


@receiver(pre_save, sender=DataVersion)
def data_version_loaded(sender, instance, raw=False, **kwargs):
    if raw:
        instance.epoch = new_epoch()
