"""Authors ask the AI model to draft practice questions for a unit; the code decides what stays.

The model sees the unit's passages (fenced as data) and proposes single-answer questions, each
naming its source and quoting evidence. A draft is kept only if its evidence really appears in
the source it names; then the practice item validator runs, and the item is stored as a draft
(or rejected, with the validator's reasons) for an author to approve in the admin. Nothing an
AI drafts reaches learners without an author's approval.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from django.utils.translation import gettext as _

from revisewise.accounts.models import User
from revisewise.content.models import Unit
from revisewise.core.llm.client import llm_complete
from revisewise.core.llm.prompts import prompt_get
from revisewise.core.llm.sanitise import clean, delimit, verify_quotes
from revisewise.core.llm.schemas import DraftItem, DraftItems
from revisewise.practice.generation.normalise import digest
from revisewise.practice.generation.payloads import single
from revisewise.practice.generation.validator import validate
from revisewise.practice.models import Item, ItemStatus, ItemType
from revisewise.tutor.models import Passage

FEATURE = "item_draft"
PROMPT = "item_draft"
MAX_SOURCES = 12
MAX_TOKENS = 1500
# Shown as the item's section so authors and learners' feedback can tell an AI draft apart.
AI_DRAFT_SECTION = "AI draft"


@dataclass
class DraftResult:
    """What happened to one request: items stored, proposals dropped, or why nothing came."""

    drafted: list[Item] = field(default_factory=list)
    rejected: list[Item] = field(default_factory=list)
    unsupported: int = 0
    duplicates: int = 0
    notice: str = ""


def unit_sources(unit: Unit) -> list[Passage]:
    """Return the unit's own passages (not shared ones): what drafts may be built from."""
    return list(
        Passage.objects.filter(unit=unit, content_item__isnull=False).order_by("section", "pk")[
            :MAX_SOURCES
        ]
    )


def items_draft_with_llm(*, author: User, unit: Unit, count: int) -> DraftResult:
    """Ask the model for `count` questions on the unit and store the supported ones as drafts."""
    passages = unit_sources(unit)
    result = DraftResult()
    if not passages:
        result.notice = _("This unit has no content to draft questions from.")
        return result
    sources = {f"S{number}": passage for number, passage in enumerate(passages, start=1)}
    outcome = llm_complete(
        feature=FEATURE,
        user=author,
        schema=DraftItems,
        max_tokens=MAX_TOKENS,
        messages=[{"role": "system", "content": _prompt(unit, sources, count)}],
        fallback=_("no questions were drafted"),
    )
    if not outcome.ok:
        result.notice = outcome.reason
        return result
    drafts: DraftItems = outcome.parsed
    for draft in drafts.items[:count]:
        passage = sources.get(draft.source)
        if passage is None or not verify_quotes([draft.evidence], [passage.text]):
            result.unsupported += 1
            continue
        item = _store(unit=unit, passage=passage, draft=draft)
        if item is None:
            result.duplicates += 1
            continue
        (result.rejected if item.status == ItemStatus.REJECTED else result.drafted).append(item)
    return result


def _prompt(unit: Unit, sources: dict[str, Passage], count: int) -> str:
    return prompt_get(PROMPT).render(
        unit=unit.title,
        qualification=unit.qualification.title,
        count=str(count),
        sources="\n".join(
            delimit(f"source {label}", f"{passage.section}: {passage.text}")
            for label, passage in sources.items()
        ),
    )


def _store(*, unit: Unit, passage: Passage, draft: DraftItem) -> Item | None:
    """Store a supported draft, validated; None if the unit already has this question."""
    stem = clean(draft.question).strip()
    source_key = digest(FEATURE, stem)
    if Item.objects.filter(unit=unit, source_key=source_key).exists():
        return None
    payload = single(
        answer=clean(draft.answer).strip(),
        distractors=[clean(text).strip() for text in draft.distractors],
    )
    reasons = validate(
        item_type=ItemType.MCQ_SINGLE, stem=stem, payload=payload, source_text=passage.text
    )
    # No generator version: the offline generator must not retire what it did not make.
    evidence = clean(draft.evidence).strip()
    return Item.objects.create(
        unit=unit,
        source_key=source_key,
        qualification_id=unit.qualification_id,
        item_type=ItemType.MCQ_SINGLE,
        stem=stem,
        payload=payload,
        explanation=evidence,
        source_item_id=passage.content_item_id,
        source_section=f"{AI_DRAFT_SECTION}: {passage.section}",
        source_sentence=evidence,
        status=ItemStatus.REJECTED if reasons else ItemStatus.DRAFT,
        rejection_reasons=reasons,
    )
