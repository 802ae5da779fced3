"""The public pages' shorter statement timeout on PostgreSQL."""

import contextlib

from django.conf import settings
from django.db import DEFAULT_DB_ALIAS, connections, transaction


@contextlib.contextmanager
def public_statement_timeout():
    """On PostgreSQL, a public page's queries get a shorter statement timeout than the admin's and commands'.

    Set for the current transaction only (`set_config(…, true)`), in one of its
    own when the request runs in autocommit mode, so the connection's own
    timeout (`DJANGO_DB_STATEMENT_TIMEOUT`) is back once the page is rendered.
    """
    database = connections[DEFAULT_DB_ALIAS]
    if database.vendor != "postgresql":
        yield
        return
    milliseconds = str(int(settings.PUBLIC_STATEMENT_TIMEOUT * 1000))
    own_transaction = contextlib.nullcontext() if database.in_atomic_block else transaction.atomic()
    with own_transaction:
        with database.cursor() as cursor:
            cursor.execute("SELECT set_config('statement_timeout', %s, true)", [milliseconds])
        yield
