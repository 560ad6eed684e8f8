"""Domain-general features comparing an answer with its references (no word identities)."""

from __future__ import annotations

import itertools
import math
from collections import Counter
from typing import TYPE_CHECKING

import numpy as np

from revisewise.marking import text as t

if TYPE_CHECKING:
    from numpy.typing import NDArray

    from revisewise.marking.model import Embedder

FEATURE_NAMES: tuple[str, ...] = (
    "uni_p",
    "uni_r",
    "uni_f",
    "uni_dem_p",
    "uni_dem_r",
    "uni_dem_f",
    "bi_p",
    "bi_r",
    "bi_f",
    "char_jaccard",
    "soft_p",
    "soft_r",
    "soft_f",
    "soft_dem_p",
    "soft_dem_r",
    "soft_dem_f",
    "soft_card",
    "cos_max",
    "cos_mean",
    "cos_dem_max",
    "cos_question",
    "cos_gain",
    "len_log",
    "content_len_log",
    "len_ratio",
    "n_refs_log",
    "neg_answer",
    "neg_ref",
    "neg_mismatch",
    "antonym_hits",
    "question_overlap",
    "answer_novel_ratio",
)


def _prf(answer: list[str], reference: list[str]) -> tuple[float, float, float]:
    if not answer or not reference:
        return 0.0, 0.0, 0.0
    common = sum((Counter(answer) & Counter(reference)).values())
    p, r = common / len(answer), common / len(reference)
    return p, r, (2 * p * r / (p + r) if p + r else 0.0)


def _bigrams(tokens: list[str]) -> list[str]:
    return [f"{a} {b}" for a, b in itertools.pairwise(tokens)]


def _char_grams(text: str) -> set[str]:
    s = " ".join(t.words(text))
    return {s[i : i + 3] for i in range(max(0, len(s) - 2))}


def _jaccard(a: set[str], b: set[str]) -> float:
    return len(a & b) / len(a | b) if a | b else 0.0


def _soft(a: NDArray[np.float32], b: NDArray[np.float32]) -> tuple[float, float, float, float]:
    """Return soft precision, recall, F1 and soft cardinality ratio between two word sets."""
    if a.shape[0] == 0 or b.shape[0] == 0:
        return 0.0, 0.0, 0.0, 0.0
    sims = np.clip(a @ b.T, 0.0, 1.0)
    p = float(sims.max(axis=1).mean())
    r = float(sims.max(axis=0).mean())
    f = 2 * p * r / (p + r) if p + r else 0.0
    return p, r, f, _soft_cardinality(a, b)


def _card(m: NDArray[np.float32]) -> float:
    sims = np.clip(m @ m.T, 0.0, 1.0) ** 2
    return float((1.0 / sims.sum(axis=1)).sum())


def _soft_cardinality(a: NDArray[np.float32], b: NDArray[np.float32]) -> float:
    ca, cb = _card(a), _card(b)
    cu = _card(np.vstack([a, b]))
    inter = ca + cb - cu
    return max(0.0, inter) / cb if cb else 0.0


def texts_to_embed(question: str, references: tuple[str, ...], answer: str) -> list[str]:
    """Return every text the features need embedded, so one batch call serves an answer."""
    q_stems = set(t.stems(t.content_words(question)))
    out = [answer, question, *references]
    out.append(" ".join(t.demote(t.content_words(answer), q_stems)))
    for ref in references:
        out.append(" ".join(t.demote(t.content_words(ref), q_stems)))
    for piece in (answer, *references):
        out.extend(t.content_words(piece))
    out.extend(span.text for span in t.clauses(answer))
    return [x for x in out if x]


def extract(
    question: str, references: tuple[str, ...], answer: str, embedder: Embedder
) -> NDArray[np.float64]:
    """Return the feature vector (ordered as FEATURE_NAMES) for one answer."""
    embedder.prefetch(texts_to_embed(question, references, answer))
    q_stems = set(t.stems(t.content_words(question)))
    a_words = t.content_words(answer)
    a_dem = t.demote(a_words, q_stems)
    a_all = t.stems(t.words(answer))
    a_vec = embedder.vector(answer)
    a_dem_vec = embedder.vector(" ".join(a_dem))
    q_vec = embedder.vector(question)
    a_grams = _char_grams(answer)
    a_mat, a_dem_mat = embedder.matrix(a_words), embedder.matrix(a_dem)
    rows: list[list[float]] = []
    for ref in references:
        r_words = t.content_words(ref)
        r_dem = t.demote(r_words, q_stems)
        up, ur, uf = _prf(t.stems(a_words), t.stems(r_words))
        dp, dr, df = _prf(t.stems(a_dem), t.stems(r_dem))
        bp, br, bf = _prf(_bigrams(a_all), _bigrams(t.stems(t.words(ref))))
        sp, sr, sf, _ = _soft(a_mat, embedder.matrix(r_words))
        r_dem_mat = embedder.matrix(r_dem)
        dsp, dsr, dsf, card = _soft(a_dem_mat, r_dem_mat)
        cos = _cos(a_vec, embedder.vector(ref))
        cos_dem = _cos(a_dem_vec, embedder.vector(" ".join(r_dem)))
        cos_q = _cos(embedder.vector(ref), q_vec)
        neg_a, neg_r = t.negation_count(answer), t.negation_count(ref)
        rows.append(
            [
                up,
                ur,
                uf,
                dp,
                dr,
                df,
                bp,
                br,
                bf,
                _jaccard(a_grams, _char_grams(ref)),
                sp,
                sr,
                sf,
                dsp,
                dsr,
                dsf,
                card,
                cos,
                cos,
                cos_dem,
                _cos(a_vec, q_vec),
                cos - cos_q,
                math.log1p(len(t.words(answer))),
                math.log1p(len(a_words)),
                len(a_words) / max(1, len(r_words)),
                math.log(len(references)),
                min(neg_a, 3),
                min(neg_r, 3),
                float((neg_a > 0) != (neg_r > 0)),
                _antonym_hits(t.words(answer), t.words(ref)),
                _overlap(t.stems(a_words), q_stems),
                len(a_dem) / max(1, len(a_words)),
            ]
        )
    matrix = np.asarray(rows, dtype=np.float64)
    best = int(np.argmax(matrix[:, FEATURE_NAMES.index("cos_max")]))
    vector = matrix.max(axis=0)
    for i, name in enumerate(FEATURE_NAMES):
        if name in ("len_ratio", "neg_ref", "neg_mismatch", "antonym_hits"):
            vector[i] = matrix[best, i]
        elif name == "cos_mean":
            vector[i] = matrix[:, i].mean()
    return vector


def _cos(a: NDArray[np.float32] | None, b: NDArray[np.float32] | None) -> float:
    if a is None or b is None:
        return 0.0
    return float(np.dot(a, b))


def _antonym_hits(answer_words: list[str], ref_words: list[str]) -> float:
    ref = set(ref_words)
    answer = set(answer_words)
    return float(sum(1 for w in answer if t.ANTONYMS.get(w, frozenset()) & (ref - answer)))


def _overlap(answer_stems: list[str], question_stems: set[str]) -> float:
    if not answer_stems:
        return 0.0
    return sum(1 for s in answer_stems if s in question_stems) / len(answer_stems)
