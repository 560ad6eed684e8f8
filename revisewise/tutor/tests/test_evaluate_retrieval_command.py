from __future__ import annotations

import json
from io import StringIO

import pytest
from django.core.management import CommandError, call_command


def _write(tmp_path, lines):
    path = tmp_path / "questions.jsonl"
    path.write_text("\n".join(json.dumps(line) for line in lines), encoding="utf-8")
    return path


def test_it_reports_recall_and_mrr_as_json(corpus, tmp_path):
    path = _write(
        tmp_path,
        [
            {
                "question": "what does NPS mean?",
                "unit": "Customer service performance",
                "section": "Key Concepts",
            },
            {
                "question": "are complaints bad?",
                "unit": "Customer journey knowledge",
                "sections": ["Misconceptions", "Exam Tips & Revision Strategies"],
            },
            {
                "question": "what is stock rotation?",
                "unit": "Customer journey knowledge",
                "section": "Before You Start",
            },
        ],
    )
    off_topic = tmp_path / "off_topic.jsonl"
    off_topic.write_text('{"question": "what is the capital of France?"}\n', encoding="utf-8")
    out = StringIO()
    call_command(
        "evaluate_retrieval", questions=str(path), off_topic=str(off_topic), json=True, stdout=out
    )
    report = json.loads(out.getvalue())
    assert report["questions"] == 3
    assert report["refusal_rate"] == 1.0
    assert report["recall_at_1"] == pytest.approx(2 / 3, abs=1e-3)
    assert report["recall_at_5"] == pytest.approx(2 / 3, abs=1e-3)
    assert report["mrr"] == pytest.approx(2 / 3, abs=1e-3)


def test_it_lists_misses_in_text_mode(corpus, tmp_path):
    path = _write(
        tmp_path,
        [
            {
                "question": "what is stock rotation?",
                "unit": "Customer journey knowledge",
                "section": "Before You Start",
            }
        ],
    )
    out = StringIO()
    call_command("evaluate_retrieval", questions=str(path), stdout=out)
    assert "miss (rank -): what is stock rotation?" in out.getvalue()
    assert "recall_at_3: 0.0" in out.getvalue()


def test_it_names_the_line_of_a_bad_entry(corpus, tmp_path):
    path = _write(tmp_path, [{"question": "x", "unit": "No such unit", "section": "Key Concepts"}])
    with pytest.raises(CommandError, match=r"questions.jsonl:1"):
        call_command("evaluate_retrieval", questions=str(path))


def test_it_reads_follow_ups_with_their_earlier_questions_unless_told_not_to(corpus, tmp_path):
    path = _write(
        tmp_path,
        [
            {
                "earlier": ["what does NPS stand for?"],
                "question": "can you give an example of that?",
                "unit": "Customer service performance",
                "section": "Key Concepts",
            }
        ],
    )
    reports = []
    for without_earlier in (False, True):
        out = StringIO()
        call_command(
            "evaluate_retrieval",
            questions=str(path),
            json=True,
            without_earlier=without_earlier,
            stdout=out,
        )
        reports.append(json.loads(out.getvalue()))
    with_earlier, alone = reports
    assert with_earlier["recall_at_1"] == 1.0
    assert alone["recall_at_1"] == 0.0
