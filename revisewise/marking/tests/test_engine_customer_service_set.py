from __future__ import annotations

import io
import json
from collections import Counter
from pathlib import Path

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError

from revisewise.marking.evaluation import request_for
from revisewise.marking.training import read_jsonl

CUSTOMER_SERVICE = Path(__file__).resolve().parents[1] / "eval" / "customer_service.jsonl"


def test_the_customer_service_set_is_complete_and_labelled():
    examples = read_jsonl(CUSTOMER_SERVICE)
    assert len(examples) >= 120
    rows = [json.loads(line) for line in CUSTOMER_SERVICE.read_text(encoding="utf-8").splitlines()]
    labels = Counter(row["label"] for row in rows)
    assert set(labels) == {"correct", "partially_correct", "incorrect", "contradictory"}
    for row in rows:
        assert row["label_2way"] == ("correct" if row["label"] == "correct" else "incorrect")
        assert row["marking_points"]
        assert row["question"]
        assert row["answer"].strip()
        for point in row["marking_points"]:
            assert point not in row["answer"]  # learner-style answers, not the scheme pasted
    # Held-out questions never share a question with the development half.
    dev = {e.question_id for e in examples if e.split == "dev"}
    test = {e.question_id for e in examples if e.split == "test"}
    assert dev
    assert test
    assert not dev & test


def test_rows_with_marking_points_are_marked_as_a_written_item_would_be():
    example = read_jsonl(CUSTOMER_SERVICE)[0]
    request = request_for(example)
    assert request.marking_points == example.marking_points
    assert request.misconceptions == example.misconceptions
    assert request.references == (" ".join(example.marking_points),)


def test_evaluate_marker_marks_only_the_requested_split(engine, tmp_path):
    lines = CUSTOMER_SERVICE.read_text(encoding="utf-8").splitlines()
    dev = [line for line in lines if json.loads(line)["split"] == "dev"]
    test = [line for line in lines if json.loads(line)["split"] == "test"]
    path = tmp_path / "cs.jsonl"
    path.write_text("\n".join(dev[:4] + test[:3]) + "\n", encoding="utf-8")
    out = io.StringIO()
    call_command("evaluate_marker", "--dataset", str(path), "--split", "test", "--json", stdout=out)
    data = json.loads(out.getvalue().strip().splitlines()[-1])
    assert data["n"] == 3
    with pytest.raises(CommandError, match="No answers"):
        call_command("evaluate_marker", "--dataset", str(path), "--split", "nope", stdout=out)
