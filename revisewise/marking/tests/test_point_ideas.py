from __future__ import annotations

import pytest

from revisewise.marking import text as t

JOURNEY = (
    "Demonstrating a detailed mapping of a customer journey, identifying key touchpoints, "
    "potential friction areas, and emotional highs and lows."
)


def test_it_splits_an_assessor_list_into_its_ideas_without_the_framing():
    assert t.point_ideas(JOURNEY) == (
        "mapping of a customer journey",
        "identifying key touchpoints",
        "potential friction areas",
        "emotional highs and lows",
    )


@pytest.mark.parametrize(
    ("point", "ideas"),
    [
        (
            "Clearly defining CRM and explaining how it supports customer retention.",
            ("defining CRM", "explaining how it supports customer retention"),
        ),
        (
            "Robust evidence of gathering and analysing customer feedback (e.g., surveys, "
            "complaints), identifying areas for development, and implementing action plans.",
            (
                "gathering and analysing customer feedback (e.g., surveys, complaints)",
                "identifying areas for development",
                "implementing action plans",
            ),
        ),
        (
            "Articulating clear escalation criteria based on issue complexity, risk, and "
            "authority limits, referencing organisational policy.",
            (
                "clear escalation criteria based on issue complexity, risk, and authority limits",
                "referencing organisational policy",
            ),
        ),
    ],
)
def test_short_list_items_and_bracketed_examples_stay_with_their_idea(point, ideas):
    assert t.point_ideas(point) == ideas


@pytest.mark.parametrize(
    "point",
    [
        "Apologise for the inconvenience",
        "Explaining how specific business processes (e.g., order fulfilment, complaint "
        "handling) enable or hinder optimal customer outcomes, with suggested improvements.",
    ],
)
def test_a_point_with_one_idea_stays_whole(point):
    assert t.point_ideas(point) == (point,)


def test_connective_pieces_and_sentence_windows_keep_exact_offsets():
    answer = "Stay calm and positive, then move on. Offer a refund so they stay. Thank them."
    spans = t.clauses(answer)
    pieces = t.connective_pieces(answer, spans)
    windows = t.sentence_windows(answer)
    assert [p.text for p in pieces] == [
        "Stay calm",
        "positive",
        "move on",
        "Offer a refund",
        "they stay",
    ]
    assert [w.text for w in windows] == [
        "Stay calm and positive, then move on. Offer a refund so they stay",
        "Offer a refund so they stay. Thank them",
    ]
    for span in [*pieces, *windows]:
        assert answer[span.start : span.end] == span.text
