"""The question bank in the content pack: validated, upserted by slug (retired, never
deleted), exported byte for byte, reported per module and topic."""

import shutil
from io import StringIO
from pathlib import Path

import pytest
import yaml
from django.core.management import call_command

from careers.content_pack import (
    ContentPackError,
    content_pack_export,
    content_pack_load,
    content_pack_read,
)
from careers.content_pack.report import question_report
from learning.checks import topic_check_start
from learning.models import Question, Topic

pytestmark = pytest.mark.django_db

PACK = Path(__file__).resolve().parent.parent / "fixtures" / "content_packs" / "with_questions"
QUESTIONS_FILE = "questions/python-basics.yaml"


@pytest.fixture
def pack(tmp_path) -> Path:
    root = tmp_path / "pack"
    shutil.copytree(PACK, root)
    return root


def questions_edit(root: Path, change) -> None:
    path = root / QUESTIONS_FILE
    data = yaml.safe_load(path.read_text())
    change(data)
    path.write_text(yaml.safe_dump(data, sort_keys=False))


def problems(root: Path) -> list[str]:
    with pytest.raises(ContentPackError) as error:
        content_pack_read(root)
    return [str(problem) for problem in error.value.problems]


def test_load_creates_the_questions_with_their_options():
    report = content_pack_load(path=PACK)

    assert str(report.questions) == "3 created, 0 updated, 0 archived"
    question = Question.objects.get(slug="python-syntax-2")
    assert question.topic.slug == "python-syntax"
    assert question.correct_indexes == [0, 1] and question.is_multiple
    assert question.resource_url == "https://docs.python.org/3/tutorial/"
    assert [option["text"] for option in question.options][2].startswith("function total")


def test_loading_twice_changes_nothing():
    content_pack_load(path=PACK)
    report = content_pack_load(path=PACK)
    assert str(report.total) == "0 created, 0 updated, 0 archived"


def test_a_question_left_out_is_retired_and_its_attempts_keep_it(pack, learner):
    content_pack_load(path=pack)
    attempt = topic_check_start(user=learner, topic=Topic.objects.get(slug="python-packages"))
    questions_edit(pack, lambda data: data["questions"].pop())

    report = content_pack_load(path=pack)

    assert str(report.questions) == "0 created, 0 updated, 1 archived"
    retired = Question.objects.get(slug="python-packages-1")
    assert retired.is_archived
    assert attempt.answers.get().question == retired
    assert not Question.objects.active().filter(slug="python-packages-1").exists()


def test_a_changed_explanation_is_one_update(pack):
    content_pack_load(path=pack)
    questions_edit(pack, lambda data: data["questions"][0].update(explanation="Plainer."))

    report = content_pack_load(path=pack)

    assert str(report.questions) == "0 created, 1 updated, 0 archived"
    assert Question.objects.get(slug="python-syntax-1").explanation == "Plainer."


def test_export_round_trips_with_identical_bytes(tmp_path):
    content_pack_load(path=PACK)
    first = content_pack_export(path=tmp_path / "first")
    content_pack_load(path=tmp_path / "first")
    content_pack_export(path=tmp_path / "second")

    exported = {
        p.relative_to(root).as_posix(): p.read_bytes()
        for root in [tmp_path / "first"]
        for p in root.rglob("*.yaml")
    }
    again = {
        p.relative_to(tmp_path / "second").as_posix(): p.read_bytes()
        for p in (tmp_path / "second").rglob("*.yaml")
    }
    assert QUESTIONS_FILE in exported and len(first) == 5
    assert exported == again
    assert yaml.safe_load(exported[QUESTIONS_FILE]) == yaml.safe_load(
        (PACK / QUESTIONS_FILE).read_text()
    )
    assert str(content_pack_load(path=tmp_path / "first").total) == (
        "0 created, 0 updated, 0 archived"
    )


@pytest.mark.parametrize(
    ("change", "message"),
    [
        (
            lambda d: d["questions"][0]["options"].pop(),
            "questions[0] python-syntax-1: has 2 options; a question has 3 to 5",
        ),
        (
            lambda d: d["questions"][0]["options"][1].pop("correct"),
            "questions[0] python-syntax-1: has no correct option",
        ),
        (
            lambda d: d["questions"][2]["options"][1].update(text="from utils.text import clean"),
            "questions[2] python-packages-1: lists the option 'from utils.text import clean' twice",
        ),
        (
            lambda d: d["questions"][0].pop("explanation"),
            "questions[0] python-syntax-1: missing required key 'explanation'",
        ),
        (
            lambda d: d["questions"][0].update(explanation="  "),
            "questions[0] python-syntax-1: 'explanation' must not be empty",
        ),
        (
            lambda d: d["questions"][0].update(topic="neural-networks"),
            "questions[0] python-syntax-1: 'topic' 'neural-networks' is a topic of module "
            "'deep-learning', not 'python-basics'",
        ),
        (
            lambda d: d["questions"][0].update(topic="no-such-topic"),
            "questions[0] python-syntax-1: 'topic' refers to unknown topic 'no-such-topic'",
        ),
        (
            lambda d: d["questions"][1].update(slug="python-syntax-1"),
            "questions[1] python-syntax-1: duplicate question slug 'python-syntax-1'",
        ),
        (
            lambda d: d["questions"][0].update(prompt="x" * 401),
            "questions[0] python-syntax-1: 'prompt' is 401 characters long; "
            "the most allowed is 400",
        ),
        (
            lambda d: d["questions"][0]["options"][0].update(colour="red"),
            "questions[0] python-syntax-1: unknown key 'options[0].colour'",
        ),
    ],
)
def test_bad_questions_are_reported_by_file_and_entry(pack, change, message):
    questions_edit(pack, change)

    found = problems(pack)

    assert any(line.startswith(f"{QUESTIONS_FILE}: {message}") for line in found), found


def test_a_questions_file_must_be_named_after_a_known_module(pack):
    questions_edit(pack, lambda d: d.update(module="deep-learning"))
    (pack / "questions" / "nowhere.yaml").write_text("module: nowhere\nquestions: []\n")

    found = problems(pack)

    assert any("belong in questions/deep-learning.yaml" in line for line in found), found


def test_report_counts_questions_per_topic_and_names_topics_under_the_minimum():
    content_pack_load(path=PACK)

    rows = {row.module: row for row in question_report()}

    assert rows["python-basics"].topics == [("python-syntax", 2), ("python-packages", 1)]
    assert rows["python-basics"].minimum == 4
    assert [slug for slug, _ in rows["deep-learning"].under_minimum] == [
        "neural-networks",
        "attention-mechanism",
    ]
    out = StringIO()
    call_command("content_report", stdout=out)
    assert "python-basics: 3 questions over 2 topics (minimum 4 each; 2 topics under it)" in (
        out.getvalue()
    )
    assert "  python-packages: 1  < minimum" in out.getvalue()
