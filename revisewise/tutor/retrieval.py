"""Hybrid retrieval: BM25 and sentence embeddings, fused by reciprocal rank, then re-ranked.

The fused score is adjusted by three small priors, all chosen on development questions only
(docs/tutor.md): which kind of section the question asks for (its meaning, and whether it speaks
the vocabulary of assessment), which unit it is about, and a penalty for one-line objectives.
The learner's qualification is searched first; passages of other qualifications follow only when
they are relevant on their own. The index is read from `Passage` rows and cached per process
until the rows change.
"""

from __future__ import annotations

import functools
import re
import threading
from collections.abc import Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING

import numpy as np
from django.db.models import Count, Max

from revisewise.content.models import Unit
from revisewise.tutor import dense
from revisewise.tutor.lexical import BM25, Analyser, learn_acronyms
from revisewise.tutor.models import Passage
from revisewise.tutor.passages import SECTION_DESCRIPTIONS, SYNOPSIS, index_text
from revisewise.tutor.terms import (
    ComparedTerms,
    Definition,
    Glossary,
    acronyms_named_in_lower_case,
    compared_terms,
    letter_expansions,
    ranking_sentence,
)

if TYPE_CHECKING:
    from numpy.typing import NDArray

# Reciprocal rank fusion (Cormack et al. 2009): k=60 is the value from the paper.
RRF_K = 60
LEXICAL_WEIGHT = 1.0
DENSE_WEIGHT = 1.0
# Query intent: a bonus, in fused-score units, for the sections whose one-line description the
# question is closest to in meaning ("how will I be assessed?" leans to Assessment Criteria).
INTENT_BONUS = 0.003
# Learning objectives are one-line headings that restate a question's words without answering
# it; a small penalty lets the criterion or concept that does answer rank first. Both values were
# chosen on the dev split only (docs/tutor.md).
SECTION_PRIORS: dict[str, float] = {"Learning Objectives": -0.002}
# A question in the vocabulary of assessment ("do I get marks for...", "what evidence do I
# need...", "what do assessors look for...") asks what the Assessment Criteria and Guidance say,
# not what the objectives or the synopsis restate: a bonus for those, the same penalty for these.
ASSESSMENT_INTENT = re.compile(
    r"\b(?:assessors?|examiners?|markers?|credit(?:ed)?|marks?|grades?|evidence|criteria|"
    r"merit|distinction|portfolio|assignments?)\b",
    re.IGNORECASE,
)
ASSESSMENT_SECTIONS = frozenset({"Assessment Criteria", "Assessment Guidance"})
RESTATING_SECTIONS = frozenset({"Learning Objectives", SYNOPSIS})
ASSESSMENT_INTENT_BONUS = 0.004
# Unit routing: a bonus, in fused-score units, for passages of the units whose profile (title,
# synopsis, objectives, key concepts) the question is closer to than the qualification's average
# unit. A passage of the right section in the wrong unit is a wrong answer.
UNIT_PRIOR = 0.01
# The sections that say what a unit is about, in the order its profile reads them.
PROFILE_SECTIONS = (SYNOPSIS, "Learning Objectives", "Key Concepts", "Assessment Criteria")
# Below this cosine similarity the best passage is not about the question (docs/tutor.md).
RELEVANCE_THRESHOLD = 0.19
# A term the question writes in capitals (an acronym or mnemonic such as LATER or HEAT) that the
# passage also writes in capitals makes the passage relevant whatever the cosine: the embedding
# model reads "LATER" as the word "later" and scored the LATER passage 0.176.
_CAPITALS = re.compile(r"\b[A-Z]{3,}\b")


def capitalised_terms(text: str) -> frozenset[str]:
    """Return the terms of 3+ letters the text writes in capitals."""
    return frozenset(_CAPITALS.findall(text))


def asked_terms(question: str, known: frozenset[str]) -> frozenset[str]:
    """Return the capitalised terms a question names: in capitals, or a known acronym-model in
    lower case with a cue next to it ("what does later stand for?"; not "I'll revise it later")."""
    return capitalised_terms(question) | acronyms_named_in_lower_case(question, known)


