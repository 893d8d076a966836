from django.apps import AppConfig


class AppraisalsConfig(AppConfig):
    name = "appraisals"
    verbose_name = "民主评议与测评"

    def ready(self):
        from core.audit_labels import ACTION_LABELS

        from .audit_labels import ACTION_LABELS as OWN

        ACTION_LABELS.update(OWN)
