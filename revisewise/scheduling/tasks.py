"""Background jobs for scheduling: fitting a learner's FSRS parameters takes seconds."""

from __future__ import annotations

from django_tasks import task

from revisewise.accounts.models import User
from revisewise.scheduling.services import scheduler_optimise_for_learner


@task()
def scheduler_optimise_for_learner_task(*, learner_id: int) -> int | None:
    """Fit the learner's parameters; return the stored row's id, None when too few reviews.

    Idempotent: with no new reviews since the last fit, the service returns the stored row.
    """
    learner = User.objects.filter(pk=learner_id).first()
    if learner is None:
        return None
    row = scheduler_optimise_for_learner(learner=learner)
    return row.pk if row is not None else None
