"""Plain data the lint reads and writes, so rules run and are tested without a database.

The loader builds a `Corpus` from the database (qualifications, units, their stored items and
the `SourceDocument.parsed` of every page imported for them); rules only ever see these types.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from enum import StrEnum


class Severity(StrEnum):
    """How bad a defect is. Errors make `lint_content` exit non-zero."""

    ERROR = "error"
    WARNING = "warning"
    INFO = "info"


SEVERITY_ORDER: dict[Severity, int] = {Severity.ERROR: 0, Severity.WARNING: 1, Severity.INFO: 2}


@dataclass(frozen=True)
class Bullet:
    """One bullet of a section as the page shows it."""

    text: str
    line: int | None = None


@dataclass(frozen=True)
class Section:
    """A section of a page (or of a unit's stored items when it has no page)."""

    heading: str
    kind: str | None
    line: int | None = None
    items: tuple[Bullet, ...] = ()


@dataclass(frozen=True)
class Source:
    """What the importer read from one page (`SourceDocument.parsed`)."""

    path: str
    format: str = "page_text"
    unit_title: str = ""
    teaser: str = ""
    synopsis: str = ""
    stated_counts: Mapping[str, int] = field(default_factory=dict)
    qualification_title: str = ""
    overview: str = ""
    overview_line: int | None = None
    sections: tuple[Section, ...] = ()
    generic_start: Mapping[str, int] = field(default_factory=dict)


@dataclass(frozen=True)
class Item:
    """One stored `ContentItem`."""

    kind: str
    name: str = ""
    text: str = ""
    source: str = ""
    line: int | None = None


@dataclass(frozen=True)
class UnitDoc:
    """A unit with its stored items and the pages it was imported from."""

    slug: str
    title: str
    synopsis: str = ""
    stated_counts: Mapping[str, int] = field(default_factory=dict)
    items: tuple[Item, ...] = ()
    sources: tuple[Source, ...] = ()


@dataclass(frozen=True)
class MethodDoc:
    """One assessment method of a plan, with the facts the RW4xx rules compare."""

    kind: str
    name: str
    duration_minutes: int | None = None
    question_count: int | None = None


@dataclass(frozen=True)
class PlanDoc:
    """The qualification's end-point assessment plan (`epa.AssessmentPlan`)."""

    standard_code: str
    source: str = ""
    grades: tuple[str, ...] = ()
    methods: tuple[MethodDoc, ...] = ()

    @property
    def knowledge_test(self) -> MethodDoc | None:
        return next((m for m in self.methods if m.kind == "knowledge_test"), None)


@dataclass(frozen=True)
class QualificationDoc:
    """A qualification with its units and the items it shares with every unit."""

    slug: str
    title: str
    subject: str = ""
    awarding_body: str = ""
    level: int | None = None
    overview: str = ""
    units: tuple[UnitDoc, ...] = ()
    shared_items: tuple[Item, ...] = ()
    plan: PlanDoc | None = None


@dataclass(frozen=True)
class Corpus:
    """Everything the lint looks at."""

    qualifications: tuple[QualificationDoc, ...] = ()


@dataclass(frozen=True)
class Problem:
    """What a rule reports; the runner adds the rule's code and severity."""

    message: str
    qualification: str = ""
    unit: str = ""
    section: str = ""
    source: str = ""
    line: int | None = None


@dataclass(frozen=True)
class Finding:
    """One defect, as listed by the command, the JSON output and the author page."""

    code: str
    severity: Severity
    title: str
    message: str
    qualification: str = ""
    unit: str = ""
    section: str = ""
    source: str = ""
    line: int | None = None

    @property
    def location(self) -> str:
        where = f"{self.source}:{self.line}" if self.source and self.line else self.source
        return " · ".join(part for part in (self.section, where) if part)

    def as_dict(self) -> dict[str, object]:
        return {
            "code": self.code,
            "severity": str(self.severity),
            "title": self.title,
            "qualification": self.qualification or None,
            "unit": self.unit or None,
            "section": self.section or None,
            "source": self.source or None,
            "line": self.line,
            "message": self.message,
        }
