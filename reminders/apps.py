from django.apps import AppConfig


class RemindersConfig(AppConfig):
    name = "reminders"
    verbose_name = "提醒"

    def ready(self):
        from core.health import register_waiting

        from .services import outbox_waiting

        # /healthz/ and `manage.py healthcheck` count the digests that wait to be sent.
        register_waiting("digests", outbox_waiting)
