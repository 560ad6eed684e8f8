from __future__ import annotations

import io
import json

import pytest
from django.core.management import CommandError, call_command

from revisewise.audit.models import AuditAction, AuditEvent
from revisewise.marking.training import read_jsonl
from revisewise.moderation.services import moderation_record
from revisewise.moderation.tests.factories import POINTS, mark_for

ANSWERS = [
    "I would acknowledge how frustrated the customer is, say sorry and explain the next steps.",
    "I would tell the customer the policy and ask them to calm down before I say sorry.",
    "Acknowledge how frustrated they feel and say sorry sincerely.",
]


def moderate(tutor, mark, *verdicts, comment=""):
    rows = [
        {"point": p, "verdict": v, "comment": "Point comment"}
        for p, v in zip(POINTS, verdicts, strict=True)
    ]
    return moderation_record(tutor=tutor, mark=mark, point_verdicts=rows, comment=comment)


@pytest.fixture
def moderated(tutor, learner):
    marks = [mark_for(learner, answer=text) for text in ANSWERS]
    moderate(tutor, marks[0], "met", "met", "met", comment=f"Well done {learner.display_name}")
    moderate(tutor, marks[1], "not_met", "not_met", "not_met")
    moderate(tutor, marks[1], "partly_met", "partly_met", "not_met")  # newest wins
    moderate(tutor, marks[2], "met", "partly_met", "not_met")  # confirms the machine
    mark_for(learner)  # never moderated: not exported
    return marks


def export(tmp_path, *extra):
    path = tmp_path / "moderations.jsonl"
    out = io.StringIO()
    call_command("export_moderations", "--output", str(path), *extra, stdout=out)
    rows = [json.loads(line) for line in path.read_text(encoding="utf-8").splitlines()]
    return path, rows, out.getvalue()


def test_it_exports_the_newest_moderation_of_each_mark_as_labelled_data(
    tmp_path, moderated, learner
):
    _, rows, out = export(tmp_path)
    assert "Exported 3 moderations" in out
    assert [r["answer"] for r in rows] == ANSWERS
    assert [(r["label"], r["label_3way"], r["label_2way"]) for r in rows] == [
        ("correct", "correct", "correct"),
        ("partially_correct", "incorrect", "incorrect"),
        ("partially_correct", "incorrect", "incorrect"),
    ]
    assert [r["decision"] for r in rows] == ["overridden", "overridden", "confirmed"]
    assert rows[1]["score"] == pytest.approx(1 / 3, abs=1e-4)
    assert rows[0]["question"] == "Explain how you would de-escalate an angry customer."
    assert rows[0]["reference_answers"] == [
        "Acknowledge the frustration, apologise sincerely, explain next steps."
    ]
    assert rows[0]["marking_points"] == list(POINTS)
    assert rows[1]["point_labels"][0] == {"point": POINTS[0], "verdict": "partly_met"}
    assert rows[1]["machine_point_labels"][0] == {"point": POINTS[0], "verdict": "met"}


def test_it_exports_no_personal_data(tmp_path, moderated, learner, tutor):
    _, rows, _ = export(tmp_path)
    text = json.dumps(rows, ensure_ascii=False)
    for secret in (learner.email, learner.display_name, tutor.email, tutor.display_name):
        assert secret not in text
    for mark in moderated:
        assert str(mark.answer.uuid) not in text
        assert str(mark.uuid) not in text
    ids = [r["answer_id"] for r in rows]
    assert len(set(ids)) == 3
    assert all(len(i) == 24 for i in ids)
    # Comments can name the learner; they are not part of the labelled data.
    assert "comment" not in rows[0]
    assert "Point comment" not in text


def test_the_same_answer_gets_the_same_opaque_id_in_every_export(tmp_path, moderated):
    _, first, _ = export(tmp_path)
    _, second, _ = export(tmp_path)
    assert [r["answer_id"] for r in first] == [r["answer_id"] for r in second]


def test_overrides_only_leaves_out_confirmations(tmp_path, moderated):
    _, rows, _ = export(tmp_path, "--overrides-only")
    assert [r["decision"] for r in rows] == ["overridden", "overridden"]


def test_it_records_an_audit_event(tmp_path, moderated):
    export(tmp_path)
    event = AuditEvent.objects.get(action=AuditAction.MODERATIONS_EXPORTED)
    assert event.detail["rows"] == 3
    assert event.actor is None
    assert event.actor_label == "system"


def test_it_writes_to_standard_output_without_a_path(moderated):
    out = io.StringIO()
    call_command("export_moderations", stdout=out)
    assert len(out.getvalue().splitlines()) == 3


def test_a_missing_folder_is_a_clear_error(tmp_path, moderated):
    with pytest.raises(CommandError, match="No such folder"):
        call_command("export_moderations", "--output", str(tmp_path / "nope" / "x.jsonl"))


def test_evaluate_marker_reads_the_export(tmp_path, moderated):
    path, rows, _ = export(tmp_path)
    examples = read_jsonl(path)
    assert [e.label_3way for e in examples] == [r["label_3way"] for r in rows]
    assert examples[0].references == tuple(rows[0]["reference_answers"])
    out = io.StringIO()
    call_command("evaluate_marker", "--dataset", str(path), "--json", stdout=out)
    metrics = json.loads(out.getvalue().strip().splitlines()[-1])
    assert metrics["n"] == 3
    assert 0.0 <= metrics["accuracy_3way"] <= 1.0
    assert 0.0 <= metrics["macro_f1_2way"] <= 1.0
    assert metrics["seen_in_training"] is False
