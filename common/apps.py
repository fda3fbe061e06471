from django.apps import AppConfig


class CommonConfig(AppConfig):
    """Plumbing every app uses and that knows no domain."""

    default_auto_field = "django.db.models.BigAutoField"
    name = "common"
