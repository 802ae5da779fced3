"""Stakeholder groups: the types of stakeholders, in a tree."""

from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import Exists, OuterRef, Q
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from hearings.domain import grouptree
from hearings.models.base import RecordModel, TranslatedQuerySet, natural_key_manager
from hearings.models.derived import HearingGroupIndex


class StakeholderGroupQuerySet(TranslatedQuerySet):
    def public(self):
        """Groups that a published hearing uses, as a speaker's group or a participating group, or above one."""
        from hearings.models.hearings import HearingQuerySet  # the hearing rule; hearings refer to groups

        return self.filter(
            Exists(HearingGroupIndex.objects.filter(HearingQuerySet.published_q("hearing__"), group=OuterRef("pk")))
        )

    def tree(self):
        """(group, depth) pairs in display order, each child right after its parent; one query."""
        return grouptree.ordered(list(self.order_by(*StakeholderGroup._meta.ordering)))

    def descendant_ids(self, groups):
        """The ids of `groups` (groups or ids) and of every group below them; one query."""
        return grouptree.descendant_ids(self.values_list("pk", "parent_id"), groups)

    def ancestor_map(self):
        """Each group's id with the ids above it, nearest first; one query."""
        return grouptree.ancestor_map(self.values_list("pk", "parent_id"))


class StakeholderGroup(RecordModel):
    name = models.CharField(_("name"), max_length=200, unique=True)
    parent = models.ForeignKey(
        "self",
        verbose_name=_("parent group"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="children",
        help_text=_("Optional. A filter on the parent group also finds records of this group."),
    )
    description = models.TextField(_("description"), blank=True)
    position = models.PositiveSmallIntegerField(
        _("display order"), default=0, help_text=_("Lower numbers are listed first.")
    )

    objects = natural_key_manager("slug", queryset=StakeholderGroupQuerySet)
    tracked_fields = ("parent_id",)

    class Meta:
        verbose_name = _("stakeholder group")
        verbose_name_plural = _("stakeholder groups")
        ordering = ["position", "name_en"]
        constraints = [
            models.CheckConstraint(condition=~Q(parent=models.F("pk")), name="stakeholdergroup_not_own_parent"),
        ]

    def __str__(self):
        return self.name

    def get_absolute_url(self):
        return reverse("hearings:stakeholdergroup_detail", kwargs={"slug": self.slug})

    def clean(self):
        super().clean()
        if self.parent_id is not None and self.pk in StakeholderGroup.objects.ancestor_map().get(self.parent_id, ()):
            raise ValidationError({"parent": _("A group cannot sit under itself or one of its own subgroups.")})
