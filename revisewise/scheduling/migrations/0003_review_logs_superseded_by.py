"""A corrected review log is superseded, not deleted: `superseded_by`, and a narrower trigger.

The trigger of migration 0002 refused every UPDATE of a review log. It now allows exactly one:
setting `superseded_by` from null to another log of the same card, every other column unchanged.
Anything else (another column, clearing or moving the link, a second supersession) is refused.
On SQLite the trigger is dropped before the table is rebuilt (adding a one-to-one column and a
check constraint rebuilds it, which would lose it) and created again after.
"""

from __future__ import annotations

import django.db.models.deletion
from django.db import migrations, models

TABLE = "scheduling_reviewlog"
MESSAGE = f"{TABLE} is append-only: only superseded_by may be set, once"
# Every column but superseded_by_id: none may change.
FIXED = (
    "id",
    "card_id",
    "rating",
    "reviewed_at",
    "duration_ms",
    "elapsed_days",
    "retrievability_before",
    "source",
    "created_at",
)

SQLITE_SUPERSEDE_ONLY = (
    f"CREATE TRIGGER {TABLE}_append_only BEFORE UPDATE ON {TABLE} WHEN NOT ("
    "OLD.superseded_by_id IS NULL AND NEW.superseded_by_id IS NOT NULL "
    "AND NEW.superseded_by_id <> OLD.id "
    + "".join(f"AND NEW.{column} IS OLD.{column} " for column in FIXED)
    + f"AND (SELECT card_id FROM {TABLE} WHERE id = NEW.superseded_by_id) IS OLD.card_id"
    f") BEGIN SELECT RAISE(ABORT, '{MESSAGE}'); END;"
)
SQLITE_REFUSE_ALL = (
    f"CREATE TRIGGER {TABLE}_append_only BEFORE UPDATE ON {TABLE} "
    f"BEGIN SELECT RAISE(ABORT, '{TABLE} is append-only'); END;"
)
# The trigger of 0002 calls this function; replacing the function changes what it allows.
POSTGRESQL_SUPERSEDE_ONLY = (
    f"CREATE OR REPLACE FUNCTION {TABLE}_append_only() RETURNS trigger AS $$ BEGIN "
    "IF OLD.superseded_by_id IS NULL AND NEW.superseded_by_id IS NOT NULL "
    "AND NEW.superseded_by_id <> OLD.id "
    "AND to_jsonb(NEW) - 'superseded_by_id' = to_jsonb(OLD) - 'superseded_by_id' "
    f"AND EXISTS (SELECT 1 FROM {TABLE} WHERE id = NEW.superseded_by_id "
    "AND card_id = OLD.card_id) THEN RETURN NEW; END IF; "
    f"RAISE EXCEPTION '{MESSAGE}' USING ERRCODE = 'integrity_constraint_violation'; "
    "END; $$ LANGUAGE plpgsql;"
)
POSTGRESQL_REFUSE_ALL = (
    f"CREATE OR REPLACE FUNCTION {TABLE}_append_only() RETURNS trigger AS $$ BEGIN "
    f"RAISE EXCEPTION '{TABLE} is append-only' USING ERRCODE = 'integrity_constraint_violation'; "
    "END; $$ LANGUAGE plpgsql;"
)


def _drop_sqlite_trigger(apps, schema_editor):
    if schema_editor.connection.vendor == "sqlite":
        schema_editor.execute(f"DROP TRIGGER IF EXISTS {TABLE}_append_only;")


def _install(sqlite: str, postgresql: str):
    def install(apps, schema_editor):
        vendor = schema_editor.connection.vendor
        if vendor in ("sqlite", "postgresql"):
            schema_editor.execute(sqlite if vendor == "sqlite" else postgresql)

    return install


class Migration(migrations.Migration):
    dependencies = [("scheduling", "0002_append_only_review_logs")]

    operations = [
        migrations.RunPython(
            _drop_sqlite_trigger, _install(SQLITE_REFUSE_ALL, POSTGRESQL_REFUSE_ALL)
        ),
        migrations.AddField(
            model_name="reviewlog",
            name="superseded_by",
            field=models.OneToOneField(
                blank=True,
                editable=False,
                null=True,
                on_delete=django.db.models.deletion.CASCADE,
                related_name="supersedes",
                to="scheduling.reviewlog",
            ),
        ),
        migrations.AddConstraint(
            model_name="reviewlog",
            constraint=models.CheckConstraint(
                condition=models.Q(("superseded_by", models.F("pk")), _negated=True),
                name="reviewlog_not_superseded_by_itself",
            ),
        ),
        migrations.RunPython(
            _install(SQLITE_SUPERSEDE_ONLY, POSTGRESQL_SUPERSEDE_ONLY), _drop_sqlite_trigger
        ),
    ]
