"""Opinions (意见) heard from the masses, kept verbatim (原汁原味), and notes on them.

An anonymous or public opinion must not be traceable to its author (DESIGN.md §4.2): no user,
no address, no time finer than the day. So Opinion has no created/updated DateTimeField at all,
and `entered_by` is the staff member who typed it in, NULL for the public box.
"""

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.utils.translation import gettext_lazy as _

from core.transitions import TransitionsMixin
from units.models import Person, Unit

from .vocabulary import FourWinds

TEXT_MAX = 2000
TEXT_IMMUTABLE = _("意见原文一经录入不得修改；如需更正，请添加批注。")


class OpinionQuerySet(models.QuerySet):
    def update(self, **kwargs):
        if "text" in kwargs:
            raise ValidationError(TEXT_IMMUTABLE)
        return super().update(**kwargs)


class Opinion(TransitionsMixin, models.Model):
    class Channel(models.TextChoices):
        SYMPOSIUM = "symposium", _("座谈会")
        INTERVIEW = "interview", _("个别访谈")
        LETTER = "letter", _("征求意见函")
        BOX = "box", _("意见箱")
        WEBSITE = "website", _("网站专栏")
        HOTLINE = "hotline", _("热线电话")
        HOTLINE_12345 = "hotline_12345", _("12345 热线")
        WEIBO = "weibo", _("微博")
        WECHAT = "wechat", _("微信")
        CARD = "card", _("征求意见卡")
        SURVEY = "survey", _("问卷")
        VISIT = "visit", _("走访")
        PETITION = "petition", _("来信来访")
        OTHER = "other", _("其他")

    class SourceGroup(models.TextChoices):
        CADRES_MASSES = "cadres_masses", _("普通干部群众")
        WORKERS = "workers", _("职工群众")
        VETERANS = "veterans", _("老同志")
        NON_PARTY = "non_party", _("党外人士")
        DEPUTIES = "deputies", _("两代表一委员")
        SERVED = "served", _("服务对象")
        ENTERPRISE = "enterprise", _("企业")
        UNION = "union", _("基层工会")
        OTHER = "other", _("其他")

    class Question(models.TextChoices):
        EFFECT = "effect", _("问效")
        GRIEVANCE = "grievance", _("问怨")
        SYMPTOM = "symptom", _("问症")
        REMEDY = "remedy", _("问策")

    class Target(models.TextChoices):
        TEAM = "team", _("领导班子")
        LEADER = "leader", _("某位领导")
        UNIT = "unit", _("单位整体")

    class Status(models.TextChoices):
        COLLECTED = "collected", _("已收集")
        SORTED = "sorted", _("已梳理")
        PROBLEM = "problem", _("已转为问题")
        ANSWERED = "answered", _("已反馈")

    # The sorting flow (梳理): collected opinions are sorted, some become problems for the
    # ledger, and the people are answered. Sorting may be undone; the later steps may not.
    TRANSITIONS = {
        Status.COLLECTED: {Status.SORTED, Status.PROBLEM},
        Status.SORTED: {Status.COLLECTED, Status.PROBLEM, Status.ANSWERED},
        Status.PROBLEM: {Status.ANSWERED},
        Status.ANSWERED: set(),
    }

    unit = models.ForeignKey(
        Unit, verbose_name=_("单位"), on_delete=models.PROTECT, related_name="opinions"
    )
    campaign = models.ForeignKey(
        "campaign.Campaign",
        verbose_name=_("所属活动"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="opinions",
    )
    text = models.TextField(_("意见原文"))
    channel = models.CharField(_("征求渠道"), max_length=20, choices=Channel.choices)
    source_group = models.CharField(
        _("意见来源"), max_length=20, choices=SourceGroup.choices, blank=True
    )
    question_type = models.CharField(
        _("“四问”类型"), max_length=20, choices=Question.choices, blank=True
    )
    four_winds = models.CharField(
        _("四风类别"), max_length=20, choices=FourWinds.choices, blank=True
    )
    target = models.CharField(
        _("意见对象"), max_length=10, choices=Target.choices, default=Target.UNIT
    )
    target_person = models.ForeignKey(
        Person,
        verbose_name=_("所提领导"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="opinions_about",
    )
    received_on = models.DateField(_("收集日期"))
    is_anonymous = models.BooleanField(_("匿名"), default=True)
    contact = models.CharField(_("联系方式"), max_length=100, blank=True)
    status = models.CharField(
        _("状态"), max_length=20, choices=Status.choices, default=Status.COLLECTED
    )
    entered_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("录入人"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    # The public box's 查询码: only its keyed hash (feedback/receipts.py), never the code.
    # Both columns are nullable without a default so that adding them is a plain ADD COLUMN
    # (no table rewrite on SQLite, no long lock on a million rows on PostgreSQL).
    receipt_hash = models.CharField(
        _("查询码摘要"), max_length=64, null=True, blank=True, db_index=True, editable=False
    )
    public_reply = models.TextField(
        _("公开答复"),
        null=True,
        blank=True,
        help_text=_("凭查询码查看办理情况的群众能看到这段答复；不要写入个人信息。"),
    )

    objects = OpinionQuerySet.as_manager()

    class Meta:
        verbose_name = _("意见")
        verbose_name_plural = _("意见")
        ordering = ["-received_on", "-id"]
        indexes = [
            # The list's keyset order within a unit, and across units for a subtree.
            models.Index(fields=["unit", "received_on", "id"], name="opinion_unit_keyset"),
            models.Index(fields=["received_on", "id"], name="opinion_keyset"),
            models.Index(fields=["unit", "status"], name="opinion_unit_status"),
            # The summary page's first texts of each group, read a few at a time.
            models.Index(
                fields=["unit", "campaign", "four_winds", "target", "target_person", "received_on"],
                name="opinion_summary_group",
            ),
        ]
        # On PostgreSQL, migration 0002 adds two GIN indexes Django does not model: character
        # bigrams of the text for Chinese search, and pg_trgm trigrams for near-duplicates.

    def __str__(self):
        # Never the text: this string lands in audit rows and logs.
        return _("意见 #%(pk)s") % {"pk": self.pk}

    def save(self, *args, **kwargs):
        update_fields = kwargs.get("update_fields")
        if not self._state.adding and (update_fields is None or "text" in update_fields):
            stored = Opinion.objects.filter(pk=self.pk).values_list("text", flat=True).first()
            if stored is not None and stored != self.text:
                raise ValidationError(TEXT_IMMUTABLE)
        super().save(*args, **kwargs)

    def transition_subject(self) -> str:
        return str(self)  # 意见 #12: a bulk refusal says which opinion


class OpinionNote(models.Model):
    """A staff member's annotation: a correction or a remark; the opinion's text stays."""

    opinion = models.ForeignKey(
        Opinion, verbose_name=_("意见"), on_delete=models.CASCADE, related_name="notes"
    )
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("批注人"),
        null=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    created = models.DateTimeField(_("批注时间"), auto_now_add=True)
    text = models.TextField(_("批注"))

    class Meta:
        verbose_name = _("意见批注")
        verbose_name_plural = _("意见批注")
        ordering = ["created", "id"]

    def __str__(self):
        return _("意见 #%(pk)s 的批注") % {"pk": self.opinion_id}
