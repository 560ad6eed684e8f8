from __future__ import annotations

from typing import Any

from django.apps import AppConfig


class MarkingConfig(AppConfig):
    name = "revisewise.marking"
    label = "marking"
    verbose_name = "Marking"

    def ready(self) -> None:
        from revisewise.privacy.registry import PersonalData, personal_data_register

        def export(user: Any) -> Any:
            from revisewise.marking.services import marking_data_export

            return marking_data_export(learner=user)

        def erase(user: Any) -> None:
            from revisewise.marking.services import marking_data_erase

            marking_data_erase(learner=user)

        personal_data_register(
            PersonalData(
                name="marking",
                describe=(
                    "Your written answers, the marks the marking engine gave them, the marks "
                    "you flagged with your reasons, your tutors' moderations of them, a "
                    "tutor's marks (and their revisions) of an answer the engine could not "
                    "mark, and (for tutors) the moderations and marks you made."
                ),
                export=export,
                erase=erase,
                models=(
                    "marking.WrittenAnswer",
                    "marking.MachineMark",
                    "marking.MarkFlag",
                    "marking.Moderation",
                    "marking.PersonMark",
                ),
                retained=(
                    "A tutor's moderations and marks of other learners' answers stay with those "
                    "learners' records, no longer linked to the tutor."
                ),
            )
        )
