"""Build retrievable passages from the content: what the tutor can cite.

A passage is a unit's synopsis, one ContentItem, or one paragraph of its qualification's
overview. Each carries its section heading as the seed pages name it, so a citation reads like
the page ("Customer service performance, Common Mistakes") and links to that section's anchor.

What is indexed is more than what is shown: the section's heading and one-line description, and
for an assessment criterion the learning objective it assesses. Criteria are written as an
assessor's instructions ("Award credit for robust evidence of gathering and analysing feedback")
and often leave the topic to the objective above them; carrying the objective lets a learner's
question about that topic find the criterion rather than only the one-line objective.
"""

from __future__ import annotations

import hashlib
import re
from collections.abc import Iterator
from dataclasses import dataclass

from revisewise.content.models import ContentItem, ItemKind, Qualification
from revisewise.content.selectors import SECTION_ID_FOR_KIND, SECTION_OVERVIEW, SECTION_SYNOPSIS
from revisewise.practice.generation.objectives import assign_criteria, objectives_of
from revisewise.practice.generation.sources import Source, UnitContent

SYNOPSIS = "Topic Synopsis"
OVERVIEW = "Topic Overview"

SECTION_FOR_KIND = {
    ItemKind.CONCEPT: "Key Concepts",
    ItemKind.OBJECTIVE: "Learning Objectives",
    ItemKind.CRITERION: "Assessment Criteria",
    ItemKind.TIP: "Assessment Guidance",
    ItemKind.MISTAKE: "Common Mistakes",
    ItemKind.MISCONCEPTION: "Common Mistakes",
    ItemKind.FAQ: "Frequently Asked Questions",
    ItemKind.PREREQUISITE: "Before You Start",
    ItemKind.TERM: "Key Terminology",
}

# The tabbed format's names for the same sections, accepted wherever a heading is expected.
SECTION_ALIASES = {
    "key concepts & core principles": "Key Concepts",
    "exam tips & revision strategies": "Assessment Guidance",
    "exam tips": "Assessment Guidance",
    "common misconceptions & mistakes to avoid": "Common Mistakes",
    "misconceptions": "Common Mistakes",
    "examiner marking points": "Assessment Criteria",
    "synopsis": SYNOPSIS,
}

SECTIONS = (SYNOPSIS, OVERVIEW, *dict.fromkeys(SECTION_FOR_KIND.values()))

# Each section's one-line description as the seed pages give it: indexed with the passage, so a
# question such as "what should I know before I start?" finds the right section.
SECTION_DESCRIPTIONS = {
    SYNOPSIS: "What this topic is about",
    OVERVIEW: "About the qualification",
    "Key Concepts": "Core ideas you must understand for this topic",
    "Learning Objectives": "What you need to know and understand",
    "Assessment Criteria": "Key criteria assessors look for in your portfolio",
    "Assessment Guidance": "Guidance for achieving higher grades",
    "Common Mistakes": "Common errors to avoid in your coursework",
    "Frequently Asked Questions": "Common questions students ask about this topic",
    "Before You Start": "Prior knowledge that will help with this topic",
    "Key Terminology": "Essential terms to know",
}


def canonical_section(heading: str) -> str:
    """Return the page-text heading for a heading in either seed format; raise if unknown."""
    cleaned = " ".join(heading.split())
    for name in SECTIONS:
        if name.lower() == cleaned.lower():
            return name
    try:
        return SECTION_ALIASES[cleaned.lower()]
    except KeyError:
        raise ValueError(f"Unknown section heading: {heading!r}") from None


def section_anchor(section: str) -> str:
    """Return the id the unit page gives this section, e.g. "misconceptions"."""
    if section == SYNOPSIS:
        return SECTION_SYNOPSIS
    if section == OVERVIEW:
        return SECTION_OVERVIEW
    kind = next(kind for kind, heading in SECTION_FOR_KIND.items() if heading == section)
    return SECTION_ID_FOR_KIND[kind]


