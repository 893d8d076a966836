import unicodedata

from django.core.management.base import BaseCommand

from demo.city.units import DEMO_LOGINS, DEMO_PASSWORD, load_demo

SUMMARY_LABELS = {
    "units": "单位",
    "people": "人员",
    "users": "用户",
    "groups": "督导组",
    "liaison_points": "联系点",
}


def _pad(text: str, width: int) -> str:
    # Chinese characters take two columns in a terminal, so pad by display width.
    shown = sum(2 if unicodedata.east_asian_width(c) in "WF" else 1 for c in text)
    return text + " " * max(width - shown, 0)


class Command(BaseCommand):
    help = "载入演示数据（来自种子文件中的单位、领导班子、督导组和各角色演示账号），可重复运行。"

    def handle(self, *args, **options):
        summary = load_demo()
        from demo.city.campaign import load as load_campaigns

        summary["created"] += load_campaigns()["campaigns"]
        from demo.city.rectification import load as load_rectification

        summary["created"] += load_rectification()["created"]
        counts = "，".join(f"{label} {summary[key]} 个" for key, label in SUMMARY_LABELS.items())
        self.stdout.write(
            self.style.SUCCESS(f"演示数据已就绪：{counts}；本次新建 {summary['created']} 条。")
        )
        self.stdout.write("")
        self.stdout.write(f"演示账号（密码均为 {DEMO_PASSWORD}）：")
        rows = [("用户名", "角色", "所在单位", "密码")]
        rows += [(username, str(role), unit, DEMO_PASSWORD) for username, role, unit in DEMO_LOGINS]
        for row in rows:
            self.stdout.write("  " + "".join(_pad(cell, 14) for cell in row).rstrip())
