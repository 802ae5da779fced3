"""Factories for made-up records. Real records live in fixtures/."""

import datetime

import factory
from django.utils import translation
from django.utils.text import slugify

from hearings.domain import changes
from hearings.domain.record_text import SOURCE_LANGUAGE
from hearings.models import (
    Appearance,
    Hearing,
    HearingLink,
    HearingParticipation,
    Organization,
    Person,
    Process,
    Segment,
    StakeholderGroup,
    Venue,
)


class RecordFactory(factory.django.DjangoModelFactory):
    """A factory whose records are made as editors' are: in a unit of work of their own, text in English.

    Each record is made in its own `changes.atomic()`, like an admin save or a seed load, so its derived data
    and the data version are up to date once it is made, though the test's transaction never commits. Its
    plain text fields (`name=…`) are the English text whatever language a test has active (django-modeltranslation
    writes a plain name into the active language's column); a test gives another language by its column
    (`name_fr=…`).
    """

    class Meta:
        abstract = True

    @classmethod
    def _create(cls, model_class, *args, **kwargs):
        with translation.override(SOURCE_LANGUAGE), changes.atomic():
            return super()._create(model_class, *args, **kwargs)

    @classmethod
    def _build(cls, model_class, *args, **kwargs):
        with translation.override(SOURCE_LANGUAGE):
            return super()._build(model_class, *args, **kwargs)


class StakeholderGroupFactory(RecordFactory):
    class Meta:
        model = StakeholderGroup
        django_get_or_create = ("slug",)

    name = factory.Sequence(lambda n: f"Test group {n}")
    slug = factory.LazyAttribute(lambda o: slugify(o.name))
    position = factory.Sequence(int)


class OrganizationFactory(RecordFactory):
    class Meta:
        model = Organization

    name = factory.Sequence(lambda n: f"Test organization {n}")
    slug = factory.LazyAttribute(lambda o: slugify(o.name))
    stakeholder_group = factory.SubFactory(StakeholderGroupFactory)


class PersonFactory(RecordFactory):
    class Meta:
        model = Person

    name = factory.Sequence(lambda n: f"Test Person {n}")
    sort_name = factory.LazyAttribute(lambda o: o.name)
    slug = factory.LazyAttribute(lambda o: slugify(o.name))


class ProcessFactory(RecordFactory):
    class Meta:
        model = Process

    name = factory.Sequence(lambda n: f"Test process {n}")
    slug = factory.LazyAttribute(lambda o: slugify(o.name))


class VenueFactory(RecordFactory):
    class Meta:
        model = Venue

    name = factory.Sequence(lambda n: f"Room {n}")
    city = "New York"
    slug = factory.LazyAttribute(lambda o: slugify(f"{o.name} {o.city}"))


class HearingFactory(RecordFactory):
    class Meta:
        model = Hearing

    process = factory.SubFactory(ProcessFactory)
    ordinal = factory.Sequence(lambda n: n + 1)
    title = factory.Sequence(lambda n: f"Test hearing {n}")
    slug = factory.LazyAttribute(lambda o: slugify(o.title))
    date = factory.Sequence(lambda n: datetime.date(2010, 1, 1) + datetime.timedelta(days=n))
    venue = factory.SubFactory(VenueFactory)
    status = Hearing.Status.PUBLISHED


class HearingLinkFactory(RecordFactory):
    class Meta:
        model = HearingLink

    hearing = factory.SubFactory(HearingFactory)
    title = "Source"
    url = factory.Sequence(lambda n: f"https://example.org/source/{n}")


class HearingParticipationFactory(RecordFactory):
    class Meta:
        model = HearingParticipation

    hearing = factory.SubFactory(HearingFactory)
    group = factory.SubFactory(StakeholderGroupFactory)


class SegmentFactory(RecordFactory):
    class Meta:
        model = Segment

    hearing = factory.SubFactory(HearingFactory)
    position = factory.Sequence(int)
    kind = Segment.Kind.PANEL
    title = factory.Sequence(lambda n: f"Panel {n}")


class AppearanceFactory(RecordFactory):
    class Meta:
        model = Appearance

    segment = factory.SubFactory(SegmentFactory)
    person = factory.SubFactory(PersonFactory)
    organization = factory.SubFactory(OrganizationFactory)
    role = Appearance.Role.PANELIST
    position = factory.Sequence(int)


class StaffUserFactory(RecordFactory):
    """A staff member who is not a superuser; `groups=["Editors"]` puts them in groups by name."""

    class Meta:
        model = "auth.User"
        skip_postgeneration_save = True

    username = factory.Sequence(lambda n: f"staff{n}")
    is_staff = True

    @factory.post_generation
    def groups(self, create, extracted, **kwargs):
        if create and extracted:
            self.groups.add(*(self.groups.model.objects.get(name=name) for name in extracted))
