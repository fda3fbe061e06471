"""The data file's format, described once: the export is built from these models and an
import is checked against them. Unknown keys are refused everywhere.

Checks pydantic has no name for raise an error of our own type; `problems.MESSAGES` words
each type, ours and pydantic's alike.
"""

import datetime as dt
from typing import Annotated, Literal

from django.core.exceptions import ValidationError as DjangoValidationError
from django.db import models
from django.utils.crypto import salted_hmac
from pydantic import (
    AfterValidator,
    BaseModel,
    ConfigDict,
    Field,
    PlainSerializer,
    PlainValidator,
    ValidationInfo,
    field_validator,
)
from pydantic_core import PydanticCustomError

from accounts.models import ALL_DAYS, WEEKDAYS, TargetRoleChange, User
from common.timezones import time_zone_names
from learning.models import CheckAttempt, PortfolioProject, TopicState
from learning.querysets import COMPLETE_STATES
from learning.validators import project_url

EXPORT_FORMAT = "genai-pathways-export"
EXPORT_VERSION = 1
WEEKLY_HOURS = (1, 100)


# Text without null characters, which no database column takes; the only pattern used,
# so problems.py words its mismatch.
WITHOUT_NULL = r"^[^\x00]*$"


def problem(kind: str, **context) -> PydanticCustomError:
    """An error of our own type `kind`, which `problems.MESSAGES` words."""
    return PydanticCustomError(kind, kind, context)


# Field types


def _not_blank(value: str) -> str:
    if not value.strip():
        raise problem("blank")
    return value


def _web_address(value: str) -> str:
    """The portfolio form's rule (learning.validators.project_url), in our wording."""
    try:
        if value:
            project_url(value)
    except DjangoValidationError as error:
        raise problem("userinfo" if error.code == "userinfo" else "web_address") from None
    return value


def text(model: type[models.Model], name: str, *also) -> type[str]:
    """Text without null characters, no longer than the model's field allows."""
    max_length = model._meta.get_field(name).max_length
    return Annotated[str, Field(max_length=max_length, pattern=WITHOUT_NULL), *also]


def _slugs(value: object) -> list[str]:
    # Module slugs are ASCII, which also keeps out a lone surrogate the database refuses.
    if not isinstance(value, list) or not all(
        isinstance(item, str) and item and item.isascii() and "\x00" not in item for item in value
    ):
        raise problem("slug_list")
    if len(set(value)) != len(value):
        raise problem("slug_repeated")
    return value


def _iso_reader(kind: str, parse):
    """A validator reading Python's ISO form, as the export writes it, with `parse`."""

    def read(value: object):
        try:
            return parse(value)
        except (TypeError, ValueError, OverflowError):
            raise problem(kind) from None

    return read


def _moment(value: object) -> dt.datetime:
    parsed = dt.datetime.fromisoformat(value)
    # Stored in UTC (a time without a zone is UTC); one at the edge of year 1 or 9999
    # may not convert.
    return parsed.replace(tzinfo=parsed.tzinfo or dt.UTC).astimezone(dt.UTC)


def _iso(value: dt.date) -> str:
    # Full precision, not DjangoJSONEncoder's milliseconds, so a re-import finds the
    # very same timestamps and recognises what it already holds.
    return value.isoformat()


def _count(value: object) -> int:
    if not isinstance(value, int) or isinstance(value, bool) or not 0 <= value <= 32_767:
        raise problem("count")
    return value


def _indexes(value: object) -> list[int]:
    if not isinstance(value, list) or not all(
        isinstance(item, int) and not isinstance(item, bool) and 0 <= item < 10 for item in value
    ):
        raise problem("index_list")
    return value


def _time_zone(value: object) -> str:
    if not isinstance(value, str) or value not in time_zone_names():
        raise problem("time_zone")
    return value


def _study_days(value: object) -> int:
    """Day names (as the export writes them) to the stored bit mask: bit 0 is Monday."""
    days = [day.lower() for day in WEEKDAYS]
    if not isinstance(value, list) or not value or not all(item in days for item in value):
        raise problem("study_days")
    if len(set(value)) != len(value):
        raise problem("study_days")
    return sum(1 << days.index(item) for item in value)


def _day_names(mask: int) -> list[str]:
    return [day.lower() for index, day in enumerate(WEEKDAYS) if mask & ALL_DAYS & (1 << index)]


def _clock(value: object) -> dt.time:
    if not isinstance(value, str):
        raise ValueError
    parsed = dt.time.fromisoformat(value)
    if parsed.tzinfo is not None:
        raise ValueError
    return parsed


Slug = Annotated[str, Field(min_length=1, pattern=WITHOUT_NULL)]
TimeZone = Annotated[str, PlainValidator(_time_zone)]
StudyDays = Annotated[
    int, PlainValidator(_study_days), PlainSerializer(_day_names, when_used="json")
]
Clock = Annotated[
    dt.time,
    PlainValidator(_iso_reader("clock", _clock)),
    PlainSerializer(_iso, when_used="json"),
]
Count = Annotated[int, PlainValidator(_count)]
Indexes = Annotated[list[int], PlainValidator(_indexes)]
Slugs = Annotated[list[str], PlainValidator(_slugs)]
Moment = Annotated[
    dt.datetime,
    PlainValidator(_iso_reader("moment", _moment)),
    PlainSerializer(_iso, when_used="json"),
]
Day = Annotated[
    dt.date,
    PlainValidator(_iso_reader("day", dt.date.fromisoformat)),
    PlainSerializer(_iso, when_used="json"),
]
State = Literal[tuple(TopicState.State.values)]
Status = Literal[tuple(PortfolioProject.Status.values)]


