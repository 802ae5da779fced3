import datetime
import io

import pytest
from django.conf import settings
from django.core.cache import cache
from django.core.management import call_command
from django.utils import translation

from hearings.domain import changes
from hearings.models import Hearing
from hearings.pagecache.fragments import recent_fragments
from hearings.pagecache.store import breaker, recent_pages
from tests.factories import (
    AppearanceFactory,
    HearingFactory,
    HearingParticipationFactory,
    OrganizationFactory,
    PersonFactory,
    ProcessFactory,
    SegmentFactory,
    StaffUserFactory,
    StakeholderGroupFactory,
    VenueFactory,
)


@pytest.fixture(autouse=True)
def _english():
    """Each test starts in English: a request in another language leaves it active in the test's thread."""
    translation.activate(settings.LANGUAGE_CODE)
    yield
    translation.activate(settings.LANGUAGE_CODE)


@pytest.fixture(autouse=True)
def _nothing_pending():
    """Each test starts with no record change pending: what an earlier test noted went with its transaction.

    Autouse fixtures are set up before `db`, so no transaction holds what `forget()` drops.
    """
    changes.forget()


@pytest.fixture(autouse=True)
def _empty_cache():
    """Each test starts with an empty, working cache, so no page cached (or cache failure) of another test answers."""
    breaker.closed_until = 0.0
    recent_pages.size = settings.PAGE_MEMORY_CACHE_SIZE
    cache.clear()
    recent_pages.clear()
    recent_fragments.clear()
    yield
    breaker.closed_until = 0.0
    cache.clear()
    recent_pages.clear()
    recent_fragments.clear()


@pytest.fixture
def editor_client(client, db):
    """A test client logged in as a staff member of the "Editors" group."""
    client.force_login(StaffUserFactory(groups=["Editors"]))
    return client


@pytest.fixture
def seeded(db):
    """The seed records of `manage.py load_seed`: the Global Compact for Migration hearings.

    With `live_server` in the test (the browser tests), pytest-django makes `db`
    transactional, so the live server sees the loaded records.
    """
    call_command("load_seed", stdout=io.StringIO())


@pytest.fixture
def records(db):
    """Two published hearings and a draft; trade unions sit under civil society; one secret word in the draft."""
    civil_society = StakeholderGroupFactory(name="Civil society", slug="civil-society")
    unions = StakeholderGroupFactory(name="Trade unions", slug="trade-unions", parent=civil_society)
    states = StakeholderGroupFactory(name="Member States", slug="member-states")
    process = ProcessFactory(name="Global Compact for Migration", slug="gcm")
    venue = VenueFactory(name="Trusteeship Chamber", city="New York", country="United States")
    third = HearingFactory(
        process=process,
        ordinal=3,
        title="Third hearing",
        slug="third",
        date=datetime.date(2017, 12, 18),
        start_time=datetime.time(10),
        end_time=datetime.time(13),
        venue=venue,
        summary="A whole-of-society approach.",
    )
    other = HearingFactory(process=process, ordinal=1, title="First hearing", slug="first", venue=None,
                           date=datetime.date(2017, 7, 4), start_time=None, end_time=None)  # fmt: skip
    draft = HearingFactory(process=process, ordinal=9, title="Secret draft Zorrillo", slug="draft",
                           status=Hearing.Status.DRAFT, date=datetime.date(2018, 1, 1))  # fmt: skip
    panel = SegmentFactory(hearing=third, position=1, title="First panel")
    sinyolo = PersonFactory(name="Dennis Sinyolo", sort_name="Sinyolo, Dennis", slug="dennis-sinyolo")
    ei = OrganizationFactory(name="Education International", slug="education-international", stakeholder_group=unions)
    AppearanceFactory(segment=panel, person=sinyolo, organization=ei, role="panelist", position_title="Coordinator")
    AppearanceFactory(
        segment__hearing=other,
        person__name="Jürg Lauber",
        person__slug="jurg-lauber",
        organization__name="Permanent Mission of Switzerland",
        organization__slug="switzerland",
        organization__stakeholder_group=states,
        role="co-facilitator",
    )
    ghost = OrganizationFactory(name="Ghost Zorrillo Network", slug="ghost", stakeholder_group=StakeholderGroupFactory(
        name="Zorrillo media", slug="zorrillo-media"))  # fmt: skip
    AppearanceFactory(
        segment__hearing=draft, person__name="Zorrillo Phantom", person__slug="zorrillo", organization=ghost
    )
    HearingParticipationFactory(
        hearing=draft, group=StakeholderGroupFactory(name="Zorrillo guild", slug="zorrillo-guild")
    )
    return {"third": third, "other": other, "draft": draft}
