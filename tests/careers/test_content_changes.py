"""Closed role paths, content that moves without losing progress, content versions, the
changes page and the editors' report."""

from io import StringIO

import pytest
from django.core.management import call_command
from django.urls import reverse

from careers.content_pack import ContentPackError, content_pack_load, content_pack_read
from careers.content_pack.report import content_report
from careers.models import ContentVersion
from learning.models import Topic, TopicState, TopicStateChange
from tests.careers.test_content_pack import DEEP_FILE, PYTHON_FILE, SMALL, pack_data, pack_write
from tests.learning.factories import TopicStateFactory
from tests.shipped_pack import SHIPPED_PACK

pytestmark = pytest.mark.django_db


@pytest.fixture
def loaded():
    content_pack_load(path=SMALL)


def only_problem(path):
    with pytest.raises(ContentPackError) as raised:
        content_pack_read(path)
    [problem] = raised.value.problems
    return problem


# Closed role paths


def test_role_whose_path_leaves_its_modules_is_a_problem_naming_the_chain(tmp_path):
    files = pack_data()
    files["roles.yaml"]["roles"][1]["requirements"]["recommended"] = []  # python-basics

    problem = only_problem(pack_write(tmp_path / "pack", files))

    assert (problem.file, problem.entry) == ("roles.yaml", "roles[1] ai-researcher")
    assert problem.message == (
        "path leaves its modules: neural-networks → python-syntax "
        "(module python-basics, not listed)"
    )


def test_a_prerequisite_in_an_optional_module_keeps_the_path_closed(tmp_path):
    files = pack_data()
    requirements = files["roles.yaml"]["roles"][1]["requirements"]
    requirements["recommended"], requirements["optional"] = [], ["python-basics"]

    content_pack_read(pack_write(tmp_path / "pack", files))


def test_shipped_pack_role_paths_stay_inside_their_modules():
    content_pack_read(SHIPPED_PACK)


# Content that moves


def _renamed(files):
    """python-packages renamed to python-modules."""
    entry = files[PYTHON_FILE]["topics"][1]
    entry["slug"], entry["replaces"] = "python-modules", ["python-packages"]
    prerequisites = files[DEEP_FILE]["topics"][1]["prerequisites"]
    prerequisites[prerequisites.index("python-packages")] = "python-modules"
    return files


def test_renamed_topic_takes_the_learners_state_note_and_old_url(tmp_path, loaded, learner, client):
    old = Topic.objects.get(slug="python-packages")
    state = TopicStateFactory(user=learner, topic=old, note="My notes.")

    report = content_pack_load(path=pack_write(tmp_path / "pack", _renamed(pack_data())))

    new = Topic.objects.get(slug="python-modules")
    state.refresh_from_db()
    assert (state.topic, state.state, state.note) == (new, "done", "My notes.")
    change = TopicStateChange.objects.get(user=learner, topic=new)
    assert (change.state, change.content_version) == ("done", report.version.number)
    assert report.carried_states == 1
    assert report.version.replaced_topics == ["python-packages"]
    assert report.version.added_topics == ["python-modules"]
    response = client.get(
        reverse("learning:topic-detail", kwargs={"module": "python-basics", "topic": old.slug})
    )
    assert response.status_code == 301
    assert response["Location"] == new.get_absolute_url()


def test_loading_a_rename_again_carries_nothing_more(tmp_path, loaded, learner):
    TopicStateFactory(user=learner, topic=Topic.objects.get(slug="python-packages"))
    pack = pack_write(tmp_path / "pack", _renamed(pack_data()))
    content_pack_load(path=pack)

    report = content_pack_load(path=pack)

    assert str(report.total) == "0 created, 0 updated, 0 archived"
    assert report.carried_states == 0 and report.version is None
    assert TopicStateChange.objects.filter(content_version__isnull=False).count() == 1


def test_each_part_of_a_split_topic_gets_the_old_state(tmp_path, loaded, learner):
    TopicStateFactory(
        user=learner, topic=Topic.objects.get(slug="attention-mechanism"), state="learning"
    )
    files = pack_data()
    attention = files[DEEP_FILE]["topics"].pop()
    for part in ("self-attention", "multi-head-attention"):
        files[DEEP_FILE]["topics"].append(attention | {"slug": part})
    files[DEEP_FILE]["split_topics"] = [
        {"slug": "attention-mechanism", "split_into": ["self-attention", "multi-head-attention"]}
    ]

    report = content_pack_load(path=pack_write(tmp_path / "pack", files))

    states = TopicState.objects.filter(user=learner, topic__is_archived=False)
    assert sorted(states.values_list("topic__slug", "state")) == [
        ("multi-head-attention", "learning"),
        ("self-attention", "learning"),
    ]
    assert report.carried_states == 2
    assert TopicState.objects.filter(user=learner, topic__slug="attention-mechanism").exists()


@pytest.mark.parametrize(
    ("syntax", "packages", "merged"),
    [("done", "skipped", "done"), ("done", "learning", "learning"), ("done", None, "learning")],
)
def test_merged_topic_is_done_only_when_every_merged_topic_was(
    tmp_path, loaded, learner, syntax, packages, merged
):
    for slug, state in (("python-syntax", syntax), ("python-packages", packages)):
        if state:
            TopicStateFactory(user=learner, topic=Topic.objects.get(slug=slug), state=state)
    files = pack_data()
    first = files[PYTHON_FILE]["topics"][0]
    files[PYTHON_FILE]["topics"] = [
        first | {"slug": "python-essentials", "replaces": ["python-syntax", "python-packages"]}
    ]
    for entry in files[DEEP_FILE]["topics"]:
        entry["prerequisites"] = [p for p in entry["prerequisites"] if not p.startswith("python")]

    content_pack_load(path=pack_write(tmp_path / "pack", files))

    state = TopicState.objects.get(user=learner, topic__slug="python-essentials")
    assert state.state == merged
    assert (state.completed_at is not None) == (merged == "done")


