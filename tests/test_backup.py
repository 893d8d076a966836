"""Backup and restore (deploy/backup.sh, deploy/restore.sh) on PostgreSQL.

The demo data plus an uploaded file are backed up, restored into an empty database and an
empty media folder, and every row of every table and every file is found again.
"""

import io
import os
import shutil
import subprocess
from pathlib import Path

import psycopg2
import pytest
from django.apps import apps
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import call_command
from django.db import connection, models

from core.services import attachment_add
from tests.conftest import in_ci

DEPLOY = Path(__file__).resolve().parent.parent / "deploy"
PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"


def _url(settings_dict, name):
    user = settings_dict["USER"] or "postgres"
    host = settings_dict["HOST"] or "127.0.0.1"
    port = settings_dict["PORT"] or 5432
    password = f":{settings_dict['PASSWORD']}" if settings_dict["PASSWORD"] else ""
    return f"postgres://{user}{password}@{host}:{port}/{name}"


@pytest.fixture
def postgres_only():
    if connection.vendor != "postgresql":
        pytest.skip("备份与恢复针对 PostgreSQL 部署；CI 的 PostgreSQL 一轮会运行本测试")
    for tool in ("pg_dump", "pg_restore", "psql"):
        if not shutil.which(tool):
            message = f"{tool} 未安装（apt-get install postgresql-client）"
            if in_ci():
                pytest.fail(message)
            pytest.skip(message)


@pytest.fixture
def restore_db(postgres_only):
    name = f"{connection.settings_dict['NAME']}_restore"
    admin = psycopg2.connect(_url(connection.settings_dict, "postgres"))
    admin.autocommit = True
    with admin.cursor() as cursor:
        cursor.execute(f'DROP DATABASE IF EXISTS "{name}"')
        cursor.execute(f'CREATE DATABASE "{name}"')
    yield _url(connection.settings_dict, name)
    with admin.cursor() as cursor:
        cursor.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
    admin.close()


def _file_fields():
    for model in apps.get_models():
        fields = [f.name for f in model._meta.concrete_fields if isinstance(f, models.FileField)]
        if fields:
            yield model, fields


@pytest.mark.django_db(transaction=True)
def test_a_backup_restores_every_row_and_every_file(restore_db, settings, tmp_path, world):
    call_command("load_demo", stdout=io.StringIO())
    upload = SimpleUploadedFile("动员大会记录.pdf", PDF, content_type="application/pdf")
    attachment_add(target=world.unit_a, unit=world.unit_a, upload=upload, by=world.alice)

    env = {
        **os.environ,
        "DATABASE_URL": _url(connection.settings_dict, connection.settings_dict["NAME"]),
        "MEDIA_ROOT": str(settings.MEDIA_ROOT),
    }
    out = subprocess.run(
        [DEPLOY / "backup.sh", tmp_path / "backups"], env=env, check=True,
        capture_output=True, text=True,
    ).stdout.split()  # fmt: skip
    dump, media = out[-2], out[-1]
    assert dump.endswith(".dump") and media.endswith(".media.tar.gz")

    restored_media = tmp_path / "restored-media"
    env = {**os.environ, "DATABASE_URL": restore_db, "MEDIA_ROOT": str(restored_media)}
    subprocess.run([DEPLOY / "restore.sh", dump, media], env=env, check=True, capture_output=True)

    # Every table has every row.
    restored = psycopg2.connect(restore_db)
    tables = connection.introspection.table_names()
    assert tables
    with connection.cursor() as here, restored.cursor() as there:
        for table in tables:
            here.execute(f'SELECT count(*) FROM "{table}"')
            there.execute(f'SELECT count(*) FROM "{table}"')
            assert there.fetchone() == here.fetchone(), table
    # Every stored file is there, byte for byte.
    checked = 0
    for model, fields in _file_fields():
        for row in model.objects.values_list(*fields):
            for name in filter(None, row):
                original = Path(settings.MEDIA_ROOT) / name
                assert (restored_media / name).read_bytes() == original.read_bytes(), name
                checked += 1
    assert checked >= 1
    restored.close()


@pytest.mark.django_db(transaction=True)
def test_restore_refuses_a_database_that_is_not_empty(postgres_only, settings, tmp_path):
    env = {
        **os.environ,
        "DATABASE_URL": _url(connection.settings_dict, connection.settings_dict["NAME"]),
        "MEDIA_ROOT": str(tmp_path / "m"),
    }
    result = subprocess.run(
        [DEPLOY / "restore.sh", tmp_path / "x.dump", tmp_path / "x.tar.gz"], env=env,
        capture_output=True, text=True,
    )  # fmt: skip
    assert result.returncode != 0
    assert "not empty" in result.stderr
