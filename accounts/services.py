"""Writes for the accounts app: the target role, and a learner's data export, import, deletion."""

import datetime as dt
import re
from dataclasses import dataclass, field

from django.core.exceptions import ValidationError
from django.core.validators import URLValidator
from django.db import IntegrityError, transaction
from django.utils import timezone

from accounts.models import TargetRoleChange, User
from careers.models import Role
from common.cache import learner_cache_bump
from learning.models import (
    Module,
    PortfolioProject,
    ProjectIdea,
    Topic,
    TopicState,
    TopicStateChange,
)
from learning.querysets import COMPLETE_STATES

EXPORT_FORMAT = "genai-pathways-export"
EXPORT_VERSION = 1
IMPORT_PROBLEMS_SHOWN = 20

HANDLE_RE = re.compile(r"^[a-z0-9][a-z0-9_-]{2,39}\Z")
HANDLE_TAKEN = "That handle is already taken; please choose another."
HANDLE_RULES = "3–40 characters: lowercase letters, numbers, hyphens and underscores."
# Words that would read as part of the site itself in a public page's address.
RESERVED_HANDLES = frozenset(
    {
        "about",
        "accounts",
        "admin",
        "api",
        "dashboard",
        "help",
        "learn",
        "login",
        "logout",
        "me",
        "portfolio",
        "projects",
        "roles",
        "root",
        "search",
        "settings",
        "signup",
        "staff",
        "static",
        "support",
        "system",
        "topics",
        "u",
        "www",
    }
)


def handle_problems(handle: str, *, user_pk: int | None = None) -> list[str]:
    """Why `handle` cannot be this user's public handle; an empty list when it can."""
    if not HANDLE_RE.match(handle):
        return [f"A handle needs {HANDLE_RULES}"]
    if handle in RESERVED_HANDLES:
        return [f"“{handle}” is reserved; please choose another handle."]
    taken = User.objects.filter(public_handle__iexact=handle)
    if user_pk is not None:
        taken = taken.exclude(pk=user_pk)
    if taken.exists():
        return [HANDLE_TAKEN]
    return []


# Target role


def target_role_set(*, user: User, role: Role | None) -> bool:
    """Make `role` the learner's target (None clears it) and append it to their history.

    Returns False, changing nothing, when it already is their target. Topic progress
    is never touched: it belongs to topics, which any role may share.
    """
    with transaction.atomic():
        current_id = (
            User.objects.select_for_update()
            .filter(pk=user.pk)
            .values_list("target_role_id", flat=True)
            .get()
        )
        user.target_role = role
        if current_id == (role.pk if role else None):
            return False
        user.save(update_fields=["target_role"])
        TargetRoleChange.objects.create(
            user=user,
            role=role,
            role_title=role.title if role else "",
            chosen_at=timezone.now(),
        )
    return True


# Settings


def user_settings_save(*, form) -> None:
    """Save a validated settings form: the profile fields and the target role (recorded
    in its history when it changes). Raises IntegrityError when the public handle was
    taken a moment ago; nothing is saved then."""
    user = form.instance
    with transaction.atomic():
        form.save()
        if not user.pace_chosen:
            # The settings form shows the weekly hours: saving it is choosing them.
            user.pace_chosen = True
            user.save(update_fields=["pace_chosen"])
        target_role_set(user=user, role=form.cleaned_data["target_role"])


# Deletion


def user_delete(*, user: User) -> None:
    """Delete the account and, by cascade, every row that belongs to it."""
    with transaction.atomic():
        user.delete()


# Export


def _iso(value: dt.date | dt.datetime | None) -> str | None:
    # Full precision, not DjangoJSONEncoder's milliseconds, so a re-import finds
    # the very same timestamps and recognises what it already holds.
    return value.isoformat() if value is not None else None


