# Opinion sorting (梳理): keyset indexes, near-duplicate groups, and on PostgreSQL the two
# GIN indexes for Chinese search and duplicate look-up.

import django.db.models.deletion
import django.utils.timezone
from django.conf import settings
from django.db import migrations, models

# Character bigrams of a text, lower-cased. It works for Chinese whatever the database's
# locale: pg_trgm only makes trigrams from characters LC_CTYPE calls alphanumeric, and a
# two-character word such as 会议 gives pg_trgm no trigram to search with at all.
# Pairs at even offsets, then at odd ones, cut out by regexp_replace and string_to_array: all
# built-in C functions, about twenty times faster on a million rows than a generate_series
# loop. A leftover single character is an extra key no query asks for.
BIGRAMS_FUNCTION = r"""
CREATE OR REPLACE FUNCTION feedback_bigrams(t text) RETURNS text[]
LANGUAGE sql IMMUTABLE STRICT PARALLEL SAFE AS $$
    SELECT array_remove(
        string_to_array(regexp_replace(lower(t), '(..)', E'\\1\x01', 'g'), E'\x01')
        || string_to_array(regexp_replace(substr(lower(t), 2), '(..)', E'\\1\x01', 'g'), E'\x01'),
        ''
    )
$$
"""

POSTGRES_FORWARD = [
    "CREATE EXTENSION IF NOT EXISTS pg_trgm",
    "CREATE EXTENSION IF NOT EXISTS btree_gin",
    BIGRAMS_FUNCTION,
    # Free-text search: every bigram of the query must be in the row's bigrams. With unit_id
    # in the same GIN index, a search within one unit intersects the two posting lists
    # instead of fetching every row in the city that has the words.
    "CREATE INDEX IF NOT EXISTS opinion_unit_text_bigrams "
    "ON feedback_opinion USING gin (unit_id, feedback_bigrams(text))",
    # Near-duplicates of one opinion within its unit: `unit_id = … AND text % …`.
    "CREATE INDEX IF NOT EXISTS opinion_unit_text_trgm "
    "ON feedback_opinion USING gin (unit_id, text gin_trgm_ops)",
]
POSTGRES_BACKWARD = [
    "DROP INDEX IF EXISTS opinion_unit_text_trgm",
    "DROP INDEX IF EXISTS opinion_unit_text_bigrams",
    "DROP FUNCTION IF EXISTS feedback_bigrams(text)",
]


def _run(statements):
    def run(apps, schema_editor):
        if schema_editor.connection.vendor != "postgresql":
            return  # SQLite searches and compares texts in Python (feedback/similarity.py)
        for sql in statements:
            schema_editor.execute(sql)

    return run


class Migration(migrations.Migration):
    dependencies = [
        ("feedback", "0001_initial"),
        ("units", "0001_initial"),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        migrations.CreateModel(
            name="OpinionGroup",
            fields=[
                (
                    "id",
                    models.BigAutoField(
                        auto_created=True, primary_key=True, serialize=False, verbose_name="ID"
                    ),
                ),
                (
                    "title",
                    models.CharField(
                        blank=True,
                        help_text="用一句话归纳这组意见；原文不变。",
                        max_length=200,
                        verbose_name="归纳",
                    ),
                ),
                (
                    "status",
                    models.CharField(
                        choices=[("suggested", "待确认"), ("confirmed", "已确认")],
                        default="suggested",
                        max_length=20,
                        verbose_name="状态",
                    ),
                ),
                (
                    "created_at",
                    models.DateTimeField(
                        default=django.utils.timezone.now,
                        editable=False,
                        verbose_name="创建时间",
                    ),
                ),
                (
                    "created_by",
                    models.ForeignKey(
                        blank=True,
                        null=True,
                        on_delete=django.db.models.deletion.SET_NULL,
                        related_name="+",
                        to=settings.AUTH_USER_MODEL,
                        verbose_name="创建人",
                    ),
                ),
                (
                    "representative",
                    models.ForeignKey(
                        on_delete=django.db.models.deletion.PROTECT,
                        related_name="+",
                        to="feedback.opinion",
                        verbose_name="代表意见",
                    ),
                ),
                (
                    "unit",
                    models.ForeignKey(
                        on_delete=django.db.models.deletion.PROTECT,
                        related_name="opinion_groups",
                        to="units.unit",
                        verbose_name="单位",
                    ),
                ),
            ],
            options={
                "verbose_name": "同类意见组",
                "verbose_name_plural": "同类意见组",
                "ordering": ["-id"],
                "indexes": [
                    models.Index(fields=["unit", "status"], name="opinion_group_unit_status")
                ],
            },
        ),
        migrations.CreateModel(
            name="OpinionGroupMember",
            fields=[
                (
                    "id",
                    models.BigAutoField(
                        auto_created=True, primary_key=True, serialize=False, verbose_name="ID"
                    ),
                ),
                (
                    "similarity",
                    models.FloatField(blank=True, null=True, verbose_name="与代表意见的相似度"),
                ),
                (
                    "group",
                    models.ForeignKey(
                        on_delete=django.db.models.deletion.CASCADE,
                        related_name="members",
                        to="feedback.opiniongroup",
                        verbose_name="意见组",
                    ),
                ),
                (
                    "opinion",
                    models.OneToOneField(
                        on_delete=django.db.models.deletion.CASCADE,
                        related_name="group_membership",
                        to="feedback.opinion",
                        verbose_name="意见",
                    ),
                ),
            ],
            options={
                "verbose_name": "意见组成员",
                "verbose_name_plural": "意见组成员",
                "ordering": ["group", "opinion"],
            },
        ),
        migrations.RemoveIndex(model_name="opinion", name="opinion_unit_received"),
        migrations.AddIndex(
            model_name="opinion",
            index=models.Index(fields=["unit", "received_on", "id"], name="opinion_unit_keyset"),
        ),
        migrations.AddIndex(
            model_name="opinion",
            index=models.Index(fields=["received_on", "id"], name="opinion_keyset"),
        ),
        migrations.RunPython(_run(POSTGRES_FORWARD), _run(POSTGRES_BACKWARD), elidable=False),
    ]
