from __future__ import annotations

from collections import Counter

import numpy as np
import pytest

from revisewise.content.models import ContentItem, ItemKind
from revisewise.content.services import content_item_key
from revisewise.marking.engine import get_engine
from revisewise.marking.services import marking_request_build
from revisewise.practice.models import Item, ItemStatus, ItemType
from revisewise.practice.services import (
    EDITED_SOURCE_CHANGED,
    SOURCE_REMOVED,
    item_retire,
    item_update,
    items_generate_all,
    items_generate_for_unit,
)
from revisewise.practice.tests.factories import content_item, performance_unit

pytestmark = pytest.mark.django_db


def _valid(unit):
    return Item.objects.filter(unit=unit, status=ItemStatus.AUTO_APPROVED)


def test_it_generates_thirty_valid_items_of_six_types_for_every_seed_unit(seeded_units):
    assert len(seeded_units) == 4
    for unit in seeded_units:
        result = items_generate_for_unit(unit=unit)
        types = Counter(_valid(unit).values_list("item_type", flat=True))
        assert sum(types.values()) >= 30, unit.title
        assert len(types) >= 6, (unit.title, types)
        assert result.rejected == [], result.rejected


def test_it_records_provenance_quoted_from_the_content(seeded_units):
    unit = seeded_units[0]
    items_generate_for_unit(unit=unit)
    for item in Item.objects.filter(unit=unit).select_related("source_item"):
        source = item.source_item
        assert source is not None
        assert item.source_section in {
            "Key Concepts",
            "Learning Objectives",
            "Assessment Guidance",
            "Common Mistakes",
            "Assessment Criteria",
        }
        assert source.text[:40] in item.source_sentence or source.name in item.source_sentence


def test_it_does_not_always_make_the_correct_option_the_longest(seeded_units):
    longest = total = 0
    for unit in seeded_units:
        items_generate_for_unit(unit=unit)
    for item in Item.objects.filter(item_type="mcq_single"):
        lengths = {option["id"]: len(option["text"]) for option in item.payload["options"]}
        total += 1
        longest += lengths[item.payload["answer"]] == max(lengths.values())
    assert total >= 20
    assert longest / total < 0.6


def test_it_maps_items_to_the_objective_they_practise(seeded_units):
    unit = seeded_units[2]
    items_generate_for_unit(unit=unit)
    crm = ContentItem.objects.get(unit=unit, kind=ItemKind.OBJECTIVE, text__contains="CRM")
    item = Item.objects.get(unit=unit, item_type="cloze", stem__contains="(CRM)")
    assert item.objective == crm


def test_it_holds_back_a_model_the_qualifications_spell_out_differently(seeded_units):
    for unit in seeded_units:
        items_generate_for_unit(unit=unit)
    later = Item.objects.filter(item_type="ordering", stem__contains="LATER")
    assert later.count() == 2
    assert set(later.values_list("status", flat=True)) == {ItemStatus.DRAFT}
    assert "spelled out differently" in later[0].rejection_reasons[0]


def test_it_is_idempotent_and_leaves_unchanged_rows_untouched():
    unit = performance_unit()
    first = items_generate_for_unit(unit=unit)
    before = {item.source_key: (item.uuid, item.updated_at) for item in Item.objects.all()}
    second = items_generate_for_unit(unit=unit)
    after = {item.source_key: (item.uuid, item.updated_at) for item in Item.objects.all()}
    assert first.created == len(before) > 0
    assert (second.created, second.updated, second.retired) == (0, 0, 0)
    assert after == before


def test_it_updates_a_changed_item_in_place_keeping_its_uuid():
    unit = performance_unit()
    items_generate_for_unit(unit=unit)
    concept = ContentItem.objects.get(unit=unit, name="Customer journey mapping")
    flashcard = Item.objects.get(source_item=concept, item_type="flashcard")
    concept.text = "Analysing every touchpoint a customer has with an organisation."
    concept.save()
    result = items_generate_for_unit(unit=unit)
    flashcard.refresh_from_db()
    assert result.updated >= 1
    assert flashcard.payload["back"] == concept.text
    assert Item.objects.filter(source_item=concept, item_type="flashcard").count() == 1


