"""Bringing a data file back: check all of it first, then write it in one transaction."""

import datetime as dt
from dataclasses import astuple, dataclass

import pydantic
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.crypto import constant_time_compare

from accounts.data_file.problems import names, shown, where, worded
from accounts.data_file.schema import DataFile, verification_seal
from accounts.models import TargetRoleChange, User
from accounts.services import handle_problems, target_role_set, weekly_email_schedule
from careers.models import Role
from common.cache import learner_cache_bump
from learning.models import (
    CheckAnswer,
    CheckAttempt,
    Module,
    PortfolioProject,
    ProjectIdea,
    Question,
    Topic,
    TopicState,
    TopicStateChange,
)
from learning.querysets import COMPLETE_STATES
from learning.reviews import REVIEW_INTERVALS

# More distinct slugs of one kind than the site could ever have means a forged file;
# refusing early also keeps the lookups within the database's parameter limits.
MAX_SLUGS_PER_KIND = 5_000
PROFILE_FIELDS = ("display_name", "weekly_hours", "public_handle", "is_progress_public")
# Taken from the file only when it has them (files from before the study plan do not).
SCHEDULE_FIELDS = ("time_zone", "study_days", "study_time", "weekly_email", "pace_chosen")
TOPIC_STATE_FIELDS = (
    "state",
    "note",
    "state_changed_at",
    "completed_at",
    "verified_at",
    "needs_review",
    "review_step",
    "review_due_on",
)


@dataclass
class ImportResult:
    profile_updated: bool = False
    target_role_changed: bool = False
    history_added: int = 0
    topic_states_saved: int = 0
    state_changes_added: int = 0
    projects_added: int = 0
    checks_added: int = 0

    @property
    def changed_anything(self) -> bool:
        return any(astuple(self))


def user_import(*, user: User, data) -> ImportResult:
    """Apply a data file (parsed JSON) to the learner's account in one transaction.

    Checks the whole file first and raises ValidationError listing every problem,
    writing nothing. Profile fields (never the email) are replaced, and the plan's
    settings the file has (an older file's missing ones stay as the account has them);
    topic states are upserted by topic with the file's dates; state changes, target-role
    history and portfolio projects are added unless already present. Importing the same file
    twice changes nothing the second time.
    """
    file, ids = _checked(user=user, data=data)
    try:
        with transaction.atomic():
            result = _apply(user=user, file=file, ids=ids)
            # Topic states are written in bulk, past the signals that retire cached pages.
            learner_cache_bump(user.pk)
            return result
    except IntegrityError:
        # Only a race gets here (say, someone took the handle a moment ago).
        raise ValidationError(
            "Your account changed while the file was being imported, so nothing was "
            "imported. Please try again."
        ) from None


def _checked(*, user: User, data) -> tuple[DataFile, dict[str, dict[str, int]]]:
    """The file read by the schema, and the id of each slug it names, by kind. Raises
    ValidationError listing every problem: first the file's shape, then what it names."""
    try:
        file = DataFile.model_validate(data)
    except pydantic.ValidationError as error:
        raise ValidationError(shown(worded(error.errors(include_url=False)))) from None

    problems = []
    if file.profile.public_handle is not None:
        for message in handle_problems(file.profile.public_handle, user_pk=user.pk):
            problems.append(f"profile, public_handle: {message.rstrip('.')}.")
    seen_topics = set()
    for index, row in enumerate(file.topic_states):
        if row.topic in seen_topics:
            problems.append(
                f"{where(('topic_states', index, 'topic'))}: “{names([row.topic])}” "
                "already has a state earlier in the file."
            )
        seen_topics.add(row.topic)

    # Every slug must name something we have: one query per kind.
    projects = file.portfolio_projects
    checks = file.check_attempts
    wanted = {
        "role": (Role, {file.profile.target_role, *(row.role for row in file.target_role_history)}),
        "topic": (
            Topic,
            {row.topic for row in file.topic_states + file.topic_state_changes}
            | {row.topic for row in checks},
        ),
        "module": (
            Module,
            {slug for row in projects for slug in row.modules} | {row.module for row in checks},
        ),
        "project idea": (ProjectIdea, {row.idea for row in projects}),
        "question": (Question, {q.question for row in checks for q in row.questions}),
    }
    ids: dict[str, dict[str, int]] = {}
    for kind, (model, slugs) in wanted.items():
        slugs.discard(None)
        if len(slugs) > MAX_SLUGS_PER_KIND:
            problems.append(f"The file names more than {MAX_SLUGS_PER_KIND} different {kind}s.")
            continue
        ids[kind] = dict(model.objects.filter(slug__in=slugs).values_list("slug", "pk"))
        if unknown := sorted(slugs - ids[kind].keys()):
            label = kind if len(unknown) == 1 else f"{kind}s"
            problems.append(f"Unknown {label}, not on this site: {names(unknown)}.")
    if not problems:
        problems += _checks_problems(file, ids["question"])
    if problems:
        raise ValidationError(shown(problems))
    return file, ids


