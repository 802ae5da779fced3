import pytest
from django.core.cache import cache


@pytest.fixture(autouse=True)
def _empty_cache():
    """Each test starts with an empty cache, so no page cached by another test answers."""
    cache.clear()
    yield
    cache.clear()
