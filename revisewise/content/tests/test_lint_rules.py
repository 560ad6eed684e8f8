from __future__ import annotations

from revisewise.content.lint.corpus import heading_kind
from revisewise.content.lint.registry import rules_all
from revisewise.content.lint.runner import corpus_lint
from revisewise.content.lint.types import (
    Bullet,
    Corpus,
    Item,
    QualificationDoc,
    Section,
    Severity,
    Source,
    UnitDoc,
)

OBJECTIVES = (
    "Understand and evaluate the journeys of your customersUnderstand the business processes"
    " that support you"
)


def section(heading: str, *texts: str, line: int = 10) -> Section:
    bullets = tuple(Bullet(text, line + 2 + n) for n, text in enumerate(texts))
    return Section(heading=heading, kind=heading_kind(heading), line=line, items=bullets)


def unit(slug: str, *sections: Section, **source_fields: object) -> UnitDoc:
    source = Source(path=f"{slug}.txt", sections=sections, **source_fields)  # type: ignore[arg-type]
    return UnitDoc(slug=slug, title=slug.replace("-", " ").title(), sources=(source,))


def qualification(*units: UnitDoc, slug: str = "diploma", **fields: object) -> QualificationDoc:
    defaults: dict[str, object] = {"title": "Level 3 Diploma in Customer Service", "subject": "BA"}
    return QualificationDoc(slug=slug, units=units, **{**defaults, **fields})  # type: ignore[arg-type]


def findings(*qualifications: QualificationDoc, code: str) -> list[tuple[str, str, str]]:
    report = corpus_lint(corpus=Corpus(qualifications=qualifications))
    return [(f.unit, f.section, f.message) for f in report.findings if f.code == code]


def test_it_registers_every_rule_once_with_a_stable_code_and_reason():
    rules = rules_all()
    codes = [rule.code for rule in rules]
    assert codes == sorted(set(codes))
    assert all(code.startswith("RW") and len(code) == 5 for code in codes)
    assert all(rule.why and rule.title for rule in rules)


def test_it_reports_objectives_run_together_without_a_space():
    found = findings(
        qualification(unit("journey", section("Learning Objectives", OBJECTIVES))), code="RW101"
    )
    assert len(found) == 1
    assert "customersUnderstand" in found[0][2]
    assert "2 learning objectives" in found[0][2]


def test_it_does_not_take_product_names_for_run_together_words():
    text = "Use PowerPoint to present your customers the journey"
    assert (
        findings(qualification(unit("u", section("Assessment Guidance", text))), code="RW101") == []
    )


def test_it_reports_a_bullet_cut_off_mid_word_but_not_a_complete_one():
    tips = section(
        "Assessment Guidance",
        "Map every touchpoint of the journey.",
        "Review all touc",
        "Objectives end without a full stop sometimes",
    )
    found = findings(qualification(unit("u", tips)), code="RW102")
    assert [(f[1], "'touc'" in f[2]) for f in found] == [("Assessment Guidance", True)]


def test_it_does_not_check_the_teaser_which_is_cut_by_design():
    synopsis = "This element covers the customer journey including all touchpoints."
    q = qualification(
        unit(
            "u",
            teaser="This element covers the customer journey including all touc",
            synopsis=synopsis,
        )
    )
    assert findings(q, code="RW102") == []
    assert findings(q, code="RW205") == []


def test_it_reports_a_teaser_that_is_not_the_start_of_the_synopsis():
    q = qualification(unit("u", teaser="Something else entirely", synopsis="This element covers."))
    assert len(findings(q, code="RW205")) == 1


def test_it_reports_american_spelling_and_notes_mixed_spelling_in_one_unit():
    q = qualification(
        unit(
            "u",
            section(
                "Assessment Guidance",
                "Use the 'Acknowledge, Apologize, Act' framework.",
                "Always apologise sincerely.",
            ),
            synopsis="A personalized service.",
        )
    )
    found = sorted(findings(q, code="RW103"), key=lambda f: f[1])
    assert len(found) == 2
    assert "'Apologize' -> 'Apologise'" in found[0][2]
    assert "mixes spellings" in found[0][2]
    assert "'personalized' -> 'personalised'" in found[1][2]
    assert "mixes" not in found[1][2]


def test_it_leaves_words_that_are_spelt_ize_in_british_english_too():
    q = qualification(unit("u", section("Assessment Guidance", "Size the team and seize the day.")))
    assert findings(q, code="RW103") == []


def test_it_reports_several_objectives_separated_by_commas_in_one_bullet():
    text = "Understand customer retention, Understand the measurement of customer satisfaction"
    found = findings(qualification(unit("u", section("Learning Objectives", text))), code="RW104")
    assert len(found) == 1
    assert found[0][2].startswith("2 learning objectives")


def test_it_reports_an_empty_section():
    q = qualification(
        unit("u", section("Frequently Asked Questions"), section("Key Concepts", "A: b"))
    )
    assert [f[1] for f in findings(q, code="RW201")] == ["Frequently Asked Questions"]