@dataclass(frozen=True)
class Hit:
    """One retrieved passage with its scores."""

    passage_id: int
    qualification_id: int
    unit_id: int | None
    section: str
    text: str
    score: float
    lexical: float
    similarity: float
    is_in_scope: bool
    names_asked_term: bool = False
    # The passage spells out the letters of an acronym the question names ("LATER (Listen, ...)").
    spells_asked_term: bool = False

    @property
    def is_relevant(self) -> bool:
        return self.similarity >= RELEVANCE_THRESHOLD or self.names_asked_term


@dataclass(frozen=True)
class ComparedTerm:
    """One term of a comparison question: as shown, where the content defines it (if it does),
    the words to quote, and the words an acronym stands for (if the content spells it out)."""

    term: str
    definition: Hit | None = None
    quote: str = ""
    spelt_out: str = ""


@dataclass(frozen=True)
class Comparison:
    first: ComparedTerm
    second: ComparedTerm
    # The question asks which is better ("which is better, CSAT or NPS?"); `ranking` is a passage
    # of the learner's qualification that says so in one sentence (`ranking_quote`), if any.
    is_choice: bool = False
    ranking: Hit | None = None
    ranking_quote: str = ""

    @property
    def is_defined(self) -> bool:
        return self.first.definition is not None and self.second.definition is not None

    @property
    def undefined(self) -> tuple[ComparedTerm, ...]:
        return tuple(t for t in (self.first, self.second) if t.definition is None)


@dataclass(frozen=True)
class _Row:
    passage_id: int
    qualification_id: int
    unit_id: int | None
    section: str
    text: str
    context: str = ""
    position: int = 0