def test_it_retires_items_whose_source_disappeared_and_revives_them_when_it_returns():
    unit = performance_unit()
    items_generate_for_unit(unit=unit)
    mistake = ContentItem.objects.get(unit=unit, text__startswith="Using scripted")
    item = Item.objects.get(source_item=mistake)
    uuid, key, text = item.uuid, mistake.key, mistake.text
    mistake.delete()
    result = items_generate_for_unit(unit=unit)
    item = Item.objects.get(uuid=uuid)
    assert result.retired == 1
    assert (item.status, item.rejection_reasons) == (ItemStatus.RETIRED, [SOURCE_REMOVED])
    ContentItem.objects.create(
        qualification=unit.qualification, unit=unit, kind=ItemKind.MISTAKE, text=text, key=key
    )
    items_generate_for_unit(unit=unit)
    item.refresh_from_db()
    assert item.status == ItemStatus.AUTO_APPROVED


def test_it_keeps_an_author_retired_item_retired(author):
    unit = performance_unit()
    items_generate_for_unit(unit=unit)
    concept = ContentItem.objects.get(unit=unit, name="Performance metrics")
    item = item_retire(
        item=Item.objects.get(source_item=concept, item_type="flashcard"), author=author
    )
    concept.text += " They are reviewed monthly."
    concept.save()
    items_generate_for_unit(unit=unit)
    item.refresh_from_db()
    assert item.status == ItemStatus.RETIRED
    assert "reviewed monthly" in item.payload["back"]


def test_it_sends_an_edited_item_back_to_review_when_its_source_changes(author):
    unit = performance_unit()
    items_generate_for_unit(unit=unit)
    concept = ContentItem.objects.get(unit=unit, name="Empowerment and delegation")
    item = Item.objects.get(source_item=concept, item_type="flashcard")
    item_update(item=item, author=author, stem="What does empowerment mean for a team?")
    concept.text = "Letting team members decide within agreed limits."
    concept.key = content_item_key(kind="concept", name=concept.name, text=concept.text)
    concept.save()
    items_generate_for_unit(unit=unit)
    item.refresh_from_db()
    assert item.stem == "What does empowerment mean for a team?"
    assert (item.status, item.rejection_reasons) == (ItemStatus.DRAFT, [EDITED_SOURCE_CHANGED])


def test_it_writes_nothing_on_a_dry_run():
    unit = performance_unit()
    result = items_generate_for_unit(unit=unit, dry_run=True)
    assert result.created > 30
    assert not Item.objects.exists()


def test_it_practises_key_terms_only_when_they_are_real_definitions():
    unit = performance_unit()
    content_item(
        unit=unit,
        kind="term",
        name="Churn",
        text="The rate at which customers stop doing business with an organisation.",
        position=0,
    )
    content_item(
        unit=unit,
        kind="term",
        name="",
        text="Maintain a positive relationship even when you are unable to deliver the outcome",
        position=1,
    )
    items_generate_for_unit(unit=unit)
    terms = Item.objects.filter(source_item__kind="term")
    assert set(terms.values_list("item_type", flat=True)) == {"flashcard", "cloze", "mcq_single"}
    assert all("Churn" in item.source_sentence for item in terms)


def test_generating_every_unit_warms_the_markers_encodings_of_its_written_items(
    settings, tmp_path, django_capture_on_commit_callbacks
):
    directory = tmp_path / "encodings"
    settings.MARKING_ENCODING_CACHE_DIR = str(directory)
    performance_unit()
    with django_capture_on_commit_callbacks(execute=True):
        items_generate_all()  # the task runs inline in tests
    written = list(Item.objects.filter(item_type=ItemType.WRITTEN))
    assert written
    stored = set()
    for path in directory.rglob("*.npz"):
        with np.load(path, allow_pickle=False) as data:
            stored.add(str(data["text"]))
    for item in written:
        texts = get_engine().item_texts(marking_request_build(item=item, answer=""))
        assert texts
        assert set(texts) <= stored


def test_it_queues_the_warm_up_only_after_a_run_that_changed_items(
    django_capture_on_commit_callbacks,
):
    performance_unit()
    with django_capture_on_commit_callbacks() as dry:
        items_generate_all(dry_run=True)
    with django_capture_on_commit_callbacks() as first:
        items_generate_all()
    with django_capture_on_commit_callbacks() as unchanged:
        items_generate_all()
    assert (len(dry), len(first), len(unchanged)) == (0, 1, 0)
