"""The key every cached answer and count is kept under: the release, the database and its data version."""

import hashlib
import json

from django.db import DEFAULT_DB_ALIAS, connections
from django.utils import translation

from hearings.domain import changes
from hearings.models import DataVersion
from hearings.pagecache.release import release
from hearings.pagecache.store import cache_get, cache_set

COUNTS_TIMEOUT = 24 * 60 * 60


_VERSION_SQL = f"SELECT token, counts_token FROM {DataVersion._meta.db_table} WHERE id = 1"


def version_keys():
    """What cached pages and counts are kept under: (data version key, counts version key). One query.

    Each holds the release and the database. The data version moves with every
    public change; the counts version only with those that counts read
    (`changes.note`), so counts that do not search stay kept when a text is corrected.
    Changes this connection has not applied yet are applied first, so that a
    transaction reads its own writes.
    """
    if changes.pending():
        changes.flush()
    database = connections[DEFAULT_DB_ALIAS]
    # Plain SQL: this runs on every public request, and building it through the ORM
    # cost more than the query itself.
    with database.cursor() as cursor:
        cursor.execute(_VERSION_SQL)
        row = cursor.fetchone() or ("", "")
    prefix = f"{release()}:{database.settings_dict['NAME']}"
    return f"{prefix}:{row[0]}", f"{prefix}:counts:{row[1]}"


def version_key():
    """The data version's key: what cached pages are kept under (`version_keys`)."""
    return version_keys()[0]


def remembered(version, name, parts, compute, *, per_language=False):
    """`compute()`, kept in the cache until the records next change.

    For counts that read every published hearing: they change only when the
    records do, so they are worked out once per data version and filter
    state, while the page around them is rendered per request. Data holding
    record text (names) is `per_language`: kept apart for each language.
    """
    language = translation.get_language() if per_language else None
    identity = json.dumps([version, name, parts, language], sort_keys=True, default=str)
    key = "counts:" + hashlib.blake2b(identity.encode(), digest_size=16).hexdigest()
    value = cache_get(key)
    if value is None:
        value = compute()
        cache_set(key, value, COUNTS_TIMEOUT)
    return value
