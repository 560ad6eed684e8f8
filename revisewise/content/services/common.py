# mypy: disallow-untyped-defs, disallow-incomplete-defs
"""What every content service shares: result types, item keys, subjects and awarding bodies."""

from __future__ import annotations

from dataclasses import dataclass, field

from django.utils.text import slugify

from revisewise.content.importers.common import (
    item_key,
)
from revisewise.content.models import (
    AwardingBody,
    ItemKind,
    Subject,
)

# Two items of one kind whose words agree this closely (difflib's ratio over the word sequences)
# are one item told twice, e.g. a shared tip reworded on another unit. A different point
# ("... measured by speed" against "... measured by satisfaction scores") scores below 0.8.
NEAR_IDENTICAL_RATIO = 0.85
KIND_ORDER = [kind.value for kind in ItemKind]


@dataclass(frozen=True)
class ImportResult:
    """What importing one unit from one file did."""

    file: str
    unit_uuid: str
    unit_title: str
    qualification_title: str
    status: str  # "created", "updated" or "unchanged"
    items_created: int = 0
    items_updated: int = 0
    items_deleted: int = 0
    items_total: int = 0


@dataclass(frozen=True)
class ImportFileError:
    file: str
    line: int
    reason: str

    def __str__(self) -> str:
        return f"{self.file}:{self.line}: {self.reason}"


@dataclass
class ImportReport:
    dry_run: bool = False
    files_seen: int = 0
    files_imported: int = 0
    results: list[ImportResult] = field(default_factory=list)
    errors: list[ImportFileError] = field(default_factory=list)

    def count(self, status: str) -> int:
        return sum(1 for r in self.results if r.status == status)

    @property
    def items_total(self) -> int:
        return sum(r.items_total for r in self.results)

    @property
    def ok(self) -> bool:
        return not self.errors

    @property
    def failed(self) -> int:
        """How many files (or missing paths) could not be imported."""
        return len(self.errors)


@dataclass
class ItemCounts:
    created: int = 0
    updated: int = 0
    deleted: int = 0


def content_item_key(*, kind: str, name: str, text: str) -> str:
    """Return sha256 hex of the kind and the normalised name (or text when there is no name)."""
    return item_key(kind=kind, name=name, text=text)


def subject_get_or_create(*, name: str) -> Subject:
    subject, _ = Subject.objects.get_or_create(slug=slugify(name)[:200], defaults={"name": name})
    return subject


def awarding_body_get_or_create(*, name: str) -> AwardingBody:
    body, _ = AwardingBody.objects.get_or_create(slug=slugify(name)[:200], defaults={"name": name})
    return body
