from __future__ import annotations

from django.apps import AppConfig


class SchedulingConfig(AppConfig):
    name = "revisewise.scheduling"
    label = "scheduling"
    verbose_name = "Scheduling"

    def ready(self) -> None:
        from revisewise.privacy.registry import PersonalData, personal_data_register
        from revisewise.scheduling.selectors import scheduling_data_export_for_learner
        from revisewise.scheduling.services import scheduling_data_erase

        personal_data_register(
            PersonalData(
                name="scheduling",
                title="Scheduling and exam plans",
                describe=(
                    "What the scheduler knows about your memory of each question, every review, "
                    "your study settings and your exam dates."
                ),
                export=lambda user: scheduling_data_export_for_learner(learner=user),
                erase=lambda user: scheduling_data_erase(learner=user),
                models=(
                    "scheduling.Card",
                    "scheduling.ReviewLog",
                    "scheduling.LearnerSchedulingSettings",
                    "scheduling.LearnerSchedulerParameters",
                    "scheduling.ExamPlan",
                ),
            )
        )
