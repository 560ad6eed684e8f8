from __future__ import annotations

import math

import pytest

from revisewise.tutor.lexical import BM25, Analyser, learn_acronyms, stem


def test_it_joins_word_forms_and_spellings_on_one_stem():
    assert stem("escalation") == stem("escalate") == stem("escalating")
    assert stem("organisation") == stem("organization")
    assert stem("complaints") == stem("complaint")


def test_it_learns_acronyms_from_their_spelt_out_form():
    acronyms = learn_acronyms(
        [
            "Measures such as Customer Satisfaction Score (CSAT) "
            "and key performance indicators (KPIs)."
        ]
    )
    assert acronyms["csat"] == (stem("customer"), stem("satisfaction"), stem("score"))
    assert acronyms["kpi"] == (stem("key"), stem("performance"), stem("indicators"))


def test_it_expands_acronyms_both_ways():
    analyser = Analyser(learn_acronyms(["Net Promoter Score (NPS)"]))
    assert "nps" in analyser.terms("the net promoter score")
    assert stem("promoter") in analyser.terms("what is NPS?")
    assert "nps" in analyser.terms("are NPSs useful")


def test_it_scores_bm25_as_the_formula_says():
    documents = ["escalate complaints", "praise staff", "praise praise customers"]
    bm25 = BM25(documents, analyser=Analyser(), k1=1.2, b=0.75)
    scores = bm25.scores("praise")
    average_length = 7 / 3
    idf = math.log(1 + (3 - 2 + 0.5) / (2 + 0.5))
    norm_short = 1.2 * (1 - 0.75 + 0.75 * 2 / average_length)
    norm_long = 1.2 * (1 - 0.75 + 0.75 * 3 / average_length)
    assert scores[0] == 0.0
    assert scores[1] == pytest.approx(idf * 1 * 2.2 / (1 + norm_short))
    assert scores[2] == pytest.approx(idf * 2 * 2.2 / (2 + norm_long))
    assert scores[2] > scores[1]


def test_it_ranks_the_rarer_term_higher():
    bm25 = BM25(
        ["customer complaint", "customer loyalty", "customer escalation"], analyser=Analyser()
    )
    scores = bm25.scores("customer escalation")
    assert scores.index(max(scores)) == 2


def test_it_ignores_stopwords_in_questions():
    assert Analyser().terms("what is the") == []