def user_export(*, user: User) -> dict:
    """Everything we hold about the learner as JSON-ready data, in six queries
    however much there is."""
    profile = (
        User.objects.filter(pk=user.pk)
        .values(
            "email",
            "display_name",
            "weekly_hours",
            "public_handle",
            "is_progress_public",
            "target_role__slug",
            "date_joined",
        )
        .get()
    )
    history = (
        TargetRoleChange.objects.filter(user=user)
        .order_by("chosen_at", "id")
        .values("role__slug", "role_title", "chosen_at")
    )
    topic_states = (
        TopicState.objects.for_user(user)
        .order_by("topic__slug")
        .values("topic__slug", "state", "note", "state_changed_at", "completed_at")
    )
    state_changes = (
        TopicStateChange.objects.filter(user=user)
        .order_by("changed_at", "topic__slug", "state", "id")
        .values("topic__slug", "state", "changed_at")
    )
    projects = (
        PortfolioProject.objects.for_user(user)
        .order_by("created_at", "title", "id")
        .values(
            "id",
            "title",
            "description",
            "status",
            "repository_url",
            "demo_url",
            "idea__slug",
            "started_on",
            "finished_on",
            "created_at",
        )
    )
    module_slugs: dict[int, list[str]] = {}
    for project_id, slug in (
        PortfolioProject.modules.through.objects.filter(portfolioproject__user=user)
        .order_by("module__slug")
        .values_list("portfolioproject_id", "module__slug")
    ):
        module_slugs.setdefault(project_id, []).append(slug)

    return {
        "format": EXPORT_FORMAT,
        "version": EXPORT_VERSION,
        "exported_at": _iso(timezone.now()),
        "profile": {
            "email": profile["email"],
            "display_name": profile["display_name"],
            "weekly_hours": profile["weekly_hours"],
            "public_handle": profile["public_handle"],
            "is_progress_public": profile["is_progress_public"],
            "target_role": profile["target_role__slug"],
            "date_joined": _iso(profile["date_joined"]),
        },
        "target_role_history": [
            {
                "role": row["role__slug"],
                "role_title": row["role_title"],
                "chosen_at": _iso(row["chosen_at"]),
            }
            for row in history
        ],
        "topic_states": [
            {
                "topic": row["topic__slug"],
                "state": row["state"],
                "note": row["note"],
                "state_changed_at": _iso(row["state_changed_at"]),
                "completed_at": _iso(row["completed_at"]),
            }
            for row in topic_states
        ],
        "topic_state_changes": [
            {
                "topic": row["topic__slug"],
                "state": row["state"],
                "changed_at": _iso(row["changed_at"]),
            }
            for row in state_changes
        ],
        "portfolio_projects": [
            {
                "title": row["title"],
                "description": row["description"],
                "status": row["status"],
                "repository_url": row["repository_url"],
                "demo_url": row["demo_url"],
                "idea": row["idea__slug"],
                "modules": module_slugs.get(row["id"], []),
                "started_on": _iso(row["started_on"]),
                "finished_on": _iso(row["finished_on"]),
                "created_at": _iso(row["created_at"]),
            }
            for row in projects
        ],
    }


# Import: read and check the whole file first, then write it in one transaction.

PROFILE_KEYS = (
    "email",
    "display_name",
    "weekly_hours",
    "public_handle",
    "is_progress_public",
    "target_role",
    "date_joined",
)
SECTION_KEYS = {
    "target_role_history": ("role", "role_title", "chosen_at"),
    "topic_states": ("topic", "state", "note", "state_changed_at", "completed_at"),
    "topic_state_changes": ("topic", "state", "changed_at"),
    "portfolio_projects": (
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
    ),
}
TOP_LEVEL_KEYS = ("format", "version", "exported_at", "profile", *SECTION_KEYS)


# More distinct slugs of one kind than the site could ever have means a forged file;
# refusing early also keeps the lookups within the database's parameter limits.
MAX_SLUGS_PER_KIND = 5_000


def _max_length(model, name: str) -> int | None:
    return model._meta.get_field(name).max_length


def _names(values, *, limit: int = 10) -> str:
    """A short, readable list of names taken from the file, however many or long they are."""
    values = list(values)
    shown = [value if len(value) <= 60 else f"{value[:60]}…" for value in values[:limit]]
    more = f" and {len(values) - limit} more" if len(values) > limit else ""
    return ", ".join(shown) + more


