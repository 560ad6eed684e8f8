from __future__ import annotations

import json

from django.core.management import call_command

from revisewise.core.benchmarks import sqlite_writers_run


def test_it_commits_every_concurrent_read_then_write_transaction(django_db_blocker):
    with django_db_blocker.unblock():
        run = sqlite_writers_run(configuration="revisewise", processes=6, transactions=30)
    assert run.failed == 0
    assert run.committed == 180
    # No lost updates: every committed increment is in the counter.
    assert run.final_counter == 180


def test_it_prints_one_row_per_configuration(django_db_blocker, capsys):
    with django_db_blocker.unblock():
        call_command(
            "benchmark_sqlite_writers", "--processes", "2", "--transactions", "5", "--json"
        )

    rows = json.loads(capsys.readouterr().out)
    assert [row["configuration"] for row in rows] == ["django-default", "wal-only", "revisewise"]
    assert all(row["committed"] + row["failed"] == 10 for row in rows)
