"""accounts' models in the one invalidation path (common/invalidation.py): a user's own
settings (target role, weekly hours, public page) show on their pages."""

from django.db.models.signals import post_save

from common.cache import learner_cache_bump


def _user_saved(sender, instance, **kwargs):
    learner_cache_bump(instance.pk)


def connect_signals():
    from accounts.models import User

    post_save.connect(_user_saved, sender=User, dispatch_uid="learner-user-save")
