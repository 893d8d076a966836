from django.apps import AppConfig


class DemoConfig(AppConfig):
    """Demo and scale data: on top of every app, so that building them creates no cycle."""

    name = "demo"
    verbose_name = "演示数据"
