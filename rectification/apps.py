from django.apps import AppConfig


class RectificationConfig(AppConfig):
    name = "rectification"
    verbose_name = "整改落实"

    def ready(self):
        from core.audit_labels import ACTION_LABELS

        from .audit_labels import ACTION_LABELS as OWN

        ACTION_LABELS.update(OWN)
