"""Staff edit a topic's questions inline, see how each one fares (in aggregate, without a
query per question) and retire a bad one; learners' attempts stay out of the admin."""

import pytest
from django.contrib import admin
from django.http import QueryDict
from django.urls import reverse

from learning.checks import attempt_submit, topic_check_start
from learning.models import CheckAnswer, CheckAttempt, Question
from tests.accounts.factories import UserFactory
from tests.conftest import count_queries
from tests.learning.factories import QuestionFactory, TopicFactory

pytestmark = pytest.mark.django_db


def answered(user, topic, *, right: bool):
    attempt = topic_check_start(user=user, topic=topic)
    posted = QueryDict(mutable=True)
    for answer in attempt.answers.select_related("question"):
        wanted = answer.question.correct_indexes[0]
        shown = [i for i, index in enumerate(answer.option_order) if (index == wanted) == right]
        posted.setlist(f"answer-{answer.position}", [str(shown[0])])
    attempt_submit(user=user, attempt_id=attempt.pk, posted=posted)


@pytest.fixture
def staff_client(client, staff_user):
    client.force_login(staff_user)
    return client


def test_topic_page_lists_questions_with_answers_and_share_correct(staff_client):
    topic = TopicFactory()
    for _ in range(3):
        QuestionFactory(topic=topic)
    answered(UserFactory(), topic, right=True)
    answered(UserFactory(), topic, right=False)
    url = reverse("admin:learning_topic_change", args=[topic.pk])

    page = staff_client.get(url).content.decode()

    assert page.count("50%") == 3  # each question: 2 answered, 1 correctly
    few = count_queries(staff_client, url)
    for _ in range(6):
        QuestionFactory(topic=topic)
    assert count_queries(staff_client, url) == few  # one annotated query, not one per row


def test_question_list_sorts_by_share_correct_to_find_bad_questions(staff_client):
    topic = TopicFactory()
    QuestionFactory(topic=topic, slug="q-a")
    QuestionFactory(topic=topic, slug="q-b")
    QuestionFactory(topic=topic, slug="q-c")
    answered(UserFactory(), topic, right=False)
    url = reverse("admin:learning_question_changelist") + "?o=4"

    page = staff_client.get(url).content.decode()

    assert page.count("0%") >= 3


def test_staff_retire_a_question_and_attempts_keep_it(staff_client, learner):
    question = QuestionFactory()
    answered(learner, question.topic, right=True)

    response = staff_client.post(
        reverse("admin:learning_question_changelist"),
        {"action": "retire_selected", "_selected_action": [question.pk]},
    )

    assert response.status_code == 302
    question.refresh_from_db()
    assert question.is_archived
    assert CheckAnswer.objects.filter(question=question).count() == 1
    assert not Question.objects.active().filter(pk=question.pk).exists()


def test_questions_cannot_be_deleted(staff_client):
    question = QuestionFactory()
    staff_client.post(
        reverse("admin:learning_question_delete", args=[question.pk]), {"post": "yes"}
    )
    assert Question.objects.filter(pk=question.pk).exists()


@pytest.mark.parametrize(
    ("options", "message"),
    [
        ('[{"text": "a", "correct": true}, {"text": "b"}]', "A question has 3 to 5 options"),
        ('[{"text": "a"}, {"text": "b"}, {"text": "c"}]', "Mark at least one option correct"),
        (
            '[{"text": "a", "correct": true}, {"text": "A"}, {"text": "c"}]',
            "Two options have the same text",
        ),
    ],
)
def test_admin_refuses_options_that_cannot_be_asked(staff_client, options, message):
    question = QuestionFactory()
    url = reverse("admin:learning_question_change", args=[question.pk])
    data = {
        "topic": question.topic.pk,
        "slug": question.slug,
        "prompt": question.prompt,
        "options": options,
        "explanation": question.explanation,
        "resource_url": "",
        "order": 0,
    }

    response = staff_client.post(url, data)

    assert response.status_code == 200
    assert message in response.content.decode()


def test_learners_attempts_are_not_in_the_admin():
    assert CheckAttempt not in admin.site._registry
    assert CheckAnswer not in admin.site._registry
