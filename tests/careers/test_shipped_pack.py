"""The content pack we ship, read straight from its YAML files (independent of the loader).

These tests are about the content itself: role paths that stay inside the modules a role
lists, a resource for every topic, descriptions long enough to say what a learner will be
able to do, and no slug that learners' progress hangs on ever leaving the pack.
"""

from collections import deque
from pathlib import Path

import pytest
import yaml

CONTENT = Path(__file__).resolve().parents[2] / "content"
SHIPPED_SLUGS = Path(__file__).with_name("shipped_slugs.yaml")
IMPORTANCES = ("core", "recommended", "optional")
MIN_DESCRIPTION_WORDS = 40


def _read(path: Path):
    return yaml.safe_load(path.read_text(encoding="utf-8"))


MODULES = [_read(path) for path in sorted((CONTENT / "modules").glob("*.yaml"))]
ROLES = _read(CONTENT / "roles.yaml")["roles"]
PROJECTS = _read(CONTENT / "projects.yaml")["projects"]
TOPICS = {topic["slug"]: topic for module in MODULES for topic in module["topics"]}
MODULE_OF = {topic["slug"]: module["slug"] for module in MODULES for topic in module["topics"]}
MODULE_TOPICS = {module["slug"]: module["topics"] for module in MODULES}


def path_leaks(role: dict) -> list[str]:
    """Each prerequisite chain from a core topic of `role` into a module the role does not
    list, written `core topic <- ... <- leaking topic (module)`."""
    requirements = role["requirements"]
    listed = {slug for key in IMPORTANCES for slug in requirements.get(key) or []}
    came_from: dict[str, str | None] = {}
    queue: deque[str] = deque()
    for module in requirements.get("core") or []:
        for topic in MODULE_TOPICS[module]:
            came_from[topic["slug"]] = None
            queue.append(topic["slug"])
    while queue:
        slug = queue.popleft()
        for prerequisite in TOPICS[slug].get("prerequisites") or []:
            if prerequisite not in came_from:
                came_from[prerequisite] = slug
                queue.append(prerequisite)
    leaks = []
    for slug in came_from:
        if MODULE_OF[slug] in listed:
            continue
        chain, step = [slug], came_from[slug]
        while step is not None:
            chain.append(step)
            step = came_from[step]
        leaks.append(" <- ".join(reversed(chain)) + f" ({MODULE_OF[slug]})")
    return leaks


def word_count(text: str) -> int:
    return len(text.split())


@pytest.mark.parametrize("role", ROLES, ids=[role["slug"] for role in ROLES])
def test_every_prerequisite_of_a_core_topic_lies_in_a_module_the_role_lists(role):
    assert path_leaks(role) == []


def test_a_prerequisite_outside_the_listed_modules_is_reported_with_its_chain():
    # The check itself must catch a leak: a role that lists only the prompt-engineering
    # module leaks through the first topic's prerequisite.
    role = {"slug": "probe", "requirements": {"core": ["prompt-engineering"]}}
    leaks = path_leaks(role)
    assert "prompt-engineering-basics <- introduction-to-generative-ai" in " ".join(leaks)


def test_every_topic_has_at_least_one_resource():
    without = [slug for slug, topic in TOPICS.items() if not topic.get("resources")]
    assert without == []


def test_no_beginner_topic_relies_on_papers_alone():
    paper_only = [
        slug
        for slug, topic in TOPICS.items()
        if topic["level"] == "beginner"
        and topic.get("resources")
        and all(resource["kind"] == "paper" for resource in topic["resources"])
    ]
    assert paper_only == []


@pytest.mark.parametrize(
    ("kind", "entries"),
    [("topic", list(TOPICS.values())), ("role", ROLES), ("project", PROJECTS)],
)
def test_every_description_has_at_least_40_words(kind, entries):
    short = {
        entry["slug"]: word_count(entry["description"])
        for entry in entries
        if word_count(entry["description"]) < MIN_DESCRIPTION_WORDS
    }
    assert short == {}, f"{kind} descriptions under {MIN_DESCRIPTION_WORDS} words"


def test_no_slug_that_learners_progress_hangs_on_has_left_the_pack():
    shipped = _read(SHIPPED_SLUGS)
    missing = {
        "roles": set(shipped["roles"]) - {role["slug"] for role in ROLES},
        "modules": set(shipped["modules"]) - set(MODULE_TOPICS),
        "projects": set(shipped["projects"]) - {project["slug"] for project in PROJECTS},
        "topics": {slug for slugs in shipped["topics"].values() for slug in slugs} - set(TOPICS),
    }
    assert {kind: slugs for kind, slugs in missing.items() if slugs} == {}


def test_topics_stay_in_the_module_their_urls_name():
    # A topic's URL is /learn/<module>/<topic>/: moving a topic breaks bookmarks.
    shipped = _read(SHIPPED_SLUGS)
    moved = {
        slug: (module, MODULE_OF.get(slug))
        for module, slugs in shipped["topics"].items()
        for slug in slugs
        if MODULE_OF.get(slug) not in (module, None)
    }
    assert moved == {}


@pytest.mark.parametrize(
    "word", ["agents", "MCP", "evaluation", "guardrails", "quantization", "multimodal"]
)
def test_a_search_for_a_current_practice_word_finds_topics(word):
    found = [
        slug
        for slug, topic in TOPICS.items()
        if word.lower() in f"{topic['title']} {topic['description']}".lower()
    ]
    assert found, f"no topic title or description mentions {word!r}"


def test_every_module_has_a_project_idea():
    used = {module for project in PROJECTS for module in project["modules"]}
    assert set(MODULE_TOPICS) - used == set()
