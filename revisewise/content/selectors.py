"""Reads for the public content pages: browse lists, the qualification page and the unit page.

Content is public, so no selector here checks a user; each one raises 404 itself and fetches what
its page needs in a fixed number of queries. Counters are computed from the content, never from
`Unit.stated_counts` (which only the lint reads).
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Sequence
from dataclasses import dataclass, field

from django.db.models import Count, Q, QuerySet
from django.http import Http404
from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext, ngettext_lazy

from revisewise.content.models import (
    AwardingBody,
    ContentItem,
    ItemKind,
    Qualification,
    Subject,
    Unit,
)

# The anchor of each section on a unit page ("unit-url#exam-tips"). Other features (search,
# practice feedback) link to these, so they are part of the page's public interface.
SECTION_SYNOPSIS = "synopsis"
SECTION_OVERVIEW = "topic-overview"
SECTION_ID_FOR_KIND: dict[str, str] = {
    ItemKind.CONCEPT: "key-concepts",
    ItemKind.TIP: "exam-tips",
    ItemKind.MISCONCEPTION: "misconceptions",
    ItemKind.MISTAKE: "misconceptions",
    ItemKind.CRITERION: "marking-points",
    ItemKind.OBJECTIVE: "learning-objectives",
    ItemKind.TERM: "key-terms",
    ItemKind.FAQ: "faq",
    ItemKind.PREREQUISITE: "before-you-start",
}


@dataclass(frozen=True)
class _SectionSpec:
    id: str
    title: Promise
    kinds: tuple[str, ...]
    shared_title: Promise
    # A lazy plural ("%(count)d key concept" / "... concepts") chosen by the "count" key.
    counter: Promise


# The tabbed order of the seeds (synopsis first, then these), then the remaining sections.
_ITEM_SECTIONS: tuple[_SectionSpec, ...] = (
    _SectionSpec(
        "key-concepts",
        _("Key concepts"),
        (ItemKind.CONCEPT,),
        _("Key concepts for the whole qualification"),
        ngettext_lazy("%(count)d key concept", "%(count)d key concepts", "count"),
    ),
    _SectionSpec(
        "exam-tips",
        _("Exam tips and revision strategies"),
        (ItemKind.TIP,),
        _("Tips for every unit of this qualification"),
        ngettext_lazy("%(count)d exam tip", "%(count)d exam tips", "count"),
    ),
    _SectionSpec(
        "misconceptions",
        _("Misconceptions and common mistakes"),
        (ItemKind.MISTAKE, ItemKind.MISCONCEPTION),
        _("Misconceptions common to every unit of this qualification"),
        ngettext_lazy(
            "%(count)d misconception or mistake", "%(count)d misconceptions and mistakes", "count"
        ),
    ),
    _SectionSpec(
        "marking-points",
        _("Examiner marking points"),
        (ItemKind.CRITERION,),
        _("Marking points for the whole qualification"),
        ngettext_lazy("%(count)d assessment criterion", "%(count)d assessment criteria", "count"),
    ),
    _SectionSpec(
        "learning-objectives",
        _("Learning objectives"),
        (ItemKind.OBJECTIVE,),
        _("Objectives for the whole qualification"),
        ngettext_lazy("%(count)d learning objective", "%(count)d learning objectives", "count"),
    ),
    _SectionSpec(
        "key-terms",
        _("Key terms"),
        (ItemKind.TERM,),
        _("Terms for the whole qualification"),
        ngettext_lazy("%(count)d key term", "%(count)d key terms", "count"),
    ),
    _SectionSpec(
        "faq",
        _("Frequently asked questions"),
        (ItemKind.FAQ,),
        _("Questions about the whole qualification"),
        ngettext_lazy("%(count)d question", "%(count)d questions", "count"),
    ),
    _SectionSpec(
        "before-you-start",
        _("Before you start"),
        (ItemKind.PREREQUISITE,),
        _("Prior knowledge for the whole qualification"),
        ngettext_lazy("%(count)d prerequisite", "%(count)d prerequisites", "count"),
    ),
)


_SYNOPSIS_TITLE = _("Synopsis")
_OVERVIEW_TITLE = _("Topic overview of the qualification")


def section_title(section_id: str) -> str:
    """Return the heading of the section with this anchor, e.g. "Exam tips and revision ..."."""
    titles = {spec.id: spec.title for spec in _ITEM_SECTIONS}
    titles[SECTION_SYNOPSIS] = _SYNOPSIS_TITLE
    titles[SECTION_OVERVIEW] = _OVERVIEW_TITLE
    return str(titles.get(section_id, section_id))


@dataclass(frozen=True)
class Section:
    """One section of a unit page: the unit's own items, then the qualification's shared ones."""

    id: str
    title: str
    shared_title: str
    items: list[ContentItem] = field(default_factory=list)
    shared_items: list[ContentItem] = field(default_factory=list)
    # Free text sections (the synopsis, the topic overview) have text and no items.
    text: str = ""
    count_label: str = ""

    @property
    def count(self) -> int:
        return len(self.items) + len(self.shared_items)

    @property
    def is_empty(self) -> bool:
        return not (self.items or self.shared_items or self.text.strip())

    @property
    def all_items(self) -> list[ContentItem]:
        return [*self.items, *self.shared_items]


@dataclass(frozen=True)
class UnitPage:
    unit: Unit
    qualification: Qualification
    sections: list[Section]
    previous_unit: Unit | None
    next_unit: Unit | None

    @property
    def counters(self) -> list[str]:
        return [s.count_label for s in self.sections if s.count_label and not s.is_empty]


@dataclass(frozen=True)
class QualificationPage:
    qualification: Qualification
    units: Sequence[Unit]
    shared_sections: list[Section]
    counters: list[str]


@dataclass(frozen=True)
class AwardingBodyGroup:
    awarding_body: AwardingBody
    qualifications: list[Qualification]


@dataclass(frozen=True)
class SubjectGroup:
    subject: Subject
    awarding_bodies: list[AwardingBodyGroup]


def _qualifications() -> QuerySet[Qualification]:
    return Qualification.objects.select_related("subject", "awarding_body").annotate(
        unit_count=Count("units", distinct=True)
    )


def _group_by_body(qualifications: list[Qualification]) -> list[AwardingBodyGroup]:
    groups: dict[int, AwardingBodyGroup] = {}
    for qualification in sorted(qualifications, key=lambda q: (q.awarding_body.name, q.title)):
        body = qualification.awarding_body
        groups.setdefault(body.pk, AwardingBodyGroup(awarding_body=body, qualifications=[]))
        groups[body.pk].qualifications.append(qualification)
    return list(groups.values())


def subject_list_with_qualifications() -> list[SubjectGroup]:
    """Return every subject that has qualifications, each grouped by awarding body (2 queries)."""
    by_subject: dict[int, list[Qualification]] = defaultdict(list)
    subjects: dict[int, Subject] = {}
    for qualification in _qualifications():
        subjects[qualification.subject_id] = qualification.subject
        by_subject[qualification.subject_id].append(qualification)
    ordered = sorted(subjects.values(), key=lambda s: s.name)
    return [SubjectGroup(s, _group_by_body(by_subject[s.pk])) for s in ordered]


def subject_get_with_qualifications(*, slug: str) -> SubjectGroup:
    """Return the subject with its qualifications grouped by awarding body, or raise 404."""
    subject = Subject.objects.filter(slug=slug).first()
    if subject is None:
        raise Http404("No such subject.")
    qualifications = list(_qualifications().filter(subject=subject))
    return SubjectGroup(subject, _group_by_body(qualifications))


def awarding_body_get_for_subject(*, subject_slug: str, slug: str) -> SubjectGroup:
    """Return one awarding body's qualifications in a subject, or raise 404 when it has none."""
    qualifications = list(
        _qualifications().filter(subject__slug=subject_slug, awarding_body__slug=slug)
    )
    if not qualifications:
        raise Http404("No such awarding body in this subject.")
    return SubjectGroup(qualifications[0].subject, _group_by_body(qualifications))


