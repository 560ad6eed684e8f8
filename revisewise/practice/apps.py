from __future__ import annotations

from django.apps import AppConfig


class PracticeConfig(AppConfig):
    name = "revisewise.practice"
    label = "practice"
    verbose_name = "Practice"

    def ready(self) -> None:
        from revisewise.practice.selectors import practice_data_export_for_learner
        from revisewise.practice.services import practice_data_erase
        from revisewise.privacy.registry import PersonalData, personal_data_register

        personal_data_register(
            PersonalData(
                name="practice",
                title="Practice",
                describe="Your practice sessions and every answer you gave, with its result.",
                export=lambda user: practice_data_export_for_learner(learner=user),
                erase=lambda user: practice_data_erase(learner=user),
                models=("practice.PracticeSession", "practice.Attempt", "practice.Item"),
                retained=(
                    "Practice questions a content author approved or edited stay in the "
                    "question bank, without the author's name."
                ),
            )
        )
