from __future__ import annotations

from collections import Counter

import pytest

from revisewise.content.importers.common import split_objectives
from revisewise.content.importers.page_text import parse_page_text
from revisewise.content.models import (
    ContentItem,
    ItemKind,
    Qualification,
    QualificationType,
    SourceDocument,
    Unit,
)
from revisewise.content.services import content_import_paths
from revisewise.content.tests.factories import copy_seeds, seed_file

QUALIFICATION_A = "highfield-level-3-diploma-for-customer-service-skills-rqf"
QUALIFICATION_B = "highfield-level-3-diploma-in-customer-service-rqf"

UNIT_COUNTS = {
    "customer-journey-knowledge": {
        "concept": 5,
        "objective": 4,
        "criterion": 4,
        "tip": 4,
        "mistake": 4,
        "prerequisite": 3,
        "term": 1,
    },
    "customer-service-performance": {
        "concept": 5,
        "objective": 2,
        "criterion": 4,
        "tip": 4,
        "mistake": 4,
        "prerequisite": 3,
        "term": 1,
    },
    "understand-customers-and-customer-retention": {
        "concept": 5,
        "objective": 3,
        "criterion": 3,
        "tip": 3,
        "mistake": 3,
        "prerequisite": 3,
        "term": 1,
    },
    "build-and-maintain-effective-customer-relations": {
        "concept": 5,
        "objective": 4,
        "criterion": 5,
        "tip": 5,
        "mistake": 5,
        "prerequisite": 3,
        "term": 1,
    },
}


def _line_of(prefix: str, text: str) -> int:
    return next(n for n, line in enumerate(text.splitlines(), 1) if prefix in line)


@pytest.fixture
def seeds(tmp_path):
    return copy_seeds(tmp_path / "seeds", "000", "001", "003", "004")


@pytest.mark.django_db
@pytest.mark.parametrize("slug", list(UNIT_COUNTS))
def test_it_imports_each_kind_of_item_of_every_page(seeds, slug):
    report = content_import_paths(paths=[seeds])

    assert report.errors == []
    unit = Unit.objects.get(slug=slug)
    assert dict(Counter(unit.items.values_list("kind", flat=True))) == UNIT_COUNTS[slug]


@pytest.mark.django_db
def test_it_imports_both_qualifications_as_the_pages_name_them(seeds):
    content_import_paths(paths=[seeds])

    first = Qualification.objects.get(slug=QUALIFICATION_A)
    second = Qualification.objects.get(slug=QUALIFICATION_B)
    assert first.title == "Highfield Level 3 Diploma for Customer Service Skills (RQF)"
    assert second.title == "Highfield Level 3 Diploma in Customer Service (RQF)"
    for qualification in (first, second):
        assert qualification.level == 3
        assert qualification.qualification_type == QualificationType.RQF_DIPLOMA
        assert qualification.family == "End-Point Assessment"
        assert qualification.subject.name == "Business Administration"
        assert qualification.awarding_body.name == "Highfield Qualifications"
    assert list(first.units.values_list("slug", flat=True)) == [
        "customer-journey-knowledge",
        "customer-service-performance",
    ]


@pytest.mark.django_db
def test_it_stores_generic_items_once_on_the_qualification(seeds):
    content_import_paths(paths=[seeds])

    for slug in (QUALIFICATION_A, QUALIFICATION_B):
        shared = ContentItem.objects.filter(qualification__slug=slug, unit__isnull=True)
        assert dict(Counter(shared.values_list("kind", flat=True))) == {
            "tip": 6,
            "misconception": 4,
        }
    polite = ContentItem.objects.filter(name="Customer service is just about being polite.")
    assert polite.count() == 2
    assert set(polite.values_list("qualification__slug", flat=True)) == {
        QUALIFICATION_A,
        QUALIFICATION_B,
    }
    assert not ContentItem.objects.filter(unit__isnull=False, kind=ItemKind.MISCONCEPTION).exists()


@pytest.mark.django_db
def test_it_keeps_the_first_overview_and_later_variants_in_the_source_documents(seeds):
    content_import_paths(paths=[seeds])

    qualification = Qualification.objects.get(slug=QUALIFICATION_A)
    assert qualification.overview.startswith(
        "The Highfield Level 3 Diploma for Customer Service Skills (RQF) is a vocationally-related "
        "qualification designed for individuals seeking"
    )
    assert qualification.overview.count("\n\n") == 2
    later = SourceDocument.objects.get(path=seed_file("001").name)
    assert later.parsed["qualification"]["overview"] != qualification.overview
    assert later.parsed["qualification"]["overview_line"] == 41


