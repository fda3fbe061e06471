"""The content figures progress is measured against, cached per content version."""

from dataclasses import dataclass

from careers.models import Role, RoleRequirement
from common.cache import content_kept
from learning.models import Module
from learning.progress import module_totals


@dataclass(frozen=True)
class Catalogue:
    """The content figures progress is measured against: per active module its hours
    and topic count, and per active role the modules it requires. Content-only, so it
    is computed once per content version and cached (three queries on a miss)."""

    modules: dict[int, Module]
    module_hours: dict[int, tuple[int, int]]
    requirements: dict[int, list[tuple[int, str]]]
    roles: dict[int, Role]


def catalogue() -> Catalogue:
    """The catalogue for the current content version (kept per process, read-only)."""
    return content_kept("progress-catalogue", _catalogue_build)


def _catalogue_build() -> Catalogue:
    modules = {m.pk: m for m in Module.objects.active()}
    module_hours = module_totals()
    roles = {r.pk: r for r in Role.objects.active()}
    requirements: dict[int, list[tuple[int, str]]] = {pk: [] for pk in roles}
    for role_id, module_id, importance in RoleRequirement.objects.filter(
        role__is_archived=False, module__is_archived=False
    ).values_list("role_id", "module_id", "importance"):
        requirements[role_id].append((module_id, importance))
    return Catalogue(modules, module_hours, requirements, roles)
