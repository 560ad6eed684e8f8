from __future__ import annotations

import io
from contextlib import contextmanager

import pytest
import yaml
from django.core.management import call_command
from django.core.management.base import CommandError
from django.db import transaction

from revisewise.content.models import (
    AwardingBody,
    ContentItem,
    ContentRevision,
    Qualification,
    SourceDocument,
    Subject,
    Unit,
)
from revisewise.content.services import content_import_paths, qualification_export_yaml
from revisewise.content.tests.factories import SEEDS_DIR, ContentItemFactory, UnitFactory


def _content() -> dict[str, list[tuple]]:
    """Everything a round trip must keep, in a comparable form."""
    return {
        "qualifications": sorted(
            Qualification.objects.values_list(
                "uuid", "title", "slug", "subject__name", "awarding_body__name", "level",
                "qualification_type", "reference", "family", "overview",
            )
        ),
        "units": sorted(
            Unit.objects.values_list(
                "uuid", "qualification__uuid", "title", "slug", "synopsis", "position",
                "stated_counts",
            )
        ),
        "items": sorted(
            ContentItem.objects.values_list(
                "uuid", "qualification__uuid", "unit__uuid", "kind", "position", "name", "text",
                "key", "source_file", "source_line",
            )
        ),
    }  # fmt: skip


def _export() -> str:
    return qualification_export_yaml(qualifications=Qualification.objects.all())


@contextmanager
def _forgotten():
    """Run the block in a savepoint that is rolled back, leaving an empty database behind."""
    with transaction.atomic():
        yield
        transaction.set_rollback(True)
    assert Qualification.objects.count() == Subject.objects.count() == 0
    assert AwardingBody.objects.count() == ContentItem.objects.count() == 0


@pytest.fixture
def seeded(db):
    report = content_import_paths(paths=[SEEDS_DIR])
    assert report.errors == []


@pytest.mark.django_db
def test_it_round_trips_the_seed_content_exactly(tmp_path):
    with _forgotten():
        assert content_import_paths(paths=[SEEDS_DIR]).errors == []
        exported = _export()
        before = _content()
    path = tmp_path / "content.yaml"
    path.write_text(exported, encoding="utf-8")

    report = content_import_paths(paths=[path])

    assert report.errors == []
    assert _content() == before
    assert _export() == exported


@pytest.mark.django_db
def test_it_changes_nothing_when_importing_its_own_export(seeded, tmp_path):
    path = tmp_path / "content.yaml"
    path.write_text(_export(), encoding="utf-8")
    before, revisions = _content(), ContentRevision.objects.count()

    report = content_import_paths(paths=[path])

    assert {r.status for r in report.results} == {"unchanged"}
    assert _content() == before
    assert ContentRevision.objects.count() == revisions


@pytest.mark.django_db
def test_it_updates_an_edited_item_in_place_from_yaml(seeded, tmp_path):
    document = next(iter(yaml.safe_load_all(_export())))
    concept = document["units"][0]["items"]["concept"][0]
    concept["text"] = "Meeting or beating what customers expect, measured by SLAs and KPIs."
    path = tmp_path / "edited.yaml"
    path.write_text(yaml.safe_dump(document, allow_unicode=True), encoding="utf-8")

    report = content_import_paths(paths=[path])

    assert report.errors == []
    item = ContentItem.objects.get(uuid=concept["uuid"])
    assert item.text == concept["text"]
    revision = ContentRevision.objects.filter(unit=item.unit).latest("pk")
    assert revision.origin == "yaml:edited.yaml"
    assert concept["text"] in [i["text"] for i in revision.snapshot["items"]]


@pytest.mark.django_db
def test_it_writes_unusual_text_so_that_it_reads_back_unchanged(tmp_path):
    with _forgotten():
        unit = UnitFactory(
            position=0, synopsis="Line one\nline two with trailing space \n\n  indented: #1"
        )
        # The format stores order, not numbers: positions are each item's index in its list.
        ContentItemFactory(
            unit=unit, position=0, name="Quotes 'single' \"double\"", text="<b>bold</b> & 💡"
        )
        ContentItemFactory(unit=unit, position=1, name="- starts like a list", text="null")
        exported = _export()
        before = _content()
    path = tmp_path / "odd.yaml"
    path.write_text(exported, encoding="utf-8")

    content_import_paths(paths=[path])

    assert _content() == before
    assert _export() == exported


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("text", "line", "reason"),
    [
        ("revisewise_content: 1\nqualification: [unclosed\n", 3, "invalid YAML"),
        ("title: Something else\n", 1, "not a canonical content file"),
        (
            "revisewise_content: 1\nqualification:\n  title: Q\n  subject: S\n"
            "  awarding_body: B\nunits:\n- title: U\n  items:\n    gossip:\n    - text: hi\n",
            9,
            "unknown item kind 'gossip'",
        ),
        (
            "revisewise_content: 1\nqualification:\n  title: Q\n  subject: S\n"
            "  awarding_body: B\n  level: 11\n",
            3,
            "'level' must be a number from 1 to 8",
        ),
    ],
    ids=["syntax", "not-canonical", "unknown-kind", "bad-level"],
)
def test_it_refuses_bad_yaml_naming_the_line(tmp_path, text, line, reason):
    path = tmp_path / "bad.yaml"
    path.write_text(text, encoding="utf-8")

    report = content_import_paths(paths=[path])

    assert [(e.file, e.line) for e in report.errors] == [("bad.yaml", line)]
    assert reason in report.errors[0].reason
    assert Qualification.objects.count() == 0
    assert SourceDocument.objects.count() == 0


@pytest.mark.django_db
def test_it_exports_one_qualification_to_a_file(seeded, tmp_path):
    output = tmp_path / "one.yaml"
    slug = "highfield-level-3-diploma-in-customer-service-rqf"

    call_command(
        "export_content", "--qualification", slug, "--output", str(output), stderr=io.StringIO()
    )

    documents = list(yaml.safe_load_all(output.read_text(encoding="utf-8")))
    assert [d["qualification"]["slug"] for d in documents] == [slug]
    assert [u["title"] for u in documents[0]["units"]] == [
        "Understand customers and customer retention",
        "Build and maintain effective customer relations",
    ]


@pytest.mark.django_db
def test_it_prints_every_qualification_without_an_output(seeded):
    out = io.StringIO()

    call_command("export_content", stdout=out)

    assert out.getvalue() == _export()
    assert out.getvalue().count("revisewise_content: 1") == 2


@pytest.mark.django_db
def test_it_refuses_an_unknown_qualification():
    with pytest.raises(CommandError, match="No qualification has the slug 'nope'"):
        call_command("export_content", "--qualification", "nope")


@pytest.mark.django_db
def test_it_makes_listed_units_match_the_yaml_and_keeps_unlisted_units(seeded, tmp_path):
    document = next(iter(yaml.safe_load_all(_export())))
    kept, edited = document["units"]
    del document["units"][0]
    dropped = edited["items"]["tip"].pop()
    path = tmp_path / "partial.yaml"
    path.write_text(yaml.safe_dump(document, allow_unicode=True), encoding="utf-8")

    report = content_import_paths(paths=[path])

    assert [(r.unit_title, r.items_deleted) for r in report.results] == [(edited["title"], 1)]
    assert not ContentItem.objects.filter(uuid=dropped["uuid"]).exists()
    assert Unit.objects.filter(uuid=kept["uuid"]).exists()
    assert Unit.objects.get(uuid=edited["uuid"]).position == 0
