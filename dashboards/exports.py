"""Two PDF documents built from a unit's data: the monthly bulletin (月通报, a red-header
简报 for the campaign office and supervisors) and the stage summary draft (环节小结) staff
start their own summary from. Both cover only the unit in the URL and what is below it."""

import datetime

from django.core.exceptions import ValidationError
from django.db.models import Avg, Count, F, FloatField, Q, Sum
from django.db.models.functions import Cast, Coalesce
from django.utils import timezone
from django.utils.translation import gettext as _

from campaign.models import Activity, Participation
from campaign.scope import get_participation_for_user
from core.http import is_id
from core.reports.base import DocumentReport
from core.reports.registry import register
from feedback.models import FourWinds, Opinion
from feedback.scope import unit_opinions
from rectification.models import Problem, RectificationItem
from units.scope import get_unit_for_user

LIST_LIMIT = 30  # rows in each list of the bulletin; the counts cover everything
Item = RectificationItem


def _month(value: str | None) -> datetime.date:
    if not value:
        return timezone.localdate().replace(day=1)
    try:
        return datetime.datetime.strptime(value, "%Y-%m").date()
    except ValueError:
        raise ValidationError(_("月份格式应为“年-月”，例如 2026-03。")) from None


def _next_month(month: datetime.date) -> datetime.date:
    return (month + datetime.timedelta(days=32)).replace(day=1)


class MonthlyBulletin(DocumentReport):
    """月通报: this month's progress across the unit's subtree, overdue and completed items."""

    filename = "yuetongbao"
    template_name = "reports/bulletin.html"

    def __init__(self, *, user, unit: int, month: str | None = None):
        super().__init__(user=user, unit=unit, month=month)
        self.unit = get_unit_for_user(user, unit)
        self.month = _month(month)
        self.title = _("%(year)d年%(month)d月教育实践活动工作通报") % {
            "year": self.month.year, "month": self.month.month,
        }  # fmt: skip

    @classmethod
    def params_from_request(cls, request) -> dict:
        month = request.GET.get("month") or None
        _month(month)
        return {"month": month}

    def scope_unit(self):
        return self.unit

    def context(self) -> dict:
        start, end = self.month, _next_month(self.month)
        today = min(timezone.localdate(), end - datetime.timedelta(days=1))
        items = Item.objects.filter(unit__path__startswith=self.unit.path)
        open_late = Q(status__in=Item.OPEN, deadline__lt=today)
        in_month = Q(completed_at__date__gte=start, completed_at__date__lt=end)
        counts = items.aggregate(
            total=Count("id"),
            opened=Count("id", filter=Q(created_at__date__gte=start, created_at__date__lt=end)),
            completed=Count("id", filter=in_month),
            verified=Count("id", filter=Q(status=Item.Status.VERIFIED)),
            open=Count("id", filter=Q(status__in=Item.OPEN)),
            overdue=Count("id", filter=open_late),
        )
        listed = ("unit__name", "problem__title", "title", "lead_leader__name", "deadline")
        participations = Participation.objects.filter(unit__path__startswith=self.unit.path)
        progress = participations.aggregate(
            units=Count("id"),
            late=Count("id", filter=Q(oldest_open_due__lt=today)),
            # Units not yet started owe nothing: they are counted apart, not as 0% done.
            done=Avg(Cast(F("tasks_done"), FloatField()) / Cast(F("tasks_total"), FloatField()),
                     filter=Q(tasks_total__gt=0, start_date__lte=today)),
            not_started=Count("id", filter=Q(start_date__gt=today)),
            done_late=Coalesce(Sum("tasks_done_late"), 0),
        )  # fmt: skip
        activities = Activity.objects.filter(
            participation__unit__path__startswith=self.unit.path, date__gte=start, date__lt=end
        ).count()
        late_units = list(
            participations.filter(oldest_open_due__lt=today)
            .order_by("oldest_open_due", "unit__path")
            .values_list("unit__name", "campaign__name", "oldest_open_due", "tasks_done",
                         "tasks_total")[:LIST_LIMIT]
        )  # fmt: skip
        return {
            "unit": self.unit,
            "month": self.month,
            "issue": self.month.month,
            "today": timezone.localdate(),
            "counts": counts,
            "progress": {**progress, "done": round(100 * (progress["done"] or 0))},
            "activities": activities,
            "late_units": [
                (name, campaign, (today - due).days, done, total)
                for name, campaign, due, done, total in late_units
            ],
            "overdue": list(
                items.filter(open_late).order_by("deadline", "id").values_list(*listed)[:LIST_LIMIT]
            ),
            "completed": list(
                items.filter(in_month)
                .order_by("completed_at", "id")
                .values_list(*listed)[:LIST_LIMIT]
            ),
            "list_limit": LIST_LIMIT,
        }


