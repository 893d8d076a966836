"""Import 100,000 opinions from one Excel file and time it (the goal: under 60 s).

Builds the file first (not timed): the import template's columns, texts put together from
the seeds' phrases (demo/scale/feedback.py), every channel, source group and date form. Then times
the import as a user's upload runs it: the file checks, reading and checking every row, and
the insert. Everything it creates is rolled back at the end, so it can run again:

    .venv/bin/python bench/bench_opinion_import.py [rows]
    DATABASE_URL=postgres://postgres@127.0.0.1:5432/campaign_bench_a \
        .venv/bin/python bench/bench_opinion_import.py

It reads DATABASE_URL like the application does (SQLite under var/ when unset) and needs only
a migrated database. A benchmark, not a test: it prints figures and never fails on time.
"""

import datetime
import io
import os
import random
import resource
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")
os.environ.setdefault("DEBUG", "false")

import django

django.setup()

from _harness import client_for, measure, report  # noqa: E402
from django.core.files.uploadedfile import TemporaryUploadedFile  # noqa: E402
from django.db import connection, transaction  # noqa: E402
from django.urls import reverse  # noqa: E402
from openpyxl import Workbook  # noqa: E402

from demo.scale.feedback import compose  # noqa: E402
from feedback import importing  # noqa: E402
from feedback.models import FourWinds, Opinion  # noqa: E402
from units.models import Person, Unit, User  # noqa: E402
from units.services import unit_create  # noqa: E402

GOAL_ROWS, GOAL_SECONDS = 100_000, 60
LOAD_AT_START = os.getloadavg()[0]


class Rollback(Exception):
    pass


def build_file(rows: int, leaders: list[str]) -> bytes:
    rng = random.Random(2014)
    channels = [str(label) for label in Opinion.Channel.labels]
    sources = ["", *[str(label) for label in Opinion.SourceGroup.labels]]
    winds = list(FourWinds.values)
    winds_labels = dict(FourWinds.choices)
    start = datetime.date(2014, 3, 1)
    wb = Workbook(write_only=True)
    ws = wb.create_sheet("意见")
    ws.append([c.header for c in importing.columns()])
    for n in range(rows):
        w = rng.choice(winds)
        day = start + datetime.timedelta(days=n % 120)
        date = day if n % 3 else day.strftime("%Y/%-m/%-d") if n % 2 else f"{day:%Y年%-m月%-d日}"
        named = n % 10 == 0
        ws.append([
            compose(rng, w), rng.choice(channels), date, rng.choice(sources), "",
            str(winds_labels[w]), "某位领导" if named else "领导班子",
            rng.choice(leaders) if named else None, "是", None,
        ])  # fmt: skip
    out = io.BytesIO()
    wb.save(out)
    return out.getvalue()


def upload_of(content: bytes) -> TemporaryUploadedFile:
    """The file as Django hands a large upload to the view: on disk."""
    upload = TemporaryUploadedFile("意见导入.xlsx", "application/octet-stream", len(content), None)
    upload.write(content)
    upload.seek(0)
    return upload


def run(rows: int) -> None:
    unit = unit_create(name="导入基准测试单位", code="BENCH-IMPORT", kind=Unit.Kind.DEPARTMENT)
    leaders = [
        Person.objects.create(unit=unit, name=name, is_team_member=True).name
        for name in ("王主任", "李副主任", "赵副主任")
    ]
    staff = User.objects.create(username="bench-import", home_unit=unit)

    started = time.perf_counter()
    content = build_file(rows, leaders)
    print(f"数据库：{connection.vendor}")
    print(
        f"生成文件：{rows:,} 行，{len(content) / 2**20:.1f} MB，用时 {time.perf_counter() - started:.1f} 秒（不计入）"
    )

    upload = upload_of(content)
    # The two halves of importing.opinions_import, timed apart.
    wall, cpu = time.perf_counter(), time.process_time()
    result, opinions = importing.opinions_check(upload=upload, unit=unit, by=staff)
    check_wall, check_cpu = time.perf_counter() - wall, time.process_time() - cpu
    assert result.ok, result.errors[:5]
    wall, cpu = time.perf_counter(), time.process_time()
    importing.opinions_save(opinions=opinions, unit=unit, by=staff, file_name=upload.name)
    save_wall, save_cpu = time.perf_counter() - wall, time.process_time() - cpu
    assert Opinion.objects.filter(unit=unit).count() == rows

    total = check_wall + save_wall
    peak_mb = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    print(f"检查文件、读取并逐行检查：{check_wall:.1f} 秒（本进程 CPU {check_cpu:.1f} 秒）")
    print(
        f"写入（bulk_create，一个事务）及审计：{save_wall:.1f} 秒（本进程 CPU {save_cpu:.1f} 秒）"
    )
    print(f"导入合计：{total:.1f} 秒，{rows / total:,.0f} 行/秒")
    print(
        f"折算 {GOAL_ROWS:,} 行：约 {GOAL_ROWS / (rows / total):.1f} 秒（目标 {GOAL_SECONDS} 秒以内）"
    )
    # The summary page (意见汇总) of the same unit: every opinion is in one unit here, the worst case.
    page = measure(client_for(staff), reverse("feedback:opinion_summary", args=[unit.pk]), runs=3)
    report(f"意见汇总页（{rows:,} 条）", page)
    print(
        f"进程内存峰值约 {peak_mb:.0f} MB；开始时系统负载 {LOAD_AT_START:.1f}，"
        f"结束时 {os.getloadavg()[0]:.1f}（{os.cpu_count()} 核：负载高于核数时，墙钟时间偏长）"
    )


def main() -> int:
    rows = int(sys.argv[1]) if len(sys.argv) > 1 else GOAL_ROWS
    try:
        with transaction.atomic():
            run(rows)
            raise Rollback
    except Rollback:
        print("已回滚，数据库保持原样。")
    return 0


if __name__ == "__main__":
    sys.exit(main())
