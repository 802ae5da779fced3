"""Who and what hearings refer to: organizations, people, processes and venues."""

from django.db import models
from django.db.models import Exists, OuterRef
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from hearings.domain.languages import TRANSLATIONS
from hearings.domain.record_text import column, text_order
from hearings.models.base import RecordModel, SearchableModel, TranslatedQuerySet, natural_key_manager, search_folded
from hearings.models.groups import StakeholderGroup

# Querysets here refer to hearings and appearances, which refer to these models: they are imported where used.


class OrganizationQuerySet(TranslatedQuerySet):
    def public(self):
        """Organizations someone spoke for in a published hearing."""
        from hearings.models.hearings import Appearance

        return self.filter(Exists(Appearance.objects.public().filter(organization=OuterRef("pk"))))

    def for_stakeholder_groups(self, groups):
        """Organizations of one of `groups` or a group below them."""
        return self.in_groups(StakeholderGroup.objects.descendant_ids(groups))

    def in_groups(self, group_ids):
        """Organizations of exactly these groups."""
        # A correlated test rather than `stakeholder_group__in`, so that a list in name order walks
        # the name index and stops at its page instead of sorting every organization of the group.
        return self.filter(Exists(StakeholderGroup.objects.filter(pk=OuterRef("stakeholder_group"), pk__in=group_ids)))

    def search(self, query):
        return search_folded(self, query)


class Organization(RecordModel, SearchableModel):
    name = models.CharField(_("name"), max_length=300)
    short_name = models.CharField(_("short name or acronym"), max_length=50, blank=True)
    stakeholder_group = models.ForeignKey(
        StakeholderGroup,
        verbose_name=_("stakeholder group"),
        on_delete=models.PROTECT,
        related_name="organizations",
    )
    country = models.CharField(_("country"), max_length=100, blank=True)
    website = models.URLField(_("website"), blank=True)

    objects = natural_key_manager("slug", queryset=OrganizationQuerySet)
    search_source_fields = ("name", "short_name")

    class Meta:
        verbose_name = _("organization")
        verbose_name_plural = _("organizations")
        # In the order of their English names, on an index of that column only (as `fields=`,
        # django-modeltranslation would add one per language).
        ordering = ["name_en"]
        # The organization list's order in each language, an index each (`text_order`).
        indexes = [
            models.Index(models.F("name_en"), name="organization_name"),
            *(
                models.Index(text_order("name", language), "id", name=f"organization_name{column('', language)}")
                for language in TRANSLATIONS
            ),
        ]

    def __str__(self):
        return f"{self.name} ({self.short_name})" if self.short_name else self.name

    def get_absolute_url(self):
        return reverse("hearings:organization_detail", kwargs={"slug": self.slug})


class PersonQuerySet(models.QuerySet):
    def public(self):
        """People who spoke in a published hearing."""
        from hearings.models.hearings import Appearance

        return self.filter(Exists(Appearance.objects.public().filter(person=OuterRef("pk"))))

    def for_stakeholder_groups(self, groups, *, public_only=True):
        """People who spoke for one of `groups` or a group below them (in a published hearing, unless not)."""
        return self.in_groups(StakeholderGroup.objects.descendant_ids(groups), public_only=public_only)

    def in_groups(self, group_ids, *, public_only=True):
        """People who spoke for one of exactly these groups."""
        from hearings.models.hearings import Appearance

        appearances = Appearance.objects.public() if public_only else Appearance.objects.all()
        return self.filter(
            Exists(appearances.filter(person=OuterRef("pk"), organization__stakeholder_group__in=group_ids))
        )

    def search(self, query):
        return search_folded(self, query)


class Person(RecordModel, SearchableModel):
    name = models.CharField(
        _("display name"), max_length=200, help_text=_("As the person writes it, with accents: “Miroslav Lajčák”.")
    )
    sort_name = models.CharField(
        _("sort name"), max_length=200, help_text=_("Family name first, for sorting: “Lajčák, Miroslav”.")
    )
    honorific_prefix = models.CharField(
        _("honorific prefix"), max_length=50, blank=True, help_text=_("For example “H.E. Mr.”, “Ms.” or “Hon.”.")
    )
    other_names = models.TextField(
        _("other names"),
        blank=True,
        help_text=_("Other spellings or short forms found in sources, one per line. Search finds them too."),
    )
    biography = models.TextField(_("short biography"), blank=True)

    objects = natural_key_manager("slug", queryset=PersonQuerySet)
    search_source_fields = ("name", "sort_name", "other_names")

    class Meta:
        verbose_name = _("person")
        verbose_name_plural = _("people")
        ordering = ["sort_name", "name"]
        indexes = [models.Index(fields=["sort_name", "name"], name="person_sort_name")]

    def __str__(self):
        return self.name

    def get_absolute_url(self):
        return reverse("hearings:person_detail", kwargs={"slug": self.slug})

    @property
    def other_names_list(self):
        return [line.strip() for line in self.other_names.splitlines() if line.strip()]


class ProcessQuerySet(TranslatedQuerySet):
    def public(self):
        """Processes with a published hearing."""
        from hearings.models.hearings import Hearing

        return self.filter(Exists(Hearing.objects.published().filter(process=OuterRef("pk"))))


class Process(RecordModel):
    name = models.CharField(_("name"), max_length=300, unique=True)
    short_name = models.CharField(_("short name"), max_length=100, blank=True)
    mandate = models.CharField(
        _("mandate"), max_length=300, blank=True, help_text=_("The decision that set up the process.")
    )
    description = models.TextField(_("description"), blank=True)

    objects = natural_key_manager("slug", queryset=ProcessQuerySet)

    class Meta:
        verbose_name = _("process")
        verbose_name_plural = _("processes")
        ordering = ["name_en"]

    def __str__(self):
        return self.name

    def get_absolute_url(self):
        return reverse("hearings:process_detail", kwargs={"slug": self.slug})


class VenueQuerySet(TranslatedQuerySet):
    def public(self):
        """Venues of a published hearing."""
        from hearings.models.hearings import Hearing

        return self.filter(Exists(Hearing.objects.published().filter(venue=OuterRef("pk"))))


class Venue(RecordModel):
    name = models.CharField(_("room"), max_length=200, help_text=_("For example “Trusteeship Chamber”."))
    site = models.CharField(_("site"), max_length=200, blank=True, help_text=_("“United Nations Headquarters”."))
    city = models.CharField(_("city"), max_length=100, blank=True)
    country = models.CharField(_("country"), max_length=100, blank=True)

    objects = natural_key_manager("slug", queryset=VenueQuerySet)

    class Meta:
        verbose_name = _("venue")
        verbose_name_plural = _("venues")
        ordering = ["city_en", "site_en", "name_en"]

    def __str__(self):
        return ", ".join(part for part in (self.name, self.site, self.city) if part)
