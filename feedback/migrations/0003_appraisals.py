# Appraisal rounds, one-time codes, anonymous ballots and paper tallies (issue 6).

import uuid

import django.db.models.deletion
from django.conf import settings
from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [
        ("feedback", "0002_opinion_sorting"),
        ("units", "0001_initial"),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        migrations.CreateModel(
            name="AppraisalRound",
            fields=[
                (
                    "id",
                    models.BigAutoField(
                        auto_created=True, primary_key=True, serialize=False, verbose_name="ID"
                    ),
                ),
                ("title", models.CharField(max_length=100, verbose_name="名称")),
                (
                    "kind",
                    models.CharField(
                        choices=[
                            ("appraisal", "民主评议"),
                            ("satisfaction", "满意度测评"),
                            ("judgement", "群众评判"),
                        ],
                        max_length=20,
                        verbose_name="类别",
                    ),
                ),
                (
                    "scale",
                    models.CharField(
                        choices=[
                            ("four", "好／较好／一般／差"),
                            ("three", "满意／基本满意／不满意"),
                        ],
                        max_length=10,
                        verbose_name="评价等次",
                    ),
                ),
                (
                    "mode",
                    models.CharField(
                        choices=[("online", "评议码网上投票"), ("paper", "纸质票")],
                        max_length=10,
                        verbose_name="投票方式",
                    ),
                ),
                (
                    "questions",
                    models.JSONField(blank=True, default=list, verbose_name="开放式问题"),
                ),
                ("opens_at", models.DateTimeField(verbose_name="开始时间")),
                ("closes_at", models.DateTimeField(verbose_name="截止时间")),
                (
                    "status",
                    models.CharField(
                        choices=[("open", "进行中"), ("closed", "已结束")],
                        default="open",
                        max_length=10,
                        verbose_name="状态",
                    ),
                ),
                ("issued", models.PositiveIntegerField(default=0, verbose_name="发放票数")),
                ("created_at", models.DateTimeField(auto_now_add=True, verbose_name="发起时间")),
                (
                    "created_by",
                    models.ForeignKey(
                        null=True,
                        on_delete=django.db.models.deletion.SET_NULL,
                        related_name="+",
                        to=settings.AUTH_USER_MODEL,
                        verbose_name="发起人",
                    ),
                ),
                (
                    "unit",
                    models.ForeignKey(
                        on_delete=django.db.models.deletion.PROTECT,
                        related_name="appraisal_rounds",
                        to="units.unit",
                        verbose_name="单位",
                    ),
                ),
            ],
            options={
                "verbose_name": "评议测评",
                "verbose_name_plural": "评议测评",
                "ordering": ["-opens_at", "-id"],
            },
        ),
        migrations.CreateModel(
            name="AppraisalTarget",
            fields=[
                (
                    "id",
                    models.BigAutoField(
                        auto_created=True, primary_key=True, serialize=False, verbose_name="ID"
                    ),
                ),
                ("label", models.CharField(max_length=120, verbose_name="评议对象")),
                ("order", models.PositiveSmallIntegerField(default=0, verbose_name="排序")),
                (
                    "person",
                    models.ForeignKey(
                        blank=True,
                        null=True,
                        on_delete=django.db.models.deletion.PROTECT,
                        related_name="appraisal_targets",
                        to="units.person",
                        verbose_name="班子成员",
                    ),
                ),
                (
                    "round",
                    models.ForeignKey(
                        on_delete=django.db.models.deletion.CASCADE,
                        related_name="targets",
                        to="feedback.appraisalround",
                        verbose_name="评议",
                    ),
                ),
            ],
            options={
                "verbose_name": "评议对象",
                "verbose_name_plural": "评议对象",
                "ordering": ["round", "order", "id"],
            },
        ),
        migrations.CreateModel(
            name="Ballot",
            fields=[
                (
                    "id",
                    models.UUIDField(
                        default=uuid.uuid4, editable=False, primary_key=True, serialize=False
                    ),
                ),
                ("day", models.DateField(verbose_name="投票日期")),
                (
                    "round",
                    models.ForeignKey(
                        on_delete=django.db.models.deletion.CASCADE,
                        related_name="ballots",
                        to="feedback.appraisalround",
                        verbose_name="评议",
                    ),
                ),
            ],
            options={
                "verbose_name": "选票",
                "verbose_name_plural": "选票",
                "ordering": ["round", "day", "id"],
            },
        ),
        migrations.CreateModel(
            name="BallotAnswer",
            fields=[
                (
                    "id",
                    models.UUIDField(
                        default=uuid.uuid4, editable=False, primary_key=True, serialize=False
                    ),
                ),
                ("question", models.PositiveSmallIntegerField(verbose_name="问题序号")),
                ("text", models.TextField(verbose_name="回答")),
                (
                    "ballot",
                    models.ForeignKey(
                        blank=True,
                        help_text="纸质票录入的回答不关联选票。",
                        null=True,
                        on_delete=django.db.models.deletion.CASCADE,
                        related_name="answers",
                        to="feedback.ballot",
                        verbose_name="选票",
                    ),
                ),
                (
                    "round",
                    models.ForeignKey(
                        on_delete=django.db.models.deletion.CASCADE,
                        related_name="answers",
                        to="feedback.appraisalround",
                        verbose_name="评议",
                    ),
                ),
            ],
            options={
                "verbose_name": "开放式回答",
                "verbose_name_plural": "开放式回答",
                "ordering": ["round", "question", "text"],
            },
        ),
        migrations.CreateModel(
            name="BallotCode",
            fields=[
                (
                    "id",
                    models.BigAutoField(
                        auto_created=True, primary_key=True, serialize=False, verbose_name="ID"
                    ),
                ),
                ("code", models.CharField(max_length=16, unique=True, verbose_name="评议码")),
                ("spent", models.BooleanField(default=False, verbose_name="已使用")),
                (
                    "round",
                    models.ForeignKey(
                        on_delete=django.db.models.deletion.CASCADE,
                        related_name="codes",
                        to="feedback.appraisalround",
                        verbose_name="评议",
                    ),
                ),
            ],
            options={
                "verbose_name": "评议码",
                "verbose_name_plural": "评议码",
                "ordering": ["round", "id"],
            },
        ),
        migrations.CreateModel(
            name="BallotRating",
            fields=[
                (
                    "id",
                    models.UUIDField(
                        default=uuid.uuid4, editable=False, primary_key=True, serialize=False
                    ),
                ),
                (
                    "rating",
                    models.CharField(
                        choices=[
                            ("good", "好"),
                            ("fairly_good", "较好"),
                            ("average", "一般"),
                            ("poor", "差"),
                            ("satisfied", "满意"),
                            ("basically", "基本满意"),
                            ("unsatisfied", "不满意"),
                        ],
                        max_length=20,
                        verbose_name="评价",
                    ),
                ),
                (
                    "ballot",
                    models.ForeignKey(
                        on_delete=django.db.models.deletion.CASCADE,
                        related_name="ratings",
                        to="feedback.ballot",
                        verbose_name="选票",
                    ),
                ),
                (
                    "target",
                    models.ForeignKey(
                        on_delete=django.db.models.deletion.CASCADE,
                        related_name="+",
                        to="feedback.appraisaltarget",
                        verbose_name="评议对象",
                    ),
                ),
            ],
            options={
                "verbose_name": "评价",
                "verbose_name_plural": "评价",
            },
        ),
        migrations.CreateModel(
            name="PaperTally",
            fields=[
                (
                    "id",
                    models.BigAutoField(
                        auto_created=True, primary_key=True, serialize=False, verbose_name="ID"
                    ),
                ),
                (
                    "rating",
                    models.CharField(
                        choices=[
                            ("good", "好"),
                            ("fairly_good", "较好"),
                            ("average", "一般"),
                            ("poor", "差"),
                            ("satisfied", "满意"),
                            ("basically", "基本满意"),
                            ("unsatisfied", "不满意"),
                        ],
                        max_length=20,
                        verbose_name="评价",
                    ),
                ),
                ("count", models.PositiveIntegerField(verbose_name="票数")),
                (
                    "round",
                    models.ForeignKey(
                        on_delete=django.db.models.deletion.CASCADE,
                        related_name="tallies",
                        to="feedback.appraisalround",
                        verbose_name="评议",
                    ),
                ),
                (
                    "target",
                    models.ForeignKey(
                        on_delete=django.db.models.deletion.CASCADE,
                        related_name="+",
                        to="feedback.appraisaltarget",
                        verbose_name="评议对象",
                    ),
                ),
            ],
            options={
                "verbose_name": "纸质票统计",
                "verbose_name_plural": "纸质票统计",
                "ordering": ["round", "target", "rating"],
            },
        ),
        migrations.AddConstraint(
            model_name="appraisalround",
            constraint=models.CheckConstraint(
                condition=models.Q(("closes_at__gt", models.F("opens_at"))),
                name="appraisal_closes_after_open",
            ),
        ),
        migrations.AddConstraint(
            model_name="appraisaltarget",
            constraint=models.UniqueConstraint(
                fields=("round", "person"), name="appraisal_target_once"
            ),
        ),
        migrations.AddConstraint(
            model_name="appraisaltarget",
            constraint=models.UniqueConstraint(
                condition=models.Q(("person", None)),
                fields=("round",),
                name="appraisal_one_team_target",
            ),
        ),
        migrations.AddConstraint(
            model_name="ballotrating",
            constraint=models.UniqueConstraint(
                fields=("ballot", "target"), name="ballot_rates_target_once"
            ),
        ),
        migrations.AddConstraint(
            model_name="papertally",
            constraint=models.UniqueConstraint(
                fields=("round", "target", "rating"), name="paper_tally_once"
            ),
        ),
    ]
