from __future__ import annotations

import pytest

from revisewise.content.models import ContentItem, ContentRevision, ItemKind, SourceDocument, Unit
from revisewise.content.services import (
    content_import_paths,
    content_item_key,
    unit_save_revision,
)
from revisewise.content.tests.factories import ContentItemFactory, copy_seeds, seed_file

QUALIFICATION_A = "highfield-level-3-diploma-for-customer-service-skills-rqf"


@pytest.fixture
def seeds(tmp_path):
    return copy_seeds(tmp_path / "seeds", "000", "001", "002")


def _edit(path, old: str, new: str) -> None:
    text = path.read_text(encoding="utf-8")
    assert old in text
    path.write_text(text.replace(old, new), encoding="utf-8")


def test_it_keys_items_on_their_normalised_name_or_text():
    key = content_item_key(kind="concept", name="Complaint  Handling.", text="Anything")

    assert key == content_item_key(kind="concept", name="complaint handling", text="Else")
    assert key != content_item_key(kind="term", name="complaint handling", text="")
    assert content_item_key(kind="tip", name="", text="Use examples!") == content_item_key(
        kind="tip", name="", text="use   EXAMPLES"
    )
    assert len(key) == 64


@pytest.mark.django_db
def test_it_records_a_revision_of_each_unit_and_qualification_on_first_import(seeds):
    content_import_paths(paths=[seeds])

    unit = Unit.objects.get(slug="customer-journey-knowledge")
    revisions = ContentRevision.objects.filter(unit=unit)
    assert revisions.count() == 1
    revision = revisions.get()
    assert revision.origin == f"import:{seed_file('000').name}"
    assert len(revision.snapshot["items"]) == unit.items.count()
    shared = ContentRevision.objects.filter(unit__isnull=True, qualification__slug=QUALIFICATION_A)
    assert shared.count() == 2
    assert len(shared.latest("pk").snapshot["items"]) == 10


@pytest.mark.django_db
def test_it_updates_a_changed_item_in_place_and_records_a_revision(seeds):
    content_import_paths(paths=[seeds])
    page = seeds / seed_file("000").name
    concept = ContentItem.objects.get(name="Complaint Handling")
    _edit(page, "Applying a structured approach", "Using a structured approach")

    report = content_import_paths(paths=[page])

    assert [r.status for r in report.results] == ["updated"]
    assert report.results[0].items_updated == 1
    concept.refresh_from_db()
    assert concept.text.startswith("Using a structured approach")
    revisions = ContentRevision.objects.filter(unit=concept.unit).order_by("pk")
    assert revisions.count() == 2
    texts = [[i["text"] for i in r.snapshot["items"]] for r in revisions]
    assert any(t.startswith("Applying a structured") for t in texts[0])
    assert any(t.startswith("Using a structured") for t in texts[1])


@pytest.mark.django_db
def test_it_deletes_items_that_disappeared_from_their_file(seeds):
    content_import_paths(paths=[seeds])
    page = seeds / seed_file("000").name
    _edit(page, "    • Good literacy and numeracy skills", "    Good literacy and numeracy skills")

    content_import_paths(paths=[page])

    unit = Unit.objects.get(slug="customer-journey-knowledge")
    assert unit.items.filter(kind=ItemKind.PREREQUISITE).count() == 2
    assert not ContentItem.objects.filter(text__startswith="Good literacy").exists()


@pytest.mark.django_db
def test_it_hands_a_dropped_shared_item_to_another_page_that_states_it(seeds):
    content_import_paths(paths=[seeds])
    polite = ContentItem.objects.get(name="Customer service is just about being polite.")
    page = seeds / seed_file("000").name
    _edit(page, "    • Misconception: Customer service is just about being polite.", "    Dropped:")

    content_import_paths(paths=[page])

    polite.refresh_from_db()
    assert polite.source_file == seed_file("001").name
    assert polite.text.startswith("While politeness is important, effective customer service ")
    assert "problem-solving skills, product knowledge" in polite.text
    assert ContentItem.objects.filter(kind=ItemKind.MISCONCEPTION, unit=None).count() == 4


