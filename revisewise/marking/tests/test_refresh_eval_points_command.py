from __future__ import annotations

import io
import json

import pytest
from django.conf import settings
from django.core.management import call_command
from django.core.management.base import CommandError

from revisewise.marking.tests.test_engine_customer_service_set import CUSTOMER_SERVICE

pytestmark = pytest.mark.django_db


@pytest.fixture
def seeds() -> None:
    path = str(settings.BASE_DIR / "demo" / "seeds")
    call_command("import_content", path, verbosity=0, stdout=io.StringIO())


def _refresh(path: object, *extra: str) -> str:
    out = io.StringIO()
    call_command("refresh_eval_points", "--dataset", str(path), *extra, stdout=out)
    return out.getvalue()


def test_the_committed_set_carries_the_generators_points(seeds):
    assert _refresh(CUSTOMER_SERVICE, "--dry-run").strip().endswith("0 of 13 questions.")


def test_it_rewrites_points_and_model_answers_but_nothing_else(seeds, tmp_path):
    rows = [json.loads(line) for line in CUSTOMER_SERVICE.read_text().splitlines()[:3]]
    stale = [dict(row) for row in rows]
    stale[0]["marking_points"] = ["Clearly defining CRM."]
    stale[1]["model_answer"] = "Something else."
    path = tmp_path / "cs.jsonl"
    path.write_text("".join(json.dumps(row) + "\n" for row in stale), encoding="utf-8")

    assert "1 of 1 questions." in _refresh(path, "--dry-run")
    assert [json.loads(line) for line in path.read_text().splitlines()] == stale
    _refresh(path)
    assert [json.loads(line) for line in path.read_text().splitlines()] == rows


def test_it_refuses_a_question_the_generator_does_not_make(seeds, tmp_path):
    row = json.loads(CUSTOMER_SERVICE.read_text().splitlines()[0])
    row["question"] = "Explain something no unit asks."
    path = tmp_path / "cs.jsonl"
    path.write_text(json.dumps(row) + "\n", encoding="utf-8")
    with pytest.raises(CommandError, match="no written item"):
        _refresh(path)