# Records


class Record(BaseModel):
    # Strict: "8" is not a number of hours, nor "yes" a flag.
    model_config = ConfigDict(extra="forbid", strict=True)


class Profile(Record):
    email: text(User, "email", AfterValidator(_not_blank))
    display_name: text(User, "display_name")
    weekly_hours: Annotated[int, Field(ge=WEEKLY_HOURS[0], le=WEEKLY_HOURS[1])]
    public_handle: Slug | None
    is_progress_public: bool
    target_role: Slug | None
    date_joined: Moment
    # The plan's settings (issue 17). A file written before them imports as it is: the
    # account keeps what it has for each one the file lacks (a new account, these).
    time_zone: TimeZone = "UTC"
    study_days: StudyDays = User._meta.get_field("study_days").default
    study_time: Clock = User._meta.get_field("study_time").default
    weekly_email: bool = False
    pace_chosen: bool = False

    @field_validator("is_progress_public")
    @classmethod
    def _public_page_has_handle(cls, value: bool, info: ValidationInfo) -> bool:
        if value and info.data.get("public_handle") is None:
            raise problem("public_without_handle")
        return value


class TargetRoleChoice(Record):
    role: Slug | None
    role_title: text(TargetRoleChange, "role_title")
    chosen_at: Moment


class TopicStateRecord(Record):
    topic: Slug
    state: State
    note: text(TopicState, "note")
    state_changed_at: Moment
    completed_at: Moment | None
    # Verification and review (issue 16); files written before them read as never checked.
    # The seal is this site's signature over the verification: a file edited to claim a
    # check that was never passed loses the verification, not the rest.
    verified_at: Moment | None = None
    verification_seal: Annotated[str, Field(max_length=128, pattern=WITHOUT_NULL)] = ""
    needs_review: bool = False
    review_step: Count = 0
    review_due_on: Day | None = None

    @field_validator("completed_at")
    @classmethod
    def _completed_when_complete(cls, value: dt.datetime | None, info: ValidationInfo):
        state = info.data.get("state")
        if state in COMPLETE_STATES and value is None:
            raise problem("completed_at_missing", state=state)
        if state and state not in COMPLETE_STATES and value is not None:
            raise problem("completed_at_not_null", state=state)
        return value


class TopicStateChangeRecord(Record):
    topic: Slug
    state: State
    changed_at: Moment


class CheckQuestionRecord(Record):
    question: Slug
    option_order: Indexes
    chosen: Indexes | None


class CheckAttemptRecord(Record):
    kind: Literal[tuple(CheckAttempt.Kind.values)]
    topic: Slug | None
    module: Slug | None
    started_at: Moment
    expires_at: Moment
    submitted_at: Moment | None
    # The score as exported; an import scores the answers again against our questions.
    correct: Count | None = None
    total: Count = 0
    questions: list[CheckQuestionRecord]


class PortfolioProjectRecord(Record):
    title: text(PortfolioProject, "title", AfterValidator(_not_blank))
    description: text(PortfolioProject, "description")
    status: Status
    repository_url: text(PortfolioProject, "repository_url", AfterValidator(_web_address))
    demo_url: text(PortfolioProject, "demo_url", AfterValidator(_web_address))
    idea: Slug | None
    modules: Slugs
    started_on: Day | None
    finished_on: Day | None
    created_at: Moment

    @field_validator("finished_on")
    @classmethod
    def _finished_after_started(cls, value: dt.date | None, info: ValidationInfo):
        started_on = info.data.get("started_on")
        if value and started_on and value < started_on:
            raise problem("finished_before_started")
        return value


def verification_seal(*, email: str, topic: str, verified_at: dt.datetime | None) -> str:
    """This site's signature over one verification of one learner (by email, which an
    import never changes), so an edited file cannot claim a check that was not passed."""
    if verified_at is None:
        return ""
    value = f"{email.lower()}|{topic}|{verified_at.astimezone(dt.UTC).isoformat()}"
    return salted_hmac("genai-pathways.verification", value, algorithm="sha256").hexdigest()


class DataFile(Record):
    format: Literal[EXPORT_FORMAT]
    # A number pinned to one value, so that true or 1.0 are not taken for 1.
    version: Annotated[int, Field(ge=EXPORT_VERSION, le=EXPORT_VERSION)]
    exported_at: Moment | None = None
    profile: Profile
    target_role_history: list[TargetRoleChoice]
    topic_states: list[TopicStateRecord]
    topic_state_changes: list[TopicStateChangeRecord]
    portfolio_projects: list[PortfolioProjectRecord]
    check_attempts: list[CheckAttemptRecord] = []
