"""careers' answers to learning's role hooks (learning/hooks.py)."""

from django.db.models import Prefetch

from careers.catalogue import catalogue
from careers.models import Role
from careers.readiness import role_progress
from common.cache import content_cached


def target_readiness(user, done: dict):
    if not user.is_authenticated:
        return None
    role = catalogue().roles.get(user.target_role_id)
    return role_progress(user, role, done) if role is not None else None


def roles_needing_module(module) -> list[Role]:
    return content_cached(
        f"module-roles:{module.pk}",
        lambda: list(Role.objects.active().filter(requirements__module=module).order_by("order")),
    )


def ideas_with_roles(ideas):
    return ideas.prefetch_related(Prefetch("roles", queryset=Role.objects.active()))


def install():
    from learning.hooks import role_hooks

    role_hooks.target_readiness = target_readiness
    role_hooks.roles_needing_module = roles_needing_module
    role_hooks.ideas_with_roles = ideas_with_roles