@dataclass(frozen=True)
class PassageSpec:
    """A passage as the content says it should be, before it is stored or embedded."""

    source_key: str
    qualification_id: int
    unit_id: int | None
    content_item_id: int | None
    section: str
    position: int
    text: str
    # Indexed but not shown: for a criterion, the learning objective it assesses.
    context: str = ""

    @property
    def index_text(self) -> str:
        return index_text(section=self.section, text=self.text, context=self.context)

    def content_hash(self, model: str) -> str:
        basis = f"{model}\n{self.index_text}"
        return hashlib.sha256(basis.encode()).hexdigest()


def index_text(*, section: str, text: str, context: str = "") -> str:
    """Return what is embedded and indexed for a passage: its context, its section, described,
    and its text."""
    indexed = f"{section} ({SECTION_DESCRIPTIONS.get(section, section)}): {text}"
    return f"{context.rstrip('.')}. {indexed}" if context else indexed


def item_text(item: ContentItem) -> str:
    """Render an item as one passage, the way the page shows it."""
    name, text = item.name.strip(), item.text.strip()
    if item.kind == ItemKind.MISCONCEPTION:
        return f"Misconception: {name} Correction: {text}"
    if name and text:
        return f"{name}: {text}"
    return name or text


def passages_for_qualification(qualification: Qualification) -> Iterator[PassageSpec]:
    """Yield every passage of one qualification: overview, then each unit, then shared items."""
    paragraphs = [p.strip() for p in qualification.overview.split("\n") if p.strip()]
    for index, paragraph in enumerate(paragraphs):
        yield PassageSpec(
            source_key=f"overview:{qualification.uuid}:{index}",
            qualification_id=qualification.pk,
            unit_id=None,
            content_item_id=None,
            section=OVERVIEW,
            position=index,
            text=paragraph,
        )
    for unit in qualification.units.all():
        if unit.synopsis.strip():
            yield PassageSpec(
                source_key=f"synopsis:{unit.uuid}",
                qualification_id=qualification.pk,
                unit_id=unit.pk,
                content_item_id=None,
                section=SYNOPSIS,
                position=0,
                text=unit.synopsis.strip(),
            )
    items = list(qualification.content_items.all())
    objective_of = criterion_objectives(items)
    for item in items:
        text = item_text(item)
        if not text or _only_repeats(item, items):
            continue
        yield PassageSpec(
            source_key=f"item:{item.uuid}",
            qualification_id=qualification.pk,
            unit_id=item.unit_id,
            content_item_id=item.pk,
            section=SECTION_FOR_KIND[ItemKind(item.kind)],
            position=item.position,
            text=text,
            context=objective_of.get(item.pk, ""),
        )


def criterion_objectives(items: list[ContentItem]) -> dict[int, str]:
    """Return, for each unit's assessment criterion, the text of the objective it assesses.

    Uses the same assignment as the written practice items (`assign_criteria`: the pages list
    criteria in the order of their objectives), so the tutor and the marker agree on it.
    Qualification-wide criteria (no unit) assess no one objective and get none.
    """
    by_unit: dict[int, list[ContentItem]] = {}
    for item in items:
        if item.unit_id is not None:
            by_unit.setdefault(item.unit_id, []).append(item)
    found: dict[int, str] = {}
    for unit_id, unit_items in by_unit.items():
        ordered = sorted(unit_items, key=lambda item: (item.position, item.pk))
        sources = tuple(
            Source(item.pk, item.key, item.kind, item.name, item.text, unit_id, "", item.position)
            for item in ordered
        )
        content = UnitContent(unit_id, "", sources, sources)
        objectives = objectives_of(content)
        for objective, criteria in zip(
            objectives, assign_criteria(content, objectives), strict=True
        ):
            for criterion in criteria:
                found[criterion.pk] = objective.text
    return found


def _normalised(text: str) -> str:
    return re.sub(r"[^a-z0-9]+", "", text.lower())


def _only_repeats(item: ContentItem, items: list[ContentItem]) -> bool:
    """Tell whether an item only repeats other items of its unit (a known seed defect).

    Key Terminology that is the learning objectives run together would otherwise be found twice
    and cited under the wrong heading.
    """
    remaining = _normalised(item_text(item))
    original = len(remaining)
    for other in items:
        if other.pk != item.pk and other.unit_id == item.unit_id and other.kind != item.kind:
            other_text = _normalised(item_text(other))
            if len(other_text) >= 20:
                remaining = remaining.replace(other_text, "")
    return original > 0 and len(remaining) < 0.1 * original
