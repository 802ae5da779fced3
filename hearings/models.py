"""The record of multi-stakeholder hearings: who spoke, when, for whom."""

import functools
import secrets

from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import Exists, OuterRef, Q
from django.urls import get_script_prefix, get_urlconf, reverse
from django.utils.translation import get_language
from django.utils.translation import gettext_lazy as _

from .text import fold


@functools.lru_cache(maxsize=50_000)
def _slug_url(name, slug, urlconf, prefix, language):
    return reverse(name, kwargs={"slug": slug})


def slug_url(name, slug):
    """`reverse()` for a slug address, remembered: list pages link hundreds of records each."""
    return _slug_url(name, slug, get_urlconf(), get_script_prefix(), get_language())


class TimeStampedModel(models.Model):
    created = models.DateTimeField(_("created"), auto_now_add=True)
    updated = models.DateTimeField(_("updated"), auto_now=True)

    class Meta:
        abstract = True


class SlugManager(models.Manager):
    """Looks rows up by slug, their natural key in fixtures."""

    def get_by_natural_key(self, slug):
        return self.get(slug=slug)


class SlugNaturalKeyMixin:
    def natural_key(self):
        return (self.slug,)


# --- Stakeholder groups -------------------------------------------------------


class StakeholderGroupQuerySet(models.QuerySet):
    def public(self):
        """Groups that a published hearing uses, as a speaker's group or a participating group."""
        return self.filter(
            Exists(HearingGroupIndex.objects.filter(group=OuterRef("pk"), hearing__status=Hearing.Status.PUBLISHED))
        )


class StakeholderGroupManager(SlugManager.from_queryset(StakeholderGroupQuerySet)):
    pass


class StakeholderGroup(SlugNaturalKeyMixin, TimeStampedModel):
    name = models.CharField(_("name"), max_length=200, unique=True)
    slug = models.SlugField(_("slug"), max_length=200, unique=True, help_text=_("Used in addresses; ASCII only."))
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

    objects = StakeholderGroupManager()

    class Meta:
        verbose_name = _("stakeholder group")
        verbose_name_plural = _("stakeholder groups")
        ordering = ["position", "name"]
        constraints = [
            models.CheckConstraint(condition=~Q(parent=models.F("pk")), name="stakeholdergroup_not_own_parent"),
        ]

    def __str__(self):
        return self.name

    def get_absolute_url(self):
        return slug_url("hearings:stakeholdergroup_detail", self.slug)

    def clean(self):
        super().clean()
        ancestor = self.parent
        seen = set()
        while ancestor is not None and ancestor.pk not in seen:
            if self.pk is not None and ancestor.pk == self.pk:
                raise ValidationError({"parent": _("A group cannot sit under itself or one of its own subgroups.")})
            seen.add(ancestor.pk)
            ancestor = ancestor.parent


# --- Organizations, people, processes, venues --------------------------------


def _descendant_ids(groups, all_groups=None):
    """The given groups and every group below them.

    From `all_groups` when the caller has the (small) group table at hand, else from one query over it.
    """
    wanted = {group.pk if isinstance(group, StakeholderGroup) else group for group in groups}
    if all_groups is None:
        pairs = StakeholderGroup.objects.values_list("pk", "parent_id")
    else:
        pairs = [(group.pk, group.parent_id) for group in all_groups]
    children = {}
    for pk, parent_id in pairs:
        children.setdefault(parent_id, []).append(pk)
    found, stack = set(), list(wanted)
    while stack:
        pk = stack.pop()
        if pk not in found:
            found.add(pk)
            stack.extend(children.get(pk, []))
    return found


def _search(qs, query):
    for word in fold(query).split():
        qs = qs.filter(search_text__contains=word)
    return qs


class OrganizationQuerySet(models.QuerySet):
    def public(self):
        """Organizations someone spoke for in a published hearing."""
        return self.filter(
            Exists(
                Appearance.objects.filter(
                    organization=OuterRef("pk"), segment__hearing__status=Hearing.Status.PUBLISHED
                )
            )
        )

    def for_stakeholder_groups(self, groups, *, all_groups=None):
        # A correlated test rather than `stakeholder_group__in`, so that a list in name order walks
        # the name index and stops at its page instead of sorting every organization of the group.
        wanted = StakeholderGroup.objects.filter(
            pk=OuterRef("stakeholder_group"), pk__in=_descendant_ids(groups, all_groups)
        )
        return self.filter(Exists(wanted))

    def search(self, query):
        return _search(self, query)


