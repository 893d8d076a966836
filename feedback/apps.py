from django.apps import AppConfig


class FeedbackConfig(AppConfig):
    name = "feedback"
    verbose_name = "意见与评议"

    def ready(self):
        from core.audit_labels import ACTION_LABELS

        from .audit_labels import ACTION_LABELS as OWN

        ACTION_LABELS.update(OWN)
