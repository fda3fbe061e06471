"""Bringing an export file back: checked completely first, applied in one go, idempotent."""

import copy
import datetime as dt
import json
from zoneinfo import ZoneInfo

import pytest
from django.contrib.messages import get_messages
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from accounts.data_file.export import user_export
from accounts.data_file.import_ import user_import
from accounts.models import TargetRoleChange, User
from learning.models import CheckAttempt, PortfolioProject, TopicState, TopicStateChange
from tests.careers.factories import RoleFactory

pytestmark = pytest.mark.django_db


def upload(client, content, name="genai-pathways-export.json"):
    if not isinstance(content, bytes):
        content = json.dumps(content).encode()
    return client.post(
        reverse("accounts:import"),
        {"file": SimpleUploadedFile(name, content, content_type="application/json")},
    )


def export_without_timestamp(user):
    data = user_export(user=user)
    del data["exported_at"]
    return data


def wipe_learner_data(user):
    """Everything but the account itself, as if starting again."""
    CheckAttempt.objects.filter(user=user).delete()
    TopicState.objects.filter(user=user).delete()
    TopicStateChange.objects.filter(user=user).delete()
    PortfolioProject.objects.filter(user=user).delete()
    TargetRoleChange.objects.filter(user=user).delete()
    User.objects.filter(pk=user.pk).update(
        display_name="",
        weekly_hours=5,
        public_handle=None,
        is_progress_public=False,
        target_role=None,
    )
    user.refresh_from_db()


@pytest.fixture
def exported(learner_data, learner):
    """The learner's export file as downloaded, parsed."""
    return user_export(user=learner)


def test_import_page_shows_the_upload_form(learner_client, page_problems):
    response = learner_client.get(reverse("accounts:import"))

    html = response.content.decode()
    assert response.status_code == 200
    assert 'enctype="multipart/form-data"' in html
    assert page_problems(html) == []


def test_import_round_trip_restores_everything(learner_client, learner, exported):
    wipe_learner_data(learner)
    assert export_without_timestamp(learner) != {
        k: v for k, v in exported.items() if k != "exported_at"
    }

    response = upload(learner_client, exported)

    assert response.status_code == 302
    assert response.url == reverse("accounts:settings")
    expected = {key: value for key, value in exported.items() if key != "exported_at"}
    assert export_without_timestamp(learner) == expected
    message = [str(m) for m in get_messages(response.wsgi_request)][0]
    assert "3 topic states saved" in message
    assert "2 progress changes" in message
    assert "2 portfolio projects" in message
    assert "1 check added" in message
    state = TopicState.objects.get(user=learner, topic__slug="ada-topic-0")
    assert state.verified_at is not None  # sealed by this site for this learner


def test_the_plans_settings_come_back_from_the_data_file(learner, exported):
    exported["profile"].update(
        time_zone="America/Sao_Paulo",
        study_days=["tuesday", "sunday"],
        study_time="06:45:00",
        weekly_email=True,
        pace_chosen=True,
    )
    user_import(user=learner, data=exported)
    learner.refresh_from_db()
    assert (learner.time_zone, learner.study_weekdays, learner.study_time) == (
        "America/Sao_Paulo",
        [1, 6],
        dt.time(6, 45),
    )
    assert learner.weekly_email and learner.pace_chosen
    # Opted in: the next email is due on the first study day at the study time, there.
    due = learner.weekly_email_due_at.astimezone(ZoneInfo("America/Sao_Paulo"))
    assert (due.weekday(), due.time()) in {(1, dt.time(6, 45)), (6, dt.time(6, 45))}

    again = user_export(user=learner)["profile"]
    assert {key: again[key] for key in ("time_zone", "study_days", "study_time")} == {
        "time_zone": "America/Sao_Paulo",
        "study_days": ["tuesday", "sunday"],
        "study_time": "06:45:00",
    }
    assert again["weekly_email"] is True and again["pace_chosen"] is True


def test_a_file_from_before_the_plans_settings_still_imports(learner, exported):
    learner.time_zone, learner.study_time, learner.weekly_email = "Asia/Tokyo", dt.time(7), True
    learner.save()
    for key in ("time_zone", "study_days", "study_time", "weekly_email", "pace_chosen"):
        del exported["profile"][key]
    exported["profile"]["weekly_hours"] = 9

    user_import(user=learner, data=exported)

    learner.refresh_from_db()
    assert learner.weekly_hours == 9
    # What the file does not say stays as the account has it.
    assert (learner.time_zone, learner.study_time, learner.weekly_email) == (
        "Asia/Tokyo",
        dt.time(7),
        True,
    )