class Organization(SlugNaturalKeyMixin, TimeStampedModel):
    name = models.CharField(_("name"), max_length=300)
    short_name = models.CharField(_("short name or acronym"), max_length=50, blank=True)
    slug = models.SlugField(_("slug"), max_length=200, unique=True, help_text=_("Used in addresses; ASCII only."))
    stakeholder_group = models.ForeignKey(
        StakeholderGroup,
        verbose_name=_("stakeholder group"),
        on_delete=models.PROTECT,
        related_name="organizations",
    )
    country = models.CharField(_("country"), max_length=100, blank=True)
    website = models.URLField(_("website"), blank=True)
    search_text = models.TextField(editable=False, blank=True)

    objects = SlugManager.from_queryset(OrganizationQuerySet)()

    class Meta:
        verbose_name = _("organization")
        verbose_name_plural = _("organizations")
        ordering = ["name"]
        indexes = [models.Index(fields=["name"], name="organization_name")]

    def __str__(self):
        return f"{self.name} ({self.short_name})" if self.short_name else self.name

    def save(self, *args, **kwargs):
        self.search_text = fold(" ".join([self.name, self.short_name]))
        super().save(*args, **kwargs)

    def get_absolute_url(self):
        return slug_url("hearings:organization_detail", self.slug)


class PersonQuerySet(models.QuerySet):
    def public(self):
        """People who spoke in a published hearing."""
        return self.filter(
            Exists(Appearance.objects.filter(person=OuterRef("pk"), segment__hearing__status=Hearing.Status.PUBLISHED))
        )

    def for_stakeholder_groups(self, groups, *, published_only=True, all_groups=None):
        """People who spoke for one of `groups` or a subgroup."""
        appearances = Appearance.objects.filter(
            person=OuterRef("pk"), organization__stakeholder_group__in=_descendant_ids(groups, all_groups)
        )
        if published_only:
            appearances = appearances.filter(segment__hearing__status=Hearing.Status.PUBLISHED)
        return self.filter(Exists(appearances))

    def search(self, query):
        return _search(self, query)


class Person(SlugNaturalKeyMixin, TimeStampedModel):
    name = models.CharField(
        _("display name"), max_length=200, help_text=_("As the person writes it, with accents: “Miroslav Lajčák”.")
    )
    sort_name = models.CharField(
        _("sort name"), max_length=200, help_text=_("Family name first, for sorting: “Lajčák, Miroslav”.")
    )
    honorific_prefix = models.CharField(
        _("honorific prefix"), max_length=50, blank=True, help_text=_("For example “H.E. Mr.”, “Ms.” or “Hon.”.")
    )
    slug = models.SlugField(_("slug"), max_length=200, unique=True, help_text=_("Used in addresses; ASCII only."))
    other_names = models.TextField(
        _("other names"),
        blank=True,
        help_text=_("Other spellings or short forms found in sources, one per line. Search finds them too."),
    )
    biography = models.TextField(_("short biography"), blank=True)
    search_text = models.TextField(editable=False, blank=True)

    objects = SlugManager.from_queryset(PersonQuerySet)()

    class Meta:
        verbose_name = _("person")
        verbose_name_plural = _("people")
        ordering = ["sort_name", "name"]
        indexes = [models.Index(fields=["sort_name", "name"], name="person_sort_name")]

    def __str__(self):
        return self.name

    def save(self, *args, **kwargs):
        self.search_text = fold(" ".join([self.name, self.sort_name, self.other_names]))
        super().save(*args, **kwargs)

    def get_absolute_url(self):
        return slug_url("hearings:person_detail", self.slug)

    @property
    def other_names_list(self):
        return [line.strip() for line in self.other_names.splitlines() if line.strip()]


