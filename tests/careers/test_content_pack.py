import shutil
from io import StringIO
from pathlib import Path

import pytest
import yaml
from django.core.management import CommandError, call_command

from careers.content_pack import (
    ContentPackError,
    Problem,
    content_pack_export,
    content_pack_load,
    content_pack_read,
)
from careers.models import Responsibility, Role, RoleRequirement
from learning.models import Module, ProjectIdea, Resource, Topic, TopicState
from tests.learning.factories import TopicStateFactory

pytestmark = pytest.mark.django_db

PACKS = Path(__file__).resolve().parent.parent / "fixtures" / "content_packs"
SMALL = PACKS / "small"
PYTHON_FILE = "modules/01-python-basics.yaml"
DEEP_FILE = "modules/02-deep-learning.yaml"


def pack_data(source: Path = SMALL) -> dict[str, object]:
    """The parsed files of a pack, by path relative to the pack, to change and write back."""
    return {
        path.relative_to(source).as_posix(): yaml.safe_load(path.read_text())
        for path in sorted(source.rglob("*.yaml"))
    }


def pack_write(root: Path, files: dict[str, object]) -> Path:
    """Write `files` (relative path -> data, or raw text) as a pack in a fresh directory."""
    if root.exists():
        shutil.rmtree(root)
    for name, data in files.items():
        path = root / name
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(data if isinstance(data, str) else yaml.safe_dump(data, sort_keys=False))
    return root


def topic(files, slug) -> dict:
    for name, data in files.items():
        if name.startswith("modules/"):
            for entry in data["topics"]:
                if entry["slug"] == slug:
                    return entry
    raise KeyError(slug)


def database_snapshot() -> dict:
    """Everything the loader may write, to prove a failed load wrote nothing."""
    return {
        "roles": list(Role.objects.values_list("slug", "title", "is_archived", "updated_at")),
        "responsibilities": list(Responsibility.objects.values_list("role_id", "text", "order")),
        "requirements": list(
            RoleRequirement.objects.values_list("role_id", "module_id", "importance")
        ),
        "leads_to": list(Role.leads_to.through.objects.values_list("from_role", "to_role")),
        "modules": list(Module.objects.values_list("slug", "title", "is_archived", "updated_at")),
        "topics": list(Topic.objects.values_list("slug", "title", "is_archived", "updated_at")),
        "prerequisites": list(
            Topic.prerequisites.through.objects.values_list("from_topic", "to_topic")
        ),
        "resources": list(Resource.objects.values_list("topic_id", "url", "order")),
        "projects": list(
            ProjectIdea.objects.values_list("slug", "title", "is_archived", "updated_at")
        ),
        "project_links": list(ProjectIdea.modules.through.objects.values_list("pk"))
        + list(Role.project_ideas.through.objects.values_list("pk")),
    }


@pytest.fixture
def loaded():
    """The small pack, loaded."""
    content_pack_load(path=SMALL)


# Validation: each kind of problem names its file and entry, and nothing is written


def _unknown_role_key(files):
    files["roles.yaml"]["roles"][0]["titel"] = "Typo"


def _missing_topic_hours(files):
    del topic(files, "neural-networks")["hours"]


def _title_not_text(files):
    files[PYTHON_FILE]["title"] = 42


def _bad_focus(files):
    files["roles.yaml"]["roles"][1]["focus"] = "reserch"


def _bad_resource_kind(files):
    topic(files, "python-syntax")["resources"][0]["kind"] = "podcast"


def _unknown_leads_to(files):
    files["roles.yaml"]["roles"][0]["leads_to"] = ["astronaut"]


def _unknown_required_module(files):
    files["roles.yaml"]["roles"][1]["requirements"]["optional"] = ["knitting"]


def _unknown_prerequisite(files):
    topic(files, "attention-mechanism")["prerequisites"].append("linear-algebra")


def _unknown_project_module(files):
    files["projects.yaml"]["projects"][1]["modules"].append("knitting")


def _unknown_project_role(files):
    files["projects.yaml"]["projects"][0]["roles"].append("astronaut")


def _duplicate_role(files):
    files["roles.yaml"]["roles"].append(dict(files["roles.yaml"]["roles"][0]))