class StageSummaryDraft(DocumentReport):
    """环节小结 draft: what the unit's records say about the campaign so far."""

    filename = "huanjie-xiaojie-gao"
    template_name = "reports/stage_summary.html"

    def __init__(self, *, user, unit: int, participation: int):
        super().__init__(user=user, unit=unit, participation=participation)
        self.unit = get_unit_for_user(user, unit)
        self.participation = get_participation_for_user(user, participation)
        if self.participation.unit_id != self.unit.pk:
            raise ValidationError(_("所选活动不属于该单位。"))
        stage = self.participation.current_stage
        self.title = _("%(unit)s%(stage)s环节小结（草稿）") % {
            "unit": self.unit.name, "stage": stage.name if stage else "",
        }  # fmt: skip

    @classmethod
    def params_from_request(cls, request) -> dict:
        value = request.GET.get("participation", "")
        if not is_id(value):
            raise ValidationError(_("请从单位的活动工作台生成环节小结。"))
        return {"participation": int(value)}

    def scope_unit(self):
        return self.unit

    def count(self) -> int:
        return 0  # one unit's records: small enough to render in the request

    def context(self) -> dict:
        p = self.participation
        kinds = dict(Activity._meta.get_field("kind").flatchoices)
        activities = list(
            Activity.objects.filter(participation=p)
            .order_by("date", "id")
            .values_list("date", "kind", "title", "host__name", "attendee_count")
        )
        by_kind: dict[str, int] = {}
        for _date, kind, *_rest in activities:
            by_kind[kinds.get(kind, kind)] = by_kind.get(kinds.get(kind, kind), 0) + 1
        channels = dict(Opinion.Channel.choices)
        opinions = [
            (channels.get(row["channel"], row["channel"]), row["n"])
            # A leader's draft leaves out the opinions about him or her, channels included.
            for row in unit_opinions(self.user, self.unit)
            .values("channel").annotate(n=Count("id")).order_by("-n", "channel")
        ]  # fmt: skip
        winds = dict(FourWinds.choices)
        problems = Problem.objects.filter(unit=self.unit)
        problem_rows = [
            (winds.get(row["four_winds"], row["four_winds"]), row["n"])
            for row in problems.values("four_winds").annotate(n=Count("id")).order_by("four_winds")
        ]
        statuses = dict(Item.Status.choices)
        items = Item.objects.filter(unit=self.unit)
        item_rows = [
            (statuses[row["status"]], row["n"])
            for row in items.values("status").annotate(n=Count("id")).order_by("status")
        ]
        return {
            "unit": self.unit,
            "participation": p,
            "campaign": p.campaign,
            "stage": p.current_stage,
            "today": timezone.localdate(),
            "activities": [
                (d, kinds.get(k, k), title, host or "", n) for d, k, title, host, n in activities
            ],
            "activity_kinds": sorted(by_kind.items(), key=lambda kv: -kv[1]),
            "opinions": opinions,
            "opinion_total": sum(n for _c, n in opinions),
            "problems": problem_rows,
            "problem_total": sum(n for _w, n in problem_rows),
            "problem_titles": list(
                problems.order_by("created_at", "id").values_list("title", flat=True)[:40]
            ),
            "items": item_rows,
            "item_total": sum(n for _s, n in item_rows),
        }


register("campaign.bulletin", MonthlyBulletin, formats=("pdf",), inline_rows=0)
register("campaign.stage_summary", StageSummaryDraft, formats=("pdf",), inline_rows=0)