def _checks_problems(file: DataFile, question_ids: dict[str, int]) -> list[str]:
    """Each check's questions show each of their options once, and its answers name
    options the question has (one query for the questions' option counts)."""
    sizes = {
        slug: len(options)
        for slug, options in Question.objects.filter(pk__in=question_ids.values()).values_list(
            "slug", "options"
        )
    }
    problems = []
    for index, attempt in enumerate(file.check_attempts):
        for number, row in enumerate(attempt.questions):
            size = sizes[row.question]
            at = where(("check_attempts", index, "questions", number))
            if sorted(row.option_order) != list(range(size)):
                problems.append(f"{at}: option_order must list each of the {size} options once.")
            if row.chosen is not None and any(i >= size for i in row.chosen):
                problems.append(f"{at}: chosen names an option the question does not have.")
    return problems


def _apply(*, user: User, file: DataFile, ids: dict[str, dict[str, int]]) -> ImportResult:
    result = ImportResult()
    role_ids, topic_ids = ids["role"], ids["topic"]

    given = [name for name in SCHEDULE_FIELDS if name in file.profile.model_fields_set]
    changed_fields = [
        name
        for name in (*PROFILE_FIELDS, *given)
        if getattr(user, name) != getattr(file.profile, name)
    ]
    if changed_fields:
        for name in changed_fields:
            setattr(user, name, getattr(file.profile, name))
        user.save(update_fields=changed_fields)
        result.profile_updated = True
        if {"time_zone", "study_days", "study_time", "weekly_email"} & set(changed_fields):
            weekly_email_schedule(user=user)

    # Target role history, then the target itself.
    result.history_added = _log_extend(
        TargetRoleChange,
        user=user,
        fields=("role_id", "role_title", "chosen_at"),
        rows=[(role_ids.get(r.role), r.role_title, r.chosen_at) for r in file.target_role_history],
    )
    target_id = role_ids.get(file.profile.target_role)
    if user.target_role_id != target_id:
        latest = TargetRoleChange.objects.filter(user=user).order_by("-chosen_at", "-id").first()
        if latest is not None and latest.role_id == target_id:
            # The imported history already records this choice.
            user.target_role_id = target_id
            user.save(update_fields=["target_role"])
        else:
            role = Role.objects.get(pk=target_id) if target_id else None
            target_role_set(user=user, role=role)
        result.target_role_changed = True

    # Topic states: upsert by topic, keeping the file's dates.
    existing = {
        state.topic_id: state
        for state in TopicState.objects.filter(user=user, topic_id__in=topic_ids.values())
    }
    to_create, to_update = [], []
    now = timezone.now()
    for row in file.topic_states:
        values = {name: getattr(row, name) for name in TOPIC_STATE_FIELDS}
        seal = verification_seal(email=user.email, topic=row.topic, verified_at=row.verified_at)
        if not constant_time_compare(seal, row.verification_seal):
            # Not a verification this site signed for this learner: kept as a tick only.
            values["verified_at"] = None
        if row.state in COMPLETE_STATES and row.review_due_on is None:
            # A file from before reviews: due three days after completion, as a tick is.
            values["review_due_on"] = timezone.localdate(row.completed_at) + dt.timedelta(
                days=REVIEW_INTERVALS[0]
            )
        state = existing.get(topic_ids[row.topic])
        if state is None:
            to_create.append(TopicState(user=user, topic_id=topic_ids[row.topic], **values))
        elif any(getattr(state, name) != value for name, value in values.items()):
            for name, value in values.items():
                setattr(state, name, value)
            state.updated_at = now
            to_update.append(state)
    TopicState.objects.bulk_create(to_create)
    TopicState.objects.bulk_update(to_update, [*TOPIC_STATE_FIELDS, "updated_at"])
    result.topic_states_saved = len(to_create) + len(to_update)

    result.state_changes_added = _log_extend(
        TopicStateChange,
        user=user,
        fields=("topic_id", "state", "changed_at"),
        rows=[(topic_ids[r.topic], r.state, r.changed_at) for r in file.topic_state_changes],
    )
    result.projects_added = _projects_add(user=user, file=file, ids=ids)
    result.checks_added = _checks_add(user=user, file=file, ids=ids)
    return result