class _RecordReader:
    """Reads the fields of one record, noting every problem rather than stopping at the first."""

    _url_validator = URLValidator(schemes=["http", "https"])

    def __init__(self, problems: list[str], record, where: str, keys: tuple[str, ...]):
        self.problems = problems
        self.where = where
        if not isinstance(record, dict):
            self.problem("must be an object with fields")
            record = {}
        else:
            missing = [key for key in keys if key not in record]
            unexpected = sorted(str(key) for key in record if key not in keys)
            if missing:
                self.problem(f"missing {', '.join(missing)}")
            if unexpected:
                self.problem(f"unexpected {_names(unexpected)}")
        self.record = record

    def problem(self, message: str, key: str | None = None) -> None:
        where = f"{self.where}, {key}" if key else self.where
        self.problems.append(f"{where}: {message}.")

    # Each reader returns a harmless default for a missing field (already reported
    # as missing) or a wrong one (reported here); the plan is never applied then.

    def text(self, key: str, *, max_length: int | None, required: bool = False) -> str:
        if key not in self.record:
            return ""
        value = self.record[key]
        if not isinstance(value, str):
            self.problem("must be text", key)
            return ""
        if "\x00" in value:
            self.problem("must not contain null characters", key)
        if required and not value.strip():
            self.problem("must not be empty", key)
        if max_length is not None and len(value) > max_length:
            self.problem(f"is longer than {max_length} characters", key)
        return value

    def slug(self, key: str, *, required: bool) -> str | None:
        value = self.record.get(key)
        if value is None:
            if required and key in self.record:
                self.problem("is required", key)
            return None
        if not isinstance(value, str) or not value or "\x00" in value:
            self.problem("must be a slug", key)
            return None
        return value

    def slug_list(self, key: str) -> list[str]:
        if key not in self.record:
            return []
        value = self.record[key]
        if not isinstance(value, list) or not all(
            isinstance(v, str) and v and "\x00" not in v for v in value
        ):
            self.problem("must be a list of slugs", key)
            return []
        if len(set(value)) != len(value):
            self.problem("lists the same slug more than once", key)
        return value

    def integer(self, key: str, *, low: int, high: int) -> int | None:
        if key not in self.record:
            return None
        value = self.record[key]
        # type() rather than isinstance(): true and false are ints to Python.
        if type(value) is not int or not low <= value <= high:
            self.problem(f"must be a whole number from {low} to {high}", key)
            return None
        return value

    def boolean(self, key: str) -> bool:
        if key not in self.record:
            return False
        value = self.record[key]
        if not isinstance(value, bool):
            self.problem("must be true or false", key)
            return False
        return value

    def choice(self, key: str, choices) -> str | None:
        if key not in self.record:
            return None
        value = self.record[key]
        if not isinstance(value, str) or value not in choices.values:
            self.problem(f"must be one of {', '.join(choices.values)}", key)
            return None
        return value

    def datetime(self, key: str, *, null: bool = False) -> dt.datetime | None:
        if key not in self.record:
            return None
        value = self.record[key]
        if value is None and null:
            return None
        try:
            parsed = dt.datetime.fromisoformat(value)
            if timezone.is_naive(parsed):
                parsed = timezone.make_aware(parsed, dt.UTC)
            # Stored in UTC, and a time at the edge of year 1 or 9999 may not convert.
            return parsed.astimezone(dt.UTC)
        except (TypeError, ValueError, OverflowError):
            example = "2025-01-31T09:30:00+00:00"
            self.problem(
                f"must be a date and time like {example}{', or null' if null else ''}", key
            )
            return None

    def date(self, key: str) -> dt.date | None:
        value = self.record.get(key)
        if value is None:
            return None
        try:
            return dt.date.fromisoformat(value)
        except (TypeError, ValueError):
            self.problem("must be a date like 2025-01-31, or null", key)
            return None

    def url(self, key: str, *, max_length: int | None) -> str:
        value = self.text(key, max_length=max_length)
        if value:
            try:
                self._url_validator(value)
            except ValidationError:
                self.problem("must be an http:// or https:// address, or empty", key)
        return value


