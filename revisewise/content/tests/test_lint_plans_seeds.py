"""RW4xx on the demo: the seed pages against the demo assessment plans (demo/plans)."""

from __future__ import annotations

from collections import Counter

import pytest

from revisewise.content.lint.loader import corpus_load
from revisewise.content.lint.runner import corpus_lint
from revisewise.content.services import content_import_paths
from revisewise.content.tests.factories import SEEDS_DIR
from revisewise.epa.services import plans_seed_demo

pytestmark = pytest.mark.django_db
SKILLS = "highfield-level-3-diploma-for-customer-service-skills-rqf"


def test_the_seed_pages_speak_of_exams_and_assignments_the_st0071_plan_does_not_have():
    assert content_import_paths(paths=[SEEDS_DIR]).ok
    plans_seed_demo()

    findings = [f for f in corpus_lint(corpus=corpus_load()).findings if f.code.startswith("RW4")]

    assert Counter((f.code, f.source, f.line) for f in findings) == Counter(
        {
            ("RW404", "000_a80a93741c04f73a.txt", 76): 1,  # "In assignments, ..."
            ("RW404", "000_a80a93741c04f73a.txt", 80): 1,  # "Examiners value ..."
            ("RW404", "002_5b43be73908b6cad.txt", 11): 1,  # the tabbed copy of line 76
            ("RW404", "001_617407023f0cd897.txt", 78): 1,  # "When writing assignments, ..."
            ("RW404", "001_617407023f0cd897.txt", 81): 1,  # "Examiners look for ..."
        }
    )
    assert {f.qualification for f in findings} == {SKILLS}
    # ST0070's qualification has no units, and no seed claims a Merit or a knowledge test.
    assert not [f for f in findings if f.code in {"RW401", "RW402", "RW403"}]
