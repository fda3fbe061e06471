"""learning's models in the one invalidation path (common/invalidation.py)."""

from django.db.models.signals import m2m_changed

from common.cache import learner_cache_bump
from common.invalidation import watch_content, watch_learner_rows


def _portfolio_modules_changed(sender, instance, **kwargs):
    from learning.models import PortfolioProject

    if isinstance(instance, PortfolioProject):
        learner_cache_bump(instance.user_id)
        return
    # A module's projects changed from the module's side: each owner's pages. A clear
    # names no projects, so the owners are read before the links go.
    if kwargs.get("action") == "pre_clear":
        projects = PortfolioProject.objects.filter(modules=instance)
    elif kwargs.get("pk_set"):
        projects = PortfolioProject.objects.filter(pk__in=kwargs["pk_set"])
    else:
        return
    for user_id in set(projects.values_list("user_id", flat=True)):
        learner_cache_bump(user_id)


def connect_signals():
    from learning import models

    watch_content(
        models.Module,
        models.Topic,
        models.Resource,
        models.ProjectIdea,
        # Which topics can come due for review (the dashboard, the plan) follows them.
        models.Question,
        through=[models.Topic.prerequisites.through, models.ProjectIdea.modules.through],
    )
    # Topic states are only ever deleted with their learner or topic; a delete receiver
    # would make Django load every row of such a cascade one by one.
    watch_learner_rows(models.TopicState, deletes=False)
    watch_learner_rows(models.PortfolioProject)
    m2m_changed.connect(
        _portfolio_modules_changed,
        sender=models.PortfolioProject.modules.through,
        dispatch_uid="learner-portfolio-modules",
    )
