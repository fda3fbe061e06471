"""Writes for the accounts app: public handle rules, the target role, settings, deletion.

The learner's data file (export and import) is in `accounts.data_file`.
"""

import re

from django.db import transaction
from django.utils import timezone

from accounts.models import TargetRoleChange, User
from accounts.schedule import weekly_email_due_after
from careers.models import Role

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
        weekly_email_schedule(user=user)
        target_role_set(user=user, role=form.cleaned_data["target_role"])


def weekly_hours_set(*, user: User, hours: int) -> None:
    """The learner's pace, chosen: the dashboard's ready-by date and the plan follow it."""
    user.weekly_hours = hours
    user.pace_chosen = True
    user.save(update_fields=["weekly_hours", "pace_chosen"])


def weekly_email_schedule(*, user: User) -> None:
    """Set when the learner's next weekly email is due from their current choices (none
    when they have not opted in). Moving it within a week never sends twice: one email per
    learner and week is a database constraint."""
    user.weekly_email_due_at = (
        weekly_email_due_after(user, timezone.now()) if user.weekly_email else None
    )
    user.save(update_fields=["weekly_email_due_at"])


# Deletion


def user_delete(*, user: User) -> None:
    """Delete the account and, by cascade, every row that belongs to it."""
    with transaction.atomic():
        user.delete()
