"""What learning's pages show of the app above it.

learning sits at the base of the chain of apps and imports none of them, yet its module,
topic and project pages show a little about roles: readiness toward the learner's target
role, the roles that need a module, the roles a project idea suits. careers, which knows
roles, fills in these functions in its `AppConfig.ready()` (careers/hooks.py). Until it
does they show nothing, so learning still works, and is tested, on its own.

Each view calls them where it reads, so the queries a page runs stay visible in the view.
"""

from collections.abc import Callable, Iterable
from dataclasses import dataclass


def _no_readiness(user, done: dict):
    return None


def _no_roles(module) -> list:
    return []


def _unchanged(ideas):
    return ideas


@dataclass
class RoleHooks:
    # Readiness toward the learner's target role, from their `done_by_module` figures;
    # None without a target.
    target_readiness: Callable[[object, dict], object | None] = _no_readiness
    # The active roles that require a module, in their order (cached content).
    roles_needing_module: Callable[[object], list] = _no_roles
    # A project-idea queryset with each idea's active roles prefetched as `idea.roles`.
    ideas_with_roles: Callable[[Iterable], Iterable] = _unchanged


role_hooks = RoleHooks()
