from __future__ import annotations

from django.apps import AppConfig


class CentresConfig(AppConfig):
    name = "revisewise.centres"
    label = "centres"
    verbose_name = "Centres"

    def ready(self) -> None:
        from revisewise.centres.selectors import assignments_set_export
        from revisewise.centres.services import assignments_set_erase
        from revisewise.privacy.registry import PersonalData, personal_data_register

        # Learners' completion of assignments is derived from their practice answers, so
        # nothing per learner is stored here; only the tutor who set an assignment is named.
        personal_data_register(
            PersonalData(
                name="centres",
                describe="Assignments you set for a cohort as a tutor.",
                export=lambda user: assignments_set_export(tutor=user),
                erase=lambda user: assignments_set_erase(tutor=user),
                models=("centres.Assignment",),
                retained=(
                    "Assignments a tutor set stay with their cohort, without the tutor's name."
                ),
            )
        )
