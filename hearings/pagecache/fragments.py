"""Parts of public pages rendered once per version of the records they show, and reused by every page.

A page cached whole (`pages`) is kept under the data version, which any public
edit moves: after an edit every page is rendered again by its next visitor. The
parts that show one hearing (its row in a list, the parts of its own page) are
kept here under that hearing's own `shown_token`, which `changes` moves in the
same transaction as any change to what the hearing shows: its text, segments,
speakers, their organizations and stakeholder groups, its process, venue and
links. So an edit makes its own hearing's fragments unreachable and leaves every
other hearing's as they were, and a fragment is never stale.

Every key also holds the release, the database, the active language, the
script prefix the site is served under and what else the caller names (the
host, for parts with absolute addresses). Fragments
go through the page cache's breaker: when the cache fails, they are rendered.
"""

import hashlib
import json

from django.conf import settings
from django.core.cache import cache
from django.db import DEFAULT_DB_ALIAS, connections
from django.db.models import prefetch_related_objects
from django.urls import get_script_prefix
from django.utils.translation import get_language

from hearings.pagecache.release import release
from hearings.pagecache.store import RecentPages, breaker

FRAGMENT_TIMEOUT = 24 * 60 * 60

# The fragments this process used last, in its own memory in front of the shared cache, like `recent_pages`.
recent_fragments = RecentPages(size=settings.FRAGMENT_MEMORY_CACHE_SIZE)


def _scope():
    """What every key of this request holds: the release, the database, the language, the script prefix."""
    return [
        release(),
        connections[DEFAULT_DB_ALIAS].settings_dict["NAME"],
        get_language() or "",
        get_script_prefix(),  # every address a fragment holds starts with it
    ]


def _key(scope, name, parts):
    identity = json.dumps([*scope, name, *parts], default=str)
    return "fragment:" + hashlib.blake2b(identity.encode(), digest_size=16).hexdigest()


def fragment_key(name, *parts):
    """The cache key of fragment `name` of the record `parts` name, in the active language and this release."""
    return _key(_scope(), name, parts)


def get_many(keys):
    """{key: rendered text} for the keys that are kept (in this process's memory, then in the cache)."""
    found = {}
    for key in keys:
        text = recent_fragments.get(key)
        if text is not None:
            found[key] = text
    wanted = [key for key in keys if key not in found]
    if wanted:
        shared = breaker.call(cache.get_many, wanted, default={}) or {}
        for key, text in shared.items():
            recent_fragments.set(key, text)
        found.update(shared)
    return found


def set_many(texts):
    """Keep rendered fragments, {key: text}."""
    if not texts:
        return
    for key, text in texts.items():
        recent_fragments.set(key, text)
    breaker.call(cache.set_many, texts, FRAGMENT_TIMEOUT)


def kept_for(records, name, parts, make, prefetches=()):
    """One fragment per record, in order: the kept one, or the one `make` gives for it, then kept.

    `parts(record)` names what the record's fragment shows (its hearing's id and `shown_token`, …). Only
    the records whose fragment is not kept have `prefetches` read (`prefetch_related_objects`) and are
    handed to `make`, all at once, which returns their fragments in the same order.
    """
    scope = _scope()
    keys = [_key(scope, name, parts(record)) for record in records]
    found = get_many(keys)
    missing = [(record, key) for record, key in zip(records, keys, strict=True) if key not in found]
    if missing:
        missing_records = [record for record, _key in missing]
        if prefetches:
            prefetch_related_objects(missing_records, *prefetches)
        made = {key: text for (_record, key), text in zip(missing, make(missing_records), strict=True)}
        set_many(made)
        found.update(made)
    return [found[key] for key in keys]


class PageFragments:
    """The named fragments of one record's page: which are kept, and a place to keep those rendered now.

    The view makes it from what the fragments show (`PageFragments(names, "hearing", pk, token, host)`)
    and loads the records' related rows only when `missing`; the `{% fragment %}` tag takes each kept
    one or renders and keeps it. `PageFragments.none()` keeps nothing (a staff preview of a draft).
    """

    def __init__(self, names, *parts, keep=True):
        scope = _scope() if keep else None
        self.keys = {name: _key(scope, name, parts) for name in names} if keep else {}
        self.found = get_many(list(self.keys.values())) if keep else {}
        self.missing = not keep or len(self.found) < len(self.keys)

    @classmethod
    def none(cls):
        return cls((), keep=False)

    def get(self, name):
        key = self.keys.get(name)
        return self.found.get(key) if key else None

    def keep(self, name, text):
        key = self.keys.get(name)
        if key:
            self.found[key] = text
            set_many({key: text})