def test_a_file_from_before_the_plans_settings_gives_a_new_account_the_defaults(
    other_learner, exported
):
    for key in ("time_zone", "study_days", "study_time", "weekly_email", "pace_chosen"):
        del exported["profile"][key]
    exported["profile"]["email"] = other_learner.email
    exported["profile"]["public_handle"] = None
    exported["profile"]["is_progress_public"] = False

    user_import(user=other_learner, data=exported)

    other_learner.refresh_from_db()
    assert (other_learner.time_zone, other_learner.study_weekdays) == ("UTC", [5])
    assert (other_learner.study_time, other_learner.weekly_email) == (dt.time(18), False)
    assert other_learner.weekly_email_due_at is None


def test_an_edited_file_cannot_claim_a_verification(learner, exported):
    wipe_learner_data(learner)
    forged = copy.deepcopy(exported)
    for row in forged["topic_states"]:
        row["verified_at"] = "2026-01-01T00:00:00+00:00"  # seal left as it was

    user_import(user=learner, data=forged)

    assert not TopicState.objects.filter(user=learner, verified_at__isnull=False).exists()
    assert TopicState.objects.filter(user=learner).count() == 3  # the rest is imported


def test_another_learners_verification_does_not_carry_over(learner, other_learner, exported):
    forged = copy.deepcopy(exported)
    forged["profile"]["email"] = other_learner.email
    forged["profile"]["public_handle"] = None
    forged["profile"]["is_progress_public"] = False

    user_import(user=other_learner, data=forged)

    assert TopicState.objects.filter(user=other_learner).count() == 3
    assert not TopicState.objects.filter(user=other_learner, verified_at__isnull=False).exists()


def test_imported_checks_are_scored_again_against_our_questions(learner, exported):
    wipe_learner_data(learner)
    forged = copy.deepcopy(exported)
    (attempt,) = forged["check_attempts"]
    attempt["correct"] = 3
    for row in attempt["questions"]:
        row["chosen"] = [index for index in row["option_order"] if index != 0][:1]  # wrong

    user_import(user=learner, data=forged)

    imported = CheckAttempt.objects.get(user=learner)
    assert imported.correct == 0
    assert not imported.answers.filter(is_correct=True).exists()


@pytest.mark.parametrize(
    ("change", "message"),
    [
        (
            lambda a: a["questions"][0].update(option_order=[0, 0, 1, 2]),
            "check_attempts #1, questions #1: option_order must list each of the 4 options once.",
        ),
        (
            lambda a: a["questions"][0].update(chosen=[7]),
            "check_attempts #1, questions #1: chosen names an option the question does not have.",
        ),
        (
            lambda a: a["questions"][0].update(question="no-such-question"),
            "Unknown question, not on this site: no-such-question.",
        ),
        (
            lambda a: a.update(kind="exam"),
            "check_attempts #1, kind: must be one of topic, module, review.",
        ),
        (
            lambda a: a["questions"][0].update(chosen=["a"]),
            "check_attempts #1, questions #1, chosen: must be a list of option numbers (0 to 9).",
        ),
    ],
)
def test_import_refuses_bad_checks(
    learner_client, learner, exported, account_snapshot, change, message
):
    forged = copy.deepcopy(exported)
    change(forged["check_attempts"][0])
    before = account_snapshot(learner)

    response = upload(learner_client, forged)

    assert response.status_code == 400
    assert message in response.content.decode().replace("&#x27;", "'")
    assert account_snapshot(learner) == before


def test_import_of_the_same_file_again_changes_nothing(
    learner_client, learner, exported, account_snapshot
):
    upload(learner_client, exported)
    before = account_snapshot(learner)
    updated_at = list(TopicState.objects.values_list("updated_at", flat=True))

    response = upload(learner_client, exported)

    assert response.status_code == 302
    assert account_snapshot(learner) == before
    assert list(TopicState.objects.values_list("updated_at", flat=True)) == updated_at
    assert "nothing needed changing" in str(list(get_messages(response.wsgi_request))[0])


def test_import_of_an_unchanged_export_is_a_no_op_from_the_start(
    learner, exported, account_snapshot
):
    before = account_snapshot(learner)

    result = user_import(user=learner, data=exported)

    assert not result.changed_anything
    assert account_snapshot(learner) == before


