import pytest
from django.core.cache import cache

from hearings.caching import recent_pages


@pytest.fixture(autouse=True)
def _empty_cache():
    """Each test starts with empty caches, so no page cached by another test answers."""
    cache.clear()
    recent_pages.clear()
    yield
    cache.clear()
    recent_pages.clear()