def _count_label(spec: _SectionSpec, count: int) -> str:
    return str(spec.counter % {"count": count})


def _sections_from_items(items: list[ContentItem]) -> list[Section]:
    by_kind: dict[str, list[ContentItem]] = defaultdict(list)
    for item in items:
        by_kind[item.kind].append(item)
    sections = []
    for spec in _ITEM_SECTIONS:
        chosen = sorted(
            (item for kind in spec.kinds for item in by_kind[kind]),
            key=lambda item: (spec.kinds.index(item.kind), item.position, item.pk),
        )
        own = [item for item in chosen if item.unit_id is not None]
        shared = [item for item in chosen if item.unit_id is None]
        sections.append(
            Section(
                id=spec.id,
                title=str(spec.title),
                shared_title=str(spec.shared_title),
                items=own,
                shared_items=shared,
                count_label=_count_label(spec, len(chosen)),
            )
        )
    return sections


def unit_get_page(*, qualification_slug: str, slug: str) -> UnitPage:
    """Return a unit with its sections in page order, empty ones removed, or raise 404.

    Three queries: the unit with its qualification, the items (its own and the qualification's
    shared ones), and its sibling units for previous/next links.
    """
    unit = (
        Unit.objects.select_related("qualification__subject", "qualification__awarding_body")
        .filter(qualification__slug=qualification_slug, slug=slug)
        .first()
    )
    if unit is None:
        raise Http404("No such unit.")
    qualification = unit.qualification
    items = list(
        ContentItem.objects.filter(qualification=qualification).filter(
            Q(unit=unit) | Q(unit__isnull=True)
        )
    )
    synopsis = Section(
        id=SECTION_SYNOPSIS, title=str(_SYNOPSIS_TITLE), shared_title="", text=unit.synopsis
    )
    overview = Section(
        id=SECTION_OVERVIEW,
        title=str(_OVERVIEW_TITLE),
        shared_title="",
        text=qualification.overview,
    )
    sections = [synopsis, *_sections_from_items(items), overview]
    siblings = list(Unit.objects.filter(qualification=qualification).only("title", "slug"))
    index = next(i for i, sibling in enumerate(siblings) if sibling.pk == unit.pk)
    return UnitPage(
        unit=unit,
        qualification=qualification,
        sections=[section for section in sections if not section.is_empty],
        previous_unit=siblings[index - 1] if index > 0 else None,
        next_unit=siblings[index + 1] if index + 1 < len(siblings) else None,
    )


def qualification_get_page(*, slug: str) -> QualificationPage:
    """Return a qualification with its units (and their item counts) and shared sections."""
    qualification = (
        Qualification.objects.select_related("subject", "awarding_body").filter(slug=slug).first()
    )
    if qualification is None:
        raise Http404("No such qualification.")
    units = list(
        Unit.objects.filter(qualification=qualification)
        .select_related("qualification")
        .annotate(
            item_count=Count("items"),
            criterion_count=Count("items", filter=Q(items__kind=ItemKind.CRITERION)),
        )
    )
    shared = list(ContentItem.objects.filter(qualification=qualification, unit__isnull=True))
    shared_sections = [s for s in _sections_from_items(shared) if not s.is_empty]
    item_total = sum(unit.item_count for unit in units) + len(shared)
    counters = [
        ngettext("%(count)d unit", "%(count)d units", len(units)) % {"count": len(units)},
        ngettext("%(count)d content item", "%(count)d content items", item_total)
        % {"count": item_total},
    ]
    return QualificationPage(qualification, units, shared_sections, counters)
