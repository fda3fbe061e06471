"""The data file's schema: any file it describes comes back from export exactly as it went
in through import, and every problem it can report has our wording."""

import datetime as dt
import re
from pathlib import Path

import pytest
from django.core.exceptions import ValidationError
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from accounts.data_file import schema
from accounts.data_file.export import user_export
from accounts.data_file.import_ import user_import
from accounts.data_file.problems import MESSAGES, worded
from accounts.models import WEEKDAYS, TargetRoleChange, User
from accounts.services import RESERVED_HANDLES
from learning.models import PortfolioProject, TopicState, TopicStateChange
from learning.querysets import COMPLETE_STATES
from tests.careers.factories import RoleFactory
from tests.learning.factories import ModuleFactory, ProjectIdeaFactory, TopicFactory

pytestmark = pytest.mark.django_db

ROLES, TOPICS = ["role-a", "role-b"], ["topic-a", "topic-b", "topic-c"]
MODULES, IDEAS = ["module-a", "module-b"], ["idea-a"]

TEXT = st.text(st.characters(exclude_categories=["Cs"], exclude_characters="\x00"), max_size=40)
# Distinct moments, so that the file's order is the order the export sorts by.
MOMENTS = st.datetimes(
    min_value=dt.datetime(2000, 1, 1), max_value=dt.datetime(2030, 1, 1), timezones=st.just(dt.UTC)
)
DAYS = st.dates(min_value=dt.date(2000, 1, 1), max_value=dt.date(2030, 1, 1))
HANDLES = st.from_regex(r"[a-z0-9][a-z0-9_-]{2,39}", fullmatch=True).filter(
    lambda handle: handle not in RESERVED_HANDLES
)


def _iso_or_none(day):
    return day and day.isoformat()


@st.composite
def topic_state(draw, topic, email):
    state = draw(st.sampled_from(TopicState.State.values))
    complete = state in COMPLETE_STATES
    verified_at = draw(st.none() | MOMENTS)
    return {
        "topic": topic,
        "state": state,
        "note": draw(TEXT),
        "state_changed_at": draw(MOMENTS).isoformat(),
        "completed_at": draw(MOMENTS).isoformat() if complete else None,
        "verified_at": verified_at and verified_at.isoformat(),
        "verification_seal": schema.verification_seal(
            email=email, topic=topic, verified_at=verified_at
        ),
        "needs_review": draw(st.booleans()),
        "review_step": draw(st.integers(0, 9)),
        # A completed topic always has a review date; the import gives one to old files.
        "review_due_on": draw((DAYS if complete else st.none() | DAYS).map(_iso_or_none)),
    }


@st.composite
def portfolio_project(draw, created_at):
    started_on = draw(st.none() | DAYS)
    finished_on = draw(st.none() | DAYS.filter(lambda day: not started_on or day >= started_on))
    return {
        "title": draw(TEXT.filter(str.strip)),
        "description": draw(TEXT),
        "status": draw(st.sampled_from(PortfolioProject.Status.values)),
        "repository_url": draw(st.sampled_from(["", "https://github.com/example/x"])),
        "demo_url": draw(st.sampled_from(["", "http://demo.example.com/a?b=c"])),
        "idea": draw(st.none() | st.sampled_from(IDEAS)),
        "modules": sorted(draw(st.sets(st.sampled_from(MODULES)))),
        "started_on": started_on and started_on.isoformat(),
        "finished_on": finished_on and finished_on.isoformat(),
        "created_at": created_at.isoformat(),
    }


@st.composite
def data_file(draw, user):
    """A file as our export would write it for `user`: in the export's order, and with a
    target role that its history ends with (else the import records a new choice)."""
    history_moments = sorted(draw(st.sets(MOMENTS, max_size=3)))
    history = [
        {"role": draw(st.none() | st.sampled_from(ROLES)), "role_title": draw(TEXT), "chosen_at": m}
        for m in map(dt.datetime.isoformat, history_moments)
    ]
    topics = sorted(draw(st.sets(st.sampled_from(TOPICS))))
    changes = [
        {"topic": draw(st.sampled_from(TOPICS)), "state": "learning", "changed_at": m.isoformat()}
        for m in sorted(draw(st.sets(MOMENTS, max_size=3)))
    ]
    handle = draw(st.none() | HANDLES)
    # One set of days, at least one (the settings form asks for one).
    study_days = draw(st.sets(st.sampled_from(WEEKDAYS), min_size=1))
    return {
        "format": schema.EXPORT_FORMAT,
        "version": schema.EXPORT_VERSION,
        "exported_at": draw(MOMENTS).isoformat(),
        "profile": {
            "email": user.email,
            "display_name": draw(TEXT),
            "weekly_hours": draw(st.integers(1, 100)),
            "public_handle": handle,
            "is_progress_public": handle is not None and draw(st.booleans()),
            "target_role": history[-1]["role"] if history else None,
            "date_joined": user.date_joined.isoformat(),
            "time_zone": draw(st.sampled_from(["UTC", "Europe/Paris", "America/St_Johns"])),
            "study_days": [day.lower() for day in WEEKDAYS if day in study_days],
            "study_time": draw(st.times()).replace(microsecond=0).isoformat(),
            "weekly_email": draw(st.booleans()),
            "pace_chosen": draw(st.booleans()),
        },
        "target_role_history": history,
        "topic_states": [draw(topic_state(topic, user.email)) for topic in topics],
        "topic_state_changes": changes,
        "portfolio_projects": [
            draw(portfolio_project(created_at))
            for created_at in sorted(draw(st.sets(MOMENTS, max_size=3)))
        ],
        "check_attempts": [],
    }


@pytest.fixture
def site_content():
    for slug in ROLES:
        RoleFactory(slug=slug)
    module = ModuleFactory(slug=MODULES[0])
    ModuleFactory(slug=MODULES[1])
    for slug in TOPICS:
        TopicFactory(slug=slug, module=module)
    for slug in IDEAS:
        ProjectIdeaFactory(slug=slug)


def learner_data_wipe(user):
    for model in (TopicState, TopicStateChange, PortfolioProject, TargetRoleChange):
        model.objects.filter(user=user).delete()
    User.objects.filter(pk=user.pk).update(
        public_handle=None, is_progress_public=False, target_role=None
    )
    user.refresh_from_db()


@settings(
    max_examples=25,
    deadline=None,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.function_scoped_fixture],
)
@given(data=st.data())
def test_any_file_the_schema_describes_comes_back_from_export_unchanged(
    learner, site_content, data
):
    learner_data_wipe(learner)
    original = data.draw(data_file(learner))

    user_import(user=learner, data=original)

    exported = user_export(user=learner)
    assert {**exported, "exported_at": original["exported_at"]} == original


def test_every_problem_the_schema_raises_has_our_wording():
    raised = re.findall(r'problem\("(\w+)"', Path(schema.__file__).read_text())

    assert raised
    assert set(raised) <= MESSAGES.keys()


def test_a_library_error_without_wording_still_reads_clearly():
    errors = [{"type": "something_new", "loc": ("topic_states", 2, "note"), "msg": "x"}]

    assert worded(errors) == ["topic_states #3, note: is not valid."]


def test_a_null_where_something_else_belongs_is_reported_as_required(learner):
    data = user_export(user=learner)
    data["profile"] = None
    data["target_role_history"] = None

    with pytest.raises(ValidationError) as raised:
        user_import(user=learner, data=data)

    assert raised.value.messages == ["profile: is required.", "target_role_history: is required."]
