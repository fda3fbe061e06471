"""Concurrent writes keep every invariant (PostgreSQL: real row locks and parallel
transactions; SQLite serialises writers, so these run on PostgreSQL only)."""

import threading

import pytest
from django.db import connection, connections

from learning.models import TopicState, TopicStateChange
from learning.services import topic_state_set
from tests.accounts.factories import UserFactory
from tests.learning.factories import TopicFactory

pytestmark = [
    pytest.mark.django_db(transaction=True),
    pytest.mark.skipif(
        connection.vendor != "postgresql", reason="needs PostgreSQL's concurrent transactions"
    ),
]


def run_in_threads(count, target):
    barrier = threading.Barrier(count)
    errors = []

    def worker(index):
        try:
            barrier.wait()
            target(index)
        except Exception as error:  # collected and asserted below
            errors.append(error)
        finally:
            connections.close_all()

    threads = [threading.Thread(target=worker, args=(i,)) for i in range(count)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)
    return errors


def test_twenty_threads_ticking_one_topic_leave_one_consistent_row():
    user = UserFactory()
    topic = TopicFactory()
    states = ["done", "learning", "skipped", "not_started"]
    errors = run_in_threads(
        20, lambda i: topic_state_set(user=user, topic=topic, state=states[i % 4])
    )
    assert errors == []
    rows = TopicState.objects.filter(user=user, topic=topic)
    assert rows.count() == 1
    row = rows.get()
    last_change = (
        TopicStateChange.objects.filter(user=user, topic=topic).order_by("changed_at", "id").last()
    )
    assert last_change is not None and row.state == last_change.state
    assert (row.completed_at is not None) == (row.state in ("done", "skipped"))
