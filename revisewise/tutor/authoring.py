"""Authors ask the AI model to draft practice questions or a new unit; the code decides what stays.

The model sees the unit's passages (fenced as data) and proposes single-answer questions, each
naming its source and quoting evidence. A draft is kept only if its evidence really appears in
the source it names; then the practice item validator runs, and the item is stored as a draft
(or rejected, with the validator's reasons) for an author to approve in the admin. Nothing an
AI drafts reaches learners without an author's approval.
"""

from __future__ import annotations

from dataclasses import dataclass, field, replace

from django.db import transaction
from django.utils.text import slugify
from django.utils.translation import gettext as _

from revisewise.accounts.models import User
from revisewise.content.lint.loader import corpus_load
from revisewise.content.lint.runner import corpus_lint
from revisewise.content.lint.types import Corpus, UnitDoc
from revisewise.content.lint.types import Item as LintItem
from revisewise.content.models import ContentItem, ItemKind, Qualification, Unit
from revisewise.content.services.authoring import content_items_save, content_save_revision
from revisewise.core.llm.client import llm_complete
from revisewise.core.llm.prompts import prompt_get
from revisewise.core.llm.sanitise import clean, delimit, verify_quotes
from revisewise.core.llm.schemas import DraftItem, DraftItems, UnitDraftReply
from revisewise.practice.generation.normalise import digest
from revisewise.practice.generation.payloads import single
from revisewise.practice.generation.validator import validate
from revisewise.practice.models import Item, ItemStatus, ItemType
from revisewise.tutor.models import Passage, UnitDraft, UnitDraftStatus

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


UNIT_FEATURE = "unit_draft"
UNIT_PROMPT = "unit_draft"
UNIT_MAX_TOKENS = 2500
DRAFT_SOURCE = "ai-draft"


def _lines(values: list[str]) -> list[str]:
    return [clean(value).strip() for value in values if clean(value).strip()]


def unit_draft_with_llm(
    *,
    author: User,
    qualification: Qualification,
    title: str,
    objectives: list[str],
    criteria: list[str],
) -> tuple[UnitDraft | None, str]:
    """Ask the model to draft a unit from a specification; lint it and store it as a draft.

    Returns the stored draft, or None and the reason nothing was drafted.
    """
    objectives, criteria = _lines(objectives), _lines(criteria)
    specification = "\n".join(
        [
            delimit("learning objectives", "\n".join(f"- {o}" for o in objectives)),
            delimit("assessment criteria", "\n".join(f"- {c}" for c in criteria)),
        ]
    )
    outcome = llm_complete(
        feature=UNIT_FEATURE,
        user=author,
        schema=UnitDraftReply,
        max_tokens=UNIT_MAX_TOKENS,
        messages=[
            {
                "role": "system",
                "content": prompt_get(UNIT_PROMPT).render(
                    title=clean(title).strip(),
                    qualification=qualification.title,
                    specification=specification,
                ),
            }
        ],
        fallback=_("no unit was drafted"),
    )
    if not outcome.ok:
        return None, outcome.reason
    reply: UnitDraftReply = outcome.parsed
    content = {
        "synopsis": clean(reply.synopsis).strip(),
        "concepts": [
            {"name": clean(c.name).strip(), "text": clean(c.text).strip()} for c in reply.concepts
        ],
        "mistakes": _lines(reply.mistakes),
        "tips": _lines(reply.tips),
    }
    draft = UnitDraft(
        qualification=qualification,
        requested_by=author,
        title=clean(title).strip(),
        objectives=objectives,
        criteria=criteria,
        content=content,
    )
    draft.findings = unit_draft_lint(draft=draft)
    draft.save()
    return draft, ""


def _draft_items(draft: UnitDraft) -> list[tuple[str, str, str]]:
    """Return (kind, name, text) of every item the draft would create, in page order."""
    content = draft.content
    return [
        *((ItemKind.OBJECTIVE, "", text) for text in draft.objectives),
        *((ItemKind.CRITERION, "", text) for text in draft.criteria),
        *((ItemKind.CONCEPT, c["name"], c["text"]) for c in content.get("concepts", [])),
        *((ItemKind.MISTAKE, "", text) for text in content.get("mistakes", [])),
        *((ItemKind.TIP, "", text) for text in content.get("tips", [])),
    ]


def _draft_slug(draft: UnitDraft) -> str:
    base = slugify(draft.title)[:280] or "unit"
    slug, number = base, 2
    while Unit.objects.filter(qualification=draft.qualification, slug=slug).exists():
        slug, number = f"{base}-{number}", number + 1
    return slug


def unit_draft_lint(*, draft: UnitDraft) -> list[dict[str, object]]:
    """Run the content lint over the qualification as if the draft were one of its units."""
    slug = _draft_slug(draft)
    doc = UnitDoc(
        slug=slug,
        title=draft.title,
        synopsis=draft.content.get("synopsis", ""),
        items=tuple(
            LintItem(kind=str(kind), name=name, text=text, source=DRAFT_SOURCE)
            for kind, name, text in _draft_items(draft)
        ),
    )
    corpus = corpus_load()
    with_draft = Corpus(
        qualifications=tuple(
            replace(q, units=(*q.units, doc)) if q.slug == draft.qualification.slug else q
            for q in corpus.qualifications
        )
    )
    report = corpus_lint(corpus=with_draft, qualification_slug=draft.qualification.slug)
    return [finding.as_dict() for finding in report.findings if finding.unit == slug]


@transaction.atomic
def unit_draft_approve(*, draft: UnitDraft, author: User) -> Unit:
    """Create the unit and its items from a draft without lint errors; mark the draft approved."""
    if draft.status != UnitDraftStatus.DRAFT or draft.has_errors:
        raise ValueError("Only a waiting draft without lint errors can be approved.")
    qualification = draft.qualification
    unit = Unit.objects.create(
        qualification=qualification,
        title=draft.title,
        slug=_draft_slug(draft),
        synopsis=draft.content.get("synopsis", ""),
        position=qualification.units.count(),
    )
    items = [
        ContentItem(kind=kind, name=name, text=text, position=position)
        for position, (kind, name, text) in enumerate(_draft_items(draft))
    ]
    content_items_save(qualification=qualification, unit=unit, items=items)
    content_save_revision(qualification=qualification, unit=unit, author=author.email)
    draft.status, draft.unit = UnitDraftStatus.APPROVED, unit
    draft.save(update_fields=["status", "unit", "updated_at"])
    return unit


def unit_draft_discard(*, draft: UnitDraft) -> None:
    draft.status = UnitDraftStatus.DISCARDED
    draft.save(update_fields=["status", "updated_at"])