@pytest.mark.django_db
def test_it_records_the_file_and_line_each_item_came_from(seeds):
    content_import_paths(paths=[seeds])

    page = seed_file("000")
    text = page.read_text(encoding="utf-8")
    concept = ContentItem.objects.get(name="Complaint Handling")
    assert concept.source_file == page.name
    assert concept.source_line == _line_of("• Complaint Handling:", text)
    tip = ContentItem.objects.get(text__startswith="Always link your answers to the assessment")
    assert tip.unit is None
    assert (tip.source_file, tip.source_line) == (page.name, _line_of("Always link your", text))
    assert not ContentItem.objects.filter(source_file__contains="/").exists()
    assert not ContentItem.objects.filter(source_line__isnull=True).exists()


@pytest.mark.django_db
def test_it_strips_bullets_and_light_bulbs_and_splits_misconceptions(seeds):
    content_import_paths(paths=[seeds])

    unit = Unit.objects.get(slug="customer-journey-knowledge")
    tips = list(unit.items.filter(kind=ItemKind.TIP).values_list("text", flat=True))
    assert tips[0].startswith("In assignments, use specific examples")
    assert not any(t.startswith(("\N{ELECTRIC LIGHT BULB}", "\N{BULLET}")) for t in tips)
    innate = ContentItem.objects.get(kind=ItemKind.MISCONCEPTION, name__contains="innate")
    assert innate.name == "Customer service skills are innate and cannot be learned."
    assert innate.text.startswith("Customer service competencies can be developed")
    concept = unit.items.get(kind=ItemKind.CONCEPT, position=0)
    assert concept.name == "Customer Service Excellence"
    assert concept.text.startswith("Understanding the principles of delivering service")


@pytest.mark.django_db
def test_it_splits_run_together_objectives_on_every_page(seeds):
    content_import_paths(paths=[seeds])

    objectives = list(
        Unit.objects.get(slug="customer-journey-knowledge")
        .items.filter(kind=ItemKind.OBJECTIVE)
        .values_list("text", flat=True)
    )
    assert objectives == [
        "Understand and critically evaluate the possible journeys of your customers, including "
        "challenges and the end-to-end experience",
        "Understand the underpinning business processes that support you in bringing about the "
        "best outcome for customers and your organisation",
        "Understand the reasons why customer issues and complex situations sometimes need "
        "referral or escalation for specialist attention",
        "Understand commercial factors and authority limits for delivering the required customer "
        "experience",
    ]
    retention = Unit.objects.get(slug="understand-customers-and-customer-retention")
    assert list(retention.items.filter(kind="objective").values_list("text", flat=True)) == [
        "Understand Customer Relationship Management (CRM)",
        "Understand customer retention",
        "Understand the measurement of customer satisfaction",
    ]


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        (
            "Maintain a positive relationship with customersWhen managing referrals check history",
            [
                "Maintain a positive relationship with customers",
                "When managing referrals check history",
            ],
        ),
        (
            "Use PowerPoint to present the customer journey",
            ["Use PowerPoint to present the customer journey"],
        ),
        ("Understand retention, loyalty and churn", ["Understand retention, loyalty and churn"]),
        (
            "Understand how to build rapport, Be able to review relationships",
            ["Understand how to build rapport", "Be able to review relationships"],
        ),
    ],
)
def test_it_splits_objectives_only_where_a_new_objective_starts(text, expected):
    assert split_objectives(text) == expected


def test_it_reads_the_page_header_and_judges_where_generic_content_starts():
    page = seed_file("004")
    document = parse_page_text(page.read_text(encoding="utf-8"), path=page.name, sha256="x")

    assert document.unit_title == "Build and maintain effective customer relations"
    assert document.header == {
        "awarding_body": "Highfield Qualifications",
        "family": "End-Point Assessment",
        "subject": "Business Administration",
    }
    assert document.stated_counts["Assessment Criteria"] == 5
    assert document.generic_start == {"Assessment Guidance": 5, "Common Mistakes": 5}
    assert 100 < len(document.teaser) < len(document.synopsis)
    assert document.synopsis.startswith(document.teaser)
    parsed = document.as_parsed()
    assert parsed["format"] == "page_text"
    faq = next(s for s in parsed["sections"] if s["heading"] == "Frequently Asked Questions")
    assert faq == {
        "heading": "Frequently Asked Questions",
        "description": "Common questions students ask about this topic",
        "line": 99,
        "items": [],
    }


@pytest.mark.django_db
def test_it_keeps_key_terminology_that_is_not_a_definition_as_text(seeds):
    content_import_paths(paths=[seeds])

    term = Unit.objects.get(slug="customer-service-performance").items.get(kind=ItemKind.TERM)
    assert term.name == ""
    assert term.text.startswith("Maintain a positive relationship even when")
