"""Build the lint's `Corpus` from the database in a fixed number of queries."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Mapping
from typing import Any

from django.apps import apps
from django.db.models import Prefetch

from revisewise.content.lint.corpus import heading_kind
from revisewise.content.lint.types import (
    Bullet,
    Corpus,
    Item,
    MethodDoc,
    PlanDoc,
    QualificationDoc,
    Section,
    Source,
    UnitDoc,
)
from revisewise.content.models import ContentItem, Qualification, SourceDocument, Unit


def _int_or_none(value: Any) -> int | None:
    return value if isinstance(value, int) else None


def _counts(value: Any) -> dict[str, int]:
    if not isinstance(value, Mapping):
        return {}
    return {str(k): int(v) for k, v in value.items() if isinstance(v, int)}


def source_from_parsed(*, path: str, parsed: Mapping[str, Any]) -> Source:
    """Read one `SourceDocument.parsed` (shape in docs/content-lint.md) into a `Source`."""
    qualification = parsed.get("qualification") or {}
    sections = tuple(
        Section(
            heading=str(section.get("heading", "")),
            kind=heading_kind(str(section.get("heading", ""))),
            line=_int_or_none(section.get("line")),
            items=tuple(
                Bullet(str(item.get("text", "")), _int_or_none(item.get("line")))
                for item in section.get("items") or ()
            ),
        )
        for section in parsed.get("sections") or ()
    )
    return Source(
        path=path,
        format=str(parsed.get("format", "")),
        unit_title=str(parsed.get("unit_title", "")),
        teaser=str(parsed.get("teaser", "")),
        synopsis=str(parsed.get("synopsis", "")),
        stated_counts=_counts(parsed.get("stated_counts")),
        qualification_title=str(qualification.get("title", "")),
        overview=str(qualification.get("overview", "")),
        overview_line=_int_or_none(qualification.get("overview_line")),
        sections=sections,
        generic_start=_counts(parsed.get("generic_start")),
    )


def _item(item: ContentItem) -> Item:
    return Item(item.kind, item.name, item.text, item.source_file, item.source_line)


def _plans() -> dict[int, PlanDoc]:
    """Each qualification's assessment plan (from the epa app), in one query."""
    methods = (
        apps.get_model("epa", "AssessmentMethod")
        .objects.select_related("plan")
        .order_by("plan_id", "position")
    )
    plans: dict[int, PlanDoc] = {}
    for method in methods:
        plan = method.plan
        found = plans.get(plan.qualification_id) or PlanDoc(
            standard_code=plan.standard_code,
            source=plan.source_title,
            grades=tuple(plan.grades),
        )
        doc = MethodDoc(method.kind, method.name, method.duration_minutes, method.question_count)
        plans[plan.qualification_id] = PlanDoc(
            found.standard_code, found.source, found.grades, (*found.methods, doc)
        )
    return plans


def corpus_load() -> Corpus:
    """Load every qualification with its units, items and source pages."""
    items = ContentItem.objects.order_by("kind", "position", "pk")
    units = Unit.objects.prefetch_related(
        Prefetch("items", queryset=items),
        Prefetch("source_documents", queryset=SourceDocument.objects.order_by("path")),
    )
    qualifications = Qualification.objects.select_related(
        "subject", "awarding_body"
    ).prefetch_related(Prefetch("units", queryset=units))
    shared: dict[int, list[Item]] = defaultdict(list)
    for item in items.filter(unit__isnull=True):
        shared[item.qualification_id].append(_item(item))
    plans = _plans()
    return Corpus(
        qualifications=tuple(
            QualificationDoc(
                plan=plans.get(q.pk),
                slug=q.slug,
                title=q.title,
                subject=q.subject.name,
                awarding_body=q.awarding_body.name,
                level=q.level,
                overview=q.overview,
                shared_items=tuple(shared[q.pk]),
                units=tuple(
                    UnitDoc(
                        slug=u.slug,
                        title=u.title,
                        synopsis=u.synopsis,
                        stated_counts=_counts(u.stated_counts),
                        items=tuple(_item(i) for i in u.items.all()),
                        sources=tuple(
                            source_from_parsed(path=d.path, parsed=d.parsed)
                            for d in u.source_documents.all()
                        ),
                    )
                    for u in q.units.all()
                ),
            )
            for q in qualifications
        )
    )
