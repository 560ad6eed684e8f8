"""The marking engine: per-point verdicts with evidence, a trained overall label, feedback."""

from __future__ import annotations

import functools
import threading
from collections import OrderedDict
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

import numpy as np
from threadpoolctl import ThreadpoolController

from revisewise.marking import adversarial, calibration, features
from revisewise.marking import text as t
from revisewise.marking.calibration import Calibration, load_calibration, logit, path_of
from revisewise.marking.feedback import TOO_LONG_MESSAGE, build_feedback
from revisewise.marking.model import Embedder, Encoded, load_classifier
from revisewise.marking.types import (
    Evidence,
    GradeBand,
    Label,
    MarkingRequest,
    MarkResult,
    MisconceptionShown,
    PointVerdict,
    Verdict,
)

if TYPE_CHECKING:
    from numpy.typing import NDArray

ENGINE_NAME = "revisewise-feature-marker"
ENGINE_VERSION = "2.5.1"
MAX_ANSWER_CHARS = adversarial.MAX_ANSWER_CHARS
MET_THRESHOLD = 0.6
PARTLY_THRESHOLD = 0.45
MISCONCEPTION_THRESHOLD = 0.68
# Items with marking points (written items): since 2.2.0 the "correct" decision is a small
# logistic model per path (calibration.py, artefacts/written_calibration.json) over logits of
# P(correct) against the request's texts: the points (scaled by the item's baseline P_item, the
# mean P(correct) of its own points, each marked as if it were the answer, for items with points
# alone), the references, the model answer and each point alone; since 2.3.0 also the answer
# against each of the unit's misconceptions and its correction; since 2.4.0, for items with
# points alone, the answer's feature row against the points less length (a model fitted on four
# authors' product-shaped answers and padded copies, instead of the SemEval-trained classifier's
# verdict); since 2.5.0 answers compared with a written model answer and no marking points
# (calibration.reads_like_model_answer) are decided the same way, against the references. Chosen
# by cross-validation by question and by author (docs/marking.md, "Written-item calibration").
# The points' verdicts are shown as evidence; they do not veto a correct label.
# The baseline counts at least this much (a guard, not chosen on data: the development items'
# baselines were 0.41 to 0.99).
SCHEME_BASELINE_FLOOR = 0.25
# Item baselines kept per process, like the encoded texts.
BASELINE_CACHE_SIZE = 2048
# A marking point with several ideas (text.point_ideas) is met when the ideas' credit (met 1,
# partly met 0.5, each judged like a point) averages at least two thirds ("mostly covered"), and
# partly met from one third ("some are"), wherever in the answer each idea is covered.
IDEAS_MET_SHARE = 2 / 3
IDEAS_PARTLY_SHARE = 1 / 3
VERDICT_CREDIT: dict[Verdict, float] = {"met": 1.0, "partly_met": 0.5, "not_met": 0.0}
OFF_TOPIC_COSINE = 0.15
# A correct answer earns at least this share of the marks, so its grade band is at least a pass.
CORRECT_SCORE_FLOOR = 0.5
# At most this many sentences and clauses are compared with the points (long answers are grouped
# into windows of sentences, see text.capped_clauses), which bounds the encoder work per answer.
MAX_SPANS = 24
LABEL_ORDER: tuple[Label, ...] = ("correct", "contradictory", "incorrect")


@dataclass(frozen=True)
class _Spans:
    """One answer's clauses with their pooled vectors, and the request's text vectors."""

    spans: list[t.Span]
    matrix: NDArray[np.float32]
    vectors: dict[str, NDArray[np.float32]]

    @classmethod
    def build(
        cls, spans: list[t.Span], answer: Encoded, vectors: dict[str, NDArray[np.float32]]
    ) -> _Spans:
        rows = [answer.span_vector(s.start, s.end) for s in spans]
        matrix = np.stack(rows) if rows else np.zeros((0, answer.vector.shape[0]), np.float32)
        return cls(spans=spans, matrix=matrix, vectors=vectors)

    def only(self, span: t.Span) -> _Spans:
        index = self.spans.index(span)
        return _Spans(spans=[span], matrix=self.matrix[index : index + 1], vectors=self.vectors)