def _duplicate_module(files):
    files["modules/03-copy.yaml"] = dict(files[PYTHON_FILE], topics=[])


def _duplicate_topic_across_files(files):
    files[DEEP_FILE]["topics"].append(dict(topic(files, "python-syntax")))


def _duplicate_project(files):
    files["projects.yaml"]["projects"].append(dict(files["projects.yaml"]["projects"][0]))


def _module_required_twice(files):
    files["roles.yaml"]["roles"][1]["requirements"]["optional"] = ["deep-learning"]


def _prerequisite_cycle(files):
    topic(files, "python-syntax")["prerequisites"] = ["attention-mechanism"]
    topic(files, "attention-mechanism")["prerequisites"] = ["neural-networks"]


def _own_prerequisite(files):
    topic(files, "python-packages")["prerequisites"] = ["python-packages"]


def _ftp_url(files):
    topic(files, "neural-networks")["resources"][1]["url"] = "ftp://course.fast.ai/"


def _zero_hours(files):
    topic(files, "attention-mechanism")["hours"] = 0


def _fractional_hours(files):
    files["projects.yaml"]["projects"][0]["hours"] = 2.5


def _salary_min_above_max(files):
    files["roles.yaml"]["roles"][0]["salary_min"] = 200_000


def _title_too_long(files):
    files["roles.yaml"]["roles"][0]["title"] = "x" * 121


def _yaml_syntax_error(files):
    files[DEEP_FILE] = "slug: deep-learning\ntitle: [unclosed\ncategory: technical\n"


def _missing_projects_file(files):
    del files["projects.yaml"]


def _empty_roles_file(files):
    files["roles.yaml"] = ""


def _key_given_twice(files):
    module = yaml.safe_dump(files[PYTHON_FILE], sort_keys=False)
    files[PYTHON_FILE] = "title: Python basics again\n" + module  # slug, then title again


INVALID_PACKS = [
    (_unknown_role_key, "roles.yaml", "roles[0] ml-engineer", "unknown key 'titel'"),
    (
        _missing_topic_hours,
        DEEP_FILE,
        "topics[0] neural-networks",
        "missing required key 'hours'",
    ),
    (_title_not_text, PYTHON_FILE, "module python-basics", "'title' must be text, not 42"),
    (_bad_focus, "roles.yaml", "roles[1] ai-researcher", "'focus' must be one of"),
    (
        _bad_resource_kind,
        PYTHON_FILE,
        "topics[0] python-syntax resources[0]",
        "'kind' must be one of",
    ),
    (
        _unknown_leads_to,
        "roles.yaml",
        "roles[0] ml-engineer",
        "'leads_to' refers to unknown role 'astronaut'",
    ),
    (
        _unknown_required_module,
        "roles.yaml",
        "roles[1] ai-researcher",
        "'requirements.optional' refers to unknown module 'knitting'",
    ),
    (
        _unknown_prerequisite,
        DEEP_FILE,
        "topics[1] attention-mechanism",
        "'prerequisites' refers to unknown topic 'linear-algebra'",
    ),
    (
        _unknown_project_module,
        "projects.yaml",
        "projects[1] paper-reproduction",
        "'modules' refers to unknown module 'knitting'",
    ),
    (
        _unknown_project_role,
        "projects.yaml",
        "projects[0] image-classifier",
        "'roles' refers to unknown role 'astronaut'",
    ),
    (
        _duplicate_role,
        "roles.yaml",
        "roles[2] ml-engineer",
        "duplicate role slug 'ml-engineer' (first used in roles.yaml roles[0] ml-engineer)",
    ),
    (
        _duplicate_module,
        "modules/03-copy.yaml",
        "module python-basics",
        f"duplicate module slug 'python-basics' (first used in {PYTHON_FILE}",
    ),
    (
        _duplicate_topic_across_files,
        DEEP_FILE,
        "topics[2] python-syntax",
        f"duplicate topic slug 'python-syntax' (first used in {PYTHON_FILE} topics[0]",
    ),
    (
        _duplicate_project,
        "projects.yaml",
        "projects[2] image-classifier",
        "duplicate project slug 'image-classifier'",
    ),
    (
        _module_required_twice,
        "roles.yaml",
        "roles[1] ai-researcher",
        "module 'deep-learning' is required twice (core and optional)",
    ),
    (
        _prerequisite_cycle,
        PYTHON_FILE,
        "topics[0] python-syntax",
        "prerequisite cycle: python-syntax -> attention-mechanism -> neural-networks "
        "-> python-syntax",
    ),
    (
        _own_prerequisite,
        PYTHON_FILE,
        "topics[1] python-packages",
        "prerequisite cycle: python-packages -> python-packages",
    ),
    (
        _ftp_url,
        DEEP_FILE,
        "topics[0] neural-networks resources[1]",
        "'url' must be an http:// or https:// address, not 'ftp://course.fast.ai/'",
    ),
    (
        _zero_hours,
        DEEP_FILE,
        "topics[1] attention-mechanism",
        "'hours' must be a positive integer, not 0",
    ),
    (
        _fractional_hours,
        "projects.yaml",
        "projects[0] image-classifier",
        "'hours' must be a positive integer, not 2.5",
    ),
    (
        _salary_min_above_max,
        "roles.yaml",
        "roles[0] ml-engineer",
        "'salary_min' (200000) is above 'salary_max' (180000)",
    ),
    (
        _title_too_long,
        "roles.yaml",
        "roles[0] ml-engineer",
        "'title' is 121 characters long; the most allowed is 120",
    ),
    (_yaml_syntax_error, DEEP_FILE, "line 3", "YAML syntax error"),
    (_missing_projects_file, "projects.yaml", "", "the file is missing"),
    (_empty_roles_file, "roles.yaml", "", "must be a mapping with a 'roles' list, not empty"),
    (_key_given_twice, PYTHON_FILE, "line 3", "duplicate key 'title'"),
]


