import pytest

from tests.accounts.factories import DEFAULT_PASSWORD, UserFactory


@pytest.fixture(autouse=True)
def _clear_cache():
    """Each test starts with an empty cache, so cached fragments never leak between tests."""
    from django.core.cache import cache

    cache.clear()
    yield
    cache.clear()


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
