"""Writes retire cached pages (see learning/cache.py): content writes bump the content
version, and writes to a learner's own rows bump that learner's version. Bulk writes
(the content loader, the learner import) bump explicitly instead."""

from django.db.models.signals import m2m_changed, post_delete, post_save

from common.cache import content_cache_bump, learner_cache_bump


def _bump(sender, **kwargs):
    content_cache_bump()


def _learner_bump(sender, instance, **kwargs):
    from accounts.models import User
    from learning.models import PortfolioProject

    if isinstance(instance, User):
        learner_cache_bump(instance.pk)
    elif hasattr(instance, "user_id"):
        # The id, not the user: following the relation would cost a query per write.
        learner_cache_bump(instance.user_id)
    else:
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


def connect_content_signals():
    from careers.models import Responsibility, Role, RoleRequirement
    from learning.models import Module, ProjectIdea, Resource, Topic

    for model in (Role, Responsibility, RoleRequirement, Module, Topic, Resource, ProjectIdea):
        post_save.connect(_bump, sender=model, dispatch_uid=f"content-bump-save-{model.__name__}")
        post_delete.connect(_bump, sender=model, dispatch_uid=f"content-bump-del-{model.__name__}")
    for through in (
        Role.leads_to.through,
        Topic.prerequisites.through,
        ProjectIdea.modules.through,
        ProjectIdea.roles.through,
    ):
        m2m_changed.connect(
            _bump, sender=through, dispatch_uid=f"content-bump-m2m-{through.__name__}"
        )


def connect_learner_signals():
    from accounts.models import User
    from learning.models import PortfolioProject, TopicState

    for model in (User, TopicState, PortfolioProject):
        uid = f"learner-bump-{model.__name__}"
        post_save.connect(_learner_bump, sender=model, dispatch_uid=f"{uid}-save")
    # Topic states are only ever deleted with their learner or topic; a delete receiver
    # would make Django load every row of such a cascade one by one.
    post_delete.connect(_learner_bump, sender=PortfolioProject, dispatch_uid="learner-bump-del")
    m2m_changed.connect(
        _learner_bump, sender=PortfolioProject.modules.through, dispatch_uid="learner-bump-m2m"
    )
