from __future__ import annotations

from io import StringIO

from django.core.management import call_command

from revisewise.tutor.models import Passage
from revisewise.tutor.tasks import tutor_index_refresh_task


def test_it_reports_what_the_refresh_changed(corpus):
    corpus.escalation_tip.text = "Escalate when the risk is beyond your authority."
    corpus.escalation_tip.save()
    out = StringIO()
    call_command("refresh_tutor_index", qualification=corpus.service.slug, stdout=out)
    total = Passage.objects.filter(qualification=corpus.service).count()
    assert out.getvalue().strip() == (
        f"Passages: 0 added, 1 changed, {total - 1} unchanged, 0 removed."
    )


def test_its_task_refreshes_the_index_and_can_run_twice(corpus):
    corpus.shared_misconception.delete()
    Passage.objects.all().delete()
    tutor_index_refresh_task.enqueue(qualification_id=corpus.service.pk)
    tutor_index_refresh_task.enqueue(qualification_id=corpus.service.pk)
    assert Passage.objects.filter(qualification=corpus.service).count() == 8
    assert not Passage.objects.filter(qualification=corpus.retail).exists()