def _replaces_kept_topic(files):
    files[PYTHON_FILE]["topics"][1]["replaces"] = ["python-syntax"]


def _split_into_unknown_topic(files):
    files[PYTHON_FILE]["split_topics"] = [{"slug": "old-topic", "split_into": ["nowhere"]}]


def _module_replaces_kept_module(files):
    files[PYTHON_FILE]["replaces"] = ["deep-learning"]


@pytest.mark.parametrize(
    ("change", "entry", "message"),
    [
        (
            _replaces_kept_topic,
            "topics[1] python-packages",
            "'replaces' lists 'python-syntax', which is still a topic in the pack",
        ),
        (
            _split_into_unknown_topic,
            "split_topics[0] old-topic",
            "'split_into' refers to unknown topic 'nowhere'",
        ),
        (
            _module_replaces_kept_module,
            "module python-basics",
            "'replaces' lists 'deep-learning', which is still a module in the pack",
        ),
    ],
    ids=lambda value: value.__name__.strip("_") if callable(value) else None,
)
def test_invalid_replacements_are_refused(tmp_path, change, entry, message):
    files = pack_data()
    change(files)

    problem = only_problem(pack_write(tmp_path / "pack", files))

    assert (problem.file, problem.entry) == (PYTHON_FILE, entry)
    assert message in problem.message


def test_renamed_module_redirects_its_old_address(tmp_path, loaded, client):
    files = pack_data()
    files[PYTHON_FILE] |= {"slug": "python-foundations", "replaces": ["python-basics"]}
    for role in files["roles.yaml"]["roles"]:
        for slugs in role["requirements"].values():
            slugs[:] = ["python-foundations" if s == "python-basics" else s for s in slugs]
    files["projects.yaml"]["projects"][0]["modules"][0] = "python-foundations"
    content_pack_load(path=pack_write(tmp_path / "pack", files))

    old_module = client.get(reverse("learning:module-detail", kwargs={"module": "python-basics"}))
    old_topic = client.get(
        reverse(
            "learning:topic-detail", kwargs={"module": "python-basics", "topic": "python-syntax"}
        )
    )

    assert old_module.status_code == 301
    assert old_module["Location"] == "/learn/python-foundations/"
    assert old_topic.status_code == 301
    assert old_topic["Location"] == "/learn/python-foundations/python-syntax/"


def test_unknown_topic_address_is_still_not_found(client, loaded):
    response = client.get(
        reverse("learning:topic-detail", kwargs={"module": "python-basics", "topic": "nope"})
    )

    assert response.status_code == 404


# Content versions and the changes page


def test_only_loads_that_change_content_record_a_version(tmp_path):
    content_pack_load(path=SMALL)
    content_pack_load(path=SMALL)
    files = pack_data()
    files[DEEP_FILE]["topics"].pop()
    content_pack_load(path=pack_write(tmp_path / "pack", files))

    first, second = ContentVersion.objects.order_by("number")
    assert (first.number, first.topics, len(first.added_topics)) == (1, 4, 4)
    assert (second.number, second.topics, second.retired_topics) == (2, 3, ["attention-mechanism"])


def test_changes_page_says_when_nothing_was_recorded(client):
    response = client.get(reverse("careers:change-list"))

    assert response.status_code == 200
    assert "No content updates have been recorded yet." in response.content.decode()


def test_changes_page_lists_versions_newest_first(client, tmp_path):
    content_pack_load(path=SMALL)
    files = pack_data()
    files[DEEP_FILE]["topics"].pop()
    content_pack_load(path=pack_write(tmp_path / "pack", files))

    page = client.get(reverse("careers:change-list")).content.decode()

    assert page.index("Version 2") < page.index("Version 1")
    assert "Retired topics (1)" in page and "attention-mechanism" in page


# Editors' report


def test_content_report_figures_per_role(loaded):
    rows = {row.role: row for row in content_report()}

    engineer, researcher = rows["ml-engineer"], rows["ai-researcher"]
    assert (engineer.core_hours, engineer.path_hours, engineer.recommended_hours) == (27, 27, 0)
    # ai-researcher's core is deep learning (18 h); its path adds both Python topics (9 h),
    # which leaves nothing of its recommended Python module for the optional stretch.
    assert (researcher.core_hours, researcher.path_hours, researcher.recommended_hours) == (
        18,
        27,
        0,
    )
    assert researcher.without_resource == 2  # python-packages, attention-mechanism
    assert researcher.short_descriptions == 4
    assert researcher.leaks == 0


def test_content_report_command_prints_a_table(loaded):
    stdout = StringIO()

    call_command("content_report", stdout=stdout)

    lines = stdout.getvalue().splitlines()
    assert lines[0].split()[:3] == ["role", "core", "h"]
    assert lines[1].startswith("ml-engineer")
    # The question bank follows the whole pack's line (issue 16).
    whole = next(line for line in lines if line.startswith("Whole pack:"))
    assert "without a resource: 2" in whole
    assert lines[-1] == "Question bank: 0 questions; 4 topics under their minimum."
