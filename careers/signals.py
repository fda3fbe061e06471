"""careers' models in the one invalidation path (common/invalidation.py)."""

from common.invalidation import watch_content, watch_learner_rows


def connect_signals():
    from careers.models import Responsibility, Role, RoleRequirement, StudyPlan

    watch_content(
        Role,
        Responsibility,
        RoleRequirement,
        through=[Role.leads_to.through, Role.project_ideas.through],
    )
    # The plan shows the learner's commitment (their plan row, only ever deleted with its
    # learner). The feed's SEQUENCE, kept there too, is written with `update()`: it only
    # follows what the learner's version already names.
    watch_learner_rows(StudyPlan, deletes=False)
