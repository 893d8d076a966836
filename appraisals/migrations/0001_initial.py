# Appraisals leave the feedback app for their own (issue 14). The tables and their rows stay:
# the models enter this app's state under their old table names, then the tables are renamed,
# and the content types (which audit rows point at) move with them.

import uuid

import django.db.models.deletion
from django.conf import settings
from django.db import migrations, models

MODELS = ['AppraisalRound', 'AppraisalTarget', 'Ballot', 'BallotAnswer', 'BallotCode', 'BallotRating', 'PaperTally']


def move_content_types(apps, schema_editor):
    ContentType = apps.get_model("contenttypes", "ContentType")
    ContentType.objects.filter(app_label="feedback", model__in=[m.lower() for m in MODELS]).update(
        app_label="appraisals"
    )


def back_content_types(apps, schema_editor):
    ContentType = apps.get_model("contenttypes", "ContentType")
    ContentType.objects.filter(app_label="appraisals", model__in=[m.lower() for m in MODELS]).update(
        app_label="feedback"
    )


class Migration(migrations.Migration):
    dependencies = [
        ("feedback", "0003_appraisals"),
        ("units", "0001_initial"),
        ("contenttypes", "0002_remove_content_type_name"),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        migrations.SeparateDatabaseAndState(
            state_operations=[
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
                                to="appraisals.appraisalround",
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
                                to="appraisals.appraisalround",
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
                                to="appraisals.ballot",
                                verbose_name="选票",
                            ),
                        ),
                        (
                            "round",
                            models.ForeignKey(
                                on_delete=django.db.models.deletion.CASCADE,
                                related_name="answers",
                                to="appraisals.appraisalround",
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
                                to="appraisals.appraisalround",
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
                                to="appraisals.ballot",
                                verbose_name="选票",
                            ),
                        ),
                        (
                            "target",
                            models.ForeignKey(
                                on_delete=django.db.models.deletion.CASCADE,
                                related_name="+",
                                to="appraisals.appraisaltarget",
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
                                to="appraisals.appraisalround",
                                verbose_name="评议",
                            ),
                        ),
                        (
                            "target",
                            models.ForeignKey(
                                on_delete=django.db.models.deletion.CASCADE,
                                related_name="+",
                                to="appraisals.appraisaltarget",
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
                migrations.AlterModelTable(name="appraisalround", table="feedback_appraisalround"),
                migrations.AlterModelTable(name="appraisaltarget", table="feedback_appraisaltarget"),
                migrations.AlterModelTable(name="ballot", table="feedback_ballot"),
                migrations.AlterModelTable(name="ballotanswer", table="feedback_ballotanswer"),
                migrations.AlterModelTable(name="ballotcode", table="feedback_ballotcode"),
                migrations.AlterModelTable(name="ballotrating", table="feedback_ballotrating"),
                migrations.AlterModelTable(name="papertally", table="feedback_papertally"),
            ],
            database_operations=[],
        ),
        migrations.AlterModelTable(name="appraisalround", table=None),
        migrations.AlterModelTable(name="appraisaltarget", table=None),
        migrations.AlterModelTable(name="ballot", table=None),
        migrations.AlterModelTable(name="ballotanswer", table=None),
        migrations.AlterModelTable(name="ballotcode", table=None),
        migrations.AlterModelTable(name="ballotrating", table=None),
        migrations.AlterModelTable(name="papertally", table=None),
        migrations.RunPython(move_content_types, back_content_types),
    ]