class MarkingEngine:
    """Mark answers with one embedding model and one trained classifier, loaded once."""

    def __init__(
        self,
        *,
        embedder: Embedder | None = None,
        classifier: Any = None,
        manifest: dict[str, Any] | None = None,
        calibration: Calibration | None = None,
    ) -> None:
        if classifier is None:
            classifier, manifest = load_classifier()
        self.embedder = embedder or Embedder()
        self.classifier = classifier
        self.manifest = manifest or {}
        self.calibration = calibration or load_calibration()
        self.correct_threshold = float(self.manifest.get("correct_threshold", 0.5))
        names = self.manifest.get("features") or list(features.FEATURE_NAMES)
        self._columns = [features.ALL_FEATURES.index(n) for n in names]
        self._baselines: OrderedDict[tuple[str, tuple[str, ...], tuple[str, ...]], float] = (
            OrderedDict()
        )
        self._baselines_lock = threading.Lock()
        self.baseline_computations = 0

    def warm(self) -> None:
        """Load the embedding model and run one tiny answer through every stage."""
        self.embedder.warm()
        self.mark(
            MarkingRequest(question="Warm up?", answer="Warm up.", reference_answers=("Up.",))
        )

    def mark(self, request: MarkingRequest) -> MarkResult:
        """Return the mark for one answer; the same request always gives the same result."""
        if len(request.answer) > MAX_ANSWER_CHARS:
            message = TOO_LONG_MESSAGE.format(limit=MAX_ANSWER_CHARS)
            return self._zero(request, ("too_long",), message)
        cleaned, injected = adversarial.strip_injection(request.answer)
        flags: list[str] = ["injection_attempt"] if injected else []
        if not t.words(cleaned):
            return self._zero(request, (*flags, "empty"))
        if adversarial.is_non_english(cleaned):
            return self._zero(request, (*flags, "non_english"))
        if adversarial.is_copied_question(cleaned, request.question):
            return self._zero(request, (*flags, "copied_question"))
        return self._mark_answer(request, cleaned, flags)

    def _mark_answer(self, request: MarkingRequest, answer: str, flags: list[str]) -> MarkResult:
        demoted = frozenset(t.stems(t.content_words(request.question)))
        capped = t.capped_clauses(answer, MAX_SPANS)
        points = request.marking_points
        # One batch for every text this answer needs: the answer is the only new text as a rule
        # (a question's references, points and misconceptions are cached), so one encoder pass.
        # The item's texts may come from the persistent cache; the answer never goes to disk.
        item_texts = self.item_texts(request)
        encoded = self.embedder.encode([answer, *item_texts], persist=item_texts)
        a_enc = encoded[answer]
        clause_spans = features.answer_clause_spans(answer)
        full = features.extract_encoded(
            encoded.get(request.question),
            [encoded[r] for r in request.references],
            a_enc,
            clause_spans,
        )
        # The written-item decision's extra comparisons (the model answer or each point as the
        # only reference) go through the classifier in the same call as the answer's own row.
        others = self._signal_texts(request)
        rows = [full[self._columns]]
        if others:
            each = features.extract_each(
                encoded.get(request.question),
                [encoded[text] for text in others],
                a_enc,
                clause_spans,
            )
            rows += [r[self._columns] for r in each]
        all_probabilities = self._probabilities_rows(np.stack(rows))
        probabilities = all_probabilities[0]
        p_others = dict(zip(others, all_probabilities[1:], strict=True))
        spans = _Spans.build(capped, a_enc, {text: item.vector for text, item in encoded.items()})
        windows = _Spans.build(_idea_spans(answer, capped), a_enc, spans.vectors)
        verdicts = tuple(self._verdict(p, spans, windows, demoted) for p in points)
        if self._is_off_topic(full):
            return self._zero(request, (*flags, "off_topic"), verdicts=verdicts)
        shown = self._misconceptions(request, spans)
        signals: dict[str, float] = {}
        written_correct: bool | None = None
        # The P(correct) the score starts from: for a written item, the calibrated decision's.
        p_score = probabilities["correct"]
        path: str | None = None
        if points:
            scheme_only = not request.reference_answers
            baseline = self.item_baseline(request) if scheme_only else 1.0
            signals = self._signals(request, probabilities, p_others, baseline)
            # The answer's feature row against what it is compared with (the points joined, or
            # the references), less length: the 2.4.0 written-item model reads it directly.
            signals.update(calibration.feature_row_signals(full))
            signals["path_scheme"] = float(scheme_only)
            path = path_of(
                has_references=not scheme_only, has_model_answer=bool(request.model_answer)
            )
        elif calibration.reads_like_model_answer(request.references):
            # No marking points, but a paragraph to compare with (a written item's model answer,
            # not a one-line key): the model fitted on answers marked that way decides.
            signals = {
                "p_correct": logit(probabilities["correct"]),
                **calibration.feature_row_signals(full),
            }
            path = "long_references"
        if path is not None:
            p_written = self.calibration.probability(path, signals)
            written_correct = p_written >= self.calibration.decision_probability
            p_score = p_written
            signals["p_written"] = p_written
        label = self._label(probabilities, verdicts, shown, written_correct=written_correct)
        score = self._score(p_score, verdicts, label)
        # A point's ideas are judged one by one, so a list of the ideas' words is a bare list too.
        ideas = tuple(idea for point in points for idea in t.point_ideas(point))
        if adversarial.is_bare_list(answer, points) or (
            len(ideas) > len(points) and adversarial.is_bare_list(answer, ideas)
        ):
            flags.append("bare_list")
            label = "partially_correct" if label == "correct" else label
            score = min(score, 0.5)
        band = self._band(request, score, label, spans)
        feedback = build_feedback(
            request=request,
            verdicts=verdicts,
            shown=shown,
            flags=tuple(flags),
            is_correct=label == "correct",
        )
        return MarkResult(
            label=label,
            score=round(score, 4),
            point_verdicts=verdicts,
            misconceptions_shown=shown,
            grade_band=band,
            feedback=feedback,
            flags=tuple(flags),
            engine_name=ENGINE_NAME,
            engine_version=ENGINE_VERSION,
            probabilities={k: round(v, 4) for k, v in probabilities.items()},
            signals={k: round(v, 4) for k, v in signals.items()},
        )

    def item_texts(self, request: MarkingRequest) -> list[str]:
        """Return every text an answer to this item is marked against (not the answer): the
        question, references, points and their ideas, the model answer, the distinction
        criteria and the misconceptions with their corrections, in the order they are encoded."""
        points = request.marking_points
        return [
            *(x for x in (request.question, *request.references) if x),
            *points,
            *(i for point in points for i in t.point_ideas(point)),
            *self._signal_texts(request),
            *request.distinction_criteria,
            *(m.statement for m in request.misconceptions),
            *(m.correction for m in request.misconceptions),
        ]

    def warm_item(self, request: MarkingRequest) -> int:
        """Encode the item's texts into the caches (memory and persistent) ahead of its answers;
        return how many texts that is. Cheap when they are already stored."""
        texts = self.item_texts(request)
        self.embedder.encode(texts, persist=texts)
        self.embedder.store(texts)  # texts this process had in memory but not on disk
        return len(dict.fromkeys(t for t in texts if t))

    def _signal_texts(self, request: MarkingRequest) -> list[str]:
        """Return the texts an answer to a written item is also compared with alone: the model
        answer, each point, and each of the unit's misconceptions and its correction."""
        if not request.marking_points:
            return []
        texts: list[str] = []
        if request.model_answer:
            texts.append(request.model_answer)
        texts.extend(request.marking_points)
        for item in request.misconceptions:
            texts.extend((item.statement, item.correction))
        return list(dict.fromkeys(texts))

    def _signals(
        self,
        request: MarkingRequest,
        probabilities: dict[str, float],
        p_others: dict[str, dict[str, float]],
        baseline: float,
    ) -> dict[str, float]:
        """Return the written-item decision's inputs (calibration.SIGNALS), all logits; a signal
        whose texts were not compared falls back to P(correct) against the references, and the
        misconception signals are left out for an item without misconceptions (the calibration
        then holds them at their development mean)."""
        p_correct = logit(probabilities["correct"])
        model_answer = request.model_answer
        p_points = [logit(p_others[p]["correct"]) for p in request.marking_points if p in p_others]
        signals = {
            "p_correct": p_correct,
            "p_correct_item": p_correct - 0.5 * float(np.log(max(SCHEME_BASELINE_FLOOR, baseline))),
            "p_model_answer": logit(p_others[model_answer]["correct"])
            if model_answer and model_answer in p_others
            else p_correct,
            "p_point_min": min(p_points) if p_points else p_correct,
            "log_points": float(np.log(len(request.marking_points))),
        }
        pairs = [
            (p_others[m.statement], p_others[m.correction])
            for m in request.misconceptions
            if m.statement in p_others and m.correction in p_others
        ]
        if pairs:
            # Agreeing with a misconception more than with its correction is a sign of a wrong
            # answer; contradicting a misconception, a sign of a right one.
            signals["mis_agree"] = max(
                logit(statement["correct"]) - logit(correction["correct"])
                for statement, correction in pairs
            )
            signals["mis_contradicts"] = max(
                logit(statement["contradictory"]) for statement, _ in pairs
            )
        return signals

    def item_baseline(self, request: MarkingRequest) -> float:
        """Return the item's baseline P(correct): its own marking points, each marked as if it
        were the answer against what the answers are compared with, averaged. Computed once per
        item and process (the texts are already encoded and cached, so no encoder pass)."""
        key = (request.question, request.references, request.marking_points)
        with self._baselines_lock:
            if key in self._baselines:
                self._baselines.move_to_end(key)
                return self._baselines[key]
        points = request.marking_points
        texts = [request.question, *request.references, *points]
        encoded = self.embedder.encode(texts, persist=texts)
        refs = [encoded[r] for r in request.references]
        values = []
        for point in points:
            full = features.extract_encoded(
                encoded.get(request.question),
                refs,
                encoded[point],
                features.answer_clause_spans(point),
            )
            values.append(self._probabilities(full[self._columns])["correct"])
        baseline = float(np.mean(values)) if values else 1.0
        with self._baselines_lock:
            self.baseline_computations += 1
            self._baselines[key] = baseline
            while len(self._baselines) > BASELINE_CACHE_SIZE:
                self._baselines.popitem(last=False)
        return baseline

    def _probabilities(self, row: NDArray[np.float64]) -> dict[str, float]:
        return self._probabilities_rows(row.reshape(1, -1))[0]

    def _probabilities_rows(self, rows: NDArray[np.float64]) -> list[dict[str, float]]:
        # A few rows need no threads; OpenMP workers spinning up per call cost more than they
        # save and stall for whole seconds when other processes hold the cores.
        with _threadpools().limit(limits=1):
            proba = self.classifier.predict_proba(rows)
        classes = [str(c) for c in self.classifier.classes_]
        index = [classes.index(label) for label in LABEL_ORDER]
        return [
            {label: float(p[i]) for label, i in zip(LABEL_ORDER, index, strict=True)} for p in proba
        ]

    def _label(
        self,
        probabilities: dict[str, float],
        verdicts: tuple[PointVerdict, ...],
        shown: tuple[MisconceptionShown, ...],
        *,
        written_correct: bool | None = None,
    ) -> Label:
        label: Label = "correct"
        if written_correct is not None:
            # A written item (marking points): the calibrated decision (calibration.py). Assessor
            # criteria read unlike answers, so P(correct) against them runs low, by how much
            # depends on the item; the calibration weighs it with the other signals.
            if not written_correct:
                label = max(("contradictory", "incorrect"), key=lambda k: probabilities[k])
        elif probabilities["correct"] < self.correct_threshold:
            label = max(("contradictory", "incorrect"), key=lambda k: probabilities[k])
        if shown and label != "incorrect":
            return "contradictory"
        if label == "incorrect" and (
            probabilities["correct"] >= 0.3 or any(v.verdict != "not_met" for v in verdicts)
        ):
            return "partially_correct"
        return label

    def _score(self, p_correct: float, verdicts: tuple[PointVerdict, ...], label: Label) -> float:
        """Return the share of the marks: P(correct) (the calibrated one for a written item)
        averaged with the points' coverage, capped for a contradiction, floored for a correct
        answer."""
        score = p_correct
        if verdicts:
            score = 0.5 * score + 0.5 * _coverage(verdicts)
        if label == "contradictory":
            score = min(score, 0.3)
        if label == "correct":
            # The label is the verdict; its share of the marks must not read as a fail beside
            # it ("Correct: 38% of the marks (Not yet a pass)" was seen on the demo).
            score = max(score, CORRECT_SCORE_FLOOR)
        return float(min(1.0, max(0.0, score)))

    def _verdict(
        self, point: str, spans: _Spans, windows: _Spans, demoted: frozenset[str]
    ) -> PointVerdict:
        """Judge one point as a whole against single clauses, and idea by idea against clauses
        and windows of adjacent sentences; the better of the two verdicts stands."""
        best, similarity = self._best_span(point, spans, demoted)
        verdict = _grade(similarity)
        evidence = _evidence(best) if best is not None and verdict != "not_met" else None
        ideas = t.point_ideas(point)
        if len(ideas) == 1:
            found = (evidence,) if evidence else ()
            return PointVerdict(point, verdict, evidence, round(similarity, 4), found)
        covering: list[tuple[t.Span, Verdict]] = []
        share = 0.0
        for idea in ideas:
            span, idea_similarity = self._best_span(idea, windows, demoted)
            grade = _grade(idea_similarity)
            share += VERDICT_CREDIT[grade] / len(ideas)
            if span is not None and grade != "not_met":
                covering.append((span, grade))
        by_ideas = _grade_share(share)
        if VERDICT_CREDIT[by_ideas] > VERDICT_CREDIT[verdict]:
            verdict = by_ideas
            evidence = _evidence(max(covering, key=lambda pair: VERDICT_CREDIT[pair[1]])[0])
        spans_found = {(s.start, s.end): _evidence(s) for s, _ in covering}
        if evidence is not None:
            spans_found.setdefault((evidence.start, evidence.end), evidence)
        return PointVerdict(
            point=point,
            verdict=verdict,
            evidence=evidence,
            similarity=round(similarity, 4),
            evidence_spans=tuple(spans_found[k] for k in sorted(spans_found)) if evidence else (),
            ideas_covered=round(share, 4),
        )

    def _best_span(
        self, target: str, spans: _Spans, demoted: frozenset[str] = frozenset()
    ) -> tuple[t.Span | None, float]:
        if not spans.spans:
            return None, 0.0
        target_vec = spans.vectors.get(target)
        if target_vec is None:
            target_vec = self.embedder.get(target).vector
        target_stems = set(_span_stems(target))
        # Question demoting: words the question already gives away are no evidence of knowledge.
        target_stems = (target_stems - demoted) or target_stems
        cosines = spans.matrix @ target_vec
        best: t.Span | None = None
        best_sim = 0.0
        for span, cosine in zip(spans.spans, cosines.tolist(), strict=True):
            span_stems = _span_stems(span.text)
            recall = len(span_stems & target_stems) / len(target_stems) if target_stems else 0.0
            similarity = max(cosine, 0.5 * cosine + 0.5 * recall)
            if similarity > best_sim + 1e-9:
                best, best_sim = span, similarity
        return best, best_sim

    def _misconceptions(
        self, request: MarkingRequest, spans: _Spans
    ) -> tuple[MisconceptionShown, ...]:
        shown: list[MisconceptionShown] = []
        for item in request.misconceptions:
            span, similarity = self._best_span(item.statement, spans)
            if span is None or similarity < MISCONCEPTION_THRESHOLD:
                continue
            _, to_correction = self._best_span(item.correction, spans.only(span))
            if similarity > to_correction:
                evidence = Evidence(start=span.start, end=span.end, text=span.text)
                shown.append(MisconceptionShown(misconception=item, evidence=evidence))
        return tuple(shown)

    def _is_off_topic(self, row: NDArray[np.float64]) -> bool:
        names = features.ALL_FEATURES
        cos_ref = row[names.index("cos_max")]
        cos_question = row[names.index("cos_question")]
        overlap = row[names.index("uni_r")] + row[names.index("question_overlap")]
        return bool(max(cos_ref, cos_question) < OFF_TOPIC_COSINE and overlap == 0.0)

    def _band(
        self, request: MarkingRequest, score: float, label: Label, spans: _Spans
    ) -> GradeBand | None:
        if not request.pass_criteria and not request.distinction_criteria:
            return None
        if label in ("incorrect", "contradictory") or score < 0.5:
            return "fail"
        criteria = request.distinction_criteria
        demoted = frozenset(t.stems(t.content_words(request.question)))
        meets = all(self._best_span(c, spans, demoted)[1] >= MET_THRESHOLD for c in criteria)
        if label == "correct" and score >= 0.75 and criteria and meets:
            return "distinction"
        return "pass"

    def _zero(
        self,
        request: MarkingRequest,
        flags: tuple[str, ...],
        message: str | None = None,
        verdicts: tuple[PointVerdict, ...] | None = None,
    ) -> MarkResult:
        if verdicts is None:
            verdicts = tuple(
                PointVerdict(point=p, verdict="not_met", evidence=None, similarity=0.0)
                for p in request.marking_points
            )
        else:
            verdicts = tuple(
                PointVerdict(
                    point=v.point, verdict="not_met", evidence=None, similarity=v.similarity
                )
                for v in verdicts
            )
        band: GradeBand | None = (
            "fail" if request.pass_criteria or request.distinction_criteria else None
        )
        feedback = message or build_feedback(
            request=request, verdicts=verdicts, shown=(), flags=flags, is_correct=False
        )
        return MarkResult(
            label="incorrect",
            score=0.0,
            point_verdicts=verdicts,
            misconceptions_shown=(),
            grade_band=band,
            feedback=feedback,
            flags=flags,
            engine_name=ENGINE_NAME,
            engine_version=ENGINE_VERSION,
        )


