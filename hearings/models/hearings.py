"""Hearings and their parts: participating groups, links, segments and who spoke in them."""

from django.db import models
from django.db.models import Exists, OuterRef, Q
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from hearings.models.base import (
    BaseModel,
    RecordModel,
    TranslatedQuerySet,
    natural_key_manager,
    new_token,
    search_folded,
)
from hearings.models.derived import HearingGroupIndex
from hearings.models.groups import StakeholderGroup
from hearings.models.records import Organization, Person, Process, Venue


class HearingQuerySet(TranslatedQuerySet):
    @staticmethod
    def published_q(prefix=""):
        """The one rule of what is public: a published hearing. `prefix` reaches a hearing from another model."""
        return Q(**{f"{prefix}status": Hearing.Status.PUBLISHED})

    def published(self):
        return self.filter(self.published_q())

    def public(self):
        return self.published()

    def for_stakeholder_groups(self, groups):
        """Hearings where someone spoke for one of `groups` (or a subgroup), or that list it as taking part."""
        ids = [getattr(group, "pk", group) for group in groups]
        return self.filter(Exists(HearingGroupIndex.objects.filter(hearing=OuterRef("pk"), group__in=ids)))

    def search(self, query):
        """Case- and accent-insensitive search over the hearing's whole text and its speakers."""
        return search_folded(self, query)

    def with_listing_related(self):
        """What a hearing's row in a list shows. Its participating groups are read by the row's tag
        (`hearing_rows`), and only for the rows it has to render."""
        return self.select_related("process", "venue").defer(
            "search_text", "summary", "convener", "mandate", "process__description", "process__mandate"
        )


class Hearing(RecordModel):
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
    # Derived: the folded text of the hearing, its parts and speakers, written by `indexing`.
    search_text = models.TextField(editable=False, blank=True)
    # Derived: a new random token whenever anything the hearing's page or rows show changes (its own text,
    # its segments, speakers, their organizations and groups, its process, venue and links), written by
    # `changes` in the same transaction. The rendered fragments of the hearing are kept under it (`fragments`).
    shown_token = models.CharField(max_length=32, default=new_token, editable=False)

    objects = natural_key_manager("slug", queryset=HearingQuerySet)
    # Status, date and process: what counts read of a hearing (`changes`); status also decides what is public.
    tracked_fields = ("status", "date", "process_id")

    class Meta:
        verbose_name = _("hearing")
        verbose_name_plural = _("hearings")
        ordering = ["-date", "-ordinal", "title_en"]
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

    def save(self, *args, **kwargs):
        super().save(*args, **kwargs)
        self.values_read = None  # the database now holds what was saved, checked before it was

    def get_absolute_url(self):
        return reverse("hearings:hearing_detail", kwargs={"slug": self.slug})

    @classmethod
    def from_db(cls, db, field_names, values):
        instance = super().from_db(db, field_names, values)
        instance.values_read = (field_names, values)
        return instance

    def validate_unique(self, exclude=None):
        if not self.holds_what_was_read():
            super().validate_unique(exclude)

    def validate_constraints(self, exclude=None):
        if not self.holds_what_was_read():
            super().validate_constraints(exclude)

    def holds_what_was_read(self):
        """Whether this hearing holds every value it was read from the database with, and so keeps every rule
        the database holds it to: checking them again would only ask the database (three queries for each
        rule, in a transaction). The hearing screen saves the hearing unchanged when only its parts change."""
        from hearings.domain.record_text import (
            translated_fields,  # the registry of translated fields comes after the models
        )

        read = getattr(self, "values_read", None)
        if read is None:
            return False
        in_active_language = set(translated_fields(type(self)))  # not the stored value; their columns are compared
        return all(
            getattr(self, name) == value for name, value in zip(*read, strict=True) if name not in in_active_language
        )


class HearingParticipation(BaseModel):
    """A stakeholder group whose representatives took part in a hearing."""

    hearing = models.ForeignKey(Hearing, verbose_name=_("hearing"), on_delete=models.CASCADE)
    group = models.ForeignKey(StakeholderGroup, verbose_name=_("stakeholder group"), on_delete=models.PROTECT)

    objects = natural_key_manager("hearing__slug", "group__slug")
    tracked_fields = ("hearing_id",)

    class Meta:
        verbose_name = _("participating stakeholder group")
        verbose_name_plural = _("participating stakeholder groups")
        ordering = ["group__position", "group__name_en"]
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


class HearingLink(BaseModel):
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

    objects = natural_key_manager("hearing__slug", "url")

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


class SegmentQuerySet(TranslatedQuerySet):
    def public(self):
        """Segments of published hearings."""
        return self.filter(HearingQuerySet.published_q("hearing__"))


class Segment(BaseModel):
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

    objects = natural_key_manager("hearing__slug", "position", queryset=SegmentQuerySet)
    tracked_fields = ("hearing_id",)

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


class AppearanceQuerySet(TranslatedQuerySet):
    def public(self):
        """Appearances in published hearings."""
        return self.filter(HearingQuerySet.published_q("segment__hearing__"))

    def for_stakeholder_groups(self, groups):
        """Appearances of someone speaking for one of `groups` or a group below them."""
        return self.filter(organization__stakeholder_group__in=StakeholderGroup.objects.descendant_ids(groups))

    def search(self, query):
        """Appearances whose hearing's text (its speakers, organizations and summaries included) has every word."""
        return self.filter(segment__hearing__in=search_folded(Hearing.objects.all(), query).values("pk"))


class Appearance(BaseModel):
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

    objects = natural_key_manager(
        "segment__hearing__slug", "segment__position", "person__slug", "role", queryset=AppearanceQuerySet
    )
    # What counts read of a speaker (`changes`); the segment also tells which hearing to index again.
    tracked_fields = ("segment_id", "person_id", "organization_id", "role")

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