@pytest.mark.django_db
def test_it_keeps_the_fuller_synopsis_when_a_page_cuts_it_short(seeds):
    content_import_paths(paths=[seeds])
    unit = Unit.objects.get(slug="customer-journey-knowledge")
    full = unit.synopsis
    page = seeds / seed_file("000").name
    _edit(page, "constraints shape service delivery. Practical application involves leveraging "
          "this knowledge to drive customer satisfaction and organisational efficiency.",
          "constraints shape")  # fmt: skip

    report = content_import_paths(paths=[seeds])

    unit.refresh_from_db()
    assert unit.synopsis == full
    assert {r.status for r in report.results} == {"unchanged"}


@pytest.mark.django_db
def test_it_records_no_revision_when_nothing_changed():
    item = ContentItemFactory.create()
    assert item.unit is not None
    first = unit_save_revision(unit=item.unit, origin="admin:author@example.org")

    assert first is not None
    assert unit_save_revision(unit=item.unit, origin="admin:author@example.org") is None
    item.text = "A clearer explanation."
    item.save()
    second = unit_save_revision(unit=item.unit, origin="admin:author@example.org")
    assert second is not None
    assert second.snapshot_sha256 != first.snapshot_sha256
    assert ContentRevision.objects.filter(unit=item.unit).count() == 2


@pytest.mark.django_db
def test_it_finds_generic_items_by_similarity_when_a_page_gives_no_other_evidence(seeds):
    content_import_paths(paths=[seeds])
    original = (seeds / seed_file("000").name).read_text(encoding="utf-8")
    before, criteria_onwards = original.split("    Assessment Criteria\n\n    Key criteria", 1)
    after_criteria = criteria_onwards.split("    Assessment Guidance\n", 1)[1]
    page = seeds / "copy.txt"
    page.write_text(
        (before + "    Assessment Guidance\n" + after_criteria)
        .replace("Customer journey knowledge", "Customer journey knowledge again")
        .replace("    4\n    Assessment Guidance\n", ""),
        encoding="utf-8",
    )

    report = content_import_paths(paths=[page])

    assert report.errors == []
    unit = Unit.objects.get(slug="customer-journey-knowledge-again")
    assert unit.items.filter(kind=ItemKind.TIP).count() == 4
    assert ContentItem.objects.filter(unit=None, kind=ItemKind.TIP).count() == 6
    parsed = unit.source_documents.get().parsed
    assert parsed["generic_start"] == {"Assessment Guidance": 4, "Common Mistakes": 4}


@pytest.mark.django_db
def test_it_renames_a_unit_whose_page_changed_its_title(seeds):
    content_import_paths(paths=[seeds])
    unit = Unit.objects.get(slug="customer-service-performance")
    items = set(unit.items.values_list("uuid", flat=True))
    _edit(seeds / seed_file("001").name, "Customer service performance", "Service recovery")

    report = content_import_paths(paths=[seeds / seed_file("001").name])

    assert [r.status for r in report.results] == ["updated"]
    unit.refresh_from_db()
    assert (unit.title, unit.slug) == ("Service recovery", "service-recovery")
    assert set(unit.items.values_list("uuid", flat=True)) == items
    assert Unit.objects.count() == 2


@pytest.mark.django_db
def test_it_stores_a_reworded_shared_tip_once_and_keeps_the_variant_in_the_source(seeds):
    first = next(
        line.strip()
        for line in (seeds / seed_file("000").name).read_text(encoding="utf-8").splitlines()
        if "Always link your answers" in line
    ).removeprefix("\N{BULLET} \N{ELECTRIC LIGHT BULB}")
    variant = first.replace("ensure you address all parts", "make sure you address every part")
    _edit(
        seeds / seed_file("001").name,
        "    \N{BULLET} \N{ELECTRIC LIGHT BULB}When answering questions about complaint handling",
        f"    \N{BULLET} \N{ELECTRIC LIGHT BULB}{variant}\n"
        "    \N{BULLET} \N{ELECTRIC LIGHT BULB}When answering questions about complaint handling",
    )

    content_import_paths(paths=[seeds])

    shared = ContentItem.objects.filter(unit=None, kind=ItemKind.TIP)
    assert shared.count() == 6
    assert shared.get(text=first).source_file == seed_file("000").name
    assert not shared.filter(text__contains="make sure you address").exists()
    parsed = SourceDocument.objects.get(path=seed_file("001").name).parsed
    guidance = next(s for s in parsed["sections"] if s["heading"] == "Assessment Guidance")
    assert variant in [i["text"] for i in guidance["items"]]
    assert parsed["generic_start"]["Assessment Guidance"] == 4
