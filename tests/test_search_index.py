"""The search's trigram indexes, which a migration creates on PostgreSQL and nowhere else."""

from django.db import connection

from hearings.models import Hearing, Organization, Person

TRIGRAM_INDEXES = {
    "hearing_search_trgm": Hearing,
    "person_search_trgm": Person,
    "organization_search_trgm": Organization,
}


def test_trigram_indexes_exist_on_postgresql_only(db):
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute(
                "SELECT indexname, tablename, indexdef FROM pg_indexes WHERE indexname = ANY(%s)",
                [list(TRIGRAM_INDEXES)],
            )
            found = {name: (table, definition) for name, table, definition in cursor.fetchall()}
        assert {name: table for name, (table, _) in found.items()} == {
            name: model._meta.db_table for name, model in TRIGRAM_INDEXES.items()
        }
        assert all("USING gin (search_text gin_trgm_ops)" in definition for _, definition in found.values())
    else:
        with connection.cursor() as cursor:
            names = {
                name
                for model in TRIGRAM_INDEXES.values()
                for name in connection.introspection.get_constraints(cursor, model._meta.db_table)
            }
        assert names, "introspection found no index at all"
        assert names.isdisjoint(TRIGRAM_INDEXES)


def test_search_can_use_the_trigram_index_on_postgresql_only(db):
    """The index must match the SQL Django writes for `search_text__contains`, cast included."""
    for name, model in TRIGRAM_INDEXES.items():
        queryset = model.objects.search("Lajčák")
        if connection.vendor == "postgresql":
            with connection.cursor() as cursor:
                # With a handful of test rows any other plan is cheaper. Left with bitmap scans only, which need
                # an index that answers the LIKE, the planner falls back on the forbidden sequential scan if none can.
                cursor.execute("SET LOCAL enable_seqscan = off")
                cursor.execute("SET LOCAL enable_indexscan = off")
                cursor.execute("SET LOCAL enable_indexonlyscan = off")
            assert name in queryset.explain()
        else:
            # No SQLite index can answer LIKE '%word%': the search reads the whole table.
            assert f"SCAN {model._meta.db_table}" in queryset.explain()
