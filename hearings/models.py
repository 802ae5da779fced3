"""The record of multi-stakeholder hearings: who spoke, when, for whom."""

import secrets

from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import Exists, OuterRef, Q
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from . import grouptree
from .text import fold


def new_token():
    return secrets.token_hex(16)


def natural_key_manager(*lookups, queryset=models.QuerySet):
    """A manager whose `get_by_natural_key(*key)` looks a row up by `lookups`, in order: fixtures use it."""

    def get_by_natural_key(self, *key):
        return self.get(**dict(zip(lookups, key, strict=True)))

    return type(
        f"{queryset.__name__}Manager",
        (models.Manager.from_queryset(queryset),),
        {"get_by_natural_key": get_by_natural_key},
    )()


class BaseModel(models.Model):
    """What every record model shares: validation that trusts related objects already in hand, and loaded values.

    `clean_fields()` skips the existence query for a foreign key whose object was
    loaded from the database in this request (a form's choice field fetched it);
    the database's own foreign-key constraint still guards it. `loaded` holds the
    values of `tracked_fields` as read from the database, so a change of parent
    is known without reading the row again.
    """

    tracked_fields = ()

    class Meta:
        abstract = True

    def save(self, *args, **kwargs):
        super().save(*args, **kwargs)
        if self.tracked_fields:
            # What the database holds now, for the next save of this same instance.
            self.loaded = {name: getattr(self, name) for name in self.tracked_fields}

    @classmethod
    def from_db(cls, db, field_names, values):
        instance = super().from_db(db, field_names, values)
        if cls.tracked_fields:
            loaded = dict(zip(field_names, values, strict=True))
            instance.loaded = {name: loaded.get(name) for name in cls.tracked_fields}
        return instance

    def clean_fields(self, exclude=None):
        exclude = set(exclude or ())
        for field in self._meta.concrete_fields:
            if field.many_to_one and field.is_cached(self):
                related = field.get_cached_value(self)
                if related is not None and not related._state.adding:
                    exclude.add(field.name)
        super().clean_fields(exclude=exclude)


class SearchableModel(BaseModel):
    """A record with a folded `search_text` made from `search_source_fields`, the one formula for it."""

    search_source_fields = ()
    search_text = models.TextField(editable=False, blank=True)

    class Meta:
        abstract = True

    def save(self, *args, **kwargs):
        self.search_text = self.make_search_text()
        update_fields = kwargs.get("update_fields")
        if update_fields is not None and set(update_fields) & set(self.search_source_fields):
            kwargs["update_fields"] = {*update_fields, "search_text"}
        super().save(*args, **kwargs)

    def make_search_text(self):
        return fold(" ".join(getattr(self, name) or "" for name in self.search_source_fields))


class RecordModel(BaseModel):
    """A record with a public address: an ASCII slug as natural key, and when it was created and changed."""

    slug = models.SlugField(_("slug"), max_length=200, unique=True, help_text=_("Used in addresses; ASCII only."))
    created = models.DateTimeField(_("created"), auto_now_add=True)
    updated = models.DateTimeField(_("updated"), auto_now=True)

    class Meta:
        abstract = True

    def natural_key(self):
        return (self.slug,)


# --- Stakeholder groups -------------------------------------------------------


def _published(prefix=""):
    return HearingQuerySet.published_q(prefix)


def _search(queryset, query):
    for word in fold(query).split():
        queryset = queryset.filter(search_text__contains=word)
    return queryset


class StakeholderGroupQuerySet(models.QuerySet):
    def public(self):
        """Groups that a published hearing uses, as a speaker's group or a participating group, or above one."""
        return self.filter(Exists(HearingGroupIndex.objects.filter(_published("hearing__"), group=OuterRef("pk"))))

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
        ordering = ["position", "name"]
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


# --- Organizations, people, processes, venues --------------------------------


class OrganizationQuerySet(models.QuerySet):
    def public(self):
        """Organizations someone spoke for in a published hearing."""
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
        return _search(self, query)


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
        ordering = ["name"]
        indexes = [models.Index(fields=["name"], name="organization_name")]

    def __str__(self):
        return f"{self.name} ({self.short_name})" if self.short_name else self.name

    def get_absolute_url(self):
        return reverse("hearings:organization_detail", kwargs={"slug": self.slug})


class PersonQuerySet(models.QuerySet):
    def public(self):
        """People who spoke in a published hearing."""
        return self.filter(Exists(Appearance.objects.public().filter(person=OuterRef("pk"))))

    def for_stakeholder_groups(self, groups, *, public_only=True):
        """People who spoke for one of `groups` or a group below them (in a published hearing, unless not)."""
        return self.in_groups(StakeholderGroup.objects.descendant_ids(groups), public_only=public_only)

    def in_groups(self, group_ids, *, public_only=True):
        """People who spoke for one of exactly these groups."""
        appearances = Appearance.objects.public() if public_only else Appearance.objects.all()
        return self.filter(
            Exists(appearances.filter(person=OuterRef("pk"), organization__stakeholder_group__in=group_ids))
        )

    def search(self, query):
        return _search(self, query)


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


class ProcessQuerySet(models.QuerySet):
    def public(self):
        """Processes with a published hearing."""
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
        ordering = ["name"]

    def __str__(self):
        return self.name

    def get_absolute_url(self):
        return reverse("hearings:process_detail", kwargs={"slug": self.slug})


class VenueQuerySet(models.QuerySet):
    def public(self):
        """Venues of a published hearing."""
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
        ordering = ["city", "site", "name"]

    def __str__(self):
        return ", ".join(part for part in (self.name, self.site, self.city) if part)


# --- Hearings -----------------------------------------------------------------


class HearingQuerySet(models.QuerySet):
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
        return _search(self, query)

    def with_listing_related(self):
        return (
            self.select_related("process", "venue")
            .defer("search_text", "summary", "process__description")
            .prefetch_related("participating_groups")
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

    objects = natural_key_manager("slug", queryset=HearingQuerySet)
    tracked_fields = ("status",)

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
        return reverse("hearings:hearing_detail", kwargs={"slug": self.slug})


class HearingParticipation(BaseModel):
    """A stakeholder group whose representatives took part in a hearing."""

    hearing = models.ForeignKey(Hearing, verbose_name=_("hearing"), on_delete=models.CASCADE)
    group = models.ForeignKey(StakeholderGroup, verbose_name=_("stakeholder group"), on_delete=models.PROTECT)

    objects = natural_key_manager("hearing__slug", "group__slug")
    tracked_fields = ("hearing_id",)

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


class SegmentQuerySet(models.QuerySet):
    def public(self):
        """Segments of published hearings."""
        return self.filter(_published("hearing__"))


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


class AppearanceQuerySet(models.QuerySet):
    def public(self):
        """Appearances in published hearings."""
        return self.filter(_published("segment__hearing__"))


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
    tracked_fields = ("segment_id",)

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


class DataVersion(models.Model):
    """One row whose token changes with every change to the records; public pages are cached under it.

    A fresh random token per change, not a counter: a restored backup brings back
    a token that only ever named that same data, and the next change makes one
    that no cached page has seen.
    """

    token = models.CharField(max_length=32, default=new_token)
    changed = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = _("data version")
        verbose_name_plural = _("data versions")

    def __str__(self):
        return self.token
