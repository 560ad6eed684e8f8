"""Fit the written-item decision (calibration.py) on the customer-service development sets."""

from __future__ import annotations

import dataclasses
from typing import Any

from django.core.management.base import BaseCommand, CommandParser

from revisewise.marking import calibration
from revisewise.marking.calibration import CANDIDATES, EVAL_DIR, FEATURES, PATHS, Row, padded
from revisewise.marking.types import MarkingRequest


class Command(BaseCommand):
    help = (
        "Mark every answer of the customer-service development sets, fit the written-item "
        "decision per path and write artefacts/written_calibration.json."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument(
            "--cross-validate",
            action="store_true",
            help="print the leave-one-question-out table of the candidates instead of fitting",
        )

    def handle(self, *args: Any, **options: Any) -> None:
        rows = development_rows(check_padding=options["cross_validate"])
        if options["cross_validate"]:
            self.stdout.write(
                "2-way macro-F1 per path: leave-one-question-out, then leave-one-author-out "
                "[each set's rows]:"
            )
            for path in PATHS:
                path_rows = calibration.rows_of(rows, path)
                for features in CANDIDATES[path]:
                    by_question, by_author = _cross_validate(path_rows, features, path)
                    passes, turned_down = _padding_passes(
                        path_rows, calibration.leave_one_author_out(path_rows, features), path
                    )
                    chosen = " (shipped)" if features == FEATURES[path] else ""
                    self.stdout.write(
                        f"{path:>22} {_describe(features):<62} "
                        f"{by_question['all']:.3f} {by_author['all']:.3f}  "
                        f"padded wrong answers passed {passes}/{turned_down}  "
                        f"[{_sets(by_question)}] [{_sets(by_author)}]{chosen}"
                    )
            return
        scores: dict[str, float] = {}
        author_scores: dict[str, float] = {}
        n: dict[str, int] = {}
        for path in PATHS:
            path_rows = calibration.rows_of(rows, path)
            by_question, by_author = _cross_validate(path_rows, FEATURES[path], path)
            for name, value in by_question.items():
                scores[path if name == "all" else f"{path}: {name}"] = round(value, 4)
            for name, value in by_author.items():
                author_scores[path if name == "all" else f"{path}: {name}"] = round(value, 4)
            n[path] = len(path_rows)
        calibration.save(calibration.fit(rows), scores=scores, author_scores=author_scores, n=n)
        self.stdout.write(
            f"Fitted the written-item decision on {len(rows)} answers "
            f"(2-way macro-F1 leave-one-question-out: {scores}; leave-one-author-out: "
            f"{author_scores}); wrote revisewise/marking/artefacts/written_calibration.json."
        )


def development_rows(*, check_padding: bool = False) -> list[Row]:
    """Mark every development answer once with the engine and return its decision inputs;
    answers the guards mark zero (empty, off topic, ...) never reach the decision and are left
    out. Each answer marked without references or without points (a written item, or data of the
    shared format against its references or model answer alone) is also marked padded with
    calibration.PADDING, and with PADDING_CHECK when `check_padding`."""
    from revisewise.marking.engine import MarkingEngine
    from revisewise.marking.evaluation import request_for
    from revisewise.marking.training import read_jsonl

    # The signals do not depend on the calibration, so the artefact is not needed to refit it.
    engine = MarkingEngine(calibration=calibration.neutral())
    rows: list[Row] = []
    for name in calibration.DEVELOPMENT_FILES:
        for example in read_jsonl(EVAL_DIR / name):
            request = request_for(example)
            marked = [(request, name)]
            if request.reference_answers:
                # Also as a written item of the product: its points and model answer alone.
                alone = dataclasses.replace(request, reference_answers=())
                marked.append((alone, f"{name} without references"))
            # And as data in the shared format, with no marking points: its references alone,
            # and its model answer alone.
            bare = [(refs, "references") for refs in (example.given_references,) if refs]
            if example.model_answer and name not in calibration.GUIDANCE_MODEL_ANSWERS:
                bare.append(((example.model_answer,), "model answer"))
            marked += [
                (
                    MarkingRequest(
                        question=example.question, answer=example.answer, reference_answers=refs
                    ),
                    f"{name} {kind} alone",
                )
                for refs, kind in bare
            ]
            for each, source in marked:
                copies = [("", each)]
                if not each.reference_answers or not each.marking_points:
                    key = f"{source}: {example.answer_id}"
                    banks = [("fitted", calibration.PADDING)]
                    if check_padding:
                        banks.append(("check", calibration.PADDING_CHECK))
                    copies += [
                        (padding, dataclasses.replace(each, answer=padded(each.answer, key, bank)))
                        for padding, bank in banks
                    ]
                for padding, request_copy in copies:
                    result = engine.mark(request_copy)
                    if not result.signals:
                        continue
                    rows.append(
                        Row(
                            path=_path(each, result.signals),
                            question_id=example.question_id,
                            correct=example.label_2way == "correct",
                            signals=dict(result.signals),
                            source=source,
                            answer_id=example.answer_id,
                            padding=padding,
                        )
                    )
    return rows


def _path(request: MarkingRequest, signals: dict[str, float]) -> str:
    """Return the path that decided a development answer."""
    if not request.marking_points:
        return "long_references"
    return "scheme" if signals["path_scheme"] else "references"


def _cross_validate(
    rows: list[Row], features: tuple[str, ...], path: str
) -> tuple[dict[str, float], dict[str, float]]:
    """Return the 2-way macro-F1 of the decisions left out by question and by author, on all the
    path's own rows ("all") and on each development set's rows."""
    return (
        _scores(rows, calibration.leave_one_question_out(rows, features), path),
        _scores(rows, calibration.leave_one_author_out(rows, features), path),
    )


def _own(row: Row, path: str) -> bool:
    """Return whether a row is the path's own (not another path's rows it is also fitted on)."""
    return row.path == calibration.FITTED_ON_ROWS_OF[path][0]


def _scores(rows: list[Row], decided: list[bool], path: str) -> dict[str, float]:
    """Score the path's own answers as written (padded copies are not scored)."""
    kept = [(r, d) for r, d in zip(rows, decided, strict=True) if not r.padding and _own(r, path)]
    out = {"all": calibration.macro_f1_2way([r.correct for r, _ in kept], [d for _, d in kept])}
    for source in dict.fromkeys(r.source for r, _ in kept):
        pairs = [(r.correct, d) for r, d in kept if r.source == source]
        out[source] = calibration.macro_f1_2way([g for g, _ in pairs], [d for _, d in pairs])
    return out


def _padding_passes(rows: list[Row], decided: list[bool], path: str) -> tuple[int, int]:
    """Return how many wrong answers the decision turned down that it passes once padded with
    the check bank, and how many it turned down (each answer's fold decides both)."""
    check = {
        (r.source, r.answer_id): d
        for r, d in zip(rows, decided, strict=True)
        if r.padding == "check"
    }
    turned_down = [
        (r.source, r.answer_id)
        for r, d in zip(rows, decided, strict=True)
        if not r.padding
        and _own(r, path)
        and not r.correct
        and not d
        and (r.source, r.answer_id) in check
    ]
    return sum(check[key] for key in turned_down), len(turned_down)


def _describe(features: tuple[str, ...]) -> str:
    """Name a candidate's inputs, the feature row as one item."""
    row = calibration.FEATURE_ROW
    rest = [f for f in features if f not in row]
    names = ([f"feature row ({len(row)})"] if set(row) <= set(features) else []) + rest
    return " + ".join(names)


def _sets(scores: dict[str, float]) -> str:
    return "  ".join(f"{k} {v:.3f}" for k, v in scores.items() if k != "all")
