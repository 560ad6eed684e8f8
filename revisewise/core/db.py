"""Database configuration shared by the settings and the concurrency benchmark."""

from __future__ import annotations

from pathlib import Path


def sqlite_database(path: Path, *, timeout_seconds: int = 20) -> dict[str, object]:
    """Return a Django DATABASES entry for SQLite that survives concurrent writers.

    With default settings, processes doing read-then-write transactions fail with "database is
    locked": each starts a deferred transaction, reads, then cannot upgrade to a write lock, and
    SQLite gives up at once rather than wait (a deadlock). WAL alone makes it worse, because more
    readers run at once. Writers must take the lock up front (BEGIN IMMEDIATE) and wait for it
    (busy timeout); WAL then lets readers carry on meanwhile.
    See docs/decisions/0002-sqlite-concurrency.md.
    """
    return {
        "ENGINE": "django.db.backends.sqlite3",
        "NAME": path,
        "OPTIONS": {
            "transaction_mode": "IMMEDIATE",
            "timeout": timeout_seconds,
            "init_command": (
                "PRAGMA journal_mode=WAL;PRAGMA synchronous=NORMAL;PRAGMA foreign_keys=ON;"
            ),
        },
    }
