"""审核时效 (StageStay), 逾期 on 流转记录, and keys that make the daily reminders idempotent."""

import django.db.models.deletion
from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [
        ("accounts", "0002_unitchange_withdrawn"),
        ("filings", "0008_filing_season_and_quota_place"),
        ("review", "0003_stage_in_workflow"),
        ("workflow", "0003_seasons"),
    ]

    operations = [
        migrations.AddField(
            model_name="flowrecord",
            name="late",
            field=models.BooleanField(
                default=False, help_text="在该阶段的审核截止日期之后作出的审核。", verbose_name="逾期"
            ),
        ),
        migrations.AddField(
            model_name="notification",
            name="key",
            field=models.CharField(
                blank=True, editable=False, max_length=100, null=True, unique=True, verbose_name="去重键"
            ),
        ),
        migrations.AlterField(
            model_name="notification",
            name="filing",
            field=models.ForeignKey(
                blank=True,
                help_text="每日提醒等汇总消息不属于某一个平台备案。",
                null=True,
                on_delete=django.db.models.deletion.CASCADE,
                related_name="+",
                to="filings.filing",
                verbose_name="平台备案",
            ),
        ),
        migrations.CreateModel(
            name="StageStay",
            fields=[
                (
                    "id",
                    models.BigAutoField(
                        auto_created=True, primary_key=True, serialize=False, verbose_name="ID"
                    ),
                ),
                ("unit_type", models.CharField(max_length=20, verbose_name="单位类型")),
                ("entered_at", models.DateTimeField(verbose_name="到达时间")),
                ("left_at", models.DateTimeField(blank=True, null=True, verbose_name="离开时间")),
                (
                    "left_action",
                    models.CharField(
                        blank=True,
                        choices=[
                            ("submit", "上报"),
                            ("withdraw", "撤销"),
                            ("approve", "通过"),
                            ("return", "退回"),
                            ("reject", "直接不通过"),
                            ("publicity_return", "公示退回"),
                        ],
                        max_length=20,
                        verbose_name="离开方式",
                    ),
                ),
                ("seconds", models.PositiveIntegerField(blank=True, null=True, verbose_name="停留秒数")),
                ("late", models.BooleanField(default=False, verbose_name="逾期")),
                (
                    "department",
                    models.ForeignKey(
                        null=True,
                        on_delete=django.db.models.deletion.PROTECT,
                        related_name="+",
                        to="accounts.department",
                        verbose_name="主管部门",
                    ),
                ),
                (
                    "filing",
                    models.ForeignKey(
                        on_delete=django.db.models.deletion.CASCADE,
                        related_name="stage_stays",
                        to="filings.filing",
                        verbose_name="平台备案",
                    ),
                ),
                (
                    "season",
                    models.ForeignKey(
                        blank=True,
                        null=True,
                        on_delete=django.db.models.deletion.PROTECT,
                        related_name="+",
                        to="workflow.season",
                        verbose_name="申报批次",
                    ),
                ),
                (
                    "stage",
                    models.ForeignKey(
                        on_delete=django.db.models.deletion.PROTECT,
                        related_name="+",
                        to="workflow.stage",
                        verbose_name="审核阶段",
                    ),
                ),
            ],
            options={
                "verbose_name": "阶段停留",
                "verbose_name_plural": "阶段停留",
                "indexes": [
                    models.Index(fields=["filing", "left_at"], name="stay_filing_open_idx"),
                    models.Index(
                        fields=["season", "stage", "department", "unit_type"], name="stay_group_idx"
                    ),
                ],
            },
        ),
    ]
