from pathlib import Path

from django.apps import AppConfig
from django.conf import settings


class CoreConfig(AppConfig):
    name = "core"
    verbose_name = "公共"

    def ready(self):
        from . import throttle  # noqa: F401 (connects the login failure counter)

        # kombu's filesystem transport needs its folders before a producer or worker starts.
        options = getattr(settings, "CELERY_BROKER_TRANSPORT_OPTIONS", None) or {}
        for key in ("data_folder_in", "data_folder_out", "processed_folder", "control_folder"):
            if options.get(key):
                Path(options[key]).mkdir(parents=True, exist_ok=True)
