import os

import pytest
from django.db import connection


@pytest.mark.django_db
def test_the_suite_runs_on_the_database_ci_asked_for():
    """CI's second pass sets EXPECT_DATABASE_VENDOR so a silent fall-back to SQLite fails."""
    expected = os.environ.get("EXPECT_DATABASE_VENDOR")
    assert connection.vendor == (expected or connection.vendor)
    with connection.cursor() as cursor:
        cursor.execute("SELECT 1")
        assert cursor.fetchone() == (1,)
