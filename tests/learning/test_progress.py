"""A learner's figures as a tick works them out without reading again: a changed topic's
figures (`LearnerDone.changed`) and the answer's row marked from the written row
(`learner_marks(..., written=, done=)`) equal what a fresh read gives."""

import pytest
from django.utils import timezone
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from learning.progress import LearnerDone, ModuleDone, done_by_module, learner_marks, topic_row
from learning.services import topic_note_set, topic_state_set, topic_state_tick
from tests.learning.factories import ModuleFactory, TopicFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def topic_ids(db):
    """Nine topics over three modules, of different hours."""
    modules = [ModuleFactory() for _ in range(3)]
    return [TopicFactory(module=modules[i % 3], hours=1 + i).pk for i in range(9)]


@settings(
    max_examples=60, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(data=st.data())
def test_a_changed_topic_gives_the_figures_a_fresh_count_would(topic_ids, data):
    complete = data.draw(
        st.dictionaries(st.sampled_from(topic_ids), st.booleans(), max_size=len(topic_ids))
    )
    topic_id = data.draw(st.sampled_from(topic_ids))
    fresh = data.draw(st.sampled_from([None, False, True]))
    expected_topics = dict(complete)
    expected_topics.pop(topic_id, None)
    if fresh is not None:
        expected_topics[topic_id] = fresh

    changed = LearnerDone(complete).changed(topic_id, fresh)

    expected = LearnerDone(expected_topics)
    assert dict(changed) == dict(expected)
    assert changed.topics == expected.topics
    assert dict(LearnerDone(complete)) == dict(LearnerDone(dict(complete)))  # left as it was


MARKS = ("user_state", "has_note", "is_complete", "verified_on", "needs_review")


def marks_of(topic):
    return (
        *(getattr(topic, name) for name in MARKS),
        [p.pk for p in topic.open_prerequisites],
        {p.pk: p.is_complete for p in topic.active_prerequisites},
    )


@pytest.mark.parametrize("state", ["done", "skipped", "learning", "not_started"])
@pytest.mark.parametrize("verified", [False, True], ids=["unverified", "verified"])
def test_a_ticked_row_is_marked_as_a_fresh_read_marks_it(learner, state, verified):
    first, second = TopicFactory(), TopicFactory()
    topic = TopicFactory(prerequisites=[first, second])
    topic_state_set(user=learner, topic=first, state="skipped")
    topic_note_set(user=learner, topic=topic, note="Mine.")
    if verified:
        topic_state_set(user=learner, topic=topic, state="done", verified_at=timezone.now())
    row = topic_row(topic.slug)

    tick, written, done = topic_state_tick(user=learner, topic=row, state=state)

    from_tick = marks_of(
        learner_marks(learner, [topic_row(topic.slug)], written=written, done=done)[0]
    )
    from_read = marks_of(learner_marks(learner, [topic_row(topic.slug)])[0])
    assert from_tick == from_read
    assert (
        dict(done) == dict(done_by_module(learner))
        and done.topics == done_by_module(learner).topics
    )
    assert tick.state == state


def test_the_figures_leave_out_archived_topics_and_topics_of_archived_modules(learner):
    kept, archived, in_archived_module = (TopicFactory(hours=h) for h in (3, 5, 7))
    for topic in (kept, archived, in_archived_module):
        topic_state_set(user=learner, topic=topic, state="done")
    archived.is_archived = True
    archived.save()
    in_archived_module.module.is_archived = True
    in_archived_module.module.save()

    done = done_by_module(learner)

    assert done.topics == {kept.pk: False}
    assert dict(done) == {kept.module_id: ModuleDone(hours=3, topics=1)}