@dataclass
class _ImportPlan:
    profile: dict
    target_role_slug: str | None
    history: list[dict] = field(default_factory=list)
    topic_states: list[dict] = field(default_factory=list)
    state_changes: list[dict] = field(default_factory=list)
    projects: list[dict] = field(default_factory=list)
    # slug -> pk, filled in once every slug is known to exist
    role_ids: dict[str, int] = field(default_factory=dict)
    topic_ids: dict[str, int] = field(default_factory=dict)
    module_ids: dict[str, int] = field(default_factory=dict)
    idea_ids: dict[str, int] = field(default_factory=dict)


def _section(data: dict, name: str, problems: list[str]) -> list:
    value = data.get(name)
    if not isinstance(value, list):
        problems.append(f"{name}: must be a list.")
        return []
    return value


def _import_plan(*, user: User, data) -> _ImportPlan:
    """Check a parsed export file completely; raise ValidationError listing every problem."""
    if not isinstance(data, dict) or data.get("format") != EXPORT_FORMAT:
        raise ValidationError(
            "This is not a GenAI Pathways export file (its “format” is missing or wrong)."
        )
    version = data.get("version")
    if type(version) is not int or version != EXPORT_VERSION:
        raise ValidationError(
            "This export file’s version is not one we know; we can only read version "
            f"{EXPORT_VERSION}."
        )
    problems: list[str] = []
    unexpected = sorted(str(key) for key in data if key not in TOP_LEVEL_KEYS)
    if unexpected:
        problems.append(f"The file has unexpected sections: {_names(unexpected)}.")

    # Profile
    reader = _RecordReader(problems, data.get("profile"), "profile", PROFILE_KEYS)
    reader.text("email", max_length=_max_length(User, "email"), required=True)
    reader.datetime("date_joined")
    handle = reader.slug("public_handle", required=False)
    if handle is not None:
        for message in handle_problems(handle, user_pk=user.pk):
            reader.problem(message.rstrip("."), "public_handle")
    is_public = reader.boolean("is_progress_public")
    if is_public and handle is None:
        reader.problem("a public page needs a public_handle", "is_progress_public")
    plan = _ImportPlan(
        profile={
            "display_name": reader.text(
                "display_name", max_length=_max_length(User, "display_name")
            ),
            "weekly_hours": reader.integer("weekly_hours", low=1, high=100),
            "public_handle": handle,
            "is_progress_public": is_public,
        },
        target_role_slug=reader.slug("target_role", required=False),
    )

    # Target role history
    for index, record in enumerate(_section(data, "target_role_history", problems), start=1):
        reader = _RecordReader(
            problems, record, f"target_role_history #{index}", SECTION_KEYS["target_role_history"]
        )
        plan.history.append(
            {
                "role": reader.slug("role", required=False),
                "role_title": reader.text(
                    "role_title", max_length=_max_length(TargetRoleChange, "role_title")
                ),
                "chosen_at": reader.datetime("chosen_at"),
            }
        )

    # Topic states
    seen_topics: set[str] = set()
    for index, record in enumerate(_section(data, "topic_states", problems), start=1):
        reader = _RecordReader(
            problems, record, f"topic_states #{index}", SECTION_KEYS["topic_states"]
        )
        topic = reader.slug("topic", required=True)
        state = reader.choice("state", TopicState.State)
        completed_at = reader.datetime("completed_at", null=True)
        if topic in seen_topics:
            reader.problem(f"“{_names([topic])}” already has a state earlier in the file", "topic")
        elif topic is not None:
            seen_topics.add(topic)
        if state in COMPLETE_STATES and completed_at is None:
            reader.problem(f"is required when the state is {state}", "completed_at")
        if state and state not in COMPLETE_STATES and completed_at is not None:
            reader.problem(f"must be null when the state is {state}", "completed_at")
        plan.topic_states.append(
            {
                "topic": topic,
                "state": state,
                "note": reader.text("note", max_length=_max_length(TopicState, "note")),
                "state_changed_at": reader.datetime("state_changed_at"),
                "completed_at": completed_at,
            }
        )

    # Topic state changes
    for index, record in enumerate(_section(data, "topic_state_changes", problems), start=1):
        reader = _RecordReader(
            problems, record, f"topic_state_changes #{index}", SECTION_KEYS["topic_state_changes"]
        )
        plan.state_changes.append(
            {
                "topic": reader.slug("topic", required=True),
                "state": reader.choice("state", TopicState.State),
                "changed_at": reader.datetime("changed_at"),
            }
        )

    # Portfolio projects
    for index, record in enumerate(_section(data, "portfolio_projects", problems), start=1):
        reader = _RecordReader(
            problems, record, f"portfolio_projects #{index}", SECTION_KEYS["portfolio_projects"]
        )
        started_on, finished_on = reader.date("started_on"), reader.date("finished_on")
        if started_on and finished_on and finished_on < started_on:
            reader.problem("must not be before started_on", "finished_on")
        plan.projects.append(
            {
                "title": reader.text(
                    "title", max_length=_max_length(PortfolioProject, "title"), required=True
                ),
                "description": reader.text(
                    "description", max_length=_max_length(PortfolioProject, "description")
                ),
                "status": reader.choice("status", PortfolioProject.Status),
                "repository_url": reader.url(
                    "repository_url", max_length=_max_length(PortfolioProject, "repository_url")
                ),
                "demo_url": reader.url(
                    "demo_url", max_length=_max_length(PortfolioProject, "demo_url")
                ),
                "idea": reader.slug("idea", required=False),
                "modules": reader.slug_list("modules"),
                "started_on": started_on,
                "finished_on": finished_on,
                "created_at": reader.datetime("created_at"),
            }
        )

    # Every slug must name something we have: one query per kind.
    wanted = {
        "role": (
            Role,
            plan.role_ids,
            {plan.target_role_slug} | {row["role"] for row in plan.history},
        ),
        "topic": (
            Topic,
            plan.topic_ids,
            {row["topic"] for row in plan.topic_states + plan.state_changes},
        ),
        "module": (Module, plan.module_ids, {s for row in plan.projects for s in row["modules"]}),
        "project idea": (ProjectIdea, plan.idea_ids, {row["idea"] for row in plan.projects}),
    }
    for kind, (model, ids, slugs) in wanted.items():
        slugs.discard(None)
        if len(slugs) > MAX_SLUGS_PER_KIND:
            problems.append(f"The file names more than {MAX_SLUGS_PER_KIND} different {kind}s.")
            continue
        if slugs:
            ids.update(model.objects.filter(slug__in=slugs).values_list("slug", "pk"))
        if unknown := sorted(slugs - ids.keys()):
            label = kind if len(unknown) == 1 else f"{kind}s"
            problems.append(f"Unknown {label}, not on this site: {_names(unknown)}.")

    if problems:
        shown = problems[:IMPORT_PROBLEMS_SHOWN]
        if len(problems) > IMPORT_PROBLEMS_SHOWN:
            shown.append(f"…and {len(problems) - IMPORT_PROBLEMS_SHOWN} more problems.")
        raise ValidationError(shown)
    return plan


