"""The question bank we ship (content/questions/), read straight from its YAML files.

Issue 16's minimums: at least 4 questions for every topic of a technical (or data) module
and 3 for every other topic, as `content_report` counts them (one rule:
`question_minimum`, by the module's `category`); every question a fair one: 3 to 5
distinct options, at least one correct, an explanation, no "all/none of the above", and
no habit of making the right answer the long one.
"""

import re
from collections import Counter
from pathlib import Path

import pytest
import yaml

from careers.content_pack.report import question_minimum
from careers.content_pack.schema import QUESTION_OPTIONS

CONTENT = Path(__file__).resolve().parents[2] / "content"

# A question "gives itself away" when a correct option is more than LONG_RATIO times as
# long as every other option. A few are fair (a formula against short names); the shipped bank
# had 2.4% such questions (21 of 872), rewritten down to 0.6%; it must stay at or under 1%,
# and none may go past twice the length.
LONG_RATIO = 1.5
LONG_SHARE_MAX = 0.01
LONG_RATIO_NEVER = 2.0
# With 4 options a fair bank has the right answer longest about a quarter of the time.
LONGEST_CORRECT_SHARE_MAX = 0.30


def _read(path: Path):
    return yaml.safe_load(path.read_text(encoding="utf-8"))


MODULES = [_read(path) for path in sorted((CONTENT / "modules").glob("*.yaml"))]
QUESTIONS = [
    question
    for path in sorted((CONTENT / "questions").glob("*.yaml"))
    for question in _read(path)["questions"]
]
IDS = [question["slug"] for question in QUESTIONS]


def length_ratio(question: dict) -> float:
    """How many times longer a correct option is than every other option (the largest such
    ratio over the correct options; below 1 when none is the longest)."""
    lengths = [
        (len(option["text"]), option.get("correct", False)) for option in question["options"]
    ]
    return max(
        length / max(other for j, (other, _) in enumerate(lengths) if j != i)
        for i, (length, correct) in enumerate(lengths)
        if correct
    )


def test_every_topic_has_its_minimum_of_questions():
    counts = Counter(question["topic"] for question in QUESTIONS)
    short = {
        topic["slug"]: (counts[topic["slug"]], question_minimum(module["category"]))
        for module in MODULES
        for topic in module["topics"]
        if counts[topic["slug"]] < question_minimum(module["category"])
    }
    assert short == {}, "topic: (questions, minimum)"


def test_technical_modules_need_four_questions_a_topic_and_the_others_three():
    # The rule the test above applies, read from the module's own `category`.
    categories = {module["category"] for module in MODULES}
    assert {question_minimum(category) for category in categories} == {3, 4}
    assert question_minimum("technical") == 4
    assert question_minimum("soft") == question_minimum("ethics") == 3


@pytest.mark.parametrize("question", QUESTIONS, ids=IDS)
def test_each_question_is_well_formed(question):
    low, high = QUESTION_OPTIONS
    texts = [" ".join(option["text"].lower().split()) for option in question["options"]]
    assert low <= len(texts) <= high
    assert any(option.get("correct") for option in question["options"])
    assert len(set(texts)) == len(texts), "an option is listed twice"
    assert len(question.get("explanation", "").split()) >= 8, "explanation missing or bare"
    catch_alls = [t for t in texts if re.search(r"\b(all|none|both|neither) of (the|these)\b", t)]
    assert catch_alls == []


def test_the_right_answer_is_not_the_long_one_by_habit():
    long_ones = [q["slug"] for q in QUESTIONS if length_ratio(q) > LONG_RATIO]
    assert len(long_ones) <= LONG_SHARE_MAX * len(QUESTIONS), long_ones
    assert [q["slug"] for q in QUESTIONS if length_ratio(q) > LONG_RATIO_NEVER] == []
    longest_correct = sum(
        1
        for q in QUESTIONS
        if max(q["options"], key=lambda option: len(option["text"])).get("correct")
    )
    assert longest_correct <= LONGEST_CORRECT_SHARE_MAX * len(QUESTIONS)


def test_the_length_rule_catches_a_giveaway():
    question = {
        "options": [
            {"text": "Yes"},
            {"text": "No"},
            {"text": "Only when the cache is warm and the key was written", "correct": True},
        ]
    }
    assert length_ratio(question) > LONG_RATIO_NEVER
