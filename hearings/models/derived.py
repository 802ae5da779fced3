"""Derived data: kept by `changes` and `indexing`, never edited by hand."""

from django.db import models
from django.utils.translation import gettext_lazy as _

from hearings.models.base import new_token


class HearingGroupIndex(models.Model):
    """Derived: every stakeholder group a hearing matches, with ancestors. Rebuilt by `indexing`, never edited."""

    hearing = models.ForeignKey("hearings.Hearing", on_delete=models.CASCADE, related_name="+")
    group = models.ForeignKey("hearings.StakeholderGroup", on_delete=models.CASCADE, related_name="+")

    class Meta:
        constraints = [models.UniqueConstraint(fields=["group", "hearing"], name="hearinggroupindex_unique")]
        indexes = [models.Index(fields=["hearing", "group"], name="hgi_hearing_group")]
        verbose_name = _("entry of the stakeholder group index")
        verbose_name_plural = _("entries of the stakeholder group index")

    def __str__(self):
        return f"{self.hearing_id}:{self.group_id}"


class DataVersion(models.Model):
    """One row whose token changes with every change to the records; public pages are cached under it.

    A fresh random token per change, not a counter: a restored backup brings back
    a token that only ever named that same data, and the next change makes one
    that no cached page has seen.
    """

    token = models.CharField(max_length=32, default=new_token)
    # Moves with the changes that counts read (which hearings are public, their dates and processes, their
    # speakers, people, organizations, groups, venues, processes), not with a corrected text of a hearing, its
    # segments or speakers, nor with its links: counts that do not search are kept under it.
    counts_token = models.CharField(max_length=32, default=new_token)
    changed = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = _("data version")
        verbose_name_plural = _("data versions")

    def __str__(self):
        return self.token
