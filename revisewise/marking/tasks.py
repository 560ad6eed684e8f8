"""Background jobs for marking: take ids, call one service, safe to run twice."""

from __future__ import annotations

from typing import Any

from django_tasks import task

from revisewise.marking.services import (
    marking_encodings_warm,
    written_answer_mark,
    written_answers_sweep,
)


@task()
def written_answer_mark_task(*, answer_id: int) -> int | None:
    """Mark one queued written answer; return the stored mark's id, None when nothing to do.

    Idempotent: a row already claimed or marked is left alone, so a duplicate task is harmless.
    """
    mark = written_answer_mark(answer_id=answer_id)
    return mark.pk if mark is not None else None


@task()
def written_answers_sweep_task() -> dict[str, int]:
    """Re-queue answers whose marking was lost (see `written_answers_sweep`)."""
    return written_answers_sweep().as_json()


@task()
def marking_encodings_warm_task() -> dict[str, Any]:
    """Encode every written item's texts into the persistent encoding cache (after items are
    generated or imported). Idempotent: stored texts are read back, not encoded again."""
    return marking_encodings_warm().as_json()
