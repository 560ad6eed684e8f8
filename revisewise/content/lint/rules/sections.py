"""RW2xx: defects in a unit's sections: empty, repeated, mislabelled or miscounted."""

from __future__ import annotations

import re
from collections.abc import Iterator

from revisewise.content.lint.corpus import UnitSection, unit_sections, units
from revisewise.content.lint.registry import rule
from revisewise.content.lint.text import jaccard, normalise, tokens, words
from revisewise.content.lint.types import (
    Corpus,
    Item,
    Problem,
    QualificationDoc,
    Severity,
    Source,
    UnitDoc,
)

# Sections whose words overlap this much say the same thing (Jaccard over distinct words).
REPEAT_THRESHOLD = 0.8
REPEAT_MIN_WORDS = 5


def _problem(found: UnitSection, message: str, line: int | None = None) -> Problem:
    return Problem(
        message=message,
        qualification=found.qualification.slug,
        unit=found.unit.slug,
        section=found.section.heading,
        source=found.path,
        line=line if line is not None else found.section.line,
    )


@rule("RW201", Severity.WARNING, "Empty section")
def empty_section(corpus: Corpus) -> Iterator[Problem]:
    """A section heading with nothing under it: the page promises content it does not have.
    Unit pages hide empty sections, so learners see a gap rather than wrong content."""
    for found in unit_sections(corpus):
        if not found.section.items:
            yield _problem(found, f"The '{found.section.heading}' section has no items.")


def _section_words(found: UnitSection) -> set[str]:
    return {t for bullet in found.section.items for t in tokens(bullet.text)}


@rule("RW202", Severity.ERROR, "Section repeats another section")
def repeated_section(corpus: Corpus) -> Iterator[Problem]:
    """A section that repeats another section of the same page (Key Terminology that copies
    the Learning Objectives): learners get the same text twice and none of the content the
    section should hold."""
    by_page: dict[tuple[str, str, str], list[UnitSection]] = {}
    for found in unit_sections(corpus):
        key = (found.qualification.slug, found.unit.slug, found.path)
        by_page.setdefault(key, []).append(found)
    for page in by_page.values():
        page_words = [_section_words(found) for found in page]
        for index, later in enumerate(page):
            later_words = page_words[index]
            if len(later_words) < REPEAT_MIN_WORDS:
                continue
            for earlier, earlier_words in zip(page[:index], page_words, strict=False):
                overlap = jaccard(later_words, earlier_words)
                if overlap >= REPEAT_THRESHOLD:
                    yield _problem(
                        later,
                        f"The '{later.section.heading}' section repeats the"
                        f" '{earlier.section.heading}' section ({overlap:.0%} of their words"
                        " are shared) instead of holding its own content.",
                    )
                    break


_DEFINED = re.compile(r"^\s*([^:\u2013\u2014]{1,80}?)\s*(?::|\s[-\u2013\u2014]\s)\s*\S")


@rule("RW203", Severity.WARNING, "Key term without a definition")
def undefined_term(corpus: Corpus) -> Iterator[Problem]:
    """A Key Terminology bullet that is not 'Term: definition': a glossary entry a learner
    cannot learn from (and cannot be turned into a flashcard)."""
    for found in unit_sections(corpus):
        if found.section.kind != "term":
            continue
        for bullet in found.section.items:
            match = _DEFINED.match(bullet.text)
            if match is None or len(words(match.group(1))) > 6:
                yield _problem(
                    found,
                    f"This key term is not written as 'Term: definition': '{bullet.text[:80]}'.",
                    bullet.line,
                )


# The counters a page states ("4 Assessment Guidance") and the kinds of item they count.
# A counter with no kinds names a section the pages do not have.
COUNTER_KINDS: dict[str, tuple[str, ...]] = {
    "Learning Outcomes": ("objective",),
    "Learning Objectives": ("objective",),
    "Assessment Guidance": ("tip",),
    "Exam Tips": ("tip",),
    "Key Terms": ("term",),
    "Assessment Criteria": ("criterion",),
    "Key Concepts": ("concept",),
    "Common Mistakes": ("mistake", "misconception"),
    "Frequently Asked Questions": ("faq",),
    "Key Skills": (),
}


