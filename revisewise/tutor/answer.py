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
from django.utils.translation import gettext as _

from revisewise.tutor import dense
from revisewise.tutor.lexical import Analyser
from revisewise.tutor.passages import section_anchor
from revisewise.tutor.retrieval import Comparison, Hit
from revisewise.tutor.selectors import (
    PracticeLink,
    QualificationLink,
    UnitLink,
    practice_links_for_passages,
    qualification_links,
    unit_links,
)
from revisewise.tutor.terms import conflicting_versions

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
    # The tutor's own words before the parts ("CSAT and NPS, as your unit defines them:").
    lead: str = ""
    # What the learner should know about the parts: a compared term the notes do not define, an
    # acronym the cited passages spell out in two ways. Built from the content, never invented.
    notes: tuple[str, ...] = ()

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

    def compose(
        self, *, question: str, hits: Sequence[Hit], comparison: Comparison | None = None
    ) -> Answer:
        """Quote the passages that answer; for a comparison whose two terms the content defines,
        quote the two definitions instead."""
        if comparison is not None and comparison.is_defined:
            return self._definitions(question, comparison)
        relevant = [hit for hit in hits if hit.is_relevant]
        if not relevant:
            return Answer(question=question, mode=self.name)
        best = max(hit.similarity for hit in relevant)
        # A passage naming the acronym the question asks about (LATER) is shown even when the
        # embedding, which reads LATER as the word "later", finds it less similar; those that
        # spell out its letters come first, since they say what it stands for.
        spelling = [h for h in relevant if h.spells_asked_term]
        others = [
            h
            for h in relevant
            if not h.spells_asked_term
            and (h.similarity >= RELATIVE_CUTOFF * best or h.names_asked_term)
        ]
        chosen = [*spelling, *others][:MAX_PARTS]
        # A sentence of the notes that says which compared term is better answers first.
        ranking = comparison.ranking if comparison is not None else None
        if ranking is not None:
            chosen = [ranking, *(h for h in chosen if h.passage_id != ranking.passage_id)]
        citations = citations_for_hits(chosen)
        parts = tuple(
            AnswerPart(
                text=_ranking_quote(comparison, hit) or best_sentences(question, hit.text),
                citation=citations[hit.passage_id],
            )
            for hit in chosen
        )
        return Answer(
            question=question,
            mode=self.name,
            parts=parts,
            practice=_practice(chosen),
            notes=(*comparison_notes(comparison), *version_notes(chosen, citations)),
        )

    def _definitions(self, question: str, comparison: Comparison) -> Answer:
        """Each compared term's definition, quoted whole and cited, under a lead-in."""
        terms = (comparison.first, comparison.second)
        hits = [term.definition for term in terms if term.definition is not None]
        quotes = [term.quote for term in terms]
        if comparison.ranking is not None:
            hits.append(comparison.ranking)
            quotes.append(comparison.ranking_quote)
        citations = citations_for_hits(hits)
        parts: list[AnswerPart] = []
        for quote, hit in zip(quotes, hits, strict=True):
            part = AnswerPart(text=quote, citation=citations[hit.passage_id])
            if part not in parts:
                parts.append(part)
        values = {"first": comparison.first.term, "second": comparison.second.term}
        if len({hit.unit_id for hit in hits}) == 1:
            lead = _("%(first)s and %(second)s, as your unit defines them:") % values
        else:
            lead = _("%(first)s and %(second)s, as your units define them:") % values
        lead = lead[:1].upper() + lead[1:]
        return Answer(
            question=question,
            mode=self.name,
            parts=tuple(parts),
            practice=_practice(hits),
            lead=lead,
            notes=(*comparison_notes(comparison), *version_notes(hits, citations)),
        )


def _ranking_quote(comparison: Comparison | None, hit: Hit) -> str:
    if comparison is None or comparison.ranking is None:
        return ""
    return comparison.ranking_quote if hit.passage_id == comparison.ranking.passage_id else ""


def comparison_notes(comparison: Comparison | None) -> tuple[str, ...]:
    """Say what the notes leave out of a comparison: a term they do not define and, when the
    learner asks which is better, that they do not say (unless a passage ranks the two)."""
    if comparison is None:
        return ()
    notes = [undefined_note(comparison)] if comparison.undefined else []
    if comparison.is_choice and comparison.ranking is None:
        notes.append(
            _("Your course notes do not say which of %(first)s and %(second)s is better.")
            % {"first": comparison.first.term, "second": comparison.second.term}
        )
    return tuple(notes)


def undefined_note(comparison: Comparison) -> str:
    """Say which compared terms the course notes do not define (and what an acronym stands for,
    when they spell it out)."""
    sentences = []
    for term in comparison.undefined:
        if term.spelt_out:
            sentences.append(
                _(
                    "Your course notes do not define %(term)s; they give only what it stands "
                    "for: “%(words)s”."
                )
                % {"term": term.term, "words": term.spelt_out}
            )
        else:
            sentences.append(_("Your course notes do not define %(term)s.") % {"term": term.term})
    return " ".join(sentences)


_COUNTS = {2: "two", 3: "three", 4: "four"}


def version_notes(hits: Sequence[Hit], citations: dict[int, Citation]) -> list[str]:
    """Say when the cited passages spell an acronym out with different words, quoting each."""
    notes = []
    for found in conflicting_versions([hit.text for hit in hits]):
        listed = [
            _("“%(words)s” (%(source)s)")
            % {"words": expansion.spelt, "source": citations[hits[position].passage_id].label}
            for expansion, position in found.versions
        ]
        versions = _("%(some)s and %(last)s") % {"some": ", ".join(listed[:-1]), "last": listed[-1]}
        count = len(listed)
        notes.append(
            _(
                "Your units give %(count)s versions of %(acronym)s: %(versions)s. "
                "Check which one your awarding body uses."
            )
            % {
                "count": _COUNTS.get(count, str(count)),
                "acronym": found.acronym,
                "versions": versions,
            }
        )
    return notes


def _practice(hits: Sequence[Hit]) -> tuple[PracticeLink, ...]:
    unit_ids = {hit.unit_id for hit in hits if hit.unit_id is not None}
    return tuple(
        practice_links_for_passages(passage_ids={hit.passage_id for hit in hits}, unit_ids=unit_ids)
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
