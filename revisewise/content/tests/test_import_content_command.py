from __future__ import annotations

import io

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError

from revisewise.content.models import ContentItem, ContentRevision, SourceDocument, Unit
from revisewise.content.services import content_import_paths
from revisewise.content.tests.factories import SEEDS_DIR, copy_seeds


def _run(*args: str) -> tuple[str, str]:
    out, err = io.StringIO(), io.StringIO()
    call_command("import_content", *args, stdout=out, stderr=err)
    return out.getvalue(), err.getvalue()


@pytest.mark.django_db
def test_it_imports_the_seed_folder_and_prints_a_summary():
    out, _ = _run(str(SEEDS_DIR))

    assert out.splitlines()[0] == (
        "Files imported: 5 of 5. Units created: 4, updated: 0, unchanged: 1. Items: 138."
    )
    assert "002_5b43be73908b6cad.txt: Customer journey knowledge (unchanged;" in out
    assert Unit.objects.count() == 4
    assert SourceDocument.objects.count() == 5
    assert set(SourceDocument.objects.values_list("path", flat=True)) == {
        p.name for p in SEEDS_DIR.glob("*.txt")
    }


@pytest.mark.django_db
def test_it_is_idempotent():
    _run(str(SEEDS_DIR))
    before = {
        "items": sorted(ContentItem.objects.values_list("uuid", "kind", "name", "text")),
        "units": sorted(Unit.objects.values_list("uuid", "synopsis")),
        "revisions": ContentRevision.objects.count(),
    }

    out, _ = _run(str(SEEDS_DIR))

    assert out.splitlines()[0].startswith(
        "Files imported: 5 of 5. Units created: 0, updated: 0, unchanged: 5."
    )
    assert {
        "items": sorted(ContentItem.objects.values_list("uuid", "kind", "name", "text")),
        "units": sorted(Unit.objects.values_list("uuid", "synopsis")),
        "revisions": ContentRevision.objects.count(),
    } == before


@pytest.mark.django_db
def test_it_writes_nothing_on_a_dry_run():
    out, _ = _run(str(SEEDS_DIR), "--dry-run")

    assert out.startswith("Dry run, nothing written. Files imported: 5 of 5. Units created: 4")
    assert Unit.objects.count() == 0
    assert ContentItem.objects.count() == 0
    assert SourceDocument.objects.count() == 0
    assert ContentRevision.objects.count() == 0


@pytest.mark.django_db
def test_it_fails_with_each_bad_file_named_and_keeps_the_good_ones(tmp_path):
    seeds = copy_seeds(tmp_path / "seeds", "000")
    (seeds / "empty.md").write_bytes(b"")
    out, err = io.StringIO(), io.StringIO()

    with pytest.raises(CommandError, match=r"1 file\(s\) could not be imported") as raised:
        call_command("import_content", str(seeds), stdout=out, stderr=err)

    assert raised.value.returncode == 1
    assert "Error: empty.md:1: the file is empty" in err.getvalue()
    assert "Files imported: 1 of 2." in out.getvalue()
    assert Unit.objects.count() == 1


@pytest.mark.django_db
def test_it_reads_folders_recursively_naming_files_relative_to_the_folder(tmp_path):
    root = tmp_path / "content"
    nested = copy_seeds(root / "customer-service", "000")
    (nested / next(nested.glob("000_*.txt")).name).rename(nested / "journey.md")
    (root / "README.md").write_text("# About this content\n", encoding="utf-8")
    (root / "notes.pdf").write_bytes(b"%PDF-1.4")
    calls: list[tuple[int, int, str]] = []

    report = content_import_paths(paths=[root], progress=lambda *call: calls.append(call))

    assert report.errors == []
    assert calls == [(1, 1, "customer-service/journey.md")]
    assert SourceDocument.objects.get().path == "customer-service/journey.md"
    assert set(ContentItem.objects.values_list("source_file", flat=True)) == {
        "customer-service/journey.md"
    }
