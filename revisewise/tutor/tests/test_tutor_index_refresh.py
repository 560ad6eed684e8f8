from __future__ import annotations

from typing import cast
from unittest import mock

from revisewise.content.models import ItemKind, Unit
from revisewise.content.tests.factories import ContentItemFactory, UnitFactory
from revisewise.tutor import dense
from revisewise.tutor.models import Passage
from revisewise.tutor.services import tutor_index_refresh


def test_it_indexes_synopses_items_and_overview_paragraphs(corpus):
    sections = set(
        Passage.objects.filter(qualification=corpus.service).values_list("section", flat=True)
    )
    assert sections == {
        "Topic Overview",
        "Topic Synopsis",
        "Assessment Guidance",
        "Common Mistakes",
        "Key Concepts",
        "Assessment Criteria",
    }
    assert (
        Passage.objects.filter(section="Topic Overview", qualification=corpus.service).count() == 2
    )
    shared = Passage.objects.get(content_item=corpus.shared_misconception)
    assert shared.unit is None
    assert shared.text.startswith("Misconception: Complaints are always negative Correction:")


def test_it_embeds_nothing_when_nothing_changed(corpus):
    with mock.patch.object(dense, "embed", wraps=dense.embed) as embed:
        result = tutor_index_refresh()
    assert result.embedded == 0
    assert result.unchanged == Passage.objects.count()
    embed.assert_called_once_with([])


def test_it_re_embeds_only_the_changed_passage(corpus):
    before = {p.source_key: bytes(p.embedding) for p in Passage.objects.all()}
    corpus.escalation_tip.text = "Escalate only when the issue is beyond your authority limits."
    corpus.escalation_tip.save()
    with mock.patch.object(dense, "embed", wraps=dense.embed) as embed:
        result = tutor_index_refresh(qualification=corpus.service)
    assert (result.created, result.updated, result.deleted) == (0, 1, 0)
    embed.assert_called_once()
    assert len(embed.call_args.args[0]) == 1
    changed = Passage.objects.get(content_item=corpus.escalation_tip)
    assert "authority limits" in changed.text
    assert bytes(changed.embedding) != before[changed.source_key]
    unchanged = Passage.objects.exclude(pk=changed.pk)
    assert all(bytes(p.embedding) == before[p.source_key] for p in unchanged)


def test_it_adds_and_removes_passages_with_the_content(corpus):
    unit = cast(Unit, UnitFactory(qualification=corpus.service, synopsis=""))
    ContentItemFactory(unit=unit, kind=ItemKind.TERM, name="FCR", text="First contact resolution.")
    removed_key = f"item:{corpus.escalation_tip.uuid}"
    corpus.escalation_tip.delete()
    result = tutor_index_refresh()
    assert result.created == 1
    assert Passage.objects.filter(unit=unit, section="Key Terminology").exists()
    assert not Passage.objects.filter(source_key=removed_key).exists()


def test_it_deletes_the_passages_of_a_removed_overview_paragraph(corpus):
    corpus.service.overview = "A diploma for people who lead customer service teams."
    corpus.service.save()
    result = tutor_index_refresh(qualification=corpus.service)
    assert (result.deleted, result.embedded) == (1, 0)
    assert (
        Passage.objects.filter(section="Topic Overview", qualification=corpus.service).count() == 1
    )


def test_it_skips_terminology_that_only_repeats_the_objectives(db, embedding_model):
    unit = UnitFactory()
    first = "Understand the customer journey and its touchpoints"
    second = "Understand why some issues need escalation"
    ContentItemFactory(unit=unit, kind=ItemKind.OBJECTIVE, name="", text=first)
    ContentItemFactory(unit=unit, kind=ItemKind.OBJECTIVE, name="", text=second)
    ContentItemFactory(unit=unit, kind=ItemKind.TERM, name="", text=first + second)
    tutor_index_refresh()
    assert not Passage.objects.filter(section="Key Terminology").exists()
    assert Passage.objects.filter(section="Learning Objectives").count() == 2
