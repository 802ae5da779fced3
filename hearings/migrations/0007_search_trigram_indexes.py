"""Trigram indexes for the search, on PostgreSQL only.

`search()` filters with `search_text__contains=word`, a LIKE '%word%' that no
B-tree index can answer; a GIN index with pg_trgm's operator class can (a word
of fewer than three letters has no trigram, and is still answered by reading
the table). SQLite has neither, and a GIN index in the models' Meta would be SQL
it cannot run, so the indexes live only here: the migration state does not
know them, and makemigrations sees no change.
"""

from django.db import migrations

INDEXES = [
    ("hearing_search_trgm", "Hearing"),
    ("person_search_trgm", "Person"),
    ("organization_search_trgm", "Organization"),
]


def create_indexes(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    # Trusted since PostgreSQL 13: the database owner may create it without being a superuser.
    schema_editor.execute("CREATE EXTENSION IF NOT EXISTS pg_trgm")
    quote = schema_editor.quote_name
    for name, model_name in INDEXES:
        table = apps.get_model("hearings", model_name)._meta.db_table
        # Django's `contains` writes `"search_text"::text LIKE '%word%'`. PostgreSQL drops a cast
        # of text to text when it parses the query, so an index on the bare column matches it.
        schema_editor.execute(
            f"CREATE INDEX {quote(name)} ON {quote(table)} USING gin ({quote('search_text')} gin_trgm_ops)"
        )


def drop_indexes(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    # The extension stays: other objects may use it by now, and it costs nothing unused.
    for name, _model_name in INDEXES:
        schema_editor.execute(f"DROP INDEX IF EXISTS {schema_editor.quote_name(name)}")


class Migration(migrations.Migration):
    dependencies = [
        ("hearings", "0006_data_version_token"),
    ]

    operations = [
        migrations.RunPython(create_indexes, drop_indexes),
    ]
