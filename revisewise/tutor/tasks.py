from __future__ import annotations

from django_tasks import task

from revisewise.content.models import Qualification
from revisewise.tutor.services import tutor_index_refresh


@task()
def tutor_index_refresh_task(*, qualification_id: int | None = None) -> None:
    """Refresh the tutor's index after content changed; safe to run twice."""
    qualification = (
        Qualification.objects.filter(pk=qualification_id).first() if qualification_id else None
    )
    if qualification_id and qualification is None:
        return
    tutor_index_refresh(qualification=qualification)