def _counted(items: tuple[Item, ...], kinds: tuple[str, ...]) -> int:
    return sum(1 for item in items if item.kind in kinds)


def _counter_problem(
    qualification: QualificationDoc, unit: UnitDoc, label: str, stated: int, source: str
) -> Problem | None:
    kinds = COUNTER_KINDS.get(label)
    if kinds is None:
        return None
    own = _counted(unit.items, kinds)
    shared = _counted(qualification.shared_items, kinds)
    if not kinds:
        message = f"The page states {stated} {label} but has no {label} section."
    elif stated != own + shared:
        detail = f" ({own} for this unit, {shared} shared by the qualification)" if shared else ""
        message = f"The page states {stated} {label} but the unit shows {own + shared}{detail}."
    else:
        return None
    return Problem(message, qualification.slug, unit.slug, label, source, None)


@rule("RW204", Severity.WARNING, "Counter disagrees with the content")
def counter_mismatch(corpus: Corpus) -> Iterator[Problem]:
    """A counter the page states ("1 Learning Outcomes") that differs from the content the unit
    shows. Unit pages compute their counters, so learners never see the wrong number; the
    mismatch shows the source page is unreliable (often objectives run together)."""
    for qualification, unit in units(corpus):
        stated_by_source = [(s.path, s.stated_counts) for s in unit.sources if s.stated_counts]
        if not stated_by_source and unit.stated_counts:
            stated_by_source = [("", unit.stated_counts)]
        for path, stated_counts in stated_by_source:
            for label, stated in stated_counts.items():
                problem = _counter_problem(qualification, unit, label, int(stated), path)
                if problem:
                    yield problem


@rule("RW205", Severity.WARNING, "Teaser does not match the synopsis")
def teaser_mismatch(corpus: Corpus) -> Iterator[Problem]:
    """The teaser is the synopsis cut at 150 characters; one that is not the start of the
    synopsis advertises text the unit does not have."""
    for qualification, unit in units(corpus):
        for source in unit.sources:
            teaser, synopsis = normalise(source.teaser), normalise(source.synopsis)
            if teaser and synopsis and not synopsis.startswith(teaser):
                yield Problem(
                    "The teaser is not the beginning of the synopsis.",
                    qualification.slug,
                    unit.slug,
                    "Teaser",
                    source.path,
                    None,
                )


@rule("RW206", Severity.WARNING, "Pages of one unit disagree")
def sources_disagree(corpus: Corpus) -> Iterator[Problem]:
    """Two pages imported into the same unit (a page and its tabbed version) that give it
    different synopses, or where one page has a bullet the other page's same section lacks:
    only one version reaches learners."""
    for qualification, unit in units(corpus):
        first, *others = unit.sources or (None,)
        if first is None:
            continue
        for other in others:
            if (
                other.synopsis
                and first.synopsis
                and (normalise(other.synopsis) != normalise(first.synopsis))
            ):
                yield Problem(
                    f"The synopsis on this page differs from the one on {first.path}.",
                    qualification.slug,
                    unit.slug,
                    "Topic Synopsis",
                    other.path,
                    None,
                )
            yield from _missing_bullets(qualification, unit, other, first)


def _missing_bullets(
    qualification: QualificationDoc, unit: UnitDoc, page: Source, reference: Source
) -> Iterator[Problem]:
    reference_texts: dict[str | None, set[str]] = {}
    for section in reference.sections:
        reference_texts.setdefault(section.kind, set()).update(
            normalise(b.text) for b in section.items
        )
    for section in page.sections:
        known = reference_texts.get(section.kind)
        if not known:
            continue
        for bullet in section.items:
            if normalise(bullet.text) not in known:
                yield Problem(
                    f"This bullet is not in the same section of {reference.path}:"
                    f" '{bullet.text[:80]}'.",
                    qualification.slug,
                    unit.slug,
                    section.heading,
                    page.path,
                    bullet.line,
                )
