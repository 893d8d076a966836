"""Build and send the day's reminder digests without a worker, e.g. from cron.

    manage.py send_reminders                       # today's digests, sent now
    manage.py send_reminders --date 2026-03-20 --dry-run
    manage.py send_reminders --weekly              # the office's weekly summary

The same service as the beat schedule: a second run the same day sends nothing twice.

A mail server that is down does not fail the run: the digests are built into the outbox,
the command says in one line how many e-mails wait there and why, and exits 0. The worker's
sweeper (every minute) or the next run of this command sends them once the server is back.
"""

import datetime

from django.core.management.base import BaseCommand, CommandError
from django.utils import timezone

from reminders.models import DigestOutbox
from reminders.services import digests_build, outbox_send


class Command(BaseCommand):
    help = (
        "生成并发送当天的提醒邮件（每日提醒；--weekly 为活动办的每周逾期汇总）。"
        "邮件服务器不可用时，邮件留在发件箱等待发送（后台每分钟重试，或下次运行本命令时发送），"
        "命令仍以 0 退出。"
    )

    def add_arguments(self, parser):
        parser.add_argument("--date", help="YYYY-MM-DD, default today")
        parser.add_argument("--dry-run", action="store_true", help="print who would get what")
        parser.add_argument("--weekly", action="store_true", help="the weekly overdue summary")

    def handle(self, *args, date=None, dry_run=False, weekly=False, **options):
        try:
            day = datetime.date.fromisoformat(date) if date else timezone.localdate()
        except ValueError as exc:
            raise CommandError(f"--date: {exc}") from exc
        kind = DigestOutbox.Kind.WEEKLY if weekly else DigestOutbox.Kind.DAILY
        result = digests_build(day=day, kind=kind, dry_run=dry_run, queue_send=False)
        if dry_run:
            for r in result.digests:
                self.stdout.write(f"{r.user.username} <{r.user.email or '-'}>: {r.subject}")
                for line in r.summary.splitlines():
                    self.stdout.write(f"    {line}")
            self.stdout.write(f"{len(result.digests)} digests would be built for {result.day}")
            return
        built = f"{len(result.created_ids)} digests built for {result.day}"
        try:
            sent = outbox_send()  # this run's rows, and any a mail server left waiting
        except OSError as exc:  # SMTPException is an OSError: the outbox keeps the e-mails
            waiting = DigestOutbox.objects.filter(status=DigestOutbox.Status.PENDING).count()
            reason = " ".join(f"{exc.__class__.__name__}: {exc}".split())
            self.stdout.write(
                f"{built}; mail server unreachable ({reason}): {waiting} e-mails wait in the "
                "outbox for the sender (the worker's sweeper every minute, or the next run)"
            )
            return
        self.stdout.write(f"{built}; {sent} e-mails sent")