class Process(SlugNaturalKeyMixin, TimeStampedModel):
    name = models.CharField(_("name"), max_length=300, unique=True)
    short_name = models.CharField(_("short name"), max_length=100, blank=True)
    slug = models.SlugField(_("slug"), max_length=200, unique=True, help_text=_("Used in addresses; ASCII only."))
    mandate = models.CharField(
        _("mandate"), max_length=300, blank=True, help_text=_("The decision that set up the process.")
    )
    description = models.TextField(_("description"), blank=True)

    objects = SlugManager()

    class Meta:
        verbose_name = _("process")
        verbose_name_plural = _("processes")
        ordering = ["name"]

    def __str__(self):
        return self.name

    def get_absolute_url(self):
        return slug_url("hearings:process_detail", self.slug)


class Venue(SlugNaturalKeyMixin, TimeStampedModel):
    name = models.CharField(_("room"), max_length=200, help_text=_("For example “Trusteeship Chamber”."))
    site = models.CharField(_("site"), max_length=200, blank=True, help_text=_("“United Nations Headquarters”."))
    city = models.CharField(_("city"), max_length=100, blank=True)
    country = models.CharField(_("country"), max_length=100, blank=True)
    slug = models.SlugField(_("slug"), max_length=200, unique=True, help_text=_("Used in addresses; ASCII only."))

    objects = SlugManager()

    class Meta:
        verbose_name = _("venue")
        verbose_name_plural = _("venues")
        ordering = ["city", "site", "name"]

    def __str__(self):
        return ", ".join(part for part in (self.name, self.site, self.city) if part)


# --- Hearings -----------------------------------------------------------------


class HearingQuerySet(models.QuerySet):
    def published(self):
        """The one definition of “public”."""
        return self.filter(status=Hearing.Status.PUBLISHED)

    def for_stakeholder_groups(self, groups):
        """Hearings where someone spoke for one of `groups` (or a subgroup), or that list it as taking part."""
        return self.filter(
            Exists(
                HearingGroupIndex.objects.filter(
                    hearing=OuterRef("pk"),
                    group__in=[group.pk if isinstance(group, StakeholderGroup) else group for group in groups],
                )
            )
        )

    def search(self, query):
        """Case- and accent-insensitive search over the hearing's whole text and its speakers."""
        return _search(self, query)

    def with_listing_related(self):
        return (
            self.select_related("process", "venue")
            .defer("search_text", "summary", "process__description")
            .prefetch_related("participating_groups")
        )


class HearingManager(SlugManager.from_queryset(HearingQuerySet)):
    pass


class Hearing(SlugNaturalKeyMixin, TimeStampedModel):
    class Status(models.TextChoices):
        DRAFT = "draft", _("Draft")
        PUBLISHED = "published", _("Published")

    process = models.ForeignKey(Process, verbose_name=_("process"), on_delete=models.PROTECT, related_name="hearings")
    ordinal = models.PositiveSmallIntegerField(
        _("number in the process"),
        null=True,
        blank=True,
        help_text=_("Which hearing of its process this is: 3 for the third. Unique within the process."),
    )
    title = models.CharField(_("title"), max_length=300)
    slug = models.SlugField(_("slug"), max_length=200, unique=True, help_text=_("Used in addresses; ASCII only."))
    date = models.DateField(_("date"), db_index=True)
    start_time = models.TimeField(_("start time"), null=True, blank=True)
    end_time = models.TimeField(_("end time"), null=True, blank=True)
    venue = models.ForeignKey(
        Venue, verbose_name=_("venue"), on_delete=models.PROTECT, null=True, blank=True, related_name="hearings"
    )
    convener = models.CharField(
        _("convener"), max_length=300, blank=True, help_text=_("Who convened or organized the hearing.")
    )
    mandate = models.CharField(
        _("mandate"),
        max_length=300,
        blank=True,
        help_text=_("For example “paragraph 30 of General Assembly resolution 71/280”."),
    )
    summary = models.TextField(_("summary"), blank=True)
    participating_groups = models.ManyToManyField(
        StakeholderGroup,
        through="HearingParticipation",
        verbose_name=_("participating stakeholder groups"),
        related_name="participated_hearings",
        blank=True,
    )
    status = models.CharField(
        _("status"),
        max_length=10,
        choices=Status.choices,
        default=Status.DRAFT,
        db_index=True,
        help_text=_("Only published hearings, and the people and organizations in them, are shown to the public."),
    )
    search_text = models.TextField(editable=False, blank=True)

    objects = HearingManager()

    class Meta:
        verbose_name = _("hearing")
        verbose_name_plural = _("hearings")
        ordering = ["-date", "-ordinal", "title"]
        constraints = [
            models.UniqueConstraint(
                fields=["process", "ordinal"],
                condition=Q(ordinal__isnull=False),
                name="hearing_unique_ordinal_in_process",
                violation_error_message=_("This process already has a hearing with this number."),
            ),
            models.CheckConstraint(
                condition=(
                    Q(start_time__isnull=True) | Q(end_time__isnull=True) | Q(end_time__gt=models.F("start_time"))
                ),
                name="hearing_end_after_start",
                violation_error_message=_("The end time must be after the start time."),
            ),
        ]
        indexes = [
            models.Index(fields=["status", "-date"], name="hearing_status_date"),
            models.Index(fields=["process", "date"], name="hearing_process_date"),
        ]

    def __str__(self):
        return self.title

    def get_absolute_url(self):
        return slug_url("hearings:hearing_detail", self.slug)

    @property
    def is_published(self):
        return self.status == self.Status.PUBLISHED


