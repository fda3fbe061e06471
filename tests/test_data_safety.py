"""Data survives concurrency, content changes, deletion of content and a backup/restore."""

import os
import shutil
import subprocess
import threading
from pathlib import Path

import pytest
from django.conf import settings
from django.db import connection, connections
from django.test import Client
from django.urls import reverse

from accounts.models import User
from careers.content_pack import content_pack_load
from careers.models import Role
from learning.models import TopicState
from learning.services import topic_state_set
from tests.accounts.factories import UserFactory
from tests.conftest import tasks_run
from tests.shipped_pack import shipped_pack_load

FIXTURE_PACK = Path(__file__).parent / "fixtures" / "content_packs" / "small"
CONTENT_PACK = Path(settings.BASE_DIR) / "content"

postgres_only = pytest.mark.skipif(
    connection.vendor != "postgresql", reason="needs PostgreSQL's concurrent transactions"
)


def run_together(*targets):
    barrier = threading.Barrier(len(targets))
    results, errors = [None] * len(targets), []

    def worker(index, target):
        try:
            barrier.wait()
            results[index] = target()
        except Exception as error:  # collected and asserted by the caller
            errors.append(error)
        finally:
            connections.close_all()

    threads = [threading.Thread(target=worker, args=pair) for pair in enumerate(targets)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=120)
    return results, errors


@postgres_only
@pytest.mark.django_db(transaction=True)
def test_two_sign_ups_with_one_email_at_once_give_one_account_and_the_same_answer(mailoutbox):
    def sign_up(email):
        return lambda: Client().post(
            reverse("accounts:signup"),
            {
                "email": email,
                "password1": "a-long-passphrase-9",
                "password2": "a-long-passphrase-9",
            },
        )

    results, errors = run_together(sign_up("twin@example.com"), sign_up("TWIN@example.com"))
    assert errors == []
    assert User.objects.filter(email__iexact="twin@example.com").count() == 1
    assert [response.status_code for response in results] == [302, 302]
    assert results[0].url == results[1].url
    assert results[0].url.startswith(reverse("accounts:login") + "?next=")
    # One confirmation link for the new account, one note that someone tried.
    tasks_run()
    assert sorted("confirm/" in message.body for message in mailoutbox) == [False, True]


@postgres_only
@pytest.mark.django_db(transaction=True)
def test_load_content_while_learners_tick_loses_no_progress():
    shipped_pack_load()
    from learning.models import Topic

    topics = list(Topic.objects.active()[:30])
    learner = UserFactory()

    def tick_all():
        for topic in topics:
            topic_state_set(user=learner, topic=topic, state="done")

    def load_twice():
        content_pack_load(path=CONTENT_PACK)
        content_pack_load(path=CONTENT_PACK)

    _, errors = run_together(tick_all, load_twice)
    assert errors == []
    assert TopicState.objects.filter(user=learner, state="done").count() == len(topics)


@pytest.mark.django_db
def test_deleting_a_targeted_role_leaves_no_target_and_progress_intact(staff_user):
    from tests.careers.factories import RoleFactory
    from tests.learning.factories import TopicStateFactory

    role = RoleFactory()
    learner = UserFactory(target_role=role)
    state = TopicStateFactory(user=learner)
    client = Client()
    client.force_login(staff_user)
    response = client.post(reverse("admin:careers_role_delete", args=[role.pk]), {"post": "yes"})
    assert response.status_code == 302
    assert not Role.objects.filter(pk=role.pk).exists()
    learner.refresh_from_db()
    assert learner.target_role is None
    assert TopicState.objects.filter(pk=state.pk).exists()


@postgres_only
@pytest.mark.django_db(transaction=True)
@pytest.mark.skipif(not shutil.which("pg_dump"), reason="pg_dump is not installed")
def test_a_database_dump_restores_everything(tmp_path):
    """The documented backup and restore (pg_dump -Fc, pg_restore) round-trips content
    and learners' progress."""
    content_pack_load(path=FIXTURE_PACK)
    from learning.models import Topic

    learner = UserFactory(email="backup@example.com")
    topic = Topic.objects.active().first()
    topic_state_set(user=learner, topic=topic, state="done")
    db = connection.settings_dict
    env = {**os.environ, "PGPASSWORD": db.get("PASSWORD") or ""}
    base = ["-h", db["HOST"] or "127.0.0.1", "-p", str(db["PORT"] or 5432), "-U", db["USER"]]
    dump = tmp_path / "backup.dump"
    subprocess.run(["pg_dump", *base, "-Fc", "-f", str(dump), db["NAME"]], check=True, env=env)
    restored = f"{db['NAME']}_restore_check"
    subprocess.run(["dropdb", *base, "--if-exists", restored], check=True, env=env)
    subprocess.run(["createdb", *base, restored], check=True, env=env)
    try:
        subprocess.run(
            ["pg_restore", *base, "--no-owner", "-d", restored, str(dump)], check=True, env=env
        )
        counts = subprocess.run(
            [
                "psql", *base, "-At", "-d", restored, "-c",
                "SELECT (SELECT count(*) FROM learning_topic), "
                "(SELECT count(*) FROM learning_topicstate WHERE state = 'done'), "
                "(SELECT count(*) FROM accounts_user WHERE email = 'backup@example.com')",
            ],
            check=True, env=env, capture_output=True, text=True,
        ).stdout.strip()  # fmt: skip
    finally:
        subprocess.run(["dropdb", *base, "--if-exists", restored], check=True, env=env)
    assert counts == f"{Topic.objects.count()}|1|1"
