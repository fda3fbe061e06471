from django.apps import AppConfig


class CareersConfig(AppConfig):
    name = "careers"
    verbose_name = "Careers"

    def ready(self):
        from careers.hooks import install
        from careers.signals import connect_signals

        connect_signals()
        install()
