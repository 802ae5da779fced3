"""Whole-page caching for the public site, always current.

Every change to the records moves one counter in the database (`DataVersion`,
moved by `signals` on each save and delete, in the same transaction as the
change). A public page is cached under that counter, the language and the full
URL, so an edit makes every older copy unreachable at once, in every worker and
on every app server, whether the cache is Redis or each process's own memory.
The same counter gives the ETag, so a browser that already holds the current
page gets a 304 without any rendering.

Django's CacheMiddleware expires pages by time, which would serve stale pages
after an edit; keying by the data version is what makes the cache safe here.
"""

import hashlib
import os
import threading
from collections import OrderedDict
from functools import wraps
from pathlib import Path

from django.conf import settings
from django.core.cache import cache
from django.db import connection
from django.db.models import F
from django.http import HttpResponse
from django.utils import timezone
from django.utils.cache import get_conditional_response, patch_cache_control
from django.utils.translation import get_language

from .models import DataVersion

PAGE_TIMEOUT = 24 * 60 * 60
_KEPT_HEADERS = ("Content-Type", "Content-Language")


class _RecentPages:
    """The pages this process served last, in its own memory, in front of the shared cache.

    Entries are keyed by the data version, so they can never be stale: an edit
    moves the version and the old entries simply stop being asked for.
    """

    def __init__(self, size):
        self.size = size
        self.entries = OrderedDict()
        self.lock = threading.Lock()

    def get(self, key):
        with self.lock:
            entry = self.entries.get(key)
            if entry is not None:
                self.entries.move_to_end(key)
            return entry

    def set(self, key, entry):
        with self.lock:
            self.entries[key] = entry
            self.entries.move_to_end(key)
            while len(self.entries) > self.size:
                self.entries.popitem(last=False)

    def clear(self):
        with self.lock:
            self.entries.clear()


recent_pages = _RecentPages(size=256)


_VERSION_SQL = f"SELECT counter, epoch FROM {DataVersion._meta.db_table} WHERE id = 1"


def _release():
    """What identifies the running code: pages rendered by an older release must not be served."""
    configured = os.environ.get("HEARINGS_RELEASE")
    if configured:
        return configured
    digest = hashlib.blake2b(digest_size=8)
    root = Path(settings.BASE_DIR)
    for pattern in ("templates/**/*.html", "hearings/**/*.py", "static/**/*"):
        for path in sorted(root.glob(pattern)):
            if path.is_file():
                digest.update(path.relative_to(root).as_posix().encode())
                digest.update(path.read_bytes())
    return digest.hexdigest()


RELEASE = _release()


def _version_row():
    # Plain SQL: this runs on every public request, and building it through the ORM
    # cost more than the query itself.
    with connection.cursor() as cursor:
        cursor.execute(_VERSION_SQL)
        row = cursor.fetchone()
    return row if row else (0, "")


def current_version():
    """The records' change counter."""
    return _version_row()[0]


def version_key():
    """What cached pages and counts are kept under: release, database, epoch and change counter.

    One primary-key query.
    """
    counter, epoch = _version_row()
    return f"{RELEASE}:{connection.settings_dict['NAME']}:{epoch}:{counter}"


def bump_version():
    """Mark the records as changed; called for every save and delete."""
    if not DataVersion.objects.filter(pk=1).update(counter=F("counter") + 1, changed=timezone.now()):
        DataVersion.objects.get_or_create(pk=1, defaults={"counter": 1})


def public_page(view):
    """Serve the view's 200 responses from the cache and answer conditional requests with a 304."""

    @wraps(view)
    def wrapper(request, *args, **kwargs):
        if request.method not in ("GET", "HEAD"):
            return view(request, *args, **kwargs)
        version = version_key()
        # Views keep their own costly counts under the same version (see selectors.remembered).
        request.data_version = version
        identity = "|".join(
            [
                version,
                get_language() or "",
                request.scheme,
                request.get_host(),
                request.get_full_path(),
            ]
        )
        digest = hashlib.blake2b(identity.encode(), digest_size=16).hexdigest()
        etag = f'"{digest}"'
        # No Last-Modified: two edits within one second would make If-Modified-Since answer a stale 304.
        # "If-None-Match: *" matches any existing page, which only the view can tell: let it answer.
        if request.headers.get("If-None-Match", "").strip() != "*":
            not_modified = get_conditional_response(request, etag=etag)
            if not_modified is not None:
                return not_modified

        key = f"page:{digest}"
        cached = recent_pages.get(key)
        if cached is None:
            cached = cache.get(key)
            if cached is not None:
                recent_pages.set(key, cached)
        if cached is not None:
            status, headers, content = cached
            response = HttpResponse(content, status=status)
            for name, value in headers:
                response[name] = value
        else:
            response = view(request, *args, **kwargs)
            if response.status_code == 200 and not response.streaming:
                headers = [(name, response[name]) for name in _KEPT_HEADERS if response.has_header(name)]
                entry = (response.status_code, headers, response.content)
                cache.set(key, entry, PAGE_TIMEOUT)
                recent_pages.set(key, entry)
        if response.status_code == 200:
            response["ETag"] = etag
            # Browsers and proxies may keep the page but must ask again; the ETag makes asking cheap.
            patch_cache_control(response, no_cache=True, public=True)
        return response

    return wrapper