def test_import_updates_existing_topic_states_keeping_the_files_dates(learner, exported):
    state = learner.topic_states.get(topic__slug="ada-topic-1")
    state.state, state.note = "not_started", "changed since"
    state.save()

    result = user_import(user=learner, data=exported)

    state.refresh_from_db()
    row = next(r for r in exported["topic_states"] if r["topic"] == "ada-topic-1")
    assert (state.state, state.note) == ("learning", row["note"])
    assert state.state_changed_at.isoformat() == row["state_changed_at"]
    assert result.topic_states_saved == 1


def test_import_never_changes_the_email(learner, exported):
    exported["profile"]["email"] = "someone-else@example.com"

    user_import(user=learner, data=exported)

    learner.refresh_from_db()
    assert learner.email == "ada@example.com"


def test_import_records_a_new_target_role_in_history(learner, exported):
    wipe_learner_data(learner)
    exported["target_role_history"] = []

    user_import(user=learner, data=exported)

    learner.refresh_from_db()
    assert learner.target_role.slug == "ada-ml-engineer"
    assert list(
        TargetRoleChange.objects.filter(user=learner).values_list("role__slug", flat=True)
    ) == ["ada-ml-engineer"]


def test_import_touches_no_other_learner(
    learner_client, exported, other_learner_data, other_learner
):
    before = export_without_timestamp(other_learner)

    upload(learner_client, exported)

    assert export_without_timestamp(other_learner) == before


# Refusals: each one answers 400 with the problems listed and changes nothing.


def refuse(client, user, content, snapshot, expected_message):
    before = snapshot(user)
    response = upload(client, content)
    assert response.status_code == 400
    html = response.content.decode()
    assert expected_message in html, html
    assert snapshot(user) == before
    return response


def test_import_refuses_a_file_that_is_not_json(learner_client, learner, account_snapshot):
    refuse(learner_client, learner, b"name,state\nfoo,done\n", account_snapshot, "not valid JSON")


def test_import_refuses_a_binary_file(learner_client, learner, account_snapshot):
    refuse(learner_client, learner, b"\xff\xfe\x00\x81", account_snapshot, "not text")


@pytest.mark.parametrize(
    "content",
    [
        {"format": "something-else", "version": 1},
        {"version": 1},
        [1, 2, 3],
        "genai-pathways-export",
    ],
)
def test_import_refuses_a_wrong_format(
    learner_client, learner, exported, account_snapshot, content
):
    refuse(learner_client, learner, content, account_snapshot, "not a GenAI Pathways export")


@pytest.mark.parametrize("version", [2, "1", True, None])
def test_import_refuses_an_unknown_version(
    learner_client, learner, exported, account_snapshot, version
):
    exported["version"] = version

    refuse(learner_client, learner, exported, account_snapshot, "only read version 1")


def test_import_refuses_unknown_topic_slugs_and_names_them(
    learner_client, learner, exported, account_snapshot
):
    wipe_learner_data(learner)
    exported["topic_states"][0]["topic"] = "no-such-topic"
    exported["topic_state_changes"][0]["topic"] = "another-missing-topic"

    refuse(
        learner_client,
        learner,
        exported,
        account_snapshot,
        "Unknown topics, not on this site: another-missing-topic, no-such-topic.",
    )


def test_import_refuses_unknown_module_idea_and_role_slugs(
    learner_client, learner, exported, account_snapshot
):
    exported["portfolio_projects"][0]["modules"] = ["ghost-module"]
    exported["portfolio_projects"][0]["idea"] = "ghost-idea"
    exported["profile"]["target_role"] = "ghost-role"

    response = refuse(
        learner_client,
        learner,
        exported,
        account_snapshot,
        "Unknown module, not on this site: ghost-module.",
    )

    html = response.content.decode()
    assert "Unknown project idea, not on this site: ghost-idea." in html
    assert "Unknown role, not on this site: ghost-role." in html


def test_import_refuses_a_bad_state(learner_client, learner, exported, account_snapshot):
    exported["topic_states"][0]["state"] = "mastered"

    refuse(
        learner_client,
        learner,
        exported,
        account_snapshot,
        "topic_states #1, state: must be one of not_started, learning, done, skipped.",
    )


def test_import_refuses_a_bad_project_status(learner_client, learner, exported, account_snapshot):
    exported["portfolio_projects"][1]["status"] = "abandoned"

    refuse(learner_client, learner, exported, account_snapshot, "portfolio_projects #2, status")