@pytest.mark.parametrize(
    ("change", "file", "entry", "message"),
    INVALID_PACKS,
    ids=[case[0].__name__.strip("_") for case in INVALID_PACKS],
)
def test_invalid_pack_reports_problem_with_file_and_entry_and_writes_nothing(
    tmp_path, loaded, change, file, entry, message
):
    files = pack_data()
    change(files)
    pack = pack_write(tmp_path / "pack", files)
    before = database_snapshot()

    with pytest.raises(ContentPackError) as raised:
        content_pack_load(path=pack)

    problems = raised.value.problems
    assert len(problems) == 1, problems
    assert problems[0].file == file
    assert problems[0].entry == entry
    assert message in problems[0].message
    assert database_snapshot() == before


def test_every_problem_is_reported_at_once():
    with pytest.raises(ContentPackError) as raised:
        content_pack_read(PACKS / "three_problems")

    problems = raised.value.problems
    assert [(problem.file, problem.entry) for problem in problems] == [
        ("roles.yaml", "roles[1] ai-researcher"),
        (DEEP_FILE, "topics[0] neural-networks resources[1]"),
        (DEEP_FILE, "topics[1] attention-mechanism"),
    ]
    assert str(raised.value).splitlines() == [str(problem) for problem in problems]


def test_problem_reads_as_file_entry_and_message():
    problem = Problem("roles.yaml", "roles[3] ai-ethicist", "unknown key 'titel'")

    assert str(problem) == "roles.yaml: roles[3] ai-ethicist: unknown key 'titel'"


def test_yaml_syntax_error_names_the_line(tmp_path):
    files = pack_data()
    files["roles.yaml"] = "roles:\n  - slug: a\n    title: b\n   focus: c\n"

    with pytest.raises(ContentPackError) as raised:
        content_pack_read(pack_write(tmp_path / "pack", files))

    [problem] = raised.value.problems
    assert problem.entry == "line 4"


def test_long_prerequisite_chain_is_validated_without_recursion_error(tmp_path):
    files = pack_data()
    chain = [
        {"slug": f"step-{n}", "title": f"Step {n}", "description": "A step.", "hours": 1}
        | {"level": "beginner", "prerequisites": [f"step-{n - 1}"] if n else []}
        for n in range(3000)
    ]
    files[PYTHON_FILE]["topics"].extend(chain)

    pack = content_pack_read(pack_write(tmp_path / "pack", files))

    assert len(pack.topics) == 3004


