"""Domain-general features comparing an answer with its references (no word identities)."""

from __future__ import annotations

import itertools
import math
import threading
from collections import Counter, OrderedDict
from typing import TYPE_CHECKING

import numpy as np

from revisewise.marking import text as t

if TYPE_CHECKING:
    from numpy.typing import NDArray

    from revisewise.marking.model import Embedder, Encoded

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


# Soft alignment compares at most this many of the answer's content words (the first ones): each
# new word costs a slot in the encoder batch, and paragraph answers would otherwise dominate.
MAX_ALIGN_WORDS = 120


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


def _soft(
    a: NDArray[np.float32], b: NDArray[np.float32], *, cardinality: bool = True
) -> tuple[float, float, float, float]:
    """Return soft precision, recall, F1 and soft cardinality ratio between two word sets."""
    if a.shape[0] == 0 or b.shape[0] == 0:
        return 0.0, 0.0, 0.0, 0.0
    sims = np.clip(a @ b.T, 0.0, 1.0)
    p = float(sims.max(axis=1).mean())
    r = float(sims.max(axis=0).mean())
    f = 2 * p * r / (p + r) if p + r else 0.0
    return p, r, f, (_soft_cardinality(a, b) if cardinality else 0.0)


def _soft_cardinality(a: NDArray[np.float32], b: NDArray[np.float32]) -> float:
    # One similarity matrix of the union gives all three cardinalities (its blocks are a's, b's).
    union = np.vstack([a, b])
    sims = np.clip(union @ union.T, 0.0, 1.0) ** 2
    n = a.shape[0]
    ca = float((1.0 / sims[:n, :n].sum(axis=1)).sum())
    cb = float((1.0 / sims[n:, n:].sum(axis=1)).sum())
    cu = float((1.0 / sims.sum(axis=1)).sum())
    inter = ca + cb - cu
    return max(0.0, inter) / cb if cb else 0.0


ALIGNED = 0.7  # a word counts as aligned when its best cosine to the other side reaches this
EXTRA_FEATURES: tuple[str, ...] = (
    "align_cov",
    "align_cov_dem",
    "align_prec_dem",
    "ref_clause_cov_mean",
    "ref_clause_cov_min",
    "cos_spread",
    "len_ratio_log",
    "neg_diff",
)
# Question-level features (engine 2.1.0): what the question and its references look like, from the
# request alone (never from other learners' answers), so the classifier can rescale the
# answer-to-reference features per question: a long reference with many words beyond the question
# asks more of an answer than a one-word one, and a reference close to the question leaves less
# room for an answer to gain on it.
QUESTION_FEATURES: tuple[str, ...] = (
    "ref_len_log",
    "ref_dem_len_log",
    "question_len_log",
    "cos_question_ref",
    "ref_dem_share",
    "cos_gain_norm",
)
ALL_FEATURES: tuple[str, ...] = FEATURE_NAMES + EXTRA_FEATURES + QUESTION_FEATURES
MAX_REF_CLAUSES = 12
# The features the shipped classifier uses (chosen by grouped cross-validation, docs/marking.md).
CLASSIFIER_FEATURES: tuple[str, ...] = ALL_FEATURES
# Features taken from the most similar reference rather than the maximum over references.
BEST_REFERENCE_ONLY = frozenset(
    {
        "len_ratio",
        "neg_ref",
        "neg_mismatch",
        "antonym_hits",
        "len_ratio_log",
        "neg_diff",
        "cos_question_ref",
    }
)
# Features averaged over the references (a property of the question's references as a whole).
REFERENCE_MEAN = frozenset({"cos_mean", "ref_len_log", "ref_dem_len_log", "ref_dem_share"})


def texts_to_embed(question: str, references: tuple[str, ...], answer: str) -> list[str]:
    """Return every text the features need encoded (one encoder pass each, then cached)."""
    return [x for x in (answer, question, *references) if x]


def _words(encoded: Encoded, limit: int | None = None) -> list[tuple[str, int, int]]:
    spans = t.content_word_spans(encoded.text)
    return spans[:limit] if limit else spans


def _demoted(spans: list[tuple[str, int, int]], q_stems: set[str]) -> list[tuple[str, int, int]]:
    return [w for w in spans if t.stem(w[0]) not in q_stems]