def _coverage(verdicts: tuple[PointVerdict, ...]) -> float:
    """Return the share of the points covered: met counts 1, partly met 0.5."""
    return sum(VERDICT_CREDIT[v.verdict] for v in verdicts) / len(verdicts)


def _idea_spans(answer: str, capped: list[t.Span]) -> list[t.Span]:
    """Return where a point's ideas are looked for: the clauses, their parts between
    connectives, and pairs of adjacent sentences (unless the answer is long enough to be capped,
    when the capped spans already group sentences)."""
    if len(capped) >= MAX_SPANS:
        return capped
    extra = [*t.connective_pieces(answer, capped), *t.sentence_windows(answer)]
    return list(dict.fromkeys([*capped, *extra]))


def _grade(similarity: float) -> Verdict:
    if similarity >= MET_THRESHOLD:
        return "met"
    if similarity >= PARTLY_THRESHOLD:
        return "partly_met"
    return "not_met"


def _grade_share(share: float) -> Verdict:
    if share >= IDEAS_MET_SHARE - 1e-9:
        return "met"
    if share >= IDEAS_PARTLY_SHARE - 1e-9:
        return "partly_met"
    return "not_met"


def _evidence(span: t.Span) -> Evidence:
    return Evidence(start=span.start, end=span.end, text=span.text)


@functools.lru_cache(maxsize=1)
def _threadpools() -> ThreadpoolController:
    return ThreadpoolController()


@functools.lru_cache(maxsize=4096)
def _span_stems(text: str) -> frozenset[str]:
    return frozenset(t.stems(t.content_words(text)))


@functools.lru_cache(maxsize=1)
def get_engine() -> MarkingEngine:
    """Return the process-wide engine, loading the model and classifier on first use."""
    return MarkingEngine()


def mark(request: MarkingRequest) -> MarkResult:
    """Mark one answer with the cached engine."""
    return get_engine().mark(request)
