from __future__ import annotations

import pytest

from revisewise.core.llm import prompts
from revisewise.core.llm.prompts import prompt_get, prompt_names


def test_it_loads_every_prompt_file_with_a_matching_header():
    names = prompt_names()
    assert {"tutor_answer.v1", "marking_feedback.v1", "item_draft.v1"} <= set(names)
    for key in names:
        name, version = key.rsplit(".v", 1)
        prompt = prompt_get(name, int(version))
        assert prompt.key == key
        assert not prompt.text.startswith("#")


def test_it_refuses_to_render_with_a_missing_value():
    with pytest.raises(KeyError, match="sources"):
        prompt_get("tutor_answer").render(qualification="Q", level="level 2")


def test_it_picks_the_latest_version_and_checks_headers(tmp_path, monkeypatch):
    (tmp_path / "demo.v1.txt").write_text("# demo v1: first\nOld $x\n")
    (tmp_path / "demo.v2.txt").write_text("# demo v2: second\nNew $x\n")
    (tmp_path / "broken.v1.txt").write_text("# broken v2: wrong version\nText\n")
    monkeypatch.setattr(prompts, "PROMPTS_DIR", tmp_path)
    prompt_get.cache_clear()
    try:
        assert prompt_get("demo").render(x="words") == "New words\n"
        assert prompt_get("demo", 1).key == "demo.v1"
        with pytest.raises(ValueError, match="must start with"):
            prompt_get("broken")
        with pytest.raises(LookupError):
            prompt_get("demo", 3)
    finally:
        prompt_get.cache_clear()
