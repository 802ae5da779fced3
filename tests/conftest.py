import io

import pytest
from django.conf import settings
from django.core.cache import cache
from django.core.management import call_command

from hearings.caching import breaker, recent_pages
from tests.factories import StaffUserFactory


@pytest.fixture(autouse=True)
def _empty_cache():
    """Each test starts with an empty, working cache, so no page cached (or cache failure) of another test answers."""
    breaker.closed_until = 0.0
    recent_pages.size = settings.PAGE_MEMORY_CACHE_SIZE
    cache.clear()
    recent_pages.clear()
    yield
    breaker.closed_until = 0.0
    cache.clear()
    recent_pages.clear()


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
