"""The path of a role (careers/path.py): core topics and every prerequisite they need,
wherever it lives, and the figures measured over it."""

import pytest
from django.urls import reverse

from careers.path import CORE, GROUNDWORK, RECOMMENDED, role_path
from careers.plan import plan_topics
from careers.readiness import evidence, next_up, readiness_by_role, role_progress
from learning.services import topic_state_set
from tests.accounts.factories import UserFactory
from tests.careers.factories import RoleFactory, RoleRequirementFactory
from tests.learning.factories import ModuleFactory, PortfolioProjectFactory, TopicFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def path_content():
    """A role whose core module builds on two other modules, one of them never listed:

    maths (unlisted): vectors (5 h) <- matrices (7 h)
    python (recommended): basics (4 h), packaging (3 h, not needed by the core)
    core: models (10 h, needs matrices and basics) <- deployment (6 h, needs models)
    """
    role = RoleFactory(title="Prompt Engineer")
    maths = ModuleFactory(title="Maths", order=1)
    python = ModuleFactory(title="Python", order=2)
    core = ModuleFactory(title="Core", order=3)
    RoleRequirementFactory(role=role, module=core, importance="core")
    RoleRequirementFactory(role=role, module=python, importance="recommended")
    vectors = TopicFactory(module=maths, title="Vectors", hours=5, order=1)
    matrices = TopicFactory(
        module=maths, title="Matrices", hours=7, order=2, prerequisites=[vectors]
    )
    basics = TopicFactory(module=python, title="Basics", hours=4, order=1)
    packaging = TopicFactory(module=python, title="Packaging", hours=3, order=2)
    models = TopicFactory(
        module=core, title="Models", hours=10, order=1, prerequisites=[matrices, basics]
    )
    deployment = TopicFactory(
        module=core, title="Deployment", hours=6, order=2, prerequisites=[models]
    )
    return {
        "role": role,
        "modules": {"maths": maths, "python": python, "core": core},
        "topics": {
            "vectors": vectors,
            "matrices": matrices,
            "basics": basics,
            "packaging": packaging,
            "models": models,
            "deployment": deployment,
        },
    }


def titles(path_topics):
    return [topic.title for topic in path_topics]


def test_path_holds_core_topics_and_every_transitive_prerequisite_wherever_it_lives(path_content):
    path = role_path(path_content["role"])
    kinds = {topic.title: topic.kind for topic in path.topics}
    assert kinds == {
        "Vectors": GROUNDWORK,
        "Matrices": GROUNDWORK,
        "Basics": GROUNDWORK,
        "Models": CORE,
        "Deployment": CORE,
        "Packaging": RECOMMENDED,
    }
    assert (path.core_module_hours, path.groundwork_hours, path.total_hours) == (16, 16, 32)
    assert path.recommended_hours == 3


def test_path_order_puts_every_prerequisite_before_what_needs_it(path_content):
    path = role_path(path_content["role"])
    order = titles(path.topics)
    assert order.index("Vectors") < order.index("Matrices") < order.index("Models")
    assert order.index("Basics") < order.index("Models") < order.index("Deployment")
    assert order[-1] == "Packaging"  # the recommended stretch comes after the core path


def test_a_shared_prerequisite_is_on_the_path_once(path_content):
    topics = path_content["topics"]
    second = TopicFactory(
        module=path_content["modules"]["core"], hours=2, order=3, prerequisites=[topics["vectors"]]
    )
    path = role_path(path_content["role"])
    assert titles(path.topics).count("Vectors") == 1
    assert path.total_hours == 32 + second.hours


def test_groundwork_names_the_first_core_topic_that_needs_it(path_content):
    path = role_path(path_content["role"])
    topics = path_content["topics"]
    assert path.needed_for[topics["vectors"].pk] == topics["models"].pk
    assert path.needed_for[topics["basics"].pk] == topics["models"].pk
    assert topics["packaging"].pk not in path.needed_for


def test_archived_topics_leave_the_path_and_stop_counting(learner, path_content):
    topics = path_content["topics"]
    topic_state_set(user=learner, topic=topics["vectors"], state="done")
    topics["vectors"].is_archived = True
    topics["vectors"].save()
    path = role_path(path_content["role"])
    assert "Vectors" not in titles(path.topics)
    assert role_progress(learner, path_content["role"]).done_hours == 0
    assert learner.topic_states.filter(topic=topics["vectors"], state="done").exists()


def test_a_cycle_is_refused_upstream_and_the_path_still_holds_its_topics(path_content):
    """The loader and the admin refuse cycles; a cycle that reached the database anyway
    (a raw write) neither loops nor loses its topics."""
    topics = path_content["topics"]
    topics["vectors"].prerequisites.add(topics["matrices"])
    path = role_path(path_content["role"])
    assert sorted(titles(path.topics)) == sorted(
        ["Vectors", "Matrices", "Basics", "Models", "Deployment", "Packaging"]
    )