# Loading


def test_load_creates_everything_in_the_pack():
    report = content_pack_load(path=SMALL)

    assert str(report.total) == "10 created, 0 updated, 0 archived"
    assert report.topics.created == 4
    engineer = Role.objects.get(slug="ml-engineer")
    assert list(engineer.responsibilities.values_list("text", flat=True)) == [
        "Train and evaluate models.",
        "Deploy models to production.",
    ]
    assert set(engineer.requirements.values_list("module__slug", "importance")) == {
        ("python-basics", "core"),
        ("deep-learning", "core"),
    }
    assert list(engineer.leads_to.values_list("slug", flat=True)) == ["ai-researcher"]
    attention = Topic.objects.get(slug="attention-mechanism")
    assert attention.module.slug == "deep-learning"
    assert set(attention.prerequisites.values_list("slug", flat=True)) == {
        "python-packages",
        "neural-networks",
    }
    assert list(
        Topic.objects.filter(module__slug="deep-learning").values_list("slug", flat=True)
    ) == ["neural-networks", "attention-mechanism"]
    assert list(
        Resource.objects.filter(topic__slug="neural-networks").values_list("kind", flat=True)
    ) == ["book", "course"]
    project = ProjectIdea.objects.get(slug="image-classifier")
    assert set(project.modules.values_list("slug", flat=True)) == {"python-basics", "deep-learning"}
    assert list(project.roles.values_list("slug", flat=True)) == ["ml-engineer"]


def test_loading_the_same_pack_twice_changes_nothing(loaded):
    before = database_snapshot()

    report = content_pack_load(path=SMALL)

    assert str(report.total) == "0 created, 0 updated, 0 archived"
    assert not report.changed
    assert database_snapshot() == before


def test_changed_title_counts_as_one_update(tmp_path, loaded):
    files = pack_data()
    topic(files, "neural-networks")["title"] = "Neural networks from scratch"

    report = content_pack_load(path=pack_write(tmp_path / "pack", files))

    assert str(report.total) == "0 created, 1 updated, 0 archived"
    assert report.topics.updated == 1
    assert Topic.objects.get(slug="neural-networks").title == "Neural networks from scratch"


def _new_resource(files):
    topic(files, "python-packages")["resources"].append(
        {"title": "Packaging guide", "url": "https://packaging.python.org/", "kind": "tool"}
        | {"free": True}
    )


def _dropped_prerequisite(files):
    topic(files, "attention-mechanism")["prerequisites"].remove("python-packages")


def _reordered_responsibilities(files):
    files["roles.yaml"]["roles"][0]["responsibilities"].reverse()


def _requirement_importance(files):
    files["roles.yaml"]["roles"][1]["requirements"]["recommended"] = []
    files["roles.yaml"]["roles"][1]["requirements"]["optional"] = ["python-basics"]


def _new_leads_to(files):
    files["roles.yaml"]["roles"][1]["leads_to"] = ["ml-engineer"]


def _project_role_added(files):
    files["projects.yaml"]["projects"][1]["roles"].append("ml-engineer")


@pytest.mark.parametrize(
    ("change", "kind"),
    [
        (_new_resource, "topics"),
        (_dropped_prerequisite, "topics"),
        (_reordered_responsibilities, "roles"),
        (_requirement_importance, "roles"),
        (_new_leads_to, "roles"),
        (_project_role_added, "projects"),
    ],
    ids=lambda value: value.__name__.strip("_") if callable(value) else value,
)
def test_changed_children_or_links_count_as_one_update_of_their_owner(
    tmp_path, loaded, change, kind
):
    files = pack_data()
    change(files)
    pack = pack_write(tmp_path / "pack", files)

    report = content_pack_load(path=pack)

    assert str(report.total) == "0 created, 1 updated, 0 archived"
    assert getattr(report, kind).updated == 1
    assert str(content_pack_load(path=pack).total) == "0 created, 0 updated, 0 archived"