def _matrix(encoded: Encoded, spans: list[tuple[str, int, int]]) -> NDArray[np.float32]:
    return encoded.word_matrix([(s, e) for _, s, e in spans])


def _pooled(encoded: Encoded, spans: list[tuple[str, int, int]]) -> NDArray[np.float32] | None:
    return encoded.pool([(s, e) for _, s, e in spans]) if spans else None


def _aligned(a: NDArray[np.float32], b: NDArray[np.float32]) -> tuple[float, float]:
    """Return the share of b's words aligned to some word of a, and of a's words aligned to b."""
    if a.shape[0] == 0 or b.shape[0] == 0:
        return 0.0, 0.0
    sims = a @ b.T
    return float((sims.max(axis=0) >= ALIGNED).mean()), float((sims.max(axis=1) >= ALIGNED).mean())


def extract(
    question: str, references: tuple[str, ...], answer: str, embedder: Embedder
) -> NDArray[np.float64]:
    """Return the full feature vector (ordered as ALL_FEATURES) for one answer."""
    encoded = embedder.encode(texts_to_embed(question, references, answer))
    a_enc, q_enc = encoded[answer], encoded[question] if question else None
    refs = [encoded[r] for r in references]
    return extract_encoded(q_enc, refs, a_enc, answer_clause_spans(answer))


def answer_clause_spans(answer: str) -> list[tuple[int, int]]:
    """Return the (start, end) of the answer's clauses compared with the reference's clauses."""
    return [(s.start, s.end) for s in t.clauses(answer)][: MAX_REF_CLAUSES * 2]


def extract_encoded(
    q_enc: Encoded | None,
    refs: list[Encoded],
    a_enc: Encoded,
    answer_spans: list[tuple[int, int]],
) -> NDArray[np.float64]:
    """Return the full feature vector from already encoded question, references and answer."""
    return _combine(_reference_rows(q_enc, refs, a_enc, answer_spans))


def extract_each(
    q_enc: Encoded | None,
    refs: list[Encoded],
    a_enc: Encoded,
    answer_spans: list[tuple[int, int]],
) -> list[NDArray[np.float64]]:
    """Return one full feature vector per reference, each exactly as `extract_encoded` gives it
    with that reference alone, with the answer's side computed once for all of them."""
    matrix = _reference_rows(q_enc, refs, a_enc, answer_spans)
    matrix[:, ALL_FEATURES.index("n_refs_log")] = 0.0  # log(1): each reference on its own
    return [_combine(matrix[i : i + 1]) for i in range(matrix.shape[0])]


# Word matrices of reference-side texts (references, points, model answers) kept per process:
# the same few texts are compared with every answer to a question. Keyed by the encoding's
# identity (kept alive in the value, so an identity is never reused) and the word spans.
REFERENCE_MATRIX_CACHE_SIZE = 512
_reference_matrices: OrderedDict[
    tuple[int, tuple[tuple[int, int], ...]], tuple[Encoded, NDArray[np.float32]]
] = OrderedDict()
_reference_matrices_lock = threading.Lock()


def _reference_matrix(encoded: Encoded, spans: list[tuple[str, int, int]]) -> NDArray[np.float32]:
    key = (id(encoded), tuple((s, e) for _, s, e in spans))
    with _reference_matrices_lock:
        hit = _reference_matrices.get(key)
        if hit is not None and hit[0] is encoded:
            _reference_matrices.move_to_end(key)
            return hit[1]
    matrix = _matrix(encoded, spans)
    with _reference_matrices_lock:
        _reference_matrices[key] = (encoded, matrix)
        while len(_reference_matrices) > REFERENCE_MATRIX_CACHE_SIZE:
            _reference_matrices.popitem(last=False)
    return matrix


