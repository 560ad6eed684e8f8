"""Compose an answer from retrieved passages: the offline composer, and the seam for others.

A composer takes the question and the retrieved hits and returns an `Answer`: plain data with a
citation for every part, so a page or an API can show it and a test can check it. The offline
composer never writes anything of its own: it quotes the sentences of the best passages that
answer the question, and says plainly when nothing relevant was found. An LLM composer can sit
beside it with the same signature.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Protocol

import numpy as np

from revisewise.tutor import dense
from revisewise.tutor.lexical import Analyser
from revisewise.tutor.passages import section_anchor
from revisewise.tutor.retrieval import Hit
from revisewise.tutor.selectors import (
    PracticeLink,
    QualificationLink,
    UnitLink,
    practice_links_for_passages,
    qualification_links,
    unit_links,
)

OFFLINE = "offline"
LLM = "llm"
# Parts whose passage is much less similar to the question than the best one add noise.
RELATIVE_CUTOFF = 0.75
MAX_PARTS = 3
MAX_SENTENCES = 2
_SENTENCE_END = re.compile(r"(?<=[.!?])\s+(?=[A-Z\"'(])")


@dataclass(frozen=True)
class Citation:
    """Where a part of the answer comes from: a unit (or the whole qualification) and section."""

    qualification_title: str
    unit_title: str | None
    section: str
    url: str

    @property
    def label(self) -> str:
        return f"{self.unit_title or self.qualification_title}: {self.section}"


@dataclass(frozen=True)
class AnswerPart:
    """A sentence of the answer and its source; `quote` is the checked words an AI point cites."""

    text: str
    citation: Citation
    quote: str = ""


@dataclass(frozen=True)
class Answer:
    """What the tutor says: parts with citations, or an honest "not found"."""

    question: str
    mode: str
    parts: tuple[AnswerPart, ...] = ()
    practice: tuple[PracticeLink, ...] = field(default_factory=tuple)
    # Why the AI model did not answer, when one is configured and it did not.
    notice: str = ""
    # Set when the tutor declines on purpose (a request it must refuse), not for want of content.
    refusal: str = ""
    prompt_key: str = ""
    # The earlier question this one was read as a follow-up to, if it was.
    follows: str = ""

    @property
    def is_answered(self) -> bool:
        return bool(self.parts)


class Composer(Protocol):
    def compose(self, *, question: str, hits: Sequence[Hit]) -> Answer: ...


def citations_for_hits(hits: Sequence[Hit]) -> dict[int, Citation]:
    """Build the citation (unit section link) of each hit, keyed by passage id."""
    units = unit_links(unit_ids={hit.unit_id for hit in hits if hit.unit_id is not None})
    qualifications = qualification_links(qualification_ids={hit.qualification_id for hit in hits})
    return {hit.passage_id: _citation(hit, units, qualifications) for hit in hits}


def split_sentences(text: str) -> list[str]:
    return [s.strip() for s in _SENTENCE_END.split(text.strip()) if s.strip()]


def best_sentences(question: str, text: str, *, limit: int = MAX_SENTENCES) -> str:
    """Keep the sentences of a passage that answer the question, in their original order."""
    sentences = split_sentences(text)
    if len(sentences) <= limit:
        return " ".join(sentences)
    vectors = dense.embed([question, *sentences])
    similarity = vectors[1:] @ vectors[0]
    analyser = Analyser()
    question_terms = set(analyser.terms(question))
    overlap = np.array(
        [
            len(question_terms & set(analyser.terms(s))) / (len(question_terms) or 1)
            for s in sentences
        ]
    )
    scores = similarity + 0.5 * overlap
    chosen = sorted(np.argsort(-scores)[:limit].tolist())
    return " ".join(sentences[i] for i in chosen)


class OfflineComposer:
    """Quote the best passages, trimmed to the sentences that answer, each with its citation."""

    name = OFFLINE

    def compose(self, *, question: str, hits: Sequence[Hit]) -> Answer:
        relevant = [hit for hit in hits if hit.is_relevant]
        if not relevant:
            return Answer(question=question, mode=self.name)
        best = max(hit.similarity for hit in relevant)
        chosen = [h for h in relevant if h.similarity >= RELATIVE_CUTOFF * best][:MAX_PARTS]
        unit_ids = {hit.unit_id for hit in chosen if hit.unit_id is not None}
        citations = citations_for_hits(chosen)
        parts = tuple(
            AnswerPart(text=best_sentences(question, hit.text), citation=citations[hit.passage_id])
            for hit in chosen
        )
        return Answer(
            question=question,
            mode=self.name,
            parts=parts,
            practice=tuple(
                practice_links_for_passages(
                    passage_ids={hit.passage_id for hit in chosen}, unit_ids=unit_ids
                )
            ),
        )


def _citation(
    hit: Hit, units: dict[int, UnitLink], qualifications: dict[int, QualificationLink]
) -> Citation:
    anchor = section_anchor(hit.section)
    qualification = qualifications[hit.qualification_id]
    if hit.unit_id is not None:
        unit = units[hit.unit_id]
        return Citation(qualification.title, unit.title, hit.section, f"{unit.url}#{anchor}")
    # Shared content is shown on every unit of its qualification: link to its first unit.
    url = f"{qualification.first_unit_url or qualification.url}#{anchor}"
    return Citation(qualification.title, None, hit.section, url)