def test_a_role_without_core_modules_has_an_empty_path(path_content):
    role = RoleFactory()
    RoleRequirementFactory(
        role=role, module=path_content["modules"]["python"], importance="recommended"
    )
    path = role_path(role)
    assert path.total_hours == 0
    assert titles(path.topics) == ["Basics", "Packaging"]


def test_readiness_counts_groundwork_hours(learner, path_content):
    topics = path_content["topics"]
    for name in ("vectors", "matrices", "packaging"):
        topic_state_set(user=learner, topic=topics[name], state="done")
    progress = role_progress(learner, path_content["role"])
    assert (progress.done_hours, progress.total_hours, progress.hours_left) == (12, 32, 20)
    assert progress.readiness_percent == 37
    assert progress.recommended_done_hours == 3
    groundwork = {
        item.module.title: (item.done_hours, item.total_hours) for item in progress.groundwork
    }
    assert groundwork == {"Maths": (12, 12), "Python": (0, 4)}


def test_readiness_by_role_is_measured_over_each_path(learner, path_content):
    topics = path_content["topics"]
    other = RoleFactory(title="Maths Person")
    RoleRequirementFactory(role=other, module=path_content["modules"]["maths"], importance="core")
    topic_state_set(user=learner, topic=topics["vectors"], state="done")
    figures = {r.role.title: (r.done_hours, r.total_hours) for r in readiness_by_role(learner)}
    assert figures == {"Maths Person": (5, 12), "Prompt Engineer": (5, 32)}


def test_next_up_walks_the_path_and_says_what_groundwork_is_for(learner, path_content):
    topics = path_content["topics"]
    first = next_up(learner, path_content["role"])
    assert titles(first) == ["Vectors", "Basics", "Packaging"]
    assert first[0].needed_for.title == "Models"
    topic_state_set(user=learner, topic=topics["vectors"], state="done")
    topic_state_set(user=learner, topic=topics["basics"], state="skipped")
    assert titles(next_up(learner, path_content["role"])) == ["Matrices", "Packaging"]
    topic_state_set(user=learner, topic=topics["matrices"], state="done")
    after = next_up(learner, path_content["role"])
    assert titles(after) == ["Models", "Packaging"]
    assert after[0].needed_for is None


def test_one_learners_states_never_count_for_another(learner, path_content):
    other = UserFactory()
    topic_state_set(user=other, topic=path_content["topics"]["vectors"], state="done")
    assert role_progress(learner, path_content["role"]).done_hours == 0
    assert titles(next_up(learner, path_content["role"]))[0] == "Vectors"


def test_evidence_covers_the_modules_holding_groundwork(learner, path_content):
    maths = path_content["modules"]["maths"]
    PortfolioProjectFactory(
        user=learner, status="done", title="Linear algebra notebook", modules=[maths]
    )
    progress = role_progress(learner, path_content["role"])
    shown = {
        item.module.title: [p.title for p in item.projects] for item in evidence(learner, progress)
    }
    assert shown == {"Core": [], "Maths": ["Linear algebra notebook"], "Python": []}


def test_the_plan_follows_the_path(learner, path_content):
    assert titles(plan_topics(learner, path_content["role"])) == titles(
        role_path(path_content["role"]).topics
    )


def test_role_card_and_page_and_dashboard_say_what_the_path_is_made_of(client, path_content):
    role = path_content["role"]
    phrase = "32 h: 16 h in core modules and 16 h of groundwork they build on"
    assert phrase in client.get(reverse("careers:role-list")).content.decode()
    assert phrase in client.get(role.get_absolute_url()).content.decode()
    learner = UserFactory(target_role=role)
    client.force_login(learner)
    dashboard = client.get(reverse("careers:dashboard")).content.decode()
    assert phrase in dashboard
    assert "0 of 32 hours of the path done" in dashboard
    assert "Needed for" in dashboard


def test_a_content_change_shows_the_new_path_at_once(path_content):
    role = path_content["role"]
    assert role_path(role).total_hours == 32
    TopicFactory(module=path_content["modules"]["core"], hours=9, order=9)
    assert role_path(role).total_hours == 41


def test_next_up_offers_foundations_before_leaves_nothing_needs(learner, path_content):
    """A second programming language that nothing builds on waits behind the topics that
    open the way to the rest of the path (issue 13: next-up that fits the role)."""
    languages = ModuleFactory(title="Languages", order=0)
    RoleRequirementFactory(role=path_content["role"], module=languages, importance="core")
    leaf = TopicFactory(module=languages, title="A second language", hours=15)
    assert titles(role_path(path_content["role"]).topics)[0] == leaf.title
    assert titles(next_up(learner, path_content["role"])) == [
        "Vectors",
        "Basics",
        "A second language",
        "Packaging",
    ]
