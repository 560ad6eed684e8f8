"""Tutors mark answers the engine gave up on; an answer links the FSRS review its grade wrote.

Adds `PersonMark`, the `marked_by_person` status and `WrittenAnswer.review_log`. Reversing
puts answers a tutor marked back to `needs_person` first (their marks go with the table), so
the old status constraint holds again.
"""

import django.db.models.deletion
import uuid
from django.conf import settings
from django.db import migrations, models


def _forget_person_marks(apps, schema_editor):
    answers = apps.get_model("marking", "WrittenAnswer")
    answers.objects.filter(status="marked_by_person").update(status="needs_person")


class Migration(migrations.Migration):
    dependencies = [
        ("marking", "0002_machine_mark_one_per_answer_and_engine"),
        ("practice", "0002_practice_sessions"),
        ("scheduling", "0002_append_only_review_logs"),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        migrations.CreateModel(
            name="PersonMark",
            fields=[
                (
                    "id",
                    models.BigAutoField(
                        auto_created=True, primary_key=True, serialize=False, verbose_name="ID"
                    ),
                ),
                ("created_at", models.DateTimeField(auto_now_add=True)),
                ("updated_at", models.DateTimeField(auto_now=True)),
                ("uuid", models.UUIDField(default=uuid.uuid4, editable=False, unique=True)),
                ("point_verdicts", models.JSONField(default=list)),
                ("label", models.CharField(max_length=20)),
                ("score", models.FloatField()),
                ("comment", models.TextField(blank=True)),
            ],
            options={
                "ordering": ["-created_at"],
            },
        ),
        migrations.RemoveConstraint(
            model_name="writtenanswer",
            name="written_answer_status_valid",
        ),
        migrations.AddField(
            model_name="writtenanswer",
            name="review_log",
            field=models.OneToOneField(
                blank=True,
                null=True,
                on_delete=django.db.models.deletion.SET_NULL,
                related_name="written_answer",
                to="scheduling.reviewlog",
            ),
        ),
        migrations.AlterField(
            model_name="writtenanswer",
            name="status",
            field=models.CharField(
                choices=[
                    ("queued", "Waiting to be marked"),
                    ("marking", "Being marked"),
                    ("marked", "Marked"),
                    ("needs_person", "Needs a person to mark it"),
                    ("marked_by_person", "Marked by a tutor"),
                ],
                default="queued",
                max_length=20,
            ),
        ),
        # Between the old status constraint's removal and the new one's creation, so that going
        # back can move rows before the old constraint returns.
        migrations.RunPython(migrations.RunPython.noop, _forget_person_marks),
        migrations.AddConstraint(
            model_name="writtenanswer",
            constraint=models.CheckConstraint(
                condition=models.Q(
                    (
                        "status__in",
                        ["queued", "marking", "marked", "needs_person", "marked_by_person"],
                    )
                ),
                name="written_answer_status_valid",
            ),
        ),
        migrations.AddConstraint(
            model_name="writtenanswer",
            constraint=models.CheckConstraint(
                condition=models.Q(
                    models.Q(("status", "marked_by_person"), _negated=True),
                    ("marked_at__isnull", False),
                    _connector="OR",
                ),
                name="written_answer_person_marked_has_time",
            ),
        ),
        migrations.AddField(
            model_name="personmark",
            name="answer",
            field=models.OneToOneField(
                on_delete=django.db.models.deletion.CASCADE,
                related_name="person_mark",
                to="marking.writtenanswer",
            ),
        ),
        migrations.AddField(
            model_name="personmark",
            name="tutor",
            field=models.ForeignKey(
                null=True,
                on_delete=django.db.models.deletion.SET_NULL,
                related_name="person_marks_made",
                to=settings.AUTH_USER_MODEL,
            ),
        ),
        migrations.AddConstraint(
            model_name="personmark",
            constraint=models.CheckConstraint(
                condition=models.Q(("score__gte", 0), ("score__lte", 1)),
                name="person_mark_score_in_range",
            ),
        ),
        migrations.AddConstraint(
            model_name="personmark",
            constraint=models.CheckConstraint(
                condition=models.Q(
                    ("label__in", ["correct", "partially_correct", "incorrect", "contradictory"])
                ),
                name="person_mark_label_valid",
            ),
        ),
    ]