class Index:
    """Everything needed to search a snapshot of the passages."""

    def __init__(
        self,
        rows: Sequence[_Row],
        vectors: NDArray[np.float32],
        unit_titles: dict[int, str] | None = None,
    ) -> None:
        self.rows = list(rows)
        self.vectors = vectors
        texts = [
            index_text(section=row.section, text=row.text, context=row.context) for row in self.rows
        ]
        self.bm25 = BM25(texts, analyser=Analyser(learn_acronyms(r.text for r in self.rows)))
        # Read once per index, not per question: the relevance gate's capitals rule.
        self.capitals = [capitalised_terms(row.text) for row in self.rows]
        self.known_capitals = frozenset().union(*self.capitals)
        self.spelt = [
            frozenset(e.acronym for e in letter_expansions(row.text)) for row in self.rows
        ]
        # The terms the passages define, for comparison questions (precomputed like the above).
        self.glossary = Glossary.build([(row.section, row.text) for row in self.rows])
        self.unit_ids, self.unit_vectors = _unit_profiles(self.rows, unit_titles or {})

    @classmethod
    def load(cls) -> Index:
        rows, vectors = [], []
        for passage in Passage.objects.order_by("pk"):
            rows.append(
                _Row(
                    passage.pk,
                    passage.qualification_id,
                    passage.unit_id,
                    passage.section,
                    passage.text,
                    passage.context,
                    passage.position,
                )
            )
            vectors.append(dense.from_bytes(bytes(passage.embedding)))
        matrix = np.vstack(vectors) if vectors else np.zeros((0, 1), dtype=dense.DTYPE)
        titles = dict(Unit.objects.values_list("pk", "title"))
        return cls(rows, matrix, titles)

    def search(self, question: str, *, qualification_id: int | None, limit: int) -> list[Hit]:
        if not self.rows:
            return []
        lexical = self.bm25.scores(question)
        question_vector = dense.embed([question])[0]
        similarity = (self.vectors @ question_vector).tolist()
        in_scope = [
            qualification_id is None or r.qualification_id == qualification_id for r in self.rows
        ]
        fused = _fuse(lexical, similarity)
        priors = self._priors(question, question_vector)
        fused = [score + prior for score, prior in zip(fused, priors, strict=True)]
        asked = asked_terms(question, self.known_capitals)
        hits = [
            Hit(
                row.passage_id,
                row.qualification_id,
                row.unit_id,
                row.section,
                row.text,
                fused[i],
                lexical[i],
                similarity[i],
                in_scope[i],
                not asked.isdisjoint(self.capitals[i]),
                not asked.isdisjoint(self.spelt[i]),
            )
            for i, row in enumerate(self.rows)
        ]
        scoped = sorted((h for h in hits if h.is_in_scope), key=_rank_key)
        others = sorted((h for h in hits if not h.is_in_scope and h.is_relevant), key=_rank_key)
        return (scoped + others)[:limit]

    def compare(
        self, question: str, *, qualification_id: int | None, hits: Sequence[Hit]
    ) -> Comparison | None:
        """Read a comparison question's two terms and find where the content defines each.

        Only definitions in the learner's qualification count. When a term is defined in more
        than one unit, the unit that defines both terms wins, then the units of the best hits.
        """
        pair = compared_terms(question, self.glossary)
        if pair is None:
            return None
        glossary = self.glossary
        if glossary.keys_for(pair.first) & glossary.keys_for(pair.second):
            return None  # two names of one term: nothing to compare
        options = [
            [
                d
                for d in glossary.definitions_of(term)
                if qualification_id is None or self.rows[d.row].qualification_id == qualification_id
            ]
            for term in (pair.first, pair.second)
        ]
        units = [hit.unit_id for hit in hits if hit.is_relevant]

        def rank(definition: Definition) -> int:
            unit_id = self.rows[definition.row].unit_id
            return units.index(unit_id) if unit_id in units else len(units)

        def same_unit_first(pair: tuple[Definition, Definition]) -> tuple[bool, int, int]:
            a, b = pair
            apart = self.rows[a.row].unit_id != self.rows[b.row].unit_id
            return (apart, rank(a) + rank(b), a.row + b.row)

        chosen: list[Definition | None]
        if options[0] and options[1]:
            pairs = [(a, b) for a in options[0] for b in options[1]]
            best_a, best_b = min(pairs, key=same_unit_first)
            chosen = [best_a, best_b]
        else:
            chosen = [min(o, key=lambda d: (rank(d), d.row)) if o else None for o in options]
        first, second = (
            ComparedTerm(
                term=glossary.display(term),
                definition=self._hit(definition.row) if definition else None,
                quote=definition.quote if definition else "",
                spelt_out=glossary.expansion_of(term),
            )
            for term, definition in zip((pair.first, pair.second), chosen, strict=True)
        )
        if not pair.is_choice:
            return Comparison(first, second)
        ranking, quote = self._ranking(pair, qualification_id=qualification_id)
        return Comparison(first, second, is_choice=True, ranking=ranking, ranking_quote=quote)

    def _ranking(
        self, pair: ComparedTerms, *, qualification_id: int | None
    ) -> tuple[Hit | None, str]:
        """Find the first passage of the qualification that says which of two terms is better."""
        names = [self.glossary.keys_for(pair.first), self.glossary.keys_for(pair.second)]
        for position, row in enumerate(self.rows):
            if qualification_id is not None and row.qualification_id != qualification_id:
                continue
            quote = ranking_sentence(row.text, names)
            if quote:
                return self._hit(position), quote
        return None, ""

    def _hit(self, position: int) -> Hit:
        """A passage found by name rather than by search: no scores of its own."""
        row = self.rows[position]
        return Hit(
            row.passage_id, row.qualification_id, row.unit_id, row.section, row.text,
            0.0, 0.0, 0.0, True,
        )  # fmt: skip

    def _priors(self, question: str, question_vector: NDArray[np.float32]) -> list[float]:
        """Return each passage's re-ranking adjustment: section intent, unit routing, priors."""
        intent = _section_intent(question_vector)
        units = self._unit_affinity(question_vector)
        asks_assessment = bool(ASSESSMENT_INTENT.search(question))
        priors = []
        for row in self.rows:
            prior = INTENT_BONUS * intent.get(row.section, 0.0)
            prior += SECTION_PRIORS.get(row.section, 0.0)
            prior += UNIT_PRIOR * units.get(row.unit_id, 0.0) if row.unit_id is not None else 0.0
            if asks_assessment and row.section in ASSESSMENT_SECTIONS:
                prior += ASSESSMENT_INTENT_BONUS
            elif asks_assessment and row.section in RESTATING_SECTIONS:
                prior -= ASSESSMENT_INTENT_BONUS
            priors.append(prior)
        return priors

    def _unit_affinity(self, question_vector: NDArray[np.float32]) -> dict[int, float]:
        """Say how much closer the question is to each unit than to its qualification's average."""
        if not self.unit_ids:
            return {}
        similarity = (self.unit_vectors @ question_vector).tolist()
        by_qualification: dict[int, list[float]] = {}
        for (qualification_id, _unit_id), value in zip(self.unit_ids, similarity, strict=True):
            by_qualification.setdefault(qualification_id, []).append(value)
        return {
            unit_id: value - float(np.mean(by_qualification[qualification_id]))
            for (qualification_id, unit_id), value in zip(self.unit_ids, similarity, strict=True)
        }


