"""The cache behind the page cache: Django's cache through a breaker, and a small in-process memory of recent pages."""

import logging
import os
import threading
import time
from collections import OrderedDict

from django.conf import settings
from django.core.cache import cache

logger = logging.getLogger(__name__)


class CacheBreaker:
    """The cache is an accelerator: when it fails, pages are served without it, and it is left alone a while.

    Any error from the cache backend (refused, timed out, reset) is logged once,
    and for `pause` seconds no request asks the cache again, so a cache that
    hangs costs one short socket timeout (`CACHE_SOCKET_TIMEOUT`), not one per request.
    """

    def __init__(self, pause):
        self.pause = pause
        self.closed_until = 0.0
        self.lock = threading.Lock()

    @property
    def available(self):
        return time.monotonic() >= self.closed_until

    def call(self, operation, *args, default=None):
        if not self.available:
            return default
        try:
            return operation(*args)
        except Exception as error:  # whatever the backend raises, the page is still served
            with self.lock:
                if self.available:
                    logger.warning("cache unavailable, serving without it for %ss: %r", self.pause, error)
                self.closed_until = time.monotonic() + self.pause
            return default


breaker = CacheBreaker(pause=settings.CACHE_FAILURE_PAUSE)


class RecentPages:
    """The pages this process served last, in its own memory, in front of the shared cache.

    Entries are keyed like the shared cache, by the data version, so they are
    never stale: after an edit they are simply no longer asked for. It saves the
    round trip to Redis and the unpickling of the page on the most requested
    pages (see the README's benchmark for what it wins); `PAGE_MEMORY_CACHE_SIZE=0` turns it off.
    """

    def __init__(self, size):
        self.size = size
        self.entries = OrderedDict()
        self.lock = threading.Lock()

    def get(self, key):
        if not self.size:
            return None
        with self.lock:
            entry = self.entries.get(key)
            if entry is not None:
                self.entries.move_to_end(key)
            return entry

    def set(self, key, entry):
        if not self.size:
            return
        with self.lock:
            self.entries[key] = entry
            self.entries.move_to_end(key)
            while len(self.entries) > self.size:
                self.entries.popitem(last=False)

    def clear(self):
        with self.lock:
            self.entries.clear()


recent_pages = RecentPages(size=settings.PAGE_MEMORY_CACHE_SIZE)


def cache_get(key):
    return breaker.call(cache.get, key)


def cache_set(key, value, timeout):
    breaker.call(cache.set, key, value, timeout)


def cache_status():
    """ "ok" when the cache answers now, "unavailable" when it failed or its breaker is open."""
    if not breaker.available:
        return "unavailable"
    probe = f"healthz:{os.getpid()}:{threading.get_ident()}"
    ok = breaker.call(lambda: cache.set(probe, 1, 10) or cache.get(probe) == 1, default=False)
    return "ok" if ok else "unavailable"