def test_it_reports_key_terminology_that_repeats_the_learning_objectives():
    text = "Understand commercial factors and authority limits for delivering the experience"
    q = qualification(
        unit(
            "u",
            section("Learning Objectives", text, line=57),
            section("Key Terminology", text, line=108),
        )
    )
    found = findings(q, code="RW202")
    assert len(found) == 1
    assert found[0][1] == "Key Terminology"
    assert "'Learning Objectives'" in found[0][2]
    assert [f[1] for f in findings(q, code="RW203")] == ["Key Terminology"]


def test_it_accepts_distinct_sections_and_defined_terms():
    q = qualification(
        unit(
            "u",
            section("Learning Objectives", "Understand commercial factors and authority limits"),
            section(
                "Key Terminology",
                "Churn: the share of customers who stop buying in a period.",
                "Net Promoter Score - how likely customers are to recommend you.",
            ),
        )
    )
    assert findings(q, code="RW202") == []
    assert findings(q, code="RW203") == []


def test_it_reports_counters_that_disagree_with_the_content_shown():
    stored = UnitDoc(
        slug="u",
        title="U",
        items=(
            Item("objective", text="One"),
            Item("objective", text="Two"),
            Item("criterion", text="A"),
            Item("tip", text="Own tip"),
        ),
        sources=(
            Source(
                path="u.txt",
                stated_counts={
                    "Learning Outcomes": 1,
                    "Assessment Criteria": 1,
                    "Assessment Guidance": 1,
                    "Key Skills": 4,
                },
            ),
        ),
    )
    q = qualification(stored, shared_items=(Item("tip", text="Shared tip"),))
    messages = sorted(f[2] for f in findings(q, code="RW204"))
    assert messages == [
        "The page states 1 Assessment Guidance but the unit shows 2"
        " (1 for this unit, 1 shared by the qualification).",
        "The page states 1 Learning Outcomes but the unit shows 2.",
        "The page states 4 Key Skills but has no Key Skills section.",
    ]


def test_it_reports_an_acronym_spelled_out_differently_on_two_units():
    first = unit(
        "first",
        section(
            "Key Concepts",
            "Complaints: the 'LATER' model (Listen, Apologise, Thank, Explain, Resolve).",
        ),
    )
    second = unit(
        "second",
        section(
            "Key Concepts",
            "Complaints: the 'LATER' method (Listen, Apologize, Thank, Empathise, Resolve).",
        ),
    )
    same = unit(
        "third",
        section(
            "Key Concepts",
            "Handling: the 'LATER' model (Listen, Apologize, Thank, Explain, Resolve).",
        ),
    )
    found = findings(qualification(first, second, same), code="RW301")
    assert [f[0] for f in found] == ["second"]
    assert "Empathise" in found[0][2]
    assert "'First'" in found[0][2]


def test_it_compares_acronyms_across_qualifications_of_one_subject_only():
    a = qualification(
        unit("a", section("Key Concepts", "CRM: Customer Relationship Management (CRM) systems.")),
        slug="a",
    )
    b = qualification(
        unit("b", section("Key Concepts", "CRM: Customer Retention Method (CRM).")), slug="b"
    )
    other = qualification(
        unit("c", section("Key Concepts", "CRM: Crew Resource Management (CRM).")),
        slug="c",
        subject="Aviation",
    )
    found = findings(a, b, other, code="RW301")
    assert sorted(f[0] for f in found) == ["a", "b"]


def test_it_reports_a_model_whose_steps_do_not_spell_its_name():
    q = qualification(
        unit(
            "u",
            section(
                "Key Concepts",
                "Complaints: the 'HEAT' model (Hear, Listen, Apologise, Take action).",
            ),
        )
    )
    found = findings(q, code="RW302")
    assert len(found) == 1
    assert "spell HLAT, not HEAT" in found[0][2]


def test_it_reports_contradictory_numbers_years_and_grades():
    a = unit(
        "a",
        section(
            "Assessment Guidance",
            "Define at least three KPIs.",
            "The Consumer Rights Act 2015 applies.",
            "Apprentices are graded Pass, Merit or Distinction.",
        ),
    )
    b = unit(
        "b",
        section(
            "Assessment Guidance",
            "Define at least two KPIs and explain them.",
            "The Consumer Rights Act 2015 applies.",
        ),
    )
    c = unit(
        "c",
        section(
            "Key Concepts",
            "Law: the Consumer Rights Act 2016 protects buyers.",
            "Grades: Pass or Distinction only.",
        ),
    )
    found = findings(qualification(a, b, c), code="RW303")
    messages = " ".join(f[2] for f in found)
    assert sorted({f[0] for f in found}) == ["a", "b", "c"]
    assert "'Consumer Rights Act 2016'" in messages
    assert "the grades awarded" in messages
    assert "how many 'kpis' (at least)" in messages


