"""Create the database's own full-text index: FTS5 on SQLite, a GIN index on PostgreSQL.

Each statement runs only on its vendor, so one migration history serves both databases.
"""

from __future__ import annotations

from django.db import migrations


class RunSQLForVendor(migrations.RunSQL):
    """RunSQL that does nothing on databases other than `vendor`."""

    def __init__(self, vendor, sql, reverse_sql):
        super().__init__(sql, reverse_sql)
        self.vendor = vendor

    def database_forwards(self, app_label, schema_editor, from_state, to_state):
        if schema_editor.connection.vendor == self.vendor:
            super().database_forwards(app_label, schema_editor, from_state, to_state)

    def database_backwards(self, app_label, schema_editor, from_state, to_state):
        if schema_editor.connection.vendor == self.vendor:
            super().database_backwards(app_label, schema_editor, from_state, to_state)


class Migration(migrations.Migration):
    dependencies = [("search", "0001_search_document")]

    operations = [
        # rowid is SearchDocument.id; the table keeps its own copy of the text so that
        # snippet() works and a unit's rows can be deleted by rowid.
        RunSQLForVendor(
            "sqlite",
            "CREATE VIRTUAL TABLE search_fts USING fts5("
            "title, body, tokenize = 'porter unicode61 remove_diacritics 2')",
            "DROP TABLE search_fts",
        ),
        RunSQLForVendor(
            "postgresql",
            "CREATE INDEX search_document_vector_gin ON search_searchdocument "
            "USING GIN (search_vector)",
            "DROP INDEX search_document_vector_gin",
        ),
    ]