@pytest.mark.parametrize(
    "url",
    ["javascript:alert(document.cookie)", "ftp://example.com/x", "data:text/html,hi", "not a url"],
)
def test_import_refuses_non_http_urls(learner_client, learner, exported, account_snapshot, url):
    exported["portfolio_projects"][0]["demo_url"] = url

    refuse(
        learner_client,
        learner,
        exported,
        account_snapshot,
        "portfolio_projects #1, demo_url: must be an http:// or https:// address, or empty.",
    )


def test_import_refuses_urls_with_a_user_name(learner_client, learner, exported, account_snapshot):
    exported["portfolio_projects"][0]["repository_url"] = "http://github.com@evil.example/"

    refuse(
        learner_client,
        learner,
        exported,
        account_snapshot,
        "portfolio_projects #1, repository_url: must not have a “name@” part before the site.",
    )


@pytest.mark.parametrize(
    ("section", "index", "key", "length", "limit"),
    [
        ("portfolio_projects", 0, "title", 161, 160),
        ("topic_states", 0, "note", 20_001, 20_000),
        ("target_role_history", 0, "role_title", 121, 120),
    ],
)
def test_import_refuses_overlong_strings(
    learner_client, learner, exported, account_snapshot, section, index, key, length, limit
):
    exported[section][index][key] = "x" * length

    refuse(
        learner_client,
        learner,
        exported,
        account_snapshot,
        f"{section} #{index + 1}, {key}: is longer than {limit} characters.",
    )


def test_import_refuses_an_overlong_display_name(
    learner_client, learner, exported, account_snapshot
):
    exported["profile"]["display_name"] = "x" * 81

    refuse(
        learner_client,
        learner,
        exported,
        account_snapshot,
        "profile, display_name: is longer than 80",
    )


REMOVE = object()

# Each case: where in the file, the tampered value (or REMOVE), and the problem reported.
TAMPERED = {
    "unparsable datetime": (
        ("topic_states", 0, "state_changed_at"),
        "yesterday",
        "topic_states #1, state_changed_at: must be a date and time",
    ),
    "datetime that cannot be stored in UTC": (
        ("topic_states", 0, "state_changed_at"),
        "0001-01-01T00:00:00+05:00",
        "topic_states #1, state_changed_at: must be a date and time",
    ),
    "null character in text": (
        ("topic_states", 0, "note"),
        "before\u0000after",
        "topic_states #1, note: must not contain null characters",
    ),
    "lone surrogate in text": (
        ("topic_states", 0, "note"),
        "before\ud800after",
        "topic_states #1, note: must be valid Unicode text",
    ),
    "lone surrogate in a slug": (
        ("portfolio_projects", 0, "modules"),
        ["\ud800"],
        "portfolio_projects #1, modules: must be a list of slugs",
    ),
    "impossible date": (
        ("portfolio_projects", 0, "started_on"),
        "2025-13-01",
        "portfolio_projects #1, started_on: must be a date",
    ),
    "finished before started": (
        ("portfolio_projects", 0, "finished_on"),
        "2024-01-01",
        "finished_on: must not be before started_on",
    ),
    "done without completed_at": (
        ("topic_states", 0, "completed_at"),
        None,
        "completed_at: is required when the state is done",
    ),
    "learning with completed_at": (
        ("topic_states", 1, "completed_at"),
        "2025-01-01T00:00:00+00:00",
        "completed_at: must be null when the state is learning",
    ),
    "hours out of range": (
        ("profile", "weekly_hours"),
        0,
        "profile, weekly_hours: must be a whole number from 1 to 100",
    ),
    "hours as boolean": (
        ("profile", "weekly_hours"),
        True,
        "profile, weekly_hours: must be a whole number from 1 to 100",
    ),
    "hours as text": (
        ("profile", "weekly_hours"),
        "8",
        "profile, weekly_hours: must be a whole number from 1 to 100",
    ),
    "flag as text": (
        ("profile", "is_progress_public"),
        "yes",
        "profile, is_progress_public: must be true or false",
    ),
    "public without handle": (
        ("profile", "public_handle"),
        None,
        "a public page needs a public_handle",
    ),
    "reserved handle": (("profile", "public_handle"), "admin", "“admin” is reserved"),
    "unknown time zone": (
        ("profile", "time_zone"),
        "Mars/Olympus_Mons",
        "profile, time_zone: must be a time zone name such as Europe/Paris",
    ),
    "study day not a weekday": (
        ("profile", "study_days"),
        ["saturday", "caturday"],
        "profile, study_days: must be a list of different weekdays, such as",
    ),
    "no study day": (("profile", "study_days"), [], "profile, study_days: must be a list"),
    "study day twice": (
        ("profile", "study_days"),
        ["monday", "monday"],
        "profile, study_days: must be a list of different weekdays",
    ),
    "study time not a time": (
        ("profile", "study_time"),
        "25:00",
        "profile, study_time: must be a time of day like 18:30",
    ),
    "weekly email as text": (
        ("profile", "weekly_email"),
        "yes",
        "profile, weekly_email: must be true or false",
    ),
    "extra profile field": (("profile", "is_staff"), True, "profile: unexpected is_staff"),
    "missing title": (
        ("portfolio_projects", 0, "title"),
        REMOVE,
        "portfolio_projects #1: missing title",
    ),
    "blank title": (("portfolio_projects", 0, "title"), " ", "title: must not be empty"),
    "modules not a list": (
        ("portfolio_projects", 0, "modules"),
        "ada-llm-basics",
        "modules: must be a list of slugs",
    ),
    "record not an object": (("topic_states", 0), "done", "topic_states #1: must be an object"),
    "section not a list": (("topic_states",), {"a": 1}, "topic_states: must be a list"),
    "unexpected section": (("extra",), [], "unexpected sections: extra"),
}


