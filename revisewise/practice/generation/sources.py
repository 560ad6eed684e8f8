"""Plain data in and out of the generators: the content they read and the items they propose."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from revisewise.practice.generation.normalise import digest, fold

GENERATOR_VERSION = "offline-1.0"

# How the pages name each section when the importer could not say which page a bullet came from.
SECTION_BY_KIND = {
    "concept": "Key Concepts",
    "term": "Key Terminology",
    "objective": "Learning Objectives",
    "criterion": "Assessment Criteria",
    "tip": "Assessment Guidance",
    "mistake": "Common Mistakes",
    "misconception": "Common Mistakes",
    "faq": "Frequently Asked Questions",
    "prerequisite": "Before You Start",
}


@dataclass(frozen=True)
class Source:
    """One ContentItem as the generators see it."""

    pk: int
    key: str
    kind: str
    name: str
    text: str
    unit_id: int | None
    section: str = ""
    position: int = 0

    @property
    def heading(self) -> str:
        return self.section or SECTION_BY_KIND.get(self.kind, self.kind)

    @property
    def sentence(self) -> str:
        """The bullet as the page shows it, quoted in provenance."""
        if self.kind == "misconception":
            return f"Misconception: {self.name} Correction: {self.text}"
        if self.name and self.text:
            return f"{self.name}: {self.text}"
        return self.name or self.text

    @property
    def label(self) -> str:
        return fold(self.name)


@dataclass(frozen=True)
class UnitContent:
    """What a unit's generation may read: its own sources and the qualification's pool."""

    unit_id: int
    unit_title: str
    sources: tuple[Source, ...]
    # Every source of the qualification (all units and shared items), for distractors.
    pool: tuple[Source, ...]
    # Sources from every qualification that may name a model, to catch conflicting spellings.
    everywhere: tuple[Source, ...] = ()

    def of_kind(self, *kinds: str) -> list[Source]:
        return [source for source in self.sources if source.kind in kinds]

    def pool_of_kind(self, *kinds: str) -> list[Source]:
        return [source for source in self.pool if source.kind in kinds]


@dataclass
class Candidate:
    """An item a generator proposes, before validation and storage."""

    rule: str
    source: Source
    item_type: str
    stem: str
    payload: dict[str, Any]
    explanation: str
    variant: str = ""
    objective_pk: int | None = None
    source_sentence: str = ""
    # Not wrong, but a person must look before learners see it (e.g. conflicting sources).
    review_reasons: list[str] = field(default_factory=list)
    rejection_reasons: list[str] = field(default_factory=list)

    @property
    def source_key(self) -> str:
        return digest(self.rule, self.source.key, self.variant)

    @property
    def content_hash(self) -> str:
        return digest(
            GENERATOR_VERSION,
            self.item_type,
            self.stem,
            repr(sorted_payload(self.payload)),
            self.explanation,
            self.source_sentence or self.source.sentence,
            str(self.objective_pk),
            repr(self.review_reasons),
            repr(self.rejection_reasons),
        )


def sorted_payload(value: Any) -> Any:
    if isinstance(value, dict):
        return {key: sorted_payload(value[key]) for key in sorted(value)}
    if isinstance(value, list):
        return [sorted_payload(entry) for entry in value]
    return value
