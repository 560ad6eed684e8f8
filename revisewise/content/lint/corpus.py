"""Views of a `Corpus` that several rules share: sections per unit, the vocabulary, the texts."""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass

from revisewise.content.lint.text import Vocabulary
from revisewise.content.lint.types import (
    Bullet,
    Corpus,
    Item,
    QualificationDoc,
    Section,
    Source,
    UnitDoc,
)

# The agreed mapping from a page's section headings to the kinds of stored item.
HEADING_KINDS: dict[str, str] = {
    "Key Concepts": "concept",
    "Key Concepts & Core Principles": "concept",
    "Learning Objectives": "objective",
    "Assessment Criteria": "criterion",
    "Examiner Marking Points": "criterion",
    "Assessment Guidance": "tip",
    "Exam Tips & Revision Strategies": "tip",
    "Common Mistakes": "mistake",
    "Common Misconceptions & Mistakes to Avoid": "mistake",
    "Frequently Asked Questions": "faq",
    "Before You Start": "prerequisite",
    "Key Terminology": "term",
}
KIND_HEADINGS: dict[str, str] = {
    "concept": "Key Concepts",
    "objective": "Learning Objectives",
    "criterion": "Assessment Criteria",
    "tip": "Assessment Guidance",
    "mistake": "Common Mistakes",
    "misconception": "Common Mistakes",
    "faq": "Frequently Asked Questions",
    "prerequisite": "Before You Start",
    "term": "Key Terminology",
}


def heading_kind(heading: str) -> str | None:
    return HEADING_KINDS.get(heading.strip())


def item_text(item: Item) -> str:
    if item.kind == "misconception" and item.name:
        return f"Misconception: {item.name} Correction: {item.text}"
    return f"{item.name}: {item.text}" if item.name and item.text else item.name or item.text


@dataclass(frozen=True)
class UnitSection:
    """A section of one unit, from a page when the unit has one, else from stored items."""

    qualification: QualificationDoc
    unit: UnitDoc
    source: Source | None
    section: Section

    @property
    def path(self) -> str:
        return self.source.path if self.source else ""


def _stored_sections(unit: UnitDoc) -> tuple[Section, ...]:
    by_heading: dict[str, list[Bullet]] = {}
    for item in unit.items:
        heading = KIND_HEADINGS.get(item.kind, item.kind)
        by_heading.setdefault(heading, []).append(Bullet(item_text(item), item.line))
    return tuple(
        Section(heading=h, kind=heading_kind(h), items=tuple(b)) for h, b in by_heading.items()
    )


def unit_sections(corpus: Corpus) -> Iterator[UnitSection]:
    """Yield every section of every unit, page by page."""
    for qualification in corpus.qualifications:
        for unit in qualification.units:
            if any(source.sections for source in unit.sources):
                for source in unit.sources:
                    for section in source.sections:
                        yield UnitSection(qualification, unit, source, section)
            else:
                for section in _stored_sections(unit):
                    yield UnitSection(qualification, unit, None, section)


def units(corpus: Corpus) -> Iterator[tuple[QualificationDoc, UnitDoc]]:
    for qualification in corpus.qualifications:
        for unit in qualification.units:
            yield qualification, unit


def all_texts(corpus: Corpus) -> Iterator[str]:
    """Every piece of text in the corpus, pages and stored content alike."""
    for qualification in corpus.qualifications:
        yield qualification.title
        yield qualification.overview
        yield from (item_text(i) for i in qualification.shared_items)
        for unit in qualification.units:
            yield unit.title
            yield unit.synopsis
            yield from (item_text(i) for i in unit.items)
            for source in unit.sources:
                yield source.synopsis
                yield source.overview
                yield source.qualification_title
                for section in source.sections:
                    yield from (b.text for b in section.items)


_VOCABULARY: dict[int, tuple[Corpus, Vocabulary]] = {}


def vocabulary(corpus: Corpus) -> Vocabulary:
    """The corpus's vocabulary, built once per corpus (several rules use it in one run)."""
    cached = _VOCABULARY.get(id(corpus))
    if cached is None or cached[0] is not corpus:
        _VOCABULARY.clear()
        cached = _VOCABULARY[id(corpus)] = (corpus, Vocabulary(all_texts(corpus)))
    return cached[1]


def subjects(corpus: Corpus) -> dict[str, list[QualificationDoc]]:
    """Qualifications grouped by subject: the scope of comparisons between qualifications."""
    grouped: dict[str, list[QualificationDoc]] = {}
    for qualification in corpus.qualifications:
        grouped.setdefault(qualification.subject, []).append(qualification)
    return grouped


@dataclass(frozen=True)
class Located:
    """A piece of a unit's (or qualification's) text and where it sits."""

    qualification: QualificationDoc
    unit: UnitDoc | None
    section: str
    path: str
    line: int | None
    text: str
    kind: str | None = None


def located_texts(corpus: Corpus) -> Iterator[Located]:
    """Yield every bullet, synopsis and overview with its location (teasers excluded)."""
    for qualification in corpus.qualifications:
        if not any(unit.sources for unit in qualification.units) and qualification.overview:
            yield Located(qualification, None, "Topic Overview", "", None, qualification.overview)
        for unit in qualification.units:
            for source in unit.sources:
                if source.synopsis:
                    yield Located(
                        qualification, unit, "Topic Synopsis", source.path, None, source.synopsis
                    )
                if source.overview:
                    yield Located(
                        qualification,
                        unit,
                        "Topic Overview",
                        source.path,
                        source.overview_line,
                        source.overview,
                    )
            if not unit.sources and unit.synopsis:
                yield Located(qualification, unit, "Topic Synopsis", "", None, unit.synopsis)
    for found in unit_sections(corpus):
        for bullet in found.section.items:
            yield Located(
                found.qualification,
                found.unit,
                found.section.heading,
                found.path,
                bullet.line,
                bullet.text,
                found.section.kind,
            )
