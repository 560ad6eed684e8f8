from __future__ import annotations

from io import StringIO

import pytest
from django.core.management import CommandError, call_command

from revisewise.accounts.models import User
from revisewise.content.models import Qualification
from revisewise.epa.models import MockTest

pytestmark = pytest.mark.django_db


def test_it_prints_the_numbers_and_leaves_nothing_behind():
    out = StringIO()
    call_command("benchmark_mock", "--mocks", "1", stdout=out)
    text = out.getvalue()
    assert "bank: 300 items" in text
    assert "mock assembly (50 questions): n=1" in text
    assert "answer save POST (htmx): n=50" in text
    assert "result page GET (" in text
    assert not Qualification.objects.exists()
    assert not MockTest.objects.exists()
    assert not User.objects.exists()


def test_it_refuses_zero_mocks():
    with pytest.raises(CommandError, match="at least 1"):
        call_command("benchmark_mock", "--mocks", "0", stdout=StringIO())
