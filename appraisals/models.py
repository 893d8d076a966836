"""Democratic appraisal and satisfaction ballots (民主评议、满意度测评、群众评判).

A round rates the leadership team and chosen leaders of one unit. People vote online with a
one-time code printed on a slip, or on paper, whose tallies a supervisor enters.

Anonymity (DESIGN.md §4.2) is built into the tables, not promised by the code that uses them:
- BallotCode records only that it was spent: no time, no link to the ballot it let in.
- Ballot has no code, no user, no address and no time finer than the day.
- Ballot, its ratings and its answers have random UUID keys, so neither their keys nor any
  ordering by key reveals the order in which ballots arrived.
- When the round is over, its ballots, ratings and answers are deleted and written again in
  random order with fresh keys, in one transaction (services.round_seal): the physical order
  (SQLite rowid, PostgreSQL ctid), PostgreSQL's xmin and any backup taken after that follow
  no arrival. While a round is open they do: see the README's security section.
"""

import uuid

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from core.transitions import TransitionsMixin
from units.models import Person, Unit

# A target rated by fewer ballots than this shows "样本不足" instead of figures.
MIN_SAMPLE = 5


class Scale(models.TextChoices):
    FOUR = "four", _("好／较好／一般／差")
    THREE = "three", _("满意／基本满意／不满意")


class Rating(models.TextChoices):
    GOOD = "good", _("好")
    FAIRLY_GOOD = "fairly_good", _("较好")
    AVERAGE = "average", _("一般")
    POOR = "poor", _("差")
    SATISFIED = "satisfied", _("满意")
    BASICALLY = "basically", _("基本满意")
    UNSATISFIED = "unsatisfied", _("不满意")


# The ratings of each scale in display order, and the ones that count as satisfied.
SCALE_RATINGS = {
    Scale.FOUR: [Rating.GOOD, Rating.FAIRLY_GOOD, Rating.AVERAGE, Rating.POOR],
    Scale.THREE: [Rating.SATISFIED, Rating.BASICALLY, Rating.UNSATISFIED],
}
SCALE_POSITIVE = {
    Scale.FOUR: {Rating.GOOD, Rating.FAIRLY_GOOD},
    Scale.THREE: {Rating.SATISFIED, Rating.BASICALLY},
}


class AppraisalRound(TransitionsMixin, models.Model):
    class Kind(models.TextChoices):
        APPRAISAL = "appraisal", _("民主评议")
        SATISFACTION = "satisfaction", _("满意度测评")
        JUDGEMENT = "judgement", _("群众评判")

    class Mode(models.TextChoices):
        ONLINE = "online", _("评议码网上投票")
        PAPER = "paper", _("纸质票")

    class Status(models.TextChoices):
        OPEN = "open", _("进行中")
        CLOSED = "closed", _("已结束")

    TRANSITIONS = {Status.OPEN: {Status.CLOSED}, Status.CLOSED: set()}

    unit = models.ForeignKey(
        Unit, verbose_name=_("单位"), on_delete=models.PROTECT, related_name="appraisal_rounds"
    )
    title = models.CharField(_("名称"), max_length=100)
    kind = models.CharField(_("类别"), max_length=20, choices=Kind.choices)
    scale = models.CharField(_("评价等次"), max_length=10, choices=Scale.choices)
    mode = models.CharField(_("投票方式"), max_length=10, choices=Mode.choices)
    questions = models.JSONField(_("开放式问题"), default=list, blank=True)
    opens_at = models.DateTimeField(_("开始时间"))
    closes_at = models.DateTimeField(_("截止时间"))
    status = models.CharField(_("状态"), max_length=10, choices=Status.choices, default="open")
    # Codes generated (online) or paper ballots handed out (paper): no target's total may pass it.
    issued = models.PositiveIntegerField(_("发放票数"), default=0)
    # Set once the round is over and its ballots have been rewritten in random order
    # (services.round_seal): from then on no stored order follows their arrival.
    sealed = models.BooleanField(_("选票已重排"), default=False, editable=False)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("发起人"),
        null=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    created_at = models.DateTimeField(_("发起时间"), auto_now_add=True)

    class Meta:
        verbose_name = _("评议测评")
        verbose_name_plural = _("评议测评")
        ordering = ["-opens_at", "-id"]
        constraints = [
            models.CheckConstraint(
                condition=Q(closes_at__gt=models.F("opens_at")), name="appraisal_closes_after_open"
            )
        ]

    def __str__(self):
        return self.title

    @property
    def ratings(self) -> list[Rating]:
        return SCALE_RATINGS[Scale(self.scale)]

    @property
    def positive(self) -> set[Rating]:
        return SCALE_POSITIVE[Scale(self.scale)]

    @property
    def is_online(self) -> bool:
        return self.mode == self.Mode.ONLINE

    def is_closed(self, now=None) -> bool:
        now = now or timezone.now()
        return self.status == self.Status.CLOSED or now >= self.closes_at

    def has_started(self, now=None) -> bool:
        return (now or timezone.now()) >= self.opens_at

    def accepts_ballots(self, now=None) -> bool:
        now = now or timezone.now()
        return self.is_online and self.has_started(now) and not self.is_closed(now)

    def phase_label(self, now=None) -> str:
        now = now or timezone.now()
        if self.is_closed(now):
            return gettext("已结束")
        return gettext("进行中") if self.has_started(now) else gettext("未开始")


