from __future__ import annotations

from typing import Any

import pytest
from django.conf import settings
from django.db.backends.sqlite3.base import DatabaseWrapper

from revisewise.core.db import sqlite_database


def _wrapper(path) -> Any:
    config: dict[str, Any] = {
        **sqlite_database(path),
        "TIME_ZONE": None,
        "CONN_MAX_AGE": 0,
        "CONN_HEALTH_CHECKS": False,
        "AUTOCOMMIT": True,
        "ATOMIC_REQUESTS": False,
        "TEST": {},
        **dict.fromkeys(["USER", "PASSWORD", "HOST", "PORT"], ""),
    }
    return DatabaseWrapper(config, alias="probe")


def test_it_opens_sqlite_in_wal_with_a_busy_timeout_and_immediate_transactions(
    tmp_path, django_db_blocker
):
    wrapper = _wrapper(tmp_path / "probe.sqlite3")
    with django_db_blocker.unblock():
        try:
            with wrapper.cursor() as cursor:
                cursor.execute("PRAGMA journal_mode")
                journal_mode = cursor.fetchone()[0]
                cursor.execute("PRAGMA busy_timeout")
                busy_timeout_ms = cursor.fetchone()[0]
                cursor.execute("PRAGMA foreign_keys")
                foreign_keys = cursor.fetchone()[0]
        finally:
            wrapper.close()
    assert journal_mode == "wal"
    assert busy_timeout_ms == 20_000
    assert foreign_keys == 1
    assert wrapper.transaction_mode == "IMMEDIATE"


def test_it_uses_the_concurrent_sqlite_settings_by_default():
    default: dict[str, Any] = settings.DATABASES["default"]
    if "sqlite" not in default["ENGINE"]:
        pytest.skip("the suite runs on PostgreSQL (DATABASE_URL); these settings are SQLite's")
    assert default["OPTIONS"]["transaction_mode"] == "IMMEDIATE"
    assert "journal_mode=WAL" in default["OPTIONS"]["init_command"]
