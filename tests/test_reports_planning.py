"""Exports ask PostgreSQL for the plan fastest to the last row, and leave no setting behind."""

import io

import pytest
from django.db import connection

from core.reports.xlsx import planned_for_every_row, write_xlsx
from rectification.exports import LedgerReport


def _setting():
    with connection.cursor() as cursor:
        cursor.execute("SHOW cursor_tuple_fraction")
        return cursor.fetchone()[0]


@pytest.fixture
def postgres_only(db):
    if connection.vendor != "postgresql":
        pytest.skip("a PostgreSQL planner setting; it runs in CI's PostgreSQL pass")


def test_the_export_plans_for_every_row_and_resets_the_setting(postgres_only, world):
    default = _setting()
    with planned_for_every_row():
        assert _setting() == "1"
    assert _setting() == default
    report = LedgerReport(user=world.alice, unit=world.unit_a.pk, filters={})
    write_xlsx(report, io.BytesIO())
    assert _setting() == default


def test_the_setting_is_reset_when_the_export_fails(postgres_only):
    default = _setting()
    with pytest.raises(RuntimeError), planned_for_every_row():
        raise RuntimeError("渲染失败")
    assert _setting() == default
