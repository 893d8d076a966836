import time
from importlib import import_module

from django.core.management.base import BaseCommand
from django.db import connection

# Each app that has scale data adds its builder here, in dependency order.
STEPS = [
    "demo.scale.units",
    "demo.scale.campaign",
    "demo.scale.rectification",
    "demo.scale.feedback",
    "demo.scale.appraisals",
    "demo.scale.history",
]
# `--tiny`: every step at about a fortieth of the city, so CI can run each benchmark once.
TINY = {
    "demo.scale.units": {"units": 120, "people": 480, "users": 60, "groups": 3},
    "demo.scale.campaign": {"activities": 2_000},
    "demo.scale.rectification": {"problems": 300, "items": 400, "reports": 1_200},
    "demo.scale.feedback": {"total": 5_000},
    "demo.scale.history": {"audit": 3_000, "notifications": 500, "materials": 10},
}


class Command(BaseCommand):
    help = "生成基准测试用的“城市”规模数据：5,000 个单位、20,000 名人员、2,000 个用户、60 个督导组，以及一期全部单位参加的活动和约 30 万条活动记录。"

    def add_arguments(self, parser):
        parser.add_argument("--units", type=int, default=5000)
        parser.add_argument("--tiny", action="store_true", help="a tiny city, for CI")

    def handle(self, *args, **options):
        started = time.perf_counter()
        for dotted in STEPS:
            step_started = time.perf_counter()
            module = import_module(dotted)
            if module.exists():
                self.stdout.write(f"{dotted}: 已经存在，跳过。")
                continue
            if options["tiny"]:
                kwargs = TINY.get(dotted, {})
            else:
                kwargs = {"units": options["units"]} if dotted == "demo.scale.units" else {}
            counts = module.build(**kwargs)
            elapsed = time.perf_counter() - step_started
            summary = "，".join(f"{k} {v:,}" for k, v in counts.items())
            self.stdout.write(f"{dotted}: {summary}（{elapsed:.1f} 秒）")
        if connection.vendor == "postgresql":
            # Bulk-loaded tables have no planner statistics until autovacuum reaches them;
            # a benchmark right after seeding would otherwise measure bad plans.
            with connection.cursor() as cursor:
                cursor.execute("ANALYZE")
        self.stdout.write(
            self.style.SUCCESS(f"完成，共用时 {time.perf_counter() - started:.1f} 秒。")
        )
