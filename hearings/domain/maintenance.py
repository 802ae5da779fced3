"""Database upkeep that bulk writes and restores call for."""

from django.db import connections


def analyze(using="default"):
    """Refresh the query planner's statistics (`ANALYZE`), on PostgreSQL and SQLite alike.

    Right after thousands of rows arrive at once (generated data, a restore, an
    import), PostgreSQL's planner still believes the tables are small until
    autovacuum comes round, and may walk a whole table where an index would do.
    """
    with connections[using].cursor() as cursor:
        cursor.execute("ANALYZE")