def test_changed_children_are_replaced_to_match_the_pack(tmp_path, loaded):
    files = pack_data()
    files["roles.yaml"]["roles"][0]["responsibilities"] = ["Only this now."]
    topic(files, "neural-networks")["resources"].pop(0)

    content_pack_load(path=pack_write(tmp_path / "pack", files))

    engineer = Role.objects.get(slug="ml-engineer")
    assert list(engineer.responsibilities.values_list("text", "order")) == [("Only this now.", 0)]
    assert list(
        Resource.objects.filter(topic__slug="neural-networks").values_list("title", "order")
    ) == [("Practical Deep Learning", 0)]


def test_topic_dropped_from_pack_is_archived_and_learners_history_survives(
    tmp_path, loaded, learner
):
    attention = Topic.objects.get(slug="attention-mechanism")
    TopicStateFactory(user=learner, topic=attention)
    files = pack_data()
    files[DEEP_FILE]["topics"].pop()

    report = content_pack_load(path=pack_write(tmp_path / "pack", files))

    assert str(report.total) == "0 created, 0 updated, 1 archived"
    attention.refresh_from_db()
    assert attention.is_archived
    assert TopicState.objects.filter(user=learner, topic=attention).exists()


def test_module_dropped_from_pack_is_archived_with_its_topics(tmp_path, loaded, learner):
    TopicStateFactory(user=learner, topic=Topic.objects.get(slug="neural-networks"))
    files = pack_data()
    del files[DEEP_FILE]
    for role in files["roles.yaml"]["roles"]:
        role["requirements"] = {"core": ["python-basics"]}
    files["projects.yaml"]["projects"] = files["projects.yaml"]["projects"][:1]
    files["projects.yaml"]["projects"][0]["modules"] = ["python-basics"]

    report = content_pack_load(path=pack_write(tmp_path / "pack", files))

    assert str(report.modules) == "0 created, 0 updated, 1 archived"
    assert str(report.topics) == "0 created, 0 updated, 2 archived"
    assert str(report.projects) == "0 created, 1 updated, 1 archived"
    assert Module.objects.get(slug="deep-learning").is_archived
    assert Topic.objects.filter(module__slug="deep-learning", is_archived=True).count() == 2
    assert TopicState.objects.filter(user=learner, topic__slug="neural-networks").exists()


def test_role_and_project_dropped_from_pack_are_archived(tmp_path, loaded):
    files = pack_data()
    files["roles.yaml"]["roles"].pop()
    files["roles.yaml"]["roles"][0]["leads_to"] = []
    files["projects.yaml"]["projects"].pop()

    report = content_pack_load(path=pack_write(tmp_path / "pack", files))

    assert str(report.roles) == "0 created, 1 updated, 1 archived"
    assert str(report.projects) == "0 created, 0 updated, 1 archived"
    assert Role.objects.get(slug="ai-researcher").is_archived
    assert ProjectIdea.objects.get(slug="paper-reproduction").is_archived


def test_archived_entry_that_reappears_is_restored_and_counts_as_updated(tmp_path, loaded):
    files = pack_data()
    files[DEEP_FILE]["topics"].pop()
    content_pack_load(path=pack_write(tmp_path / "pack", files))

    report = content_pack_load(path=SMALL)

    assert str(report.total) == "0 created, 1 updated, 0 archived"
    assert not Topic.objects.get(slug="attention-mechanism").is_archived


def test_topic_moved_to_another_module_keeps_its_row(tmp_path, loaded, learner):
    state = TopicStateFactory(user=learner, topic=Topic.objects.get(slug="python-packages"))
    files = pack_data()
    moved = files[PYTHON_FILE]["topics"].pop()
    files[DEEP_FILE]["topics"].insert(0, moved)

    report = content_pack_load(path=pack_write(tmp_path / "pack", files))

    # The moved topic and the deep-learning topics whose position changed.
    assert report.topics.updated == 3
    state.refresh_from_db()
    assert state.topic.module.slug == "deep-learning"
    assert state.topic.order == 0


def test_load_refreshes_content_caches_only_when_something_changed(monkeypatch, tmp_path):
    bumps = []
    monkeypatch.setattr("careers.content_pack.load.content_cache_bump", lambda: bumps.append(1))

    content_pack_load(path=SMALL)
    content_pack_load(path=SMALL)

    assert bumps == [1]