def _unit_profiles(
    rows: Sequence[_Row], titles: dict[int, str]
) -> tuple[list[tuple[int, int]], NDArray[np.float32]]:
    """Embed each unit's profile: its title, then what its synopsis, objectives and concepts say.

    The model reads the first 256 word pieces, so the profile is what the unit is about rather
    than every detail. Returns (qualification id, unit id) pairs and one vector per unit.
    """
    parts: dict[tuple[int, int], list[tuple[int, int, str]]] = {}
    for row in rows:
        if row.unit_id is None or row.section not in PROFILE_SECTIONS:
            continue
        order = (PROFILE_SECTIONS.index(row.section), row.position)
        parts.setdefault((row.qualification_id, row.unit_id), []).append((*order, row.text))
    keys = sorted(parts)
    if not keys:
        return [], np.zeros((0, 1), dtype=dense.DTYPE)
    texts = [
        ". ".join([titles.get(key[1], ""), *(text for *_, text in sorted(parts[key]))])
        for key in keys
    ]
    return keys, dense.embed(texts)


def _section_intent(question_vector: NDArray[np.float32]) -> dict[str, float]:
    """Say how much the question asks for each kind of section, from its description's meaning."""
    names = list(SECTION_DESCRIPTIONS)
    vectors = _description_vectors(tuple(names))
    similarity = vectors @ question_vector
    centred = similarity - similarity.mean()
    return {name: float(value) for name, value in zip(names, centred, strict=True)}


@functools.cache
def _description_vectors(names: tuple[str, ...]) -> NDArray[np.float32]:
    return dense.embed([SECTION_DESCRIPTIONS[name] for name in names])


def _rank_key(hit: Hit) -> tuple[float, int]:
    return (-hit.score, hit.passage_id)


def _ranks(scores: Sequence[float]) -> list[int]:
    order = sorted(range(len(scores)), key=lambda i: (-scores[i], i))
    ranks = [0] * len(scores)
    for rank, index in enumerate(order, start=1):
        ranks[index] = rank
    return ranks


def _fuse(lexical: Sequence[float], similarity: Sequence[float]) -> list[float]:
    """Combine two rankings by reciprocal rank; a passage with no shared word gets no BM25 vote."""
    lexical_ranks, dense_ranks = _ranks(lexical), _ranks(similarity)
    return [
        (LEXICAL_WEIGHT / (RRF_K + lexical_ranks[i]) if lexical[i] > 0 else 0.0)
        + DENSE_WEIGHT / (RRF_K + dense_ranks[i])
        for i in range(len(lexical))
    ]


_cache: dict[str, tuple[tuple[object, ...], Index]] = {}
_lock = threading.Lock()


def current_index() -> Index:
    """Return the index for the passages as they are now, rebuilding it only after a change."""
    version = tuple(
        Passage.objects.aggregate(n=Count("pk"), last=Max("pk"), changed=Max("updated_at")).values()
    )
    with _lock:
        cached = _cache.get("default")
        if cached and cached[0] == version:
            return cached[1]
        index = Index.load()
        _cache["default"] = (version, index)
        return index


def compare(
    *, question: str, qualification_id: int | None, hits: Sequence[Hit]
) -> Comparison | None:
    """Return the terms a comparison question compares and where the content defines them."""
    return current_index().compare(question, qualification_id=qualification_id, hits=hits)


def retrieve(*, question: str, qualification_id: int | None = None, limit: int = 5) -> list[Hit]:
    """Return the best passages for a question, the learner's qualification first."""
    return current_index().search(question, qualification_id=qualification_id, limit=limit)
