from __future__ import annotations

from io import StringIO

import pytest
from django.core.management import CommandError, call_command

pytestmark = pytest.mark.django_db


def test_it_times_marking_with_the_real_engine(unit):
    out = StringIO()

    call_command("benchmark_discussion_marking", "--answers", "3", stdout=out)

    text = out.getvalue()
    assert text.startswith("3 answers over 4 prompts")
    assert "p50" in text
    assert "p95" in text


def test_it_says_when_there_is_no_content():
    with pytest.raises(CommandError, match="import content first"):
        call_command("benchmark_discussion_marking", "--answers", "1", stdout=StringIO())
