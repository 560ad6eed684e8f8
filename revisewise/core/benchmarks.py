"""Concurrency benchmark for SQLite: many processes doing read-then-write transactions."""

from __future__ import annotations

import multiprocessing
import tempfile
import time
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from django.db import OperationalError, connections, transaction

from revisewise.core.db import sqlite_database


def _django_default(path: Path) -> dict[str, Any]:
    return {"ENGINE": "django.db.backends.sqlite3", "NAME": path}


def _wal_only(path: Path) -> dict[str, Any]:
    return {**_django_default(path), "OPTIONS": {"init_command": "PRAGMA journal_mode=WAL;"}}


def _revisewise(path: Path) -> dict[str, Any]:
    return sqlite_database(path)


CONFIGURATIONS: dict[str, Callable[[Path], dict[str, Any]]] = {
    "django-default": _django_default,
    "wal-only": _wal_only,
    "revisewise": _revisewise,
}


@dataclass(frozen=True)
class WriterRun:
    configuration: str
    processes: int
    transactions_per_process: int
    committed: int
    failed: int
    final_counter: int
    seconds: float

    @property
    def transactions_per_second(self) -> float:
        return self.committed / self.seconds if self.seconds else 0.0


def _use(alias: str, config: dict[str, Any]) -> None:
    if alias in connections.settings:
        connections[alias].close()
        del connections[alias]
    configured = connections.configure_settings({"default": dict(config), alias: dict(config)})
    connections.settings[alias] = configured[alias]


def _writer(args: tuple[str, str, int]) -> tuple[int, int]:
    configuration, path, count = args
    alias = "benchmark"
    _use(alias, CONFIGURATIONS[configuration](Path(path)))
    committed = failed = 0
    for _ in range(count):
        try:
            with transaction.atomic(using=alias), connections[alias].cursor() as cursor:
                cursor.execute("SELECT value FROM counter WHERE id = 1")
                value = cursor.fetchone()[0]
                cursor.execute("UPDATE counter SET value = %s WHERE id = 1", [value + 1])
            committed += 1
        except OperationalError:
            failed += 1
    connections[alias].close()
    return committed, failed


def sqlite_writers_run(*, configuration: str, processes: int, transactions: int) -> WriterRun:
    """Run `processes` writers of `transactions` read-then-write transactions on a fresh file."""
    with tempfile.TemporaryDirectory() as directory:
        path = Path(directory) / "benchmark.sqlite3"
        alias = "benchmark-setup"
        _use(alias, CONFIGURATIONS[configuration](path))
        with connections[alias].cursor() as cursor:
            cursor.execute("CREATE TABLE counter (id INTEGER PRIMARY KEY, value INTEGER)")
            cursor.execute("INSERT INTO counter (id, value) VALUES (1, 0)")
        connections[alias].close()
        context = multiprocessing.get_context("fork")
        started = time.perf_counter()
        with context.Pool(processes) as pool:
            results = pool.map(_writer, [(configuration, str(path), transactions)] * processes)
        seconds = time.perf_counter() - started
        with connections[alias].cursor() as cursor:
            cursor.execute("SELECT value FROM counter WHERE id = 1")
            final_counter = cursor.fetchone()[0]
        connections[alias].close()
    return WriterRun(
        configuration=configuration,
        processes=processes,
        transactions_per_process=transactions,
        committed=sum(committed for committed, _ in results),
        failed=sum(failed for _, failed in results),
        final_counter=final_counter,
        seconds=seconds,
    )
