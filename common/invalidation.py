"""The one path by which writes retire cached pages (see common/cache.py).

Each app connects its own models in its `AppConfig.ready()`: content models bump the
content version on every save, delete and m2m change; rows that belong to a learner bump
that learner's version. Bulk writes that bypass signals (`QuerySet.update()`, the content
loader, the data-file import) call `content_cache_bump()` or `learner_cache_bump()`
themselves, once, after writing.
"""

from django.db.models.signals import m2m_changed, post_delete, post_save

from common.cache import content_cache_bump, learner_cache_bump


def _content_changed(sender, **kwargs):
    content_cache_bump()


def watch_content(*models, through=()) -> None:
    """Bump the content version whenever one of these models, or m2m links stored in one
    of these `through` tables, change."""
    for model in models:
        uid = f"content-{model._meta.label}"
        post_save.connect(_content_changed, sender=model, dispatch_uid=f"{uid}-save")
        post_delete.connect(_content_changed, sender=model, dispatch_uid=f"{uid}-delete")
    for table in through:
        m2m_changed.connect(_content_changed, sender=table, dispatch_uid=f"content-{table}")


def _learner_row_saved(sender, instance, **kwargs):
    # The id, not the user: following the relation would cost a query per write.
    learner_cache_bump(instance.user_id)


def watch_learner_rows(*models, deletes: bool = True) -> None:
    """Bump the owner's learner version whenever a row of these models (each with a
    `user_id`) is saved, or deleted when `deletes`."""
    for model in models:
        uid = f"learner-{model._meta.label}"
        post_save.connect(_learner_row_saved, sender=model, dispatch_uid=f"{uid}-save")
        if deletes:
            post_delete.connect(_learner_row_saved, sender=model, dispatch_uid=f"{uid}-delete")