class HearingParticipationManager(models.Manager):
    def get_by_natural_key(self, hearing_slug, group_slug):
        return self.get(hearing__slug=hearing_slug, group__slug=group_slug)


class HearingParticipation(models.Model):
    """A stakeholder group whose representatives took part in a hearing."""

    hearing = models.ForeignKey(Hearing, verbose_name=_("hearing"), on_delete=models.CASCADE)
    group = models.ForeignKey(StakeholderGroup, verbose_name=_("stakeholder group"), on_delete=models.PROTECT)

    objects = HearingParticipationManager()

    class Meta:
        verbose_name = _("participating stakeholder group")
        verbose_name_plural = _("participating stakeholder groups")
        ordering = ["group__position", "group__name"]
        constraints = [
            models.UniqueConstraint(
                fields=["hearing", "group"],
                name="participation_unique_group",
                violation_error_message=_("This group is already listed for the hearing."),
            )
        ]

    def __str__(self):
        return str(self.group)

    def natural_key(self):
        return (*self.hearing.natural_key(), *self.group.natural_key())

    natural_key.dependencies = ["hearings.hearing", "hearings.stakeholdergroup"]


class HearingLinkManager(models.Manager):
    def get_by_natural_key(self, hearing_slug, url):
        return self.get(hearing__slug=hearing_slug, url=url)


class HearingLink(models.Model):
    class Kind(models.TextChoices):
        SOURCE = "source", _("Source")
        WEBCAST = "webcast", _("Webcast")
        DOCUMENT = "document", _("Document")
        OTHER = "other", _("Other")

    hearing = models.ForeignKey(Hearing, verbose_name=_("hearing"), on_delete=models.CASCADE, related_name="links")
    kind = models.CharField(_("kind"), max_length=10, choices=Kind.choices, default=Kind.SOURCE)
    title = models.CharField(_("title"), max_length=300)
    url = models.URLField(_("address"), max_length=500)
    position = models.PositiveSmallIntegerField(_("order"), default=0)

    objects = HearingLinkManager()

    class Meta:
        verbose_name = _("link")
        verbose_name_plural = _("links")
        ordering = ["position", "pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["hearing", "url"],
                name="hearinglink_unique_url",
                violation_error_message=_("This address is already listed for the hearing."),
            )
        ]

    def __str__(self):
        return self.title

    def natural_key(self):
        return (*self.hearing.natural_key(), self.url)

    natural_key.dependencies = ["hearings.hearing"]


class SegmentManager(models.Manager):
    def get_by_natural_key(self, hearing_slug, position):
        return self.get(hearing__slug=hearing_slug, position=position)


