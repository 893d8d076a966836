"""Scale data for the ledger benchmarks: 50,000 problems, 60,000 ledger items and 300,000
monthly progress reports over the city profile's 5,000 units, built with bulk inserts.

A few busy units carry about 1,800 items each, as a large city body would; the rest are
spread over every unit. Items were opened over the past eighteen months and stand in every status.
"""

import datetime
import random
import time

from django.db import connection, transaction
from django.utils import timezone

from demo.city.rectification import CITY_CAMPAIGNS
from demo.scale.units import SCALE_CODE_PREFIX
from feedback.models import FourWinds
from rectification import reporting
from rectification.models import Problem, ProgressReport, RectificationItem, SpecialCampaign
from units.models import Person, Unit

MARK = "（规模数据）"
BUSY_UNITS = 10
Status = RectificationItem.Status
STATUSES = [
    (Status.NOT_STARTED, 15),
    (Status.IN_PROGRESS, 45),
    (Status.COMPLETED, 25),
    (Status.VERIFIED, 15),
]
TITLES = [
    "精简会议文件", "改进调查研究", "规范公务接待", "清理办公用房", "提高办事效率",
    "简化审批手续", "落实帮扶政策", "整治庸懒散拖", "改进服务窗口作风", "规范公车管理",
]  # fmt: skip
OFFICES = ["办公室", "组织部", "宣教部", "权益保障部", "机关党委", "纪检组"]


def exists() -> bool:
    return SpecialCampaign.objects.filter(name__endswith=MARK).exists()


def build(problems=50_000, items=60_000, reports=300_000, seed=2014) -> dict[str, int]:
    rng = random.Random(seed)
    clock = time.perf_counter()
    root = Unit.objects.filter(code__startswith=SCALE_CODE_PREFIX, depth=0).get()
    units = list(
        Unit.objects.filter(path__startswith=root.path)
        .order_by("path")
        .values_list("id", flat=True)
    )
    leaders: dict[int, list[int]] = {}
    for unit_id, person_id in Person.objects.filter(
        unit_id__in=units, is_team_member=True
    ).values_list("unit_id", "id"):
        leaders.setdefault(unit_id, []).append(person_id)
    units = [u for u in units if u in leaders]
    # The busy units: city bodies just below the root, as in bench_pages' busy workspace.
    busy = list(
        Unit.objects.filter(parent=root, id__in=units).order_by("path").values_list("id", flat=True)
    )[:BUSY_UNITS]
    with transaction.atomic():
        campaigns = SpecialCampaign.objects.bulk_create(
            SpecialCampaign(unit=root, name=f"{name}{MARK}", order=i)
            for i, name in enumerate(CITY_CAMPAIGNS, start=1)
        )
        problem_rows = _problems(rng, problems, units, busy, leaders)
        made = time.perf_counter()
        item_rows = _items(rng, items, problem_rows, busy, leaders, campaigns)
        itemised = time.perf_counter()
        report_count = _reports(rng, reports, item_rows)
    _analyze()
    return {
        "problems": len(problem_rows),
        "items": len(item_rows),
        "reports": report_count,
        "problem_seconds": round(made - clock, 1),
        "item_seconds": round(itemised - made, 1),
        "report_seconds": round(time.perf_counter() - itemised, 1),
    }


