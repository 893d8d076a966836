from django.core.management.base import BaseCommand, CommandError

from core.health import health, healthy


class Command(BaseCommand):
    help = "检查网站、数据库、Redis 和后台任务进程是否正常（全部正常时退出码为 0）。"

    def handle(self, *args, **options):
        report = health()
        for name, value in report.items():
            self.stdout.write(f"{name:16} {value}")
        if not healthy(report):
            raise CommandError("有部件不正常，见上。")