class Segment(models.Model):
    class Kind(models.TextChoices):
        OPENING = "opening", _("Opening segment")
        PANEL = "panel", _("Panel")
        PRESENTATION = "presentation", _("Presentation")
        DISCUSSION = "discussion", _("Interactive discussion")
        CLOSING = "closing", _("Closing segment")

    hearing = models.ForeignKey(Hearing, verbose_name=_("hearing"), on_delete=models.CASCADE, related_name="segments")
    position = models.PositiveSmallIntegerField(_("order"), default=0)
    kind = models.CharField(_("kind"), max_length=20, choices=Kind.choices, default=Kind.PANEL)
    title = models.CharField(_("title"), max_length=300, blank=True, help_text=_("For example “First panel”."))
    theme = models.CharField(_("theme"), max_length=500, blank=True)
    summary = models.TextField(_("summary of the discussion"), blank=True)

    objects = SegmentManager()

    class Meta:
        verbose_name = _("segment")
        verbose_name_plural = _("segments")
        ordering = ["hearing", "position", "pk"]
        indexes = [models.Index(fields=["hearing", "position"], name="segment_hearing_position")]

    def __str__(self):
        return self.title or self.get_kind_display()

    def natural_key(self):
        return (*self.hearing.natural_key(), self.position)

    natural_key.dependencies = ["hearings.hearing"]


class AppearanceManager(models.Manager):
    def get_by_natural_key(self, hearing_slug, segment_position, person_slug, role):
        return self.get(
            segment__hearing__slug=hearing_slug,
            segment__position=segment_position,
            person__slug=person_slug,
            role=role,
        )


class Appearance(models.Model):
    """A person speaking in a segment, with the position and organization they held at the time."""

    class Role(models.TextChoices):
        CHAIR = "chair", _("Chair")
        SPEAKER = "speaker", _("Speaker")
        MODERATOR = "moderator", _("Moderator")
        PANELIST = "panelist", _("Panelist")
        PRESENTER = "presenter", _("Presenter")
        CO_FACILITATOR = "co-facilitator", _("Co-facilitator")
        RAPPORTEUR = "rapporteur", _("Rapporteur")

    segment = models.ForeignKey(
        Segment, verbose_name=_("segment"), on_delete=models.CASCADE, related_name="appearances"
    )
    person = models.ForeignKey(Person, verbose_name=_("person"), on_delete=models.PROTECT, related_name="appearances")
    role = models.CharField(_("role"), max_length=20, choices=Role.choices, default=Role.SPEAKER)
    position_title = models.CharField(
        _("position at the time"),
        max_length=300,
        blank=True,
        help_text=_("The title the person held at this hearing, as the source gives it: “Chairperson”."),
    )
    organization = models.ForeignKey(
        Organization,
        verbose_name=_("organization at the time"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="appearances",
        help_text=_("The organization the person spoke for at this hearing. Its stakeholder group is the speaker's."),
    )
    position = models.PositiveSmallIntegerField(_("order"), default=0)
    summary = models.TextField(_("what they said"), blank=True)

    objects = AppearanceManager()

    class Meta:
        verbose_name = _("appearance")
        verbose_name_plural = _("appearances")
        ordering = ["segment", "position", "pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["segment", "person", "role"],
                name="appearance_unique_person_role_in_segment",
                violation_error_message=_("This person already has this role in this segment."),
            )
        ]

    def __str__(self):
        return f"{self.person} ({self.get_role_display()})"

    def natural_key(self):
        return (*self.segment.natural_key(), self.person.slug, self.role)

    natural_key.dependencies = ["hearings.segment", "hearings.person"]


class HearingGroupIndex(models.Model):
    """Derived: every stakeholder group a hearing matches, with ancestors. Rebuilt by `indexing`, never edited."""

    hearing = models.ForeignKey(Hearing, on_delete=models.CASCADE, related_name="+")
    group = models.ForeignKey(StakeholderGroup, on_delete=models.CASCADE, related_name="+")

    class Meta:
        constraints = [models.UniqueConstraint(fields=["group", "hearing"], name="hearinggroupindex_unique")]
        indexes = [models.Index(fields=["hearing", "group"], name="hgi_hearing_group")]

    def __str__(self):
        return f"{self.hearing_id}:{self.group_id}"


def new_epoch():
    return secrets.token_hex(8)


class DataVersion(models.Model):
    """One row whose counter moves with every change to the records; public pages are cached under it."""

    counter = models.BigIntegerField(default=0)
    # Changes whenever the row is written from outside (a restored backup, loaddata): the counter may
    # then repeat numbers that cached pages of the old data were keyed by.
    epoch = models.CharField(max_length=32, default=new_epoch)
    changed = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = _("data version")
        verbose_name_plural = _("data versions")

    def __str__(self):
        return str(self.counter)
