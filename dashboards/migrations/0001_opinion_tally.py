"""The opinion tally and the triggers that keep it equal to the opinions (models.OpinionTally).

PostgreSQL only: statement-level triggers with transition tables, so a bulk insert of
thousands of opinions is one upsert of a few dozen counter rows. SQLite keeps no tally (its
triggers vanish whenever Django rebuilds a table to alter it); there the dashboards count the
opinions themselves, which is quick at the sizes SQLite is used for.
"""

from django.db import migrations, models

T = "dashboards_opiniontally"

# Each row's unit and its ancestors, found by equality on the unique path index: the
# path's prefixes, one per level (steps of 4 characters, units.models.PATH_STEP).
ANCESTORS_PG = """JOIN units_unit u ON u.id = d.unit_id
    CROSS JOIN LATERAL generate_series(1, length(u.path) / 4) AS level
    JOIN units_unit a ON a.path = substr(u.path, 1, 4 * level)"""

FILL_PG = f"""
INSERT INTO {T} (unit_id, channel, four_winds, n)
SELECT a.id, d.channel, d.four_winds, sum(d.n)
FROM (SELECT unit_id, channel, four_winds, count(*) AS n
      FROM feedback_opinion GROUP BY 1, 2, 3) d
{ANCESTORS_PG}
GROUP BY 1, 2, 3"""

INSERTED = "SELECT unit_id, channel, four_winds, count(*) AS n FROM new_rows GROUP BY 1, 2, 3"
DELETED = "SELECT unit_id, channel, four_winds, -count(*) AS n FROM old_rows GROUP BY 1, 2, 3"
# An update counts only where the unit, channel or class changed: -1 before, +1 after.
CHANGED = """
    SELECT unit_id, channel, four_winds, sum(n) AS n FROM (
        SELECT nr.unit_id, nr.channel, nr.four_winds, 1 AS n
        FROM new_rows nr JOIN old_rows o ON o.id = nr.id
        WHERE (o.unit_id, o.channel, o.four_winds)
            IS DISTINCT FROM (nr.unit_id, nr.channel, nr.four_winds)
        UNION ALL
        SELECT o.unit_id, o.channel, o.four_winds, -1
        FROM new_rows nr JOIN old_rows o ON o.id = nr.id
        WHERE (o.unit_id, o.channel, o.four_winds)
            IS DISTINCT FROM (nr.unit_id, nr.channel, nr.four_winds)
    ) x GROUP BY 1, 2, 3"""


def _upsert_pg(delta: str) -> str:
    # In key order, so two transactions touching the same counters cannot deadlock.
    return f"""
        INSERT INTO {T} (unit_id, channel, four_winds, n)
        SELECT a.id, d.channel, d.four_winds, sum(d.n)
        FROM ({delta}) d
        {ANCESTORS_PG}
        GROUP BY 1, 2, 3 HAVING sum(d.n) <> 0 ORDER BY 1, 2, 3
        ON CONFLICT (unit_id, channel, four_winds) DO UPDATE SET n = {T}.n + EXCLUDED.n;"""


POSTGRES = [
    FILL_PG,
    f"""
CREATE OR REPLACE FUNCTION dashboards_opinion_tally() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    IF TG_OP = 'INSERT' THEN
        {_upsert_pg(INSERTED)}
    ELSIF TG_OP = 'DELETE' THEN
        {_upsert_pg(DELETED)}
    ELSE
        {_upsert_pg(CHANGED)}
    END IF;
    RETURN NULL;
END $$""",
    """CREATE TRIGGER dashboards_opinion_tally_insert AFTER INSERT ON feedback_opinion
    REFERENCING NEW TABLE AS new_rows FOR EACH STATEMENT
    EXECUTE FUNCTION dashboards_opinion_tally()""",
    """CREATE TRIGGER dashboards_opinion_tally_delete AFTER DELETE ON feedback_opinion
    REFERENCING OLD TABLE AS old_rows FOR EACH STATEMENT
    EXECUTE FUNCTION dashboards_opinion_tally()""",
    """CREATE TRIGGER dashboards_opinion_tally_update AFTER UPDATE ON feedback_opinion
    REFERENCING OLD TABLE AS old_rows NEW TABLE AS new_rows FOR EACH STATEMENT
    EXECUTE FUNCTION dashboards_opinion_tally()""",
    f"""
CREATE OR REPLACE FUNCTION dashboards_opinion_tally_unit_moved() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    IF EXISTS (SELECT 1 FROM old_units o JOIN new_units nu ON nu.id = o.id
               WHERE nu.path <> o.path) THEN
        DELETE FROM {T};
        {FILL_PG};
    END IF;
    RETURN NULL;
END $$""",
    """CREATE TRIGGER dashboards_opinion_tally_unit_moved AFTER UPDATE ON units_unit
    REFERENCING OLD TABLE AS old_units NEW TABLE AS new_units FOR EACH STATEMENT
    EXECUTE FUNCTION dashboards_opinion_tally_unit_moved()""",
]

POSTGRES_REVERSE = [
    "DROP TRIGGER IF EXISTS dashboards_opinion_tally_unit_moved ON units_unit",
    "DROP FUNCTION IF EXISTS dashboards_opinion_tally_unit_moved()",
    "DROP TRIGGER IF EXISTS dashboards_opinion_tally_insert ON feedback_opinion",
    "DROP TRIGGER IF EXISTS dashboards_opinion_tally_delete ON feedback_opinion",
    "DROP TRIGGER IF EXISTS dashboards_opinion_tally_update ON feedback_opinion",
    "DROP FUNCTION IF EXISTS dashboards_opinion_tally()",
]


def _run(statements):
    def run(apps, schema_editor):
        vendor = schema_editor.connection.vendor
        for sql in statements.get(vendor, []):
            schema_editor.execute(sql, params=None)

    return run


class Migration(migrations.Migration):
    initial = True

    dependencies = [
        ("feedback", "0004_appraisals_leave"),
        ("units", "0001_initial"),
    ]

    operations = [
        migrations.CreateModel(
            name="OpinionTally",
            fields=[
                (
                    "id",
                    models.BigAutoField(
                        auto_created=True, primary_key=True, serialize=False, verbose_name="ID"
                    ),
                ),
                ("channel", models.CharField(max_length=20)),
                ("four_winds", models.CharField(max_length=20)),
                ("n", models.BigIntegerField(default=0)),
                (
                    "unit",
                    models.ForeignKey(
                        db_constraint=False,
                        on_delete=models.deletion.DO_NOTHING,
                        related_name="+",
                        to="units.unit",
                    ),
                ),
            ],
            options={
                "constraints": [
                    models.UniqueConstraint(
                        fields=("unit", "channel", "four_winds"), name="opinion_tally_key"
                    )
                ],
            },
        ),
        migrations.RunPython(
            _run({"postgresql": POSTGRES}),
            _run({"postgresql": POSTGRES_REVERSE}),
        ),
    ]