@dataclass
class ImportResult:
    profile_updated: bool = False
    target_role_changed: bool = False
    history_added: int = 0
    topic_states_saved: int = 0
    state_changes_added: int = 0
    projects_added: int = 0

    @property
    def changed_anything(self) -> bool:
        return any(
            (
                self.profile_updated,
                self.target_role_changed,
                self.history_added,
                self.topic_states_saved,
                self.state_changes_added,
                self.projects_added,
            )
        )


def user_import(*, user: User, data) -> ImportResult:
    """Apply an export file (parsed JSON) to the learner's account in one transaction.

    Checks the whole file first and raises ValidationError listing every problem,
    writing nothing. Profile fields (never the email) are replaced; topic states are
    upserted by topic with the file's dates; state changes, target-role history and
    portfolio projects are added unless already present. Importing the same file
    twice changes nothing the second time.
    """
    plan = _import_plan(user=user, data=data)
    try:
        with transaction.atomic():
            result = _import_apply(user=user, plan=plan)
            # Topic states are written in bulk, past the signals that retire cached pages.
            learner_cache_bump(user.pk)
            return result
    except IntegrityError:
        # Only a race gets here (say, someone took the handle a moment ago).
        raise ValidationError(
            "Your account changed while the file was being imported, so nothing was "
            "imported. Please try again."
        ) from None