def test_it_compares_an_acts_year_across_qualifications_of_the_subject():
    a = qualification(unit("a", section("Key Concepts", "Law: Equality Act 2010.")), slug="a")
    b = qualification(unit("b", section("Key Concepts", "Law: Equality Act 2012.")), slug="b")
    assert sorted(f[0] for f in findings(a, b, code="RW303")) == ["a", "b"]


def test_it_reports_pages_that_name_the_qualification_differently():
    a = unit("a", qualification_title="Level 3 Diploma in Customer Service")
    b = unit("b", qualification_title="Level 3 Diploma for Customer Service Skills")
    found = findings(qualification(a, b), code="RW304")
    assert [f[0] for f in found] == ["b"]


def test_it_reports_a_page_whose_overview_differs_from_the_stored_one():
    stored = "A diploma for supervisors who lead customer service teams in any sector."
    a = unit("a", overview=stored)
    b = unit("b", overview="Covers core units such as Principles of Customer Service.")
    found = findings(qualification(a, b, overview=stored), code="RW305")
    assert [f[0] for f in found] == ["b"]


def test_it_reports_one_misconception_corrected_differently_on_two_units():
    a = unit(
        "a",
        section(
            "Common Mistakes",
            "Misconception: Complaints are always negative. Correction: They are feedback.",
        ),
    )
    b = unit(
        "b",
        section(
            "Common Mistakes",
            "Misconception: Complaints are always negative. Correction: They can raise loyalty.",
        ),
    )
    found = findings(qualification(a, b), code="RW306")
    assert len(found) == 1
    assert found[0][0] == ""
    assert "2 different ways on 2 units (A, B)" in found[0][2]


def test_it_reports_one_concept_taught_with_different_models():
    a = unit(
        "a",
        section(
            "Key Concepts",
            "Complaint Handling: the 'HEAT' model (Hear, Empathise, Apologise, Take action).",
        ),
    )
    b = unit(
        "b",
        section(
            "Key Concepts",
            "Complaint handling procedures: the 'LATER' model"
            " (Listen, Apologise, Thank, Explain, Resolve).",
        ),
    )
    found = findings(qualification(a, b), code="RW307")
    assert len(found) == 1
    assert "HEAT here but with LATER" in found[0][2]


def test_it_reports_two_qualifications_that_look_like_one():
    a = qualification(
        slug="a", title="Highfield Level 3 Diploma in Customer Service (RQF)", level=3
    )
    b = qualification(
        slug="b", title="Highfield Level 3 Diploma for Customer Service Skills (RQF)", level=3
    )
    c = qualification(slug="c", title="Highfield Level 2 Certificate in Retail", level=2)
    assert [f for f in findings(a, b, c, code="RW308")] != []
    report = corpus_lint(corpus=Corpus(qualifications=(a, b, c)))
    assert [f.qualification for f in report.findings if f.code == "RW308"] == ["b"]


def test_it_notes_acronyms_never_spelled_out_in_the_subject():
    a = unit(
        "a",
        section(
            "Assessment Guidance",
            "Link ideas to PDCA and to CRM.",
            "Customer Relationship Management (CRM) matters.",
        ),
    )
    found = findings(qualification(a), code="RW309")
    assert [f[2] for f in found] == ["PDCA is used but never spelled out in this subject."]


def test_it_gives_each_finding_its_rules_severity_and_filters_by_qualification():
    a = qualification(unit("a", section("Frequently Asked Questions")), slug="a")
    b = qualification(unit("b", section("Frequently Asked Questions")), slug="b", title="Retail")
    report = corpus_lint(corpus=Corpus(qualifications=(a, b)), qualification_slug="b")
    assert [(f.code, f.severity, f.unit) for f in report.findings] == [
        ("RW201", Severity.WARNING, "b")
    ]
    assert not report.has_errors


def test_it_checks_the_stored_items_of_a_unit_written_without_a_page():
    objective = "Understand commercial factors and authority limits for delivering the experience"
    written = UnitDoc(
        slug="written",
        title="Written in the admin",
        items=(
            Item("objective", text=objective, source="", line=None),
            Item("term", text=objective),
        ),
    )
    found = findings(qualification(written), code="RW202")
    assert [(f[0], f[1]) for f in found] == [("written", "Key Terminology")]


def test_it_reports_a_tabbed_page_that_disagrees_with_the_page_of_its_unit():
    page = Source(
        path="000.txt",
        synopsis="This element covers the customer journey.",
        sections=(section("Assessment Guidance", "💡Map the journey.", "💡Cite policy."),),
    )
    tabbed = Source(
        path="002.txt",
        synopsis="This element covers the customer journey.",
        sections=(section("Exam Tips & Revision Strategies", "Map the journey.", "Guess."),),
    )
    journey = UnitDoc(slug="journey", title="Journey", sources=(page, tabbed))
    found = findings(qualification(journey), code="RW206")
    assert found == [
        (
            "journey",
            "Exam Tips & Revision Strategies",
            "This bullet is not in the same section of 000.txt: 'Guess.'.",
        )
    ]
