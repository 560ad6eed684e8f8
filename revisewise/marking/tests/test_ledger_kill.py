"""Kill marking mid-way in a real worker process; the sweep must still mark every answer once.

Everything runs in separate OS processes against a file SQLite database of the test's own:
answers are submitted with the database task backend (so they wait for a worker), a real
`db_worker` starts marking, and is killed with SIGKILL while it holds an answer in `marking`
(loading the engine's model takes seconds, so the window is wide). The worker's task is lost
with it, as a task backend can lose one. After the lease, `sweep_marking` must put the answer
back and every acknowledged answer must end marked (or left for a person) with one mark.
"""

from __future__ import annotations

import json
import os
import signal
import sqlite3
import subprocess
import sys
import time
from pathlib import Path

from django.conf import settings

ANSWERS = 4
LEASE_SECONDS = 3


def _env(var_dir: Path, *, workers: bool) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if k != "DATABASE_URL"}
    env.update(
        DJANGO_SETTINGS_MODULE="config.settings",
        REVISEWISE_VAR_DIR=str(var_dir),
        TASKS_USE_WORKERS="true" if workers else "false",
        MARKING_TIME_LIMIT_SECONDS=str(LEASE_SECONDS),
        MARKING_SWEEP_INTERVAL_SECONDS="0",
        HF_HUB_OFFLINE="1",
        TRANSFORMERS_OFFLINE="1",
        TOKENIZERS_PARALLELISM="false",
    )
    return env


def _run(args: list[str], env: dict[str, str]) -> str:
    done = subprocess.run(
        [sys.executable, *args],
        cwd=settings.BASE_DIR,
        env=env,
        capture_output=True,
        text=True,
        timeout=300,
        check=False,
    )
    assert done.returncode == 0, done.stderr[-3000:]
    return done.stdout


def _statuses(database: Path) -> dict[int, str]:
    connection = sqlite3.connect(f"file:{database}?mode=ro", uri=True, timeout=5)
    try:
        return dict(connection.execute("SELECT id, status FROM marking_writtenanswer"))
    finally:
        connection.close()


def _wait_for_marking(database: Path, worker: subprocess.Popen[bytes]) -> int:
    deadline = time.monotonic() + 120
    while time.monotonic() < deadline:
        assert worker.poll() is None, "the worker stopped before it started marking"
        marking = [pk for pk, status in _statuses(database).items() if status == "marking"]
        if marking:
            return marking[0]
        time.sleep(0.02)
    raise AssertionError("the worker never started marking")


def test_it_marks_every_acknowledged_answer_once_after_the_worker_is_killed(tmp_path):
    workers = _env(tmp_path, workers=True)
    _run(["manage.py", "migrate", "--noinput"], workers)
    acknowledged = json.loads(
        _run(["-m", "revisewise.marking.tests.ledger_process", "seed", str(ANSWERS)], workers)
    )
    assert len(acknowledged) == ANSWERS
    database = tmp_path / "revisewise.sqlite3"
    assert set(_statuses(database).values()) == {"queued"}

    worker = subprocess.Popen(
        [sys.executable, "manage.py", "db_worker", "--no-startup-delay", "--no-reload"],
        cwd=settings.BASE_DIR,
        env=workers,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    try:
        _wait_for_marking(database, worker)
        os.kill(worker.pid, signal.SIGKILL)
    finally:
        worker.kill()
        worker.wait(timeout=30)
    assert worker.returncode == -signal.SIGKILL
    # The answer the worker held when it died: usually the one seen above, but if that one
    # finished just before the kill, the worker had already claimed the next.
    stuck = [pk for pk, status in _statuses(database).items() if status == "marking"]
    assert len(stuck) == 1, _statuses(database)
    killed_in_marking = stuck[0]

    # (Within its lease the sweep leaves an answer alone: test_ledger tests that without a clock
    # race.) Wait out the lease, then sweep with tasks run inline.
    inline = _env(tmp_path, workers=False)
    time.sleep(LEASE_SECONDS + 0.5)
    swept = json.loads(
        _run(["manage.py", "sweep_marking", "--json", "--queued-older-than", "0"], inline)
    )
    assert swept["requeued"] == 1

    ledger = json.loads(_run(["-m", "revisewise.marking.tests.ledger_process", "report"], inline))
    answers = {row["id"]: row for row in ledger["answers"]}
    assert sorted(answers) == sorted(acknowledged)
    assert ledger["attempts"] == ANSWERS
    for row in answers.values():
        assert row["status"] in ("marked", "needs_person"), row
        assert row["marks"] == (1 if row["status"] == "marked" else 0), row
        assert row["graded"] == (row["status"] == "marked"), row
    assert answers[killed_in_marking]["status"] == "marked"
    assert answers[killed_in_marking]["tries"] == 2
    marked = sum(1 for row in answers.values() if row["status"] == "marked")
    assert ledger["reviews"] == marked
