"""Each queryset method of the learning app, on its own: what it keeps, what it leaves
out, what it adds (search has its own tests in the search and odd-input suites)."""

import pytest
from django.db import connection
from django.http import QueryDict
from django.test.utils import CaptureQueriesContext

from learning.checks import attempt_submit, topic_check_start
from learning.models import CheckAttempt, Module, PortfolioProject, Question, Topic, TopicState
from learning.progress import module_totals
from tests.learning.factories import (
    ModuleFactory,
    PortfolioProjectFactory,
    QuestionFactory,
    TopicFactory,
    TopicStateFactory,
)
from tests.learning.test_checks import answers_for

pytestmark = pytest.mark.django_db


def test_topic_totals_count_active_topics_only_and_module_totals_agree():
    module, empty = ModuleFactory(), ModuleFactory()
    TopicFactory(module=module, hours=3)
    TopicFactory(module=module, hours=4)
    TopicFactory(module=module, hours=5, is_archived=True)

    totals = {m.pk: (m.total_hours, m.topic_count) for m in Module.objects.with_topic_totals()}

    assert totals == {module.pk: (7, 2), empty.pk: (0, 0)}
    assert module_totals() == totals


def test_active_leaves_out_archived_content_and_what_archived_modules_hold():
    module, archived_module = ModuleFactory(), ModuleFactory(is_archived=True)
    kept = TopicFactory(module=module)
    TopicFactory(module=module, is_archived=True)
    TopicFactory(module=archived_module)
    retired = QuestionFactory(topic=kept, is_archived=True)
    asked = QuestionFactory(topic=kept)
    QuestionFactory(topic=TopicFactory(module=archived_module))

    assert list(Module.objects.active()) == [module]
    assert list(Topic.objects.active()) == [kept]
    assert list(Question.objects.active()) == [asked]
    assert retired not in Question.objects.active()


def test_rows_carry_their_module_and_only_active_prerequisites_in_two_queries():
    module = ModuleFactory()
    first = TopicFactory(module=module, order=1)
    archived = TopicFactory(module=module, order=2, is_archived=True)
    elsewhere = TopicFactory(module=ModuleFactory(is_archived=True))
    topic = TopicFactory(module=module, order=3, prerequisites=[first, archived, elsewhere])

    with CaptureQueriesContext(connection) as context:
        rows = {row.pk: row for row in Topic.objects.active().for_rows()}
        slugs = [
            (row.module.slug, [p.slug for p in row.active_prerequisites]) for row in rows.values()
        ]

    assert len(context) == 2
    assert rows[topic.pk].active_prerequisites == [first]
    assert (module.slug, [first.slug]) in slugs


def test_a_learners_rows_are_theirs_alone_and_complete_means_done_or_skipped(
    learner, other_learner
):
    done, skipped, learning = TopicFactory(), TopicFactory(), TopicFactory()
    TopicStateFactory(user=learner, topic=done, state="done")
    TopicStateFactory(user=learner, topic=skipped, state="skipped")
    TopicStateFactory(user=learner, topic=learning, state="learning")
    TopicStateFactory(user=other_learner, topic=learning, state="done")
    PortfolioProjectFactory(user=learner, title="Mine")
    PortfolioProjectFactory(user=other_learner, title="Theirs")

    mine = TopicState.objects.for_user(learner)
    assert set(mine.values_list("topic_id", flat=True)) == {done.pk, skipped.pk, learning.pk}
    assert set(mine.complete().values_list("topic_id", flat=True)) == {done.pk, skipped.pk}
    assert list(PortfolioProject.objects.for_user(learner).values_list("title", flat=True)) == [
        "Mine"
    ]


def test_answer_stats_count_submitted_answers_of_every_learner(learner, other_learner):
    topic = TopicFactory()
    questions = [QuestionFactory(topic=topic) for _ in range(3)]
    for user, right in ((learner, True), (other_learner, False)):
        attempt = topic_check_start(user=user, topic=topic)
        posted = QueryDict(mutable=True)
        for key, values in answers_for(attempt, right=right).items():
            posted.setlist(key, values)
        attempt_submit(user=user, attempt_id=attempt.pk, posted=posted)
    unasked = QuestionFactory(topic=TopicFactory())
    topic_check_start(user=learner, topic=unasked.topic)  # open, not submitted: not counted

    stats = {q.pk: (q.answered, q.answered_correctly) for q in Question.objects.with_answer_stats()}

    assert {stats[q.pk] for q in questions} == {(2, 1)}
    assert stats[unasked.pk] == (0, 0)
    assert set(CheckAttempt.objects.for_user(learner).values_list("user_id", flat=True)) == {
        learner.pk
    }
