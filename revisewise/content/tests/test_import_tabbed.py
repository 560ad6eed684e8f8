from __future__ import annotations

from collections import Counter

import pytest

from revisewise.content.importers.tabbed import parse_tabbed
from revisewise.content.models import ContentItem, SourceDocument, Unit
from revisewise.content.services import content_import_paths
from revisewise.content.tests.factories import copy_seeds, seed_file


def test_it_reads_the_tabs_of_the_tabbed_seed():
    page = seed_file("002")
    document = parse_tabbed(page.read_text(encoding="utf-8"), path=page.name, sha256="x")

    assert [s.heading for s in document.sections] == [
        "Topic Synopsis",
        "Key Concepts & Core Principles",
        "Exam Tips & Revision Strategies",
        "Common Misconceptions & Mistakes to Avoid",
        "Examiner Marking Points",
    ]
    assert [len(s.items) for s in document.sections] == [1, 5, 4, 4, 4]
    assert document.synopsis.endswith("customer satisfaction and organisational efficiency.")
    assert document.teaser.endswith("including all touc")
    assert document.qualification is None
    assert document.generic_start == {}


@pytest.mark.django_db
def test_it_merges_the_tabbed_seed_into_the_unit_of_its_page(tmp_path):
    seeds = copy_seeds(tmp_path / "seeds", "000", "002")

    report = content_import_paths(paths=[seeds])

    assert report.errors == []
    assert Unit.objects.count() == 1
    unit = Unit.objects.get()
    assert [r.unit_uuid for r in report.results] == [str(unit.uuid)] * 2
    assert dict(Counter(unit.items.values_list("kind", flat=True))) == {
        "concept": 5,
        "objective": 4,
        "criterion": 4,
        "tip": 4,
        "mistake": 4,
        "prerequisite": 3,
        "term": 1,
    }
    tabbed = SourceDocument.objects.get(path=seed_file("002").name)
    assert tabbed.unit == unit
    assert tabbed.format == "tabbed"


@pytest.mark.django_db
def test_it_merges_whichever_file_is_named_first(tmp_path):
    seeds = copy_seeds(tmp_path / "seeds", "000", "002")
    tabbed, page = seed_file("002").name, seed_file("000").name

    report = content_import_paths(paths=[seeds / tabbed, seeds / page])

    assert report.errors == []
    assert [r.file for r in report.results] == [page, tabbed]
    assert Unit.objects.count() == 1


@pytest.mark.django_db
def test_it_adds_a_tabbed_files_new_bullets_to_the_unit(tmp_path):
    seeds = copy_seeds(tmp_path / "seeds", "000", "002")
    tabbed = seeds / seed_file("002").name
    text = tabbed.read_text(encoding="utf-8").replace(
        "Examiner Marking Points\n",
        "Examiner Marking Points\n- Award credit for naming the moments of truth on the map.\n",
    )
    tabbed.write_text(text, encoding="utf-8")

    content_import_paths(paths=[seeds])

    added = ContentItem.objects.get(text__startswith="Award credit for naming the moments")
    assert added.unit == Unit.objects.get()
    assert added.source_file == tabbed.name
    assert added.source_line == 21
    assert added.position == 4


@pytest.mark.django_db
def test_it_refuses_a_tabbed_file_that_matches_no_unit(tmp_path):
    seeds = copy_seeds(tmp_path / "seeds", "002")

    report = content_import_paths(paths=[seeds])

    assert [(e.file, e.line) for e in report.errors] == [(seed_file("002").name, 3)]
    assert "matches no unit" in report.errors[0].reason
    assert ContentItem.objects.count() == 0
    assert SourceDocument.objects.count() == 0
