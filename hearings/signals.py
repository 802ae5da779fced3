"""Note every change to the records for `changes`, which applies them once per transaction.

Receivers only record ids (no query, but one for a group saved without its
loaded parent), so saving a hearing with dozens of rows costs nothing here.
"""

from django.apps import apps
from django.db.models.signals import m2m_changed, post_delete, post_save, pre_save
from django.dispatch import receiver

from . import changes
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
    new_token,
)


def _loaded(instance, name):
    """The value `name` had when the instance was read from the database (None if it was not)."""
    return getattr(instance, "loaded", {}).get(name)


def _ids(*values):
    return {value for value in values if value is not None}


@receiver(post_save, sender=Hearing)
def hearing_saved(sender, instance, using, **kwargs):
    changes.note(using, hearings=[instance.pk])


@receiver(post_save, sender=Segment)
@receiver(post_delete, sender=Segment)
@receiver(post_save, sender=HearingParticipation)
@receiver(post_delete, sender=HearingParticipation)
def hearing_part_changed(sender, instance, using, **kwargs):
    # A part moved to another hearing leaves its old hearing to be indexed again too.
    changes.note(using, hearings=_ids(instance.hearing_id, _loaded(instance, "hearing_id")))


@receiver(post_save, sender=Appearance)
@receiver(post_delete, sender=Appearance)
def appearance_changed(sender, instance, using, **kwargs):
    if Appearance.segment.is_cached(instance) and instance.segment is not None:
        changes.note(using, hearings=[instance.segment.hearing_id], segments=_ids(_loaded(instance, "segment_id")))
    else:
        changes.note(using, segments=_ids(instance.segment_id, _loaded(instance, "segment_id")))


@receiver(post_save, sender=Person)
@receiver(post_save, sender=Organization)
def searchable_saved(sender, instance, using, created, raw=False, **kwargs):
    # Their folded text is part of their hearings' search text; a new one has no hearings yet.
    if raw:
        changes.note_raw_searchable(sender, instance.pk, using)
    if raw or not created:
        changes.note(using, **{"people" if sender is Person else "organizations": [instance.pk]})
    else:
        changes.note(using)


@receiver(post_save, sender=Process)
@receiver(post_save, sender=Venue)
def place_or_process_saved(sender, instance, using, created, raw=False, **kwargs):
    # Their names are part of each of their hearings' search text.
    if raw or not created:
        changes.note(using, **{"processes" if sender is Process else "venues": [instance.pk]})
    else:
        changes.note(using)


@receiver(pre_save, sender=StakeholderGroup)
def group_pre_save(sender, instance, using, raw=False, **kwargs):
    if instance.pk is None:
        instance.parent_changed = False
        return
    if hasattr(instance, "loaded"):
        before = _loaded(instance, "parent_id")
    else:
        # Loaded from a fixture or built by hand: only the database knows the parent it had.
        before = sender.objects.using(using).filter(pk=instance.pk).values_list("parent_id", flat=True).first()
    instance.parent_changed = before != instance.parent_id


@receiver(post_save, sender=StakeholderGroup)
def group_saved(sender, instance, using, **kwargs):
    # A new parent changes which groups every hearing of the subtree matches; `changes` finds those hearings.
    changes.note(using, groups=[instance.pk] if getattr(instance, "parent_changed", False) else [])


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
        changes.note(using, groups=[instance.pk])


# Every other save or delete of a record moves the data version too.
NOTED_ELSEWHERE = {
    (post_save, Hearing),
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
    changes.note(using)


for _name, _signal in (("save", post_save), ("delete", post_delete)):
    for _model in RECORD_MODELS:
        if (_signal, _model) not in NOTED_ELSEWHERE:
            _signal.connect(record_changed, sender=_model, dispatch_uid=f"record-{_name}-{_model._meta.label}")


@receiver(pre_save, sender=DataVersion)
def data_version_loaded(sender, instance, raw=False, **kwargs):
    # A version row loaded from a dump names the dumped data; what is in this database may differ.
    if raw:
        instance.token = new_token()
