"""Measure the engine against human labels: F1, accuracy, latency percentiles and peak memory."""

from __future__ import annotations

import resource
import sys
import time
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any

from revisewise.marking.engine import ENGINE_NAME, ENGINE_VERSION, MarkingEngine, get_engine
from revisewise.marking.training import Example, read_jsonl
from revisewise.marking.types import MarkingRequest, MarkResult

if TYPE_CHECKING:
    from collections.abc import Callable


@dataclass(frozen=True)
class Evaluation:
    """Metrics for one dataset; the 3-way fields are None when the data has no 3-way labels."""

    n: int
    engine: str
    macro_f1_3way: float | None
    weighted_f1_3way: float | None
    accuracy_3way: float | None
    macro_f1_2way: float | None
    weighted_f1_2way: float | None
    accuracy_2way: float | None
    latency_ms_p50: float
    latency_ms_p95: float
    peak_rss_mb: float
    load_seconds: float
    # "off": the engine measured cold, as a new process with no persistent encoding cache;
    # "on": item texts may come from MARKING_ENCODING_CACHE_DIR, filled by an earlier process.
    encoding_cache: str = "off"

    def as_dict(self) -> dict[str, Any]:
        """Return the metrics as JSON-ready data, leaving out metrics the data cannot support."""
        return {k: v for k, v in self.__dict__.items() if v is not None}


def to_3way(label: str) -> str:
    """Fold the engine's four labels into SemEval's three (partially correct is incorrect)."""
    return "incorrect" if label == "partially_correct" else label


def request_for(example: Example) -> MarkingRequest:
    """Build the request a written item would send: points and misconceptions when the row has
    them (as in revisewise/marking/eval/), else the references alone (SemEval, SAF)."""
    if not example.marking_points:
        return MarkingRequest(
            question=example.question, answer=example.answer, reference_answers=example.references
        )
    return MarkingRequest(
        question=example.question,
        answer=example.answer,
        marking_points=example.marking_points,
        reference_answers=example.given_references,
        misconceptions=example.misconceptions,
        model_answer=example.model_answer,
    )


def evaluate_dataset(
    path: Path,
    *,
    limit: int | None = None,
    engine: MarkingEngine | None = None,
    split: str | None = None,
    warm_cache: bool = False,
    on_each: Callable[[Example, MarkResult], None] | None = None,
) -> Evaluation:
    """Mark every answer in a JSONL file (or one `split` of it) and compare with human labels.

    The persistent encoding cache is off unless `warm_cache`, so latency is the engine's own
    first pass over each item (nothing read from, or written to, the cache's files).
    `on_each` receives each answer's example and mark, after it is timed.
    """
    from sklearn.metrics import accuracy_score, f1_score

    examples = read_jsonl(path)
    if split:
        examples = [e for e in examples if e.split == split]
    examples = examples[:limit] if limit else examples
    started = time.perf_counter()
    engine = engine or get_engine()
    cache_dir = engine.embedder.cache_dir
    engine.embedder.cache_dir = cache_dir if warm_cache else ""
    try:
        engine.warm()
        load_seconds = time.perf_counter() - started
        predicted: list[str] = []
        latencies: list[float] = []
        for example in examples:
            tick = time.perf_counter()
            result = engine.mark(request_for(example))
            latencies.append((time.perf_counter() - tick) * 1000)
            predicted.append(to_3way(result.label))
            if on_each is not None:
                on_each(example, result)
    finally:
        engine.embedder.cache_dir = cache_dir
    # A file may label partial answers "partially_correct" (four labels); SemEval counts them
    # as incorrect, and so does the engine's side (to_3way), so both sides are folded alike.
    gold3 = [to_3way(e.label_3way) if e.label_3way else None for e in examples]
    gold2 = [e.label_2way for e in examples]
    pred2 = ["correct" if p == "correct" else "incorrect" for p in predicted]
    has3 = bool(examples) and all(g is not None for g in gold3)
    has2 = bool(examples) and all(g is not None for g in gold2)
    return Evaluation(
        n=len(examples),
        engine=f"{ENGINE_NAME} {ENGINE_VERSION}",
        macro_f1_3way=_r(f1_score(gold3, predicted, average="macro")) if has3 else None,
        weighted_f1_3way=_r(f1_score(gold3, predicted, average="weighted")) if has3 else None,
        accuracy_3way=_r(accuracy_score(gold3, predicted)) if has3 else None,
        macro_f1_2way=_r(f1_score(gold2, pred2, average="macro")) if has2 else None,
        weighted_f1_2way=_r(f1_score(gold2, pred2, average="weighted")) if has2 else None,
        accuracy_2way=_r(accuracy_score(gold2, pred2)) if has2 else None,
        latency_ms_p50=_r(_percentile(latencies, 50)),
        latency_ms_p95=_r(_percentile(latencies, 95)),
        peak_rss_mb=_r(peak_rss_mb()),
        load_seconds=_r(load_seconds),
        encoding_cache="on" if warm_cache and engine.embedder.cache_directory() else "off",
    )


def peak_rss_mb() -> float:
    """Return this process's peak resident memory in MB (ru_maxrss is KB on Linux, B on macOS)."""
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    return peak / (1024 * 1024) if sys.platform == "darwin" else peak / 1024


def _percentile(values: list[float], q: float) -> float:
    if not values:
        return 0.0
    ordered = sorted(values)
    index = min(len(ordered) - 1, max(0, round(q / 100 * (len(ordered) - 1))))
    return ordered[index]


def _r(value: float) -> float:
    return round(float(value), 4)
