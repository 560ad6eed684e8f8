from __future__ import annotations

import json
from collections import Counter
from io import StringIO

import pytest
from django.core.management import CommandError, call_command

from revisewise.content.lint import Severity, content_lint
from revisewise.content.lint.loader import corpus_load
from revisewise.content.services import content_import_paths
from revisewise.content.tests.factories import SEEDS_DIR

pytestmark = pytest.mark.django_db

JOURNEY = "customer-journey-knowledge"
PERFORMANCE = "customer-service-performance"
RETENTION = "understand-customers-and-customer-retention"
RELATIONS = "build-and-maintain-effective-customer-relations"
QUALIFICATION = ""

# What the lint finds on the five seed pages: (code, unit) -> how many times.
EXPECTED = {
    ("RW101", JOURNEY): 2,  # objectives run together, and the Key Terminology copy of them
    ("RW101", PERFORMANCE): 2,
    ("RW103", PERFORMANCE): 4,  # synopsis, 'personalized', 'Apologize', 'emphasize'
    ("RW103", RELATIONS): 1,  # 'organizational'
    ("RW104", RETENTION): 1,
    ("RW104", RELATIONS): 1,
    ("RW201", JOURNEY): 1,  # empty FAQ on every page-text seed
    ("RW201", PERFORMANCE): 1,
    ("RW201", RETENTION): 1,
    ("RW201", RELATIONS): 1,
    ("RW202", JOURNEY): 1,  # Key Terminology repeats the Learning Objectives
    ("RW202", PERFORMANCE): 1,
    ("RW202", RETENTION): 1,
    ("RW202", RELATIONS): 1,
    ("RW203", JOURNEY): 1,
    ("RW203", PERFORMANCE): 1,
    ("RW203", RETENTION): 1,
    ("RW203", RELATIONS): 1,
    ("RW204", JOURNEY): 3,  # Learning Outcomes, Assessment Guidance, Key Skills
    ("RW204", PERFORMANCE): 3,
    ("RW204", RETENTION): 3,
    ("RW204", RELATIONS): 3,
    ("RW301", PERFORMANCE): 1,  # LATER spelled out two ways
    ("RW301", RELATIONS): 1,
    ("RW305", PERFORMANCE): 1,  # overviews that differ from the stored one
    ("RW305", RELATIONS): 1,
    ("RW306", QUALIFICATION): 4,  # two misconceptions, corrected differently, per qualification
    ("RW307", QUALIFICATION): 1,  # complaint handling: HEAT on one unit, LATER on others
    ("RW308", QUALIFICATION): 1,  # the qualification is named two ways
    ("RW309", QUALIFICATION): 5,  # RQF (twice), GDPR, SERVQUAL, PDCA never spelled out
}


@pytest.fixture
def seeds_imported():
    report = content_import_paths(paths=[SEEDS_DIR])
    assert report.ok
    assert report.files_imported == 5


def test_it_finds_exactly_the_known_defects_of_the_seed_pages(seeds_imported):
    report = content_lint()
    assert Counter((f.code, f.unit) for f in report.findings) == Counter(EXPECTED)
    assert report.count(Severity.ERROR) == 10


def test_it_finds_later_spelled_out_two_ways_with_both_locations(seeds_imported):
    (performance,) = [
        f for f in content_lint().findings if f.code == "RW301" and f.unit == PERFORMANCE
    ]
    assert performance.source == "001_617407023f0cd897.txt"
    assert performance.line == 53
    assert "'Listen, Apologise, Thank, Explain, Resolve'" in performance.message
    assert "'Listen, Apologise, Thank, Empathise, Resolve'" in performance.message
    assert "004_fb371deb7646f730.txt:52" in performance.message


def test_it_reports_heat_against_later_and_the_american_apology(seeds_imported):
    findings = content_lint().findings
    (models,) = [f for f in findings if f.code == "RW307"]
    assert "taught with HEAT here but with LATER" in models.message
    spelling = " ".join(f.message for f in findings if f.code == "RW103")
    assert "'Apologize' -> 'Apologise'" in spelling
    assert "'personalized' -> 'personalised'" in spelling


def test_it_reports_the_run_together_objectives_the_importer_split(seeds_imported):
    (objectives,) = [
        f
        for f in content_lint().findings
        if f.code == "RW101" and f.unit == JOURNEY and f.section == "Learning Objectives"
    ]
    assert objectives.line == 61
    assert "'experienceUnderstand'" in objectives.message
    assert "4 learning objectives" in objectives.message


def test_it_limits_the_report_to_one_qualification(seeds_imported):
    everything = content_lint()
    slug = next(f.qualification for f in everything.findings if f.unit == RETENTION)
    only = content_lint(qualification_slug=slug)
    assert {f.qualification for f in only.findings} == {slug}
    assert {f.unit for f in only.findings} == {"", RETENTION, RELATIONS}
    assert len(only.findings) < len(everything.findings)


def test_it_prints_json_and_exits_non_zero_on_errors(seeds_imported):
    out = StringIO()
    with pytest.raises(CommandError) as raised:
        call_command("lint_content", "--json", stdout=out)
    assert raised.value.returncode == 1
    findings = json.loads(out.getvalue())
    assert len(findings) == sum(EXPECTED.values())
    assert {"code", "severity", "unit", "message", "section", "source", "line"} <= set(findings[0])
    assert {f["severity"] for f in findings} == {"error", "warning", "info"}


def test_it_refuses_an_unknown_qualification():
    with pytest.raises(CommandError, match="No qualification has the slug 'nope'"):
        call_command("lint_content", "--qualification", "nope", stdout=StringIO())


def test_it_loads_the_corpus_in_a_fixed_number_of_queries(
    seeds_imported, django_assert_num_queries
):
    # The sixth query reads the assessment plans (RW4xx).
    with django_assert_num_queries(6):
        corpus = corpus_load()
    assert sum(len(q.units) for q in corpus.qualifications) == 4
    assert sum(len(u.sources) for q in corpus.qualifications for u in q.units) == 5


def test_it_prints_a_readable_summary():
    out = StringIO()
    call_command("lint_content", stdout=out)
    assert out.getvalue().strip() == "Content lint: 0 error(s), 0 warning(s), 0 note(s)."
