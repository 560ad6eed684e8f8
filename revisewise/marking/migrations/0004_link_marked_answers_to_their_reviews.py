"""Link answers marked before `WrittenAnswer.review_log` existed to the review their grade wrote.

The machine path reviewed the card at the time the learner answered, unless the card had a
later review already (then at that review's time). Only the first case can be recognised: one
`written` review of this learner's card for this item, at exactly the attempt's time, with the
attempt's duration, not linked to another answer. Anything ambiguous stays unlinked (a tutor's
later verdict then re-grades the attempt but cannot correct the card, and says so in the log).
Going back needs nothing: the column is dropped by the previous migration's reversal.
"""

from django.db import migrations


def _link(apps, schema_editor):
    answers = apps.get_model("marking", "WrittenAnswer")
    logs = apps.get_model("scheduling", "ReviewLog")
    taken = set(
        answers.objects.filter(review_log__isnull=False).values_list("review_log_id", flat=True)
    )
    rows = answers.objects.filter(
        status="marked", review_log__isnull=True, attempt__graded_at__isnull=False
    ).select_related("attempt")
    for answer in rows.iterator(chunk_size=500):
        attempt = answer.attempt
        found = list(
            logs.objects.filter(
                card__learner_id=answer.learner_id,
                card__item_id=answer.item_id,
                source="written",
                reviewed_at=attempt.created_at,
                duration_ms=attempt.duration_ms,
            )
            .exclude(pk__in=taken)
            .values_list("pk", flat=True)[:2]
        )
        if len(found) == 1:
            answers.objects.filter(pk=answer.pk).update(review_log_id=found[0])
            taken.add(found[0])


class Migration(migrations.Migration):
    dependencies = [
        ("marking", "0003_person_mark_and_answer_review_log"),
        ("scheduling", "0002_append_only_review_logs"),
    ]

    operations = [migrations.RunPython(_link, migrations.RunPython.noop)]
