from __future__ import annotations

from django.apps import AppConfig


class TutorConfig(AppConfig):
    name = "revisewise.tutor"
    label = "tutor"
    verbose_name = "Tutor"

    def ready(self) -> None:
        from revisewise.privacy.registry import PersonalData, personal_data_register
        from revisewise.tutor.selectors import tutor_data_export_for_learner
        from revisewise.tutor.services import tutor_data_erase

        personal_data_register(
            PersonalData(
                name="tutor",
                describe=(
                    "Your conversations with the tutor: every question you asked and every "
                    "answer, with its sources and whether the AI model or the offline tutor "
                    "answered; for content authors, the unit drafts they asked the AI model for."
                ),
                export=lambda user: tutor_data_export_for_learner(learner=user),
                erase=lambda user: tutor_data_erase(learner=user),
                models=("tutor.Conversation", "tutor.Message", "tutor.UnitDraft"),
            )
        )