# Exporting


def test_export_writes_the_pack_layout_with_the_loaded_content(tmp_path, loaded):
    written = content_pack_export(path=tmp_path / "export")

    assert sorted(path.relative_to(tmp_path / "export").as_posix() for path in written) == [
        PYTHON_FILE,
        DEEP_FILE,
        "projects.yaml",
        "roles.yaml",
    ]
    assert pack_data(tmp_path / "export") == pack_data(SMALL)
    exported = (tmp_path / "export" / PYTHON_FILE).read_text()
    assert "    description: |\n      Variables, loops and functions.\n" in exported


def test_export_then_load_reports_no_changes(tmp_path, loaded):
    content_pack_export(path=tmp_path / "export")

    report = content_pack_load(path=tmp_path / "export")

    assert str(report.total) == "0 created, 0 updated, 0 archived"


def test_export_twice_writes_identical_files(tmp_path, loaded):
    content_pack_export(path=tmp_path / "first")
    content_pack_export(path=tmp_path / "second")

    first, second = (
        {p.relative_to(root): p.read_bytes() for p in root.rglob("*.yaml")}
        for root in (tmp_path / "first", tmp_path / "second")
    )
    assert len(first) == 4
    assert first == second


def test_export_leaves_out_archived_content_and_links_to_it(tmp_path, loaded):
    Topic.objects.filter(slug="python-packages").update(is_archived=True)
    Role.objects.filter(slug="ai-researcher").update(is_archived=True)

    content_pack_export(path=tmp_path / "export")

    files = pack_data(tmp_path / "export")
    assert [t["slug"] for t in files[PYTHON_FILE]["topics"]] == ["python-syntax"]
    assert topic(files, "attention-mechanism")["prerequisites"] == ["neural-networks"]
    assert [role["slug"] for role in files["roles.yaml"]["roles"]] == ["ml-engineer"]
    assert files["roles.yaml"]["roles"][0]["leads_to"] == []
    content_pack_read(tmp_path / "export")  # the export is a valid pack


def test_export_numbers_module_files_by_position_and_removes_stale_ones(tmp_path, loaded):
    stale = tmp_path / "export" / "modules" / "07-old-module.yaml"
    stale.parent.mkdir(parents=True)
    stale.write_text("slug: old-module\n")
    Module.objects.filter(slug="python-basics").update(order=99)

    content_pack_export(path=tmp_path / "export")

    assert sorted(p.name for p in (tmp_path / "export" / "modules").iterdir()) == [
        "01-deep-learning.yaml",
        "02-python-basics.yaml",
    ]


# Commands


def test_load_content_command_prints_the_report():
    stdout = StringIO()

    call_command("load_content", str(SMALL), stdout=stdout)

    assert stdout.getvalue().splitlines() == [
        "Roles: 2 created, 0 updated, 0 archived",
        "Modules: 2 created, 0 updated, 0 archived",
        "Topics: 4 created, 0 updated, 0 archived",
        "Projects: 2 created, 0 updated, 0 archived",
        "Total: 10 created, 0 updated, 0 archived",
        "Recorded as content version 1.",
    ]


def test_load_content_command_reports_every_problem_and_fails_without_writing(loaded):
    before = database_snapshot()
    stderr = StringIO()

    with pytest.raises(CommandError) as raised:
        call_command("load_content", str(PACKS / "three_problems"), stderr=stderr)

    assert raised.value.returncode == 1
    assert "Nothing was written." in str(raised.value)
    lines = stderr.getvalue().splitlines()
    assert len(lines) == 3
    assert lines[0].startswith("roles.yaml: roles[1] ai-researcher: 'focus' must be one of")
    assert database_snapshot() == before


def test_export_content_command_says_how_many_files_it_wrote(tmp_path, loaded):
    stdout = StringIO()

    call_command("export_content", str(tmp_path / "export"), stdout=stdout)

    assert stdout.getvalue().strip() == f"Wrote 4 files to {tmp_path / 'export'}."
    assert (tmp_path / "export" / "roles.yaml").exists()
