from __future__ import annotations

from django.apps import AppConfig


class AuditConfig(AppConfig):
    name = "revisewise.audit"
    label = "audit"
    verbose_name = "Audit log"

    def ready(self) -> None:
        from revisewise.audit.selectors import audit_events_export_for_user
        from revisewise.audit.services import audit_events_pseudonymise
        from revisewise.privacy.registry import PersonalData, personal_data_register

        personal_data_register(
            PersonalData(
                name="audit",
                title="Audit log",
                describe=(
                    "Who viewed, changed, exported or deleted your learning records, and when; "
                    "and the same for what you did with other people's records."
                ),
                export=lambda user: audit_events_export_for_user(user=user),
                erase=lambda user: audit_events_pseudonymise(user=user),
                models=("audit.AuditEvent",),
                retained=(
                    "The audit log keeps each event (what was done, when, at which centre) for "
                    "the centre's records and for accountability, but your name and email are "
                    "replaced by a code that cannot be traced back to you."
                ),
            )
        )
