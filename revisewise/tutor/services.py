"""The tutor's services: keep the retrieval index in step with the content, answer questions."""

from __future__ import annotations

from dataclasses import dataclass

from django.db import transaction

from revisewise.content.models import Qualification
from revisewise.tutor import dense
from revisewise.tutor.answer import Answer, OfflineComposer
from revisewise.tutor.models import Passage
from revisewise.tutor.passages import PassageSpec, passages_for_qualification
from revisewise.tutor.retrieval import retrieve
from revisewise.tutor.selectors import content_fingerprint


@dataclass(frozen=True)
class RefreshResult:
    created: int
    updated: int
    unchanged: int
    deleted: int

    @property
    def embedded(self) -> int:
        return self.created + self.updated


@transaction.atomic
def tutor_index_refresh(*, qualification: Qualification | None = None) -> RefreshResult:
    """Bring the passages of one qualification (or all) in line with the content.

    Embeds only passages that are new or whose text, section or model changed; deletes passages
    whose content is gone.
    """
    qualifications = [qualification] if qualification else list(Qualification.objects.all())
    model = dense.model_name()
    wanted: dict[str, PassageSpec] = {}
    for each in qualifications:
        for spec in passages_for_qualification(each):
            wanted[spec.source_key] = spec
    existing = Passage.objects.filter(qualification__in=qualifications)
    stored = {p.source_key: p for p in existing}
    stale = [key for key in stored if key not in wanted]
    Passage.objects.filter(source_key__in=stale).delete()
    changed = [
        spec
        for key, spec in wanted.items()
        if key not in stored or stored[key].content_hash != spec.content_hash(model)
    ]
    vectors = dense.embed([spec.index_text for spec in changed])
    created = 0
    for spec, vector in zip(changed, vectors, strict=True):
        _, is_created = Passage.objects.update_or_create(
            source_key=spec.source_key,
            defaults={
                "qualification_id": spec.qualification_id,
                "unit_id": spec.unit_id,
                "content_item_id": spec.content_item_id,
                "section": spec.section,
                "position": spec.position,
                "text": spec.text,
                "content_hash": spec.content_hash(model),
                "embedding": dense.to_bytes(vector),
                "embedding_model": model,
            },
        )
        created += int(is_created)
    return RefreshResult(
        created=created,
        updated=len(changed) - created,
        unchanged=len(wanted) - len(changed),
        deleted=len(stale),
    )


_last_fingerprint: list[tuple[object, ...]] = []


def tutor_index_refresh_if_stale() -> RefreshResult | None:
    """Refresh the index when the content changed since this process last looked; cheap if not."""
    fingerprint = content_fingerprint()
    if _last_fingerprint and _last_fingerprint[0] == fingerprint:
        return None
    result = tutor_index_refresh()
    _last_fingerprint[:] = [fingerprint]
    return result


def tutor_answer(
    *, question: str, qualification: Qualification | None = None, limit: int = 5
) -> Answer:
    """Answer a learner's question from the content, citing each passage used.

    Refreshes the index first if the content changed, so answers never quote stale text.
    """
    tutor_index_refresh_if_stale()
    hits = retrieve(
        question=question,
        qualification_id=qualification.pk if qualification else None,
        limit=limit,
    )
    return OfflineComposer().compose(question=question, hits=hits)
