"""Content writes invalidate the content cache (see learning/cache.py)."""

from django.db.models.signals import m2m_changed, post_delete, post_save

from learning.cache import content_cache_bump


def _bump(sender, **kwargs):
    content_cache_bump()


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