def _checks_add(*, user: User, file: DataFile, ids: dict[str, dict[str, int]]) -> int:
    """Add the file's checks that are not here yet (same kind and start), each scored
    again against our questions. Returns how many were added."""
    have = set(CheckAttempt.objects.for_user(user).values_list("kind", "started_at"))
    rows = _not_here_yet(file.check_attempts, have, lambda row: (row.kind, row.started_at))
    if not rows:
        return 0
    correct_of = {
        pk: [i for i, option in enumerate(options) if option.get("correct")]
        for pk, options in Question.objects.filter(pk__in=ids["question"].values()).values_list(
            "pk", "options"
        )
    }
    attempts, answers = [], []
    for row in rows:
        scored = [
            (
                ids["question"][q.question],
                q,
                None
                if q.chosen is None
                else sorted(q.chosen) == correct_of[ids["question"][q.question]],
            )
            for q in row.questions
        ]
        submitted = row.submitted_at is not None
        attempts.append(
            CheckAttempt(
                user=user,
                kind=row.kind,
                topic_id=ids["topic"].get(row.topic),
                module_id=ids["module"].get(row.module),
                started_at=row.started_at,
                expires_at=row.expires_at,
                submitted_at=row.submitted_at,
                correct=sum(bool(ok) for _, _, ok in scored) if submitted else None,
                total=len(scored),
            )
        )
        answers.append(scored)
    CheckAttempt.objects.bulk_create(attempts)
    CheckAnswer.objects.bulk_create(
        CheckAnswer(
            attempt=attempt,
            question_id=question_id,
            position=position,
            option_order=q.option_order,
            chosen=sorted(q.chosen) if q.chosen is not None else None,
            is_correct=ok,
        )
        for attempt, scored in zip(attempts, answers, strict=True)
        for position, (question_id, q, ok) in enumerate(scored)
    )
    return len(attempts)


def _log_extend(model, *, user: User, fields: tuple[str, ...], rows: list[tuple]) -> int:
    """Add to the user's append-only log `model` the `rows` (values of `fields`) it does
    not hold yet. Returns how many were added."""
    have = set(model.objects.filter(user=user).values_list(*fields))
    new = [row for row in dict.fromkeys(rows) if row not in have]
    model.objects.bulk_create(
        model(user=user, **dict(zip(fields, row, strict=True))) for row in new
    )
    return len(new)


def _projects_add(*, user: User, file: DataFile, ids: dict[str, dict[str, int]]) -> int:
    """Add the file's portfolio projects that are not here yet: a project with the same
    title and creation time is. Returns how many were added."""
    have = set(PortfolioProject.objects.for_user(user).values_list("title", "created_at"))
    rows = _not_here_yet(file.portfolio_projects, have, lambda row: (row.title, row.created_at))
    projects = PortfolioProject.objects.bulk_create(
        PortfolioProject(
            user=user,
            idea_id=ids["project idea"].get(row.idea),
            **row.model_dump(exclude={"idea", "modules", "created_at"}),
        )
        for row in rows
    )
    # created_at is auto_now_add, which insert overrides; bulk_update sets it as given.
    for project, row in zip(projects, rows, strict=True):
        project.created_at = row.created_at
    PortfolioProject.objects.bulk_update(projects, ["created_at"])
    through = PortfolioProject.modules.through
    through.objects.bulk_create(
        through(portfolioproject_id=project.pk, module_id=ids["module"][slug])
        for project, row in zip(projects, rows, strict=True)
        for slug in row.modules
    )
    return len(projects)


def _not_here_yet(rows, have: set, key) -> list:
    """The rows whose `key` is neither in `have` (what the account holds) nor given by an
    earlier row of the file: importing a file twice, or one that repeats a row, adds it
    once."""
    new = []
    for row in rows:
        if key(row) not in have:
            have.add(key(row))
            new.append(row)
    return new
