"""Enrol the whole scale city in one batch and time it (the goal: 5,000 units × 40 tasks < 30 s).

Needs the scale data (`manage.py seed_scale`: 5,000 units under 示范市). Everything it creates
is rolled back at the end, so it can run again on the same database:

    DJANGO_SETTINGS_MODULE=config.settings .venv/bin/python bench/bench_enrolment.py

It reads DATABASE_URL like the application does (SQLite under var/ when unset). A benchmark,
not a test: it prints figures and never fails on time.
"""

import datetime
import os
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")

import django

django.setup()

from django.db import connection, transaction  # noqa: E402

from campaign.models import CampaignTemplate, Task  # noqa: E402
from campaign.selectors import office as selectors  # noqa: E402
from campaign.services import campaign_create, enrol_units, templates_load_shipped  # noqa: E402
from demo.scale.units import SCALE_CODE_PREFIX  # noqa: E402
from units.models import Unit, User  # noqa: E402

TEMPLATE_CODE = "mass-line-2014"
GOAL_UNITS, GOAL_TASKS, GOAL_SECONDS = 5000, 40, 30


class Rollback(Exception):
    pass


def scale_city() -> Unit | None:
    return Unit.objects.filter(
        name="示范市", kind=Unit.Kind.CITY, parent=None, code__startswith=SCALE_CODE_PREFIX
    ).first()


def run(city: Unit) -> None:
    office = User.objects.filter(role=User.Role.OFFICE, home_unit=city).first()
    templates_load_shipped()
    template = CampaignTemplate.objects.get(code=TEMPLATE_CODE)
    campaign = campaign_create(
        template=template,
        name="基准测试活动",
        organiser=city,
        start_date=datetime.date(2026, 1, 1),
        end_date=datetime.date(2026, 12, 31),
        by=office,
    )
    units = Unit.objects.filter(path__startswith=city.path)

    started = time.perf_counter()
    batch = enrol_units(
        campaign=campaign,
        units=units,
        start_date=datetime.date(2026, 1, 10),
        label="基准测试（全市一批）",
        by=office,
    )
    seconds = time.perf_counter() - started

    tasks = Task.objects.filter(participation__campaign=campaign).count()
    per_unit = tasks // batch.unit_count
    rate = tasks / seconds
    goal_tasks = GOAL_UNITS * GOAL_TASKS
    print(f"数据库：{connection.vendor}")
    print(f"模板：{template.name}（每个单位 {per_unit} 项任务）")
    print(f"报名单位：{batch.unit_count:,}")
    print(f"生成任务：{tasks:,}（只生成适用于各单位类别的任务）")
    print(f"用时：{seconds:.2f} 秒（{rate:,.0f} 个任务/秒）")
    print(
        f"折算 {GOAL_UNITS:,} 个单位 × {GOAL_TASKS} 项任务：约 {goal_tasks / rate:.1f} 秒"
        f"（目标 {GOAL_SECONDS} 秒以内）"
    )

    if office is not None:
        participations = selectors.campaign_participations(office, campaign)
        started = time.perf_counter()
        today = datetime.date(2026, 3, 1)
        stages = selectors.campaign_stages(campaign)
        summary = selectors.campaign_summary(participations, stages, today)
        page = selectors.participation_page(
            participations,
            selectors.Filters(sort="late"),
            districts=selectors.campaign_districts(office, campaign),
            stages=stages,
            batches=list(campaign.batches.all()),
            unfiltered_count=summary.units,
            today=today,
            page_number=1,
        )
        page_ms = (time.perf_counter() - started) * 1000
        print(
            f"活动页（{summary.units:,} 个单位，按滞后排序的第 1 页 {len(page.object_list)} 行"
            f"及汇总）：{page_ms:.0f} 毫秒"
        )


def main() -> int:
    city = scale_city()
    if city is None:
        print("没有找到规模数据（示范市）：请先运行 manage.py seed_scale。", file=sys.stderr)
        return 1
    try:
        with transaction.atomic():
            run(city)
            raise Rollback
    except Rollback:
        print("已回滚，数据库保持原样。")
    return 0


if __name__ == "__main__":
    sys.exit(main())
