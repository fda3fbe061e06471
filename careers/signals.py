"""careers' models in the one invalidation path (common/invalidation.py)."""

from common.invalidation import watch_content


def connect_signals():
    from careers.models import Responsibility, Role, RoleRequirement

    watch_content(
        Role,
        Responsibility,
        RoleRequirement,
        through=[Role.leads_to.through, Role.project_ideas.through],
    )