def _problems(rng, total, units, busy, leaders) -> list[Problem]:
    now = timezone.now()
    per_busy = total // 6 // max(1, len(busy))
    unit_of = [busy[i // per_busy] for i in range(per_busy * len(busy))]
    unit_of += [rng.choice(units) for _ in range(total - len(unit_of))]
    rows = []
    for n, unit_id in enumerate(unit_of):
        personal = rng.random() < 0.2
        rows.append(
            Problem(
                unit_id=unit_id,
                title=f"{rng.choice(TITLES)}方面存在的问题（{n + 1}）",
                four_winds=rng.choice(FourWinds.values),
                kind=rng.choice(Problem.Kind.values),
                scope=Problem.Scope.PERSON if personal else Problem.Scope.TEAM,
                person_id=rng.choice(leaders[unit_id]) if personal else None,
                created_at=now - datetime.timedelta(days=rng.randint(5, 540)),
            )
        )
    return Problem.objects.bulk_create(rows, batch_size=5000)


def _items(rng, total, problems, busy, leaders, campaigns) -> list[RectificationItem]:
    now = timezone.now()
    busy_set = set(busy)
    busy_problems = [p for p in problems if p.unit_id in busy_set] or problems
    chosen = problems[:total] + [
        rng.choice(busy_problems) for _ in range(max(0, total - len(problems)))
    ]
    statuses, weights = [s for s, _w in STATUSES], [w for _s, w in STATUSES]
    rows = []
    for problem in chosen:
        created = problem.created_at + datetime.timedelta(days=rng.randint(0, 4))
        created = min(created, now)
        status = rng.choices(statuses, weights)[0]
        done = status in RectificationItem.DONE
        completed = created + (now - created) * rng.uniform(0.3, 1) if done else None
        rows.append(
            RectificationItem(
                problem_id=problem.pk,
                unit_id=problem.unit_id,
                title=f"{problem.title[:8]}整改",
                measures="制定整改方案，明确责任分工，按月调度推进。",
                lead_leader_id=problem.person_id or rng.choice(leaders[problem.unit_id]),
                person_id=problem.person_id,
                responsible_office=rng.choice(OFFICES),
                deadline=timezone.localtime(created).date()
                + datetime.timedelta(days=rng.randint(30, 300)),
                public_commitment="按期完成整改，接受群众监督。" if rng.random() < 0.5 else "",
                special_campaign=rng.choice(campaigns) if rng.random() < 0.4 else None,
                status=status,
                completed_at=completed,
                completion_note="已按措施整改到位。" if done else "",
                verified_at=completed if status == Status.VERIFIED else None,
                created_at=created,
            )
        )
    return RectificationItem.objects.bulk_create(rows, batch_size=5000)


def _months(start: datetime.date, end: datetime.date) -> list[datetime.date]:
    months, month = [], reporting.month_of(start)
    while month <= end:
        months.append(month)
        month = (month + datetime.timedelta(days=32)).replace(day=1)
    return months


def _reports(rng, total, items) -> int:
    """Spread `total` reports over the months each item was open: this month's for about two
    thirds of the open items (so the rest show as missing), the others over past months. Then
    set each item's latest month and percent, as progress_report_file would have."""
    today = timezone.localdate()
    current = reporting.month_of(today)
    this_month, past = [], []
    for n, item in enumerate(items):
        if item.status == Status.NOT_STARTED:
            continue
        end = timezone.localtime(item.completed_at).date() if item.completed_at else today
        for month in _months(timezone.localtime(item.created_at).date(), end):
            if month < current:
                past.append((n, month))
            elif rng.random() < 0.67:
                this_month.append((n, month))
    chosen = this_month + rng.sample(past, min(len(past), max(0, total - len(this_month))))
    by_item: dict[int, list[datetime.date]] = {}
    for n, month in sorted(chosen):
        by_item.setdefault(n, []).append(month)
    batch, count = [], 0
    for n, months in by_item.items():
        item = items[n]
        done = item.status in RectificationItem.DONE
        for j, month in enumerate(months):
            percent = 100 if done and j == len(months) - 1 else round(90 * (j + 1) / len(months))
            batch.append(
                ProgressReport(
                    item_id=item.pk,
                    month=month,
                    what_done="按计划推进整改措施，本月完成阶段任务。",
                    percent=percent,
                )
            )
        item.last_report_month, item.progress_percent = months[-1], batch[-1].percent
        if len(batch) >= 20_000:
            ProgressReport.objects.bulk_create(batch, batch_size=5000)
            count, batch = count + len(batch), []
    ProgressReport.objects.bulk_create(batch, batch_size=5000)
    RectificationItem.objects.bulk_update(
        [items[n] for n in by_item], ["last_report_month", "progress_percent"], batch_size=5000
    )
    return count + len(batch)


def _analyze() -> None:
    """Fresh planner statistics, as autovacuum would gather soon after a bulk load."""
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            for model in (Problem, RectificationItem, ProgressReport):
                cursor.execute(f"ANALYZE {model._meta.db_table}")
