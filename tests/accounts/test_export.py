"""Downloading everything we hold about a learner."""

import datetime as dt
import json

import pytest
from django.urls import reverse
from django.utils import timezone

from accounts.data_file.export import user_export
from accounts.data_file.schema import verification_seal
from tests.learning.factories import TopicFactory, TopicStateFactory

pytestmark = pytest.mark.django_db


def download(client):
    response = client.get(reverse("accounts:export"))
    assert response.status_code == 200
    return response, json.loads(response.content)


def test_export_downloads_a_dated_json_attachment(learner_client):
    response, data = download(learner_client)

    assert response["Content-Type"].startswith("application/json")
    today = timezone.localdate().isoformat()
    assert (
        response["Content-Disposition"]
        == f'attachment; filename="genai-pathways-export-{today}.json"'
    )
    assert "no-store" in response["Cache-Control"]
    assert data["format"] == "genai-pathways-export"
    assert data["version"] == 1
    assert dt.datetime.fromisoformat(data["exported_at"]).tzinfo is not None


def test_export_holds_the_profile(learner_client, learner_data, learner):
    _, data = download(learner_client)

    assert data["profile"] == {
        "email": "ada@example.com",
        "display_name": "Ada",
        "weekly_hours": 8,
        "public_handle": "ada-handle",
        "is_progress_public": True,
        "target_role": "ada-ml-engineer",
        "date_joined": learner.date_joined.isoformat(),
        "time_zone": "UTC",
        "study_days": ["saturday"],
        "study_time": "18:00:00",
        "weekly_email": False,
        "pace_chosen": True,  # as the factory makes learners
    }


def test_export_holds_target_role_history_oldest_first(learner_client, learner_data):
    _, data = download(learner_client)

    history = data["target_role_history"]
    assert [(row["role"], row["role_title"]) for row in history] == [
        ("ada-prompt-engineer", "ada Prompt Engineer"),
        ("ada-ml-engineer", "ada ML Engineer"),
    ]
    assert all(dt.datetime.fromisoformat(row["chosen_at"]) for row in history)


def test_export_holds_topic_states_with_notes_and_dates(learner_client, learner_data, learner):
    _, data = download(learner_client)

    states = {row["topic"]: row for row in data["topic_states"]}
    assert set(states) == {"ada-topic-0", "ada-topic-1", "ada-topic-2"}
    done = learner.topic_states.get(topic__slug="ada-topic-0")
    assert states["ada-topic-0"] == {
        "topic": "ada-topic-0",
        "state": "done",
        "note": "ada read the paper",
        "state_changed_at": done.state_changed_at.isoformat(),
        "completed_at": done.completed_at.isoformat(),
        "verified_at": done.verified_at.isoformat(),
        "verification_seal": verification_seal(
            email=learner.email, topic="ada-topic-0", verified_at=done.verified_at
        ),
        "needs_review": False,
        "review_step": 0,
        "review_due_on": done.review_due_on.isoformat(),
    }
    assert states["ada-topic-1"]["state"] == "learning"
    assert states["ada-topic-1"]["completed_at"] is None
    assert states["ada-topic-2"]["state"] == "skipped"


def test_export_holds_checks_with_questions_answers_and_score(learner_client, learner_data):
    _, data = download(learner_client)

    (attempt,) = data["check_attempts"]
    assert (attempt["kind"], attempt["topic"], attempt["module"]) == ("topic", "ada-topic-0", None)
    assert (attempt["correct"], attempt["total"]) == (3, 3)
    assert attempt["submitted_at"] is not None
    assert sorted(q["question"] for q in attempt["questions"]) == [
        "ada-question-0",
        "ada-question-1",
        "ada-question-2",
    ]
    assert all(len(q["option_order"]) == 4 and len(q["chosen"]) == 1 for q in attempt["questions"])


def test_export_holds_topic_state_changes_in_order(learner_client, learner_data):
    _, data = download(learner_client)

    assert [(row["topic"], row["state"]) for row in data["topic_state_changes"]] == [
        ("ada-topic-0", "learning"),
        ("ada-topic-0", "done"),
    ]


def test_export_holds_portfolio_projects_with_idea_and_modules(learner_client, learner_data):
    _, data = download(learner_client)

    projects = {row["title"]: row for row in data["portfolio_projects"]}
    assert set(projects) == {"ada RAG bot", "ada Notes app"}
    rag = projects["ada RAG bot"]
    assert rag["status"] == "done"
    assert rag["idea"] == "ada-rag-chatbot"
    assert rag["modules"] == ["ada-evaluation", "ada-llm-basics"]
    assert rag["repository_url"] == "https://github.com/example/rag"
    assert rag["demo_url"] == "https://rag.example.com/"
    assert (rag["started_on"], rag["finished_on"]) == ("2025-01-01", "2025-02-01")
    assert dt.datetime.fromisoformat(rag["created_at"])
    assert set(rag) == {
        "title",
        "description",
        "status",
        "repository_url",
        "demo_url",
        "idea",
        "modules",
        "started_on",
        "finished_on",
        "created_at",
    }
    notes = projects["ada Notes app"]
    assert (notes["idea"], notes["modules"], notes["started_on"]) == (None, [], None)


def test_export_holds_only_the_learners_own_data(learner_client, learner_data, other_learner_data):
    response, _ = download(learner_client)

    text = response.content.decode()
    assert "grace" not in text.lower()


def test_export_of_a_new_learner_has_empty_sections(learner_client):
    _, data = download(learner_client)

    assert data["profile"]["target_role"] is None
    for section in (
        "target_role_history",
        "topic_states",
        "topic_state_changes",
        "portfolio_projects",
    ):
        assert data[section] == []


def test_export_keeps_full_timestamp_precision(learner):
    moment = dt.datetime(2025, 3, 4, 5, 6, 7, 123456, tzinfo=dt.UTC)
    TopicStateFactory(user=learner, state="learning", state_changed_at=moment)

    data = user_export(user=learner)

    assert data["topic_states"][0]["state_changed_at"] == "2025-03-04T05:06:07.123456+00:00"


def test_export_takes_a_fixed_number_of_queries(client, learner_data, learner):
    from tests.conftest import count_queries

    client.force_login(learner)
    # learner_data already holds 3 states; the larger set has 40.
    small = count_queries(client, reverse("accounts:export"))
    for topic in TopicFactory.create_batch(37):
        TopicStateFactory(user=learner, topic=topic)
    response = client.get(reverse("accounts:export"))
    large = count_queries(client, reverse("accounts:export"))

    # The session may come from the cache (Redis) or the database: at most session and
    # user, then eight for the export, however much there is.
    assert small == large <= 10
    assert len(json.loads(response.content)["topic_states"]) == 40


def test_export_service_takes_eight_queries(learner_data, learner, django_assert_num_queries):
    # Six sections of our own data, and two for checks (attempts, their questions).
    with django_assert_num_queries(8):
        user_export(user=learner)
