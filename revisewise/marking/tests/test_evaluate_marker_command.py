from __future__ import annotations

import io
import json

from django.core.management import call_command

REQUIRED = {
    "n",
    "engine",
    "macro_f1_2way",
    "accuracy_2way",
    "latency_ms_p50",
    "latency_ms_p95",
    "peak_rss_mb",
}
THREE_WAY = {"macro_f1_3way", "weighted_f1_3way", "accuracy_3way"}
QUESTION = "How did you separate the salt from the water?"
REFERENCE = ["The water was evaporated, leaving the salt."]


def _write(path, rows):
    path.write_text("\n".join(json.dumps(r) for r in rows) + "\n", encoding="utf-8")


def _run(path, *extra):
    out = io.StringIO()
    call_command("evaluate_marker", "--dataset", str(path), "--json", *extra, stdout=out)
    return json.loads(out.getvalue().strip().splitlines()[-1])


def test_it_reports_3way_and_2way_metrics_for_semeval_style_data(engine, tmp_path):
    path = tmp_path / "semeval.jsonl"
    rows = [
        {
            "question_id": "q1",
            "question": QUESTION,
            "reference_answers": REFERENCE,
            "answer": "Let the water evaporate and the salt is left behind.",
            "label_2way": "correct",
            "label_3way": "correct",
        },
        {
            "question_id": "q1",
            "question": QUESTION,
            "reference_answers": REFERENCE,
            "answer": "I used a magnet.",
            "label_2way": "incorrect",
            "label_3way": "incorrect",
        },
        {
            "question_id": "q1",
            "question": QUESTION,
            "reference_answers": REFERENCE,
            "answer": "The salt evaporated and left the water.",
            "label_2way": "incorrect",
            "label_3way": "contradictory",
        },
    ]
    _write(path, rows)
    data = _run(path)
    assert set(data) >= REQUIRED | THREE_WAY
    assert data["n"] == 3
    assert 0.0 <= data["macro_f1_3way"] <= 1.0
    assert data["latency_ms_p95"] >= data["latency_ms_p50"] > 0
    assert data["seen_in_training"] is False


def test_it_leaves_out_3way_metrics_and_maps_saf_labels_to_2way(engine, tmp_path):
    path = tmp_path / "saf.jsonl"
    rows = [
        {
            "question_id": "1",
            "question": QUESTION,
            "reference_answers": REFERENCE,
            "answer": "Evaporate the water so the salt stays behind.",
            "label": "Correct",
        },
        {
            "question_id": "1",
            "question": QUESTION,
            "reference_answers": [],
            "answer": "Filter it through paper.",
            "label": "Incorrect",
        },
        {
            "question_id": "1",
            "question": QUESTION,
            "reference_answers": [],
            "answer": "Boil it.",
            "label": "Partially correct",
        },
    ]
    _write(path, rows)
    data = _run(path, "--limit", "2")
    assert set(data) >= REQUIRED
    assert not THREE_WAY & set(data)
    assert data["n"] == 2


def test_it_folds_partially_correct_human_labels_into_incorrect_for_3way(engine, tmp_path):
    answers = [
        ("Let the water evaporate and the salt is left behind.", "correct", "correct"),
        ("You evaporate it.", "incorrect", "partially_correct"),
        ("Filter it through paper.", "incorrect", "incorrect"),
        ("The salt evaporates and the water stays.", "incorrect", "contradictory"),
    ]
    rows = [
        {
            "question_id": "q1",
            "question": QUESTION,
            "reference_answers": REFERENCE,
            "answer": answer,
            "label_2way": two,
            "label_3way": three,
        }
        for answer, two, three in answers
    ]
    four_labels, three_labels = tmp_path / "four.jsonl", tmp_path / "three.jsonl"
    _write(four_labels, rows)
    folded_labels = [three.replace("partially_correct", "incorrect") for _, _, three in answers]
    _write(
        three_labels, [{**row, "label_3way": t} for row, t in zip(rows, folded_labels, strict=True)]
    )

    folded, reference = _run(four_labels), _run(three_labels)

    for key in THREE_WAY | {"macro_f1_2way", "accuracy_2way"}:
        assert folded[key] == reference[key], key


def test_the_sets_the_written_item_calibration_was_fitted_on_count_as_seen(tmp_path):
    from revisewise.marking.calibration import DEVELOPMENT_FILES, EVAL_DIR
    from revisewise.marking.management.commands.evaluate_marker import _seen_in_training

    for name in DEVELOPMENT_FILES:
        assert _seen_in_training(EVAL_DIR / name)
    # A part of a set is another file: not what the calibration was fitted on.
    part = tmp_path / "part.jsonl"
    lines = (EVAL_DIR / DEVELOPMENT_FILES[0]).read_text(encoding="utf-8").splitlines()
    part.write_text("\n".join(lines[:3]) + "\n", encoding="utf-8")
    assert not _seen_in_training(part)


def test_it_writes_each_answers_mark_when_asked(engine, tmp_path):
    path = tmp_path / "parts.jsonl"
    rows = [
        {
            "answer_id": "a1",
            "question_id": "q1",
            "question": QUESTION,
            "reference_answers": REFERENCE,
            "answer": "Let the water evaporate and the salt is left behind.",
            "label_2way": "correct",
            "label_3way": "correct",
        },
        {
            "question_id": "q1",
            "question": QUESTION,
            "reference_answers": REFERENCE,
            "answer": "",
            "label_2way": "incorrect",
            "label_3way": "incorrect",
        },
    ]
    _write(path, rows)
    out = tmp_path / "predictions.jsonl"

    summary = _run(path, "--predictions", str(out))

    written = [json.loads(line) for line in out.read_text(encoding="utf-8").splitlines()]
    assert [w["answer_id"] for w in written] == ["a1", "line 2"]
    assert [w["label_3way"] for w in written] == ["correct", "incorrect"]
    assert written[1]["predicted"] == "incorrect"
    assert written[1]["flags"] == ["empty"]
    assert all(w["engine"] == summary["engine"] for w in written)
    # The summary is computed from the same marks the file holds.
    hits = sum(w["predicted_2way"] == w["label_2way"] for w in written)
    assert summary["accuracy_2way"] == hits / 2