def tamper(data, path, value):
    *parents, last = path
    for step in parents:
        data = data[step]
    if value is REMOVE:
        del data[last]
    else:
        data[last] = value


@pytest.mark.parametrize(("path", "value", "message"), TAMPERED.values(), ids=TAMPERED.keys())
def test_import_refuses_tampered_records(
    learner_client, learner, exported, account_snapshot, path, value, message
):
    tamper(exported, path, value)

    refuse(learner_client, learner, exported, account_snapshot, message)


def test_import_refuses_a_topic_listed_twice(learner_client, learner, exported, account_snapshot):
    exported["topic_states"].append(copy.deepcopy(exported["topic_states"][0]))

    refuse(
        learner_client,
        learner,
        exported,
        account_snapshot,
        "topic_states #4, topic: “ada-topic-0” already has a state earlier in the file.",
    )


def test_import_refuses_a_handle_another_learner_has(
    learner_client, learner, exported, other_learner, account_snapshot
):
    other_learner.public_handle = "ada-handle-2"
    other_learner.save()
    exported["profile"]["public_handle"] = "ada-handle-2"

    refuse(learner_client, learner, exported, account_snapshot, "That handle is already taken")


def test_import_lists_every_problem_at_once(learner_client, learner, exported, account_snapshot):
    exported["topic_states"][0]["state"] = "mastered"
    exported["portfolio_projects"][0]["demo_url"] = "javascript:alert(1)"
    exported["profile"]["weekly_hours"] = 500

    response = refuse(learner_client, learner, exported, account_snapshot, "state: must be one of")

    html = response.content.decode()
    assert "demo_url: must be an http" in html
    assert "weekly_hours: must be a whole number" in html


def test_import_names_only_a_few_of_many_unknown_slugs(
    learner_client, learner, exported, account_snapshot
):
    exported["portfolio_projects"][0]["modules"] = [f"ghost-{n:03}" for n in range(500)]

    response = refuse(
        learner_client, learner, exported, account_snapshot, "ghost-009 and 490 more."
    )

    assert "ghost-010" not in response.content.decode()


def test_import_refuses_a_file_over_5_mb(learner_client, learner, exported, account_snapshot):
    exported["padding"] = "x" * (5 * 1024 * 1024)

    refuse(learner_client, learner, exported, account_snapshot, "larger than 5 MB")


def test_import_refuses_deeply_nested_json_without_crashing(
    learner_client, learner, account_snapshot
):
    refuse(learner_client, learner, b"[" * 100_000, account_snapshot, "not valid JSON")


def test_import_without_a_file_asks_for_one(learner_client):
    response = learner_client.post(reverse("accounts:import"), {})

    assert response.status_code == 400
    assert response.context["form"].errors["file"] == ["This field is required."]


def test_import_keeps_archived_content_it_refers_to(learner, exported):
    role = RoleFactory(slug="retired-role", title="Retired", is_archived=True)
    exported["target_role_history"].append(
        {"role": role.slug, "role_title": "Retired", "chosen_at": "2020-01-01T00:00:00+00:00"}
    )

    result = user_import(user=learner, data=exported)

    assert result.history_added == 1