class AppraisalTarget(models.Model):
    """Who is rated: the leadership team (no person) or one person of the unit."""

    round = models.ForeignKey(
        AppraisalRound, verbose_name=_("评议"), on_delete=models.CASCADE, related_name="targets"
    )
    person = models.ForeignKey(
        Person,
        verbose_name=_("班子成员"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="appraisal_targets",
    )
    # The name as printed on the ballot, kept so a later change of position does not rewrite it.
    label = models.CharField(_("评议对象"), max_length=120)
    order = models.PositiveSmallIntegerField(_("排序"), default=0)

    class Meta:
        verbose_name = _("评议对象")
        verbose_name_plural = _("评议对象")
        ordering = ["round", "order", "id"]
        constraints = [
            models.UniqueConstraint(fields=["round", "person"], name="appraisal_target_once"),
            models.UniqueConstraint(
                fields=["round"], condition=Q(person=None), name="appraisal_one_team_target"
            ),
        ]

    def __str__(self):
        return self.label

    @property
    def is_team(self) -> bool:
        return self.person_id is None


class BallotCode(models.Model):
    """A one-time code. Its row says only whether it has been spent: never when, nor on what."""

    round = models.ForeignKey(
        AppraisalRound, verbose_name=_("评议"), on_delete=models.CASCADE, related_name="codes"
    )
    code = models.CharField(_("评议码"), max_length=16, unique=True)
    spent = models.BooleanField(_("已使用"), default=False)

    class Meta:
        verbose_name = _("评议码")
        verbose_name_plural = _("评议码")
        ordering = ["round", "id"]

    def __str__(self):
        from .codes import display_code

        return display_code(self.code)


class Ballot(models.Model):
    """One anonymous ballot: the round and the day, nothing else."""

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    round = models.ForeignKey(
        AppraisalRound, verbose_name=_("评议"), on_delete=models.CASCADE, related_name="ballots"
    )
    day = models.DateField(_("投票日期"))

    class Meta:
        verbose_name = _("选票")
        verbose_name_plural = _("选票")
        # By the random key within a day: any listing is shuffled, never in arrival order.
        ordering = ["round", "day", "id"]

    def __str__(self):
        return gettext("%(day)s 的一张选票") % {"day": self.day}


class BallotRating(models.Model):
    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    ballot = models.ForeignKey(
        Ballot, verbose_name=_("选票"), on_delete=models.CASCADE, related_name="ratings"
    )
    target = models.ForeignKey(
        AppraisalTarget, verbose_name=_("评议对象"), on_delete=models.CASCADE, related_name="+"
    )
    rating = models.CharField(_("评价"), max_length=20, choices=Rating.choices)

    class Meta:
        verbose_name = _("评价")
        verbose_name_plural = _("评价")
        constraints = [
            models.UniqueConstraint(fields=["ballot", "target"], name="ballot_rates_target_once")
        ]

    def __str__(self):
        return f"{self.target_id}: {self.get_rating_display()}"


class BallotAnswer(models.Model):
    """An answer to an open question: from an online ballot, or typed in from a paper one."""

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    round = models.ForeignKey(
        AppraisalRound, verbose_name=_("评议"), on_delete=models.CASCADE, related_name="answers"
    )
    ballot = models.ForeignKey(
        Ballot,
        verbose_name=_("选票"),
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="answers",
        help_text=_("纸质票录入的回答不关联选票。"),
    )
    question = models.PositiveSmallIntegerField(_("问题序号"))
    text = models.TextField(_("回答"))

    class Meta:
        verbose_name = _("开放式回答")
        verbose_name_plural = _("开放式回答")
        ordering = ["round", "question", "text"]

    def __str__(self):
        return self.text[:50]


class PaperTally(models.Model):
    """The count of one rating for one target, from a paper round's ballots."""

    round = models.ForeignKey(
        AppraisalRound, verbose_name=_("评议"), on_delete=models.CASCADE, related_name="tallies"
    )
    target = models.ForeignKey(
        AppraisalTarget, verbose_name=_("评议对象"), on_delete=models.CASCADE, related_name="+"
    )
    rating = models.CharField(_("评价"), max_length=20, choices=Rating.choices)
    count = models.PositiveIntegerField(_("票数"))

    class Meta:
        verbose_name = _("纸质票统计")
        verbose_name_plural = _("纸质票统计")
        ordering = ["round", "target", "rating"]
        constraints = [
            models.UniqueConstraint(fields=["round", "target", "rating"], name="paper_tally_once")
        ]

    def __str__(self):
        return f"{self.target}: {self.get_rating_display()} {self.count}"
