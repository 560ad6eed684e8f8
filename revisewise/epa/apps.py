from __future__ import annotations

from django.apps import AppConfig


class EpaConfig(AppConfig):
    name = "revisewise.epa"
    label = "epa"
    verbose_name = "End-point assessment"

    def ready(self) -> None:
        from revisewise.epa.selectors import mock_data_export_for_learner
        from revisewise.epa.services import mock_data_erase
        from revisewise.privacy.registry import PersonalData, personal_data_register

        personal_data_register(
            PersonalData(
                name="epa",
                describe=(
                    "Your mock knowledge tests: the questions asked, every answer you gave and "
                    "your results."
                ),
                export=lambda user: mock_data_export_for_learner(learner=user),
                erase=lambda user: mock_data_erase(learner=user),
                models=("epa.MockTest", "epa.MockAnswer"),
            )
        )
