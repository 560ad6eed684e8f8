from __future__ import annotations

from django.apps import AppConfig


class DiscussionConfig(AppConfig):
    name = "revisewise.discussion"
    label = "discussion"
    verbose_name = "Discussion practice"

    def ready(self) -> None:
        from revisewise.discussion.selectors import discussion_data_export_for_learner
        from revisewise.discussion.services import discussion_data_erase
        from revisewise.privacy.registry import PersonalData, personal_data_register

        personal_data_register(
            PersonalData(
                name="discussion",
                describe=(
                    "Your professional-discussion practice: each session, every answer you "
                    "wrote and how it was marked."
                ),
                export=lambda user: discussion_data_export_for_learner(learner=user),
                erase=lambda user: discussion_data_erase(learner=user),
                models=(
                    "discussion.DiscussionSession",
                    "discussion.DiscussionAnswer",
                    "discussion.DiscussionMark",
                ),
            )
        )