def _import_apply(*, user: User, plan: _ImportPlan) -> ImportResult:
    result = ImportResult()
    now = timezone.now()

    changed_fields = [name for name, value in plan.profile.items() if getattr(user, name) != value]
    if changed_fields:
        for name in changed_fields:
            setattr(user, name, plan.profile[name])
        user.save(update_fields=changed_fields)
        result.profile_updated = True

    # Target role history, then the target itself.
    have = set(
        TargetRoleChange.objects.filter(user=user).values_list("role_id", "role_title", "chosen_at")
    )
    new_history = []
    for row in plan.history:
        key = (plan.role_ids.get(row["role"]), row["role_title"], row["chosen_at"])
        if key not in have:
            have.add(key)
            new_history.append(
                TargetRoleChange(user=user, role_id=key[0], role_title=key[1], chosen_at=key[2])
            )
    TargetRoleChange.objects.bulk_create(new_history)
    result.history_added = len(new_history)

    target_id = plan.role_ids.get(plan.target_role_slug)
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
        for state in TopicState.objects.filter(user=user, topic_id__in=plan.topic_ids.values())
    }
    to_create, to_update = [], []
    for row in plan.topic_states:
        values = {
            "state": row["state"],
            "note": row["note"],
            "state_changed_at": row["state_changed_at"],
            "completed_at": row["completed_at"],
        }
        topic_id = plan.topic_ids[row["topic"]]
        state = existing.get(topic_id)
        if state is None:
            to_create.append(TopicState(user=user, topic_id=topic_id, **values))
        elif any(getattr(state, name) != value for name, value in values.items()):
            for name, value in values.items():
                setattr(state, name, value)
            state.updated_at = now
            to_update.append(state)
    TopicState.objects.bulk_create(to_create)
    TopicState.objects.bulk_update(
        to_update, ["state", "note", "state_changed_at", "completed_at", "updated_at"]
    )
    result.topic_states_saved = len(to_create) + len(to_update)

    # Topic state changes: an append-only log, so add only what is not there yet.
    have = set(
        TopicStateChange.objects.filter(user=user).values_list("topic_id", "state", "changed_at")
    )
    new_changes = []
    for row in plan.state_changes:
        key = (plan.topic_ids[row["topic"]], row["state"], row["changed_at"])
        if key not in have:
            have.add(key)
            new_changes.append(
                TopicStateChange(user=user, topic_id=key[0], state=key[1], changed_at=key[2])
            )
    TopicStateChange.objects.bulk_create(new_changes)
    result.state_changes_added = len(new_changes)

    # Portfolio projects: a project with the same title and creation time is already here.
    have = set(PortfolioProject.objects.for_user(user).values_list("title", "created_at"))
    new_projects, new_project_rows = [], []
    for row in plan.projects:
        key = (row["title"], row["created_at"])
        if key in have:
            continue
        have.add(key)
        new_project_rows.append(row)
        new_projects.append(
            PortfolioProject(
                user=user,
                title=row["title"],
                description=row["description"],
                status=row["status"],
                repository_url=row["repository_url"],
                demo_url=row["demo_url"],
                idea_id=plan.idea_ids.get(row["idea"]),
                started_on=row["started_on"],
                finished_on=row["finished_on"],
            )
        )
    PortfolioProject.objects.bulk_create(new_projects)
    # created_at is auto_now_add, which insert overrides; bulk_update sets it as given.
    for project, row in zip(new_projects, new_project_rows, strict=True):
        project.created_at = row["created_at"]
    PortfolioProject.objects.bulk_update(new_projects, ["created_at"])
    through = PortfolioProject.modules.through
    through.objects.bulk_create(
        through(portfolioproject_id=project.pk, module_id=plan.module_ids[slug])
        for project, row in zip(new_projects, new_project_rows, strict=True)
        for slug in row["modules"]
    )
    result.projects_added = len(new_projects)
    return result
