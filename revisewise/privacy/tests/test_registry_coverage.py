"""No app may keep data about a person without registering it for export and erasure."""

from __future__ import annotations

from django.apps import apps
from django.contrib.auth import get_user_model

from revisewise.privacy.registry import personal_data_entries

# Models linked to a person that need no entry, each with the reason.
ALLOWED_WITHOUT_ENTRY = {
    "admin.LogEntry": (
        "Django's admin history of what a site administrator changed; site administrators "
        "cannot delete their account through the privacy pages, and a learner never appears "
        "as its user."
    ),
}


def _models_linked_to_people() -> dict[str, list[str]]:
    user_model = get_user_model()
    linked: dict[str, list[str]] = {}
    for model in apps.get_models():
        if model is user_model:
            continue
        for field in model._meta.get_fields():
            if field.auto_created or not field.is_relation:
                continue
            if field.related_model is user_model:
                label = f"{model._meta.app_label}.{model.__name__}"
                linked.setdefault(label, []).append(field.name)
    return linked


def test_it_covers_every_model_linked_to_a_person():
    covered = {model for entry in personal_data_entries() for model in entry.models}

    missing = [
        f"{label} (fields: {', '.join(fields)})"
        for label, fields in sorted(_models_linked_to_people().items())
        if label not in covered and label not in ALLOWED_WITHOUT_ENTRY
    ]

    assert missing == [], (
        "These models keep data about a person but no privacy entry lists them: register a "
        "PersonalData for each in its app's AppConfig.ready() (revisewise/privacy/registry.py), "
        "or add it to ALLOWED_WITHOUT_ENTRY with the reason:\n  " + "\n  ".join(missing)
    )


def test_it_lists_only_models_that_exist():
    for entry in personal_data_entries():
        for label in entry.models:
            assert apps.get_model(label), f"{entry.name} lists unknown model {label}"


def test_it_keeps_the_allow_list_to_models_that_exist():
    linked = _models_linked_to_people()
    for label in ALLOWED_WITHOUT_ENTRY:
        assert label in linked, f"{label} is allowed without an entry but is not linked to people"
