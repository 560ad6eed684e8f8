"""Where every app declares the personal data it keeps, for export and for erasure.

Each app that stores data about a learner registers one `PersonalData` in its
`AppConfig.ready()`:

    personal_data_register(PersonalData(
        name="practice",
        describe="Practice sessions and every answer given",
        export=lambda user: [...],   # JSON-serialisable
        erase=lambda user: None,     # delete or anonymise; runs inside the deletion transaction
    ))

`privacy.services` builds the export and runs the erasure from this registry, so a new app
cannot be forgotten: a test checks every model with a foreign key to the user is covered.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from revisewise.accounts.models import User


@dataclass(frozen=True)
class PersonalData:
    name: str
    describe: str
    export: Callable[[User], Any]
    erase: Callable[[User], None]
    # Models (as "app_label.ModelName") whose user-linked rows this entry covers.
    models: tuple[str, ...] = ()
    # What stays after deletion and why (shown in the privacy notice), if anything.
    retained: str = ""
    # The heading people see; the name, made readable, when empty.
    title: str = ""

    @property
    def heading(self) -> str:
        return self.title or self.name.replace("_", " ").capitalize()


_REGISTRY: dict[str, PersonalData] = {}


def personal_data_register(entry: PersonalData) -> None:
    _REGISTRY[entry.name] = entry


def personal_data_entries() -> list[PersonalData]:
    return [_REGISTRY[name] for name in sorted(_REGISTRY)]
