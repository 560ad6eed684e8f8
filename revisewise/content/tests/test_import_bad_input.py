from __future__ import annotations

import pytest

from revisewise.content.models import (
    ContentItem,
    ContentRevision,
    Qualification,
    SourceDocument,
    Unit,
)
from revisewise.content.services import content_import_paths
from revisewise.content.tests.factories import copy_seeds, seed_file

MODELS = (Qualification, Unit, ContentItem, SourceDocument, ContentRevision)


def _row_counts() -> dict[str, int]:
    return {model.__name__: model.objects.count() for model in MODELS}


@pytest.fixture
def imported(tmp_path):
    """The four revision pages imported, so a bad file has rows it could disturb."""
    content_import_paths(paths=[copy_seeds(tmp_path / "seeds", "000", "001", "003", "004")])
    return _row_counts()


def _page_text() -> str:
    return seed_file("001").read_text(encoding="utf-8")


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("content", "line", "reason"),
    [
        (b"", 1, "the file is empty"),
        (b"  \n\n\t\n", 1, "the file is empty"),
        (b"Key Concepts\n\x00\x01\x02binary", 2, "binary (it contains NUL bytes)"),
        ("Key Concepts\nCaf\u00e9 culture\n".encode("latin-1"), 2, "not UTF-8 text"),
        ("Key Concepts\n".encode("utf-16"), 1, "UTF-16 text, not UTF-8"),
        (b"Just a note.\nNothing else here.\n", 1, "no recognisable sections"),
        (b"Key Concepts\nCore ideas\nJust prose, no bullets.\n", 1, "no recognisable sections"),
    ],
    ids=["empty", "blank", "binary", "latin-1", "utf-16", "no-sections", "headings-only"],
)
def test_it_refuses_a_bad_file_naming_its_line_and_writes_nothing(
    tmp_path, imported, content, line, reason
):
    bad = tmp_path / "bad" / "unit.txt"
    bad.parent.mkdir()
    bad.write_bytes(content)

    report = content_import_paths(paths=[bad.parent])

    assert [(e.file, e.line) for e in report.errors] == [("unit.txt", line)]
    assert reason in report.errors[0].reason
    assert report.files_imported == 0
    assert _row_counts() == imported


@pytest.mark.django_db
def test_it_refuses_a_file_over_the_size_limit(tmp_path, settings, imported):
    settings.CONTENT_MAX_FILE_BYTES = 4096
    big = tmp_path / "big.txt"
    big.write_text(_page_text() + "x" * 4096, encoding="utf-8")

    report = content_import_paths(paths=[big])

    assert len(report.errors) == 1
    assert "larger than the limit of 4,096 bytes (CONTENT_MAX_FILE_BYTES)" in str(report.errors[0])
    assert _row_counts() == imported


@pytest.mark.django_db
def test_it_refuses_a_page_naming_no_qualification(tmp_path, imported):
    page = tmp_path / "orphan.txt"
    text = _page_text().replace("Topic Overview", "Overview of the topic")
    page.write_text(text.replace("Customer service performance", "Orphan unit"), encoding="utf-8")

    report = content_import_paths(paths=[page])

    assert [str(e) for e in report.errors] == [
        "orphan.txt:17: the page names no qualification "
        "(expected its title before 'Topic Overview')"
    ]
    assert _row_counts() == imported


@pytest.mark.django_db
def test_it_stores_html_and_script_as_text_unchanged(tmp_path):
    script = "<script>alert('x')</script> Customer <b>journey</b> & mapping: bold claims"
    page = tmp_path / "html.txt"
    text = _page_text().replace(
        "• Customer journey mapping: Understanding",
        f"• {script}\n    • Customer journey mapping: Understanding",
    )
    page.write_text(text, encoding="utf-8")

    report = content_import_paths(paths=[page])

    assert report.errors == []
    stored = ContentItem.objects.get(name__startswith="<script>")
    assert f"{stored.name}: {stored.text}" == script


@pytest.mark.django_db
def test_it_imports_the_good_files_of_a_run_with_a_bad_one(tmp_path):
    seeds = copy_seeds(tmp_path / "seeds", "000", "003")
    (seeds / "broken.txt").write_bytes(b"\xff\xfe\x00garbage")

    report = content_import_paths(paths=[seeds])

    assert [e.file for e in report.errors] == ["broken.txt"]
    assert report.files_imported == 2
    assert Unit.objects.count() == 2
    assert not SourceDocument.objects.filter(path="broken.txt").exists()


@pytest.mark.django_db
def test_it_reports_a_path_that_does_not_exist(tmp_path):
    report = content_import_paths(paths=[tmp_path / "missing"])

    assert len(report.errors) == 1
    assert report.errors[0].reason == "no such file or folder"
    assert Unit.objects.count() == 0


@pytest.mark.django_db
def test_it_refuses_a_tabbed_file_whose_synopsis_matches_no_unit(tmp_path, imported):
    tabbed = tmp_path / "tabbed.md"
    text = seed_file("002").read_text(encoding="utf-8")
    tabbed.write_text(text.replace("holistic understanding", "entirely different"), "utf-8")

    report = content_import_paths(paths=[tabbed])

    assert len(report.errors) == 1
    assert "matches no unit" in report.errors[0].reason
    assert _row_counts() == imported
