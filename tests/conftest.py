import pytest

from tests.accounts.factories import DEFAULT_PASSWORD, UserFactory


@pytest.fixture(autouse=True)
def _worker_keeps_the_test_connection(monkeypatch):
    """The task worker closes connections it finds mid-transaction, as a long-running
    process should; run inside a test's transaction it would close the test's own
    connection (on PostgreSQL; an in-memory SQLite database is never closed)."""
    monkeypatch.setattr(
        "django_tasks_db.management.commands.db_worker.close_old_connections", lambda: None
    )


@pytest.fixture(autouse=True)
def _clear_cache():
    """Each test starts with an empty cache, so cached fragments never leak between tests."""
    from django.core.cache import caches

    from common.fragments import fragments

    for alias in ("default", "versions"):
        caches[alias].clear()
    fragments.clear()
    yield
    for alias in ("default", "versions"):
        caches[alias].clear()
    fragments.clear()


@pytest.fixture(autouse=True)
def _plain_static_storage(settings):
    """Tests run with debug off but without `collectstatic`: serve static files unhashed."""
    settings.STORAGES = {
        **settings.STORAGES,
        "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
    }


@pytest.fixture(autouse=True)
def _test_settings(settings):
    # The test client speaks plain HTTP; production's HTTPS redirect would answer 301.
    settings.SECURE_SSL_REDIRECT = False
    # Hashing strength is Django's business; a fast hasher keeps the suite quick.
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


@pytest.fixture
def password():
    return DEFAULT_PASSWORD


@pytest.fixture
def learner(db):
    return UserFactory(email="ada@example.com", display_name="Ada")


@pytest.fixture
def other_learner(db):
    return UserFactory(email="grace@example.com", display_name="Grace")


@pytest.fixture
def learner_client(client, learner):
    client.force_login(learner)
    return client


@pytest.fixture
def staff_user(db):
    return UserFactory(email="staff@example.com", is_staff=True, is_superuser=True)


def build_catalogue(*, roles=2, modules=3, topics_per_module=4, learner=None, ideas=2):
    """A connected content set: roles requiring modules (core and recommended), topics
    chained by prerequisites, project ideas, and (with a learner) some progress."""
    from tests.careers.factories import ResponsibilityFactory, RoleFactory, RoleRequirementFactory
    from tests.learning.factories import (
        ModuleFactory,
        PortfolioProjectFactory,
        ProjectIdeaFactory,
        ResourceFactory,
        TopicFactory,
        TopicStateFactory,
    )

    role_list = [RoleFactory() for _ in range(roles)]
    module_list = [ModuleFactory() for _ in range(modules)]
    topics = []
    for module in module_list:
        previous = None
        for index in range(topics_per_module):
            topic = TopicFactory(
                module=module, order=index, prerequisites=[previous] if previous else []
            )
            ResourceFactory(topic=topic)
            topics.append(topic)
            previous = topic
    for role_index, role in enumerate(role_list):
        ResponsibilityFactory(role=role)
        for module_index, module in enumerate(module_list):
            importance = "core" if (module_index + role_index) % 2 == 0 else "recommended"
            RoleRequirementFactory(role=role, module=module, importance=importance)
        if role_index:
            role.leads_to.add(role_list[role_index - 1])
    for _ in range(ideas):
        ProjectIdeaFactory(modules=module_list[:2], roles=role_list[:2])
    if learner is not None:
        learner.target_role = role_list[0]
        learner.save()
        for index, topic in enumerate(topics[::2]):
            TopicStateFactory(
                user=learner, topic=topic, state=["done", "skipped", "learning"][index % 3]
            )
        PortfolioProjectFactory(user=learner, status="done", modules=module_list[:1])
    return {"roles": role_list, "modules": module_list, "topics": topics}


@pytest.fixture
def catalogue():
    return build_catalogue


def stored_page_queries() -> int:
    """What a page served from its stored fragments still asks the database: the signed-in
    user, and the session too unless the session store reads it from the cache."""
    from django.conf import settings

    return 1 if settings.SESSION_ENGINE.endswith("cached_db") else 2


def count_queries(client, url, **kwargs):
    """The number of SQL queries one request takes; the page must answer 200."""
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    with CaptureQueriesContext(connection) as context:
        response = client.get(url, **kwargs)
    assert response.status_code == 200, (url, response.status_code)
    return len(context)


def tasks_run():
    """Run every background task that is due, as `manage.py worker --batch` does."""
    from django.core.management import call_command

    call_command(
        "db_worker", batch=True, reload=False, startup_delay=False, interval=0, verbosity=0
    )
