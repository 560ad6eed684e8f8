from __future__ import annotations

from revisewise.practice.generation import distractors, payloads
from revisewise.practice.generation.validator import validate

SOURCE = (
    "Complaint Handling: Applying a structured approach to resolving customer issues, such as "
    "the 'HEAT' model (Hear, Empathise, Apologise, Take action)."
)
ANSWER = "Applying a structured approach to resolving customer issues."
WRONG = [
    "Formal agreements that define the expected level of service.",
    "Giving team members the authority to make decisions quickly.",
    "Understanding every touchpoint a customer has with a business.",
]


def _single(stem="Which of these best describes complaint handling?", answer=ANSWER, wrong=None):
    payload = payloads.single(answer=answer, distractors=WRONG if wrong is None else wrong)
    return validate(item_type="mcq_single", stem=stem, payload=payload, source_text=SOURCE)


def test_it_accepts_a_sound_single_answer_item():
    assert _single() == []


def test_it_rejects_an_answer_leaked_in_the_stem():
    reasons = _single(stem=f"Complaint handling means: {ANSWER} Which is it?")
    assert "answer leaked in the stem" in reasons


def test_it_rejects_duplicate_options():
    assert "duplicate options" in _single(wrong=[WRONG[0], WRONG[0], WRONG[1]])


def test_it_rejects_options_differing_only_in_case_or_punctuation():
    reasons = _single(wrong=[WRONG[0], WRONG[0].upper().rstrip("."), WRONG[1]])
    assert "options differ only in case or punctuation" in reasons


def test_it_rejects_a_correct_answer_that_is_the_longest_by_a_clear_margin():
    long_answer = ANSWER + " It also covers the impact of effective resolution on retention."
    wrong = ["Formal agreements.", "Delegating decisions.", "Mapping touchpoints."]
    reasons = _single(answer=long_answer, wrong=wrong)
    assert "the correct answer is the longest option by a clear margin" in reasons


def test_it_rejects_two_correct_answers_to_a_single_answer_item():
    reworded = "Applying a structured approach for resolving customer issues."
    reasons = _single(wrong=[reworded, *WRONG[:2]])
    assert "two correct answers: a distractor says the same as the answer" in reasons


def test_it_rejects_a_single_answer_item_whose_key_names_no_option():
    payload = payloads.single(answer=ANSWER, distractors=WRONG)
    payload["answer"] = "missing"
    reasons = validate(
        item_type="mcq_single", stem="Which is right?", payload=payload, source_text=SOURCE
    )
    assert "a single-answer item needs exactly one correct option" in reasons


def test_it_rejects_a_cloze_whose_answer_is_not_in_the_source():
    payload = payloads.cloze(answer="Listen", accepted=[])
    reasons = validate(
        item_type="cloze",
        stem="In the HEAT model, H stands for _____.",
        payload=payload,
        source_text=SOURCE,
    )
    assert reasons == ["cloze answer is not in the source"]


def test_it_accepts_a_cloze_whose_answer_is_in_the_source():
    payload = payloads.cloze(answer="Hear", accepted=[])
    reasons = validate(
        item_type="cloze",
        stem="In the HEAT model, H stands for _____.",
        payload=payload,
        source_text=SOURCE,
    )
    assert reasons == []


def test_it_rejects_an_ordering_with_fewer_than_three_steps():
    reasons = validate(
        item_type="ordering",
        stem="Put the steps of the model in order.",
        payload=payloads.ordering(["Hear", "Empathise"]),
        source_text=SOURCE,
    )
    assert "ordering needs at least 3 steps" in reasons


def test_it_rejects_an_ordering_whose_stem_gives_the_order():
    reasons = validate(
        item_type="ordering",
        stem="Put the steps of 'Acknowledge Apologise Act' in order.",
        payload=payloads.ordering(["Acknowledge", "Apologise", "Act"]),
        source_text=SOURCE,
    )
    assert "answer leaked in the stem" in reasons


def test_it_rejects_empty_and_too_short_stems():
    assert "stem is empty or too short" in _single(stem="")
    assert "stem is empty or too short" in _single(stem="Which?")


def test_it_rejects_a_multi_select_where_every_option_is_correct():
    payload = payloads.multi(answers=["Hear", "Empathise", "Apologise"], distractors=[])
    reasons = validate(
        item_type="mcq_multi",
        stem="Which are steps of the HEAT model?",
        payload=payload,
        source_text=SOURCE,
    )
    assert "every option is correct" in reasons


def test_it_chooses_distractors_of_similar_length_before_rejecting():
    pool = [
        "Short.",
        "Formal agreements that define the expected level of service.",
        "Giving team members the authority to make decisions quickly and efficiently.",
        "Tiny one.",
    ]
    chosen = distractors.choose(answer=ANSWER, pool=pool, count=2)
    assert sorted(chosen) == sorted(pool[1:3])
    assert _single(wrong=chosen) == []


def test_it_never_offers_the_answer_in_other_words_as_a_distractor():
    pool = ["Applying a structured approach to resolving issues of customers.", *WRONG]
    assert pool[0] not in distractors.choose(answer=ANSWER, pool=pool, count=3)