def _reference_rows(
    q_enc: Encoded | None,
    refs: list[Encoded],
    a_enc: Encoded,
    answer_spans: list[tuple[int, int]],
) -> NDArray[np.float64]:
    """Return one row of features (ALL_FEATURES, before combining) per reference."""
    question = q_enc.text if q_enc is not None else ""
    answer = a_enc.text
    q_stems = set(t.stems(t.content_words(question)))
    a_spans = _words(a_enc, MAX_ALIGN_WORDS)
    a_words = t.content_words(answer)
    a_dem = t.demote(a_words, q_stems)
    a_all = t.stems(t.words(answer))
    a_vec = a_enc.vector
    a_dem_spans = _demoted(a_spans, q_stems)
    a_dem_vec = _pooled(a_enc, a_dem_spans)
    q_vec = q_enc.vector if q_enc is not None else None
    a_grams = _char_grams(answer)
    a_mat, a_dem_mat = _matrix(a_enc, a_spans), _matrix(a_enc, a_dem_spans)
    a_clause_vecs = (
        np.stack([a_enc.span_vector(s, e) for s, e in answer_spans])
        if answer_spans
        else a_vec.reshape(1, -1)
    )
    neg_a = t.negation_count(answer)
    q_len_log = math.log1p(len(t.content_words(question)))
    rows: list[list[float]] = []
    for r_enc in refs:
        ref = r_enc.text
        r_spans = _words(r_enc)
        r_words = [w for w, _, _ in r_spans]
        r_dem_spans = _demoted(r_spans, q_stems)
        r_dem = [w for w, _, _ in r_dem_spans]
        up, ur, uf = _prf(t.stems(a_words), t.stems(r_words))
        dp, dr, df = _prf(t.stems(a_dem), t.stems(r_dem))
        bp, br, bf = _prf(_bigrams(a_all), _bigrams(t.stems(t.words(ref))))
        r_mat = _reference_matrix(r_enc, r_spans)
        sp, sr, sf, _ = _soft(a_mat, r_mat, cardinality=False)
        r_dem_mat = _reference_matrix(r_enc, r_dem_spans)
        dsp, dsr, dsf, card = _soft(a_dem_mat, r_dem_mat)
        cos = _cos(a_vec, r_enc.vector)
        cos_dem = _cos(a_dem_vec, _pooled(r_enc, r_dem_spans))
        cos_q = _cos(r_enc.vector, q_vec)
        neg_r = t.negation_count(ref)
        cov, _ = _aligned(a_mat, r_mat)
        cov_dem, prec_dem = _aligned(a_dem_mat, r_dem_mat)
        r_clauses = t.clauses(ref)[:MAX_REF_CLAUSES]
        if r_clauses:
            r_clause_vecs = np.stack([r_enc.span_vector(c.start, c.end) for c in r_clauses])
            best = (r_clause_vecs @ a_clause_vecs.T).max(axis=1)
            clause_mean, clause_min = float(best.mean()), float(best.min())
        else:
            clause_mean = clause_min = cos
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
                math.log(len(refs)),
                min(neg_a, 3),
                min(neg_r, 3),
                float((neg_a > 0) != (neg_r > 0)),
                _antonym_hits(t.words(answer), t.words(ref)),
                _overlap(t.stems(a_words), q_stems),
                len(a_dem) / max(1, len(a_words)),
                cov,
                cov_dem,
                prec_dem,
                clause_mean,
                clause_min,
                0.0,
                math.log((1 + len(a_words)) / (1 + len(r_words))),
                float(min(neg_a, 3) - min(neg_r, 3)),
                math.log1p(len(r_words)),
                math.log1p(len(r_dem)),
                q_len_log,
                cos_q,
                len(r_dem) / max(1, len(r_words)),
                0.0,
            ]
        )
    return np.asarray(rows, dtype=np.float64)


def _combine(matrix: NDArray[np.float64]) -> NDArray[np.float64]:
    """Return the feature vector of an answer from its per-reference rows: the maximum over the
    references, the best reference's value or the mean, as each feature asks."""
    best_ref = int(np.argmax(matrix[:, ALL_FEATURES.index("cos_max")]))
    vector = matrix.max(axis=0)
    for i, name in enumerate(ALL_FEATURES):
        if name in BEST_REFERENCE_ONLY:
            vector[i] = matrix[best_ref, i]
        elif name in REFERENCE_MEAN:
            vector[i] = matrix[:, i].mean()
    vector[ALL_FEATURES.index("cos_spread")] = (
        vector[ALL_FEATURES.index("cos_max")] - vector[ALL_FEATURES.index("cos_mean")]
    )
    # The share of the room between the reference's similarity to the question and a perfect
    # match that the answer's similarity takes up (best reference).
    cos_qr = vector[ALL_FEATURES.index("cos_question_ref")]
    vector[ALL_FEATURES.index("cos_gain_norm")] = (
        vector[ALL_FEATURES.index("cos_max")] - cos_qr
    ) / (1.0 - cos_qr + 1e-3)
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
