"""Indexes the admin needs on the big tables (issue 20): the sort of each changelist, and
pg_trgm indexes for its `__contains` searches (core/bigtables.py). PostgreSQL only: SQLite
holds laptop-sized data and has no pg_trgm. Kept here, in the app that reads at city scale,
so no app's migration chain has to change for them.
"""

from django.db import migrations

INDEXES = {
    "campaign_activity_date_id": "campaign_activity (date, id)",
    "campaign_activity_title_trgm": "campaign_activity USING gin (title gin_trgm_ops)",
    "rectification_report_month_id": "rectification_progressreport (month, id)",
    "rectification_report_done_trgm": (
        "rectification_progressreport USING gin (what_done gin_trgm_ops)"
    ),
    "rectification_item_title_trgm": (
        "rectification_rectificationitem USING gin (title gin_trgm_ops)"
    ),
    "core_auditlog_created_id": "core_auditlog (created_at, id)",
    "core_auditlog_actor_prefix": "core_auditlog (actor_name varchar_pattern_ops)",
    "core_auditlog_repr_trgm": "core_auditlog USING gin (object_repr gin_trgm_ops)",
}


def create(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    schema_editor.execute("CREATE EXTENSION IF NOT EXISTS pg_trgm")
    for name, definition in INDEXES.items():
        schema_editor.execute(f"CREATE INDEX IF NOT EXISTS {name} ON {definition}")


def drop(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    for name in INDEXES:
        schema_editor.execute(f"DROP INDEX IF EXISTS {name}")


class Migration(migrations.Migration):
    dependencies = [
        ("dashboards", "0001_opinion_tally"),
        ("campaign", "0003_inspections"),
        ("rectification", "0002_problem_opinions"),
        ("core", "0005_report_file"),
    ]

    operations = [migrations.RunPython(create, drop)]
