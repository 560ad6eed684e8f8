from __future__ import annotations

import io
import json

import pytest
from django.core.management import call_command

from revisewise.practice.models import Item
from revisewise.practice.tests.factories import performance_unit

pytestmark = pytest.mark.django_db


def _run(*args: str) -> str:
    out = io.StringIO()
    call_command("generate_items", *args, stdout=out)
    return out.getvalue()


def test_it_prints_one_json_object_in_the_agreed_shape():
    unit = performance_unit()
    data = json.loads(_run("--json"))
    assert list(data) == ["units"]
    [entry] = data["units"]
    assert set(entry) == {"unit", "items_by_type", "rejected"}
    assert entry["unit"] == unit.title
    assert isinstance(entry["rejected"], int)
    assert all(isinstance(count, int) for count in entry["items_by_type"].values())
    assert sum(entry["items_by_type"].values()) >= 30
    assert Item.objects.filter(unit=unit).count() >= 30


def test_it_writes_nothing_on_a_dry_run():
    performance_unit()
    output = _run("--dry-run")
    assert "Dry run" in output
    assert "valid items:" in output
    assert not Item.objects.exists()


def test_it_limits_generation_to_one_unit():
    chosen = performance_unit()
    other = performance_unit()
    data = json.loads(_run("--json", "--unit", chosen.slug))
    assert [entry["unit"] for entry in data["units"]] == [chosen.title]
    assert not Item.objects.filter(unit=other).exists()
