"""申报批次: the 申报期 moves from the business to its seasons. Each business gets the season of its current 申报期
(年度 = the year it starts); filings are given their season by filings.0008."""

import django.db.models.deletion
import uuid
from django.conf import settings
from django.db import migrations, models


def seasons_from_business_periods(apps, schema_editor):
    Business = apps.get_model("workflow", "Business")
    Season = apps.get_model("workflow", "Season")
    for business in Business.objects.all():
        Season.objects.get_or_create(
            business=business,
            year=business.period_start.year,
            defaults={"period_start": business.period_start, "period_end": business.period_end},
        )


def business_periods_from_seasons(apps, schema_editor):
    Business = apps.get_model("workflow", "Business")
    Season = apps.get_model("workflow", "Season")
    for business in Business.objects.all():
        season = Season.objects.filter(business=business).order_by("-period_start").first()
        if season is not None:
            Business.objects.filter(pk=business.pk).update(
                period_start=season.period_start, period_end=season.period_end
            )


class Migration(migrations.Migration):
    dependencies = [
        ("accounts", "0002_unitchange_withdrawn"),
        ("workflow", "0002_default_business"),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        migrations.CreateModel(
            name="Extension",
            fields=[
                (
                    "id",
                    models.BigAutoField(
                        auto_created=True, primary_key=True, serialize=False, verbose_name="ID"
                    ),
                ),
                (
                    "kind",
                    models.CharField(
                        choices=[
                            ("period", "申报期延期"),
                            ("stage", "审核截止延期"),
                            ("both", "申报期和审核截止均延期"),
                        ],
                        max_length=10,
                        verbose_name="延期类型",
                    ),
                ),
                ("period_end", models.DateField(blank=True, null=True, verbose_name="申报期延至")),
                ("stage_due", models.DateField(blank=True, null=True, verbose_name="审核截止延至")),
                ("reason", models.CharField(max_length=500, verbose_name="延期理由")),
                ("granted_at", models.DateTimeField(auto_now_add=True, verbose_name="批准时间")),
            ],
            options={
                "verbose_name": "延期",
                "verbose_name_plural": "延期",
                "ordering": ["-granted_at"],
            },
        ),
        migrations.CreateModel(
            name="Quota",
            fields=[
                (
                    "id",
                    models.BigAutoField(
                        auto_created=True, primary_key=True, serialize=False, verbose_name="ID"
                    ),
                ),
                ("limit", models.PositiveIntegerField(verbose_name="推荐限额")),
                ("used", models.PositiveIntegerField(default=0, editable=False, verbose_name="已推荐")),
            ],
            options={
                "verbose_name": "推荐限额",
                "verbose_name_plural": "推荐限额",
            },
        ),
        migrations.CreateModel(
            name="Season",
            fields=[
                (
                    "id",
                    models.BigAutoField(
                        auto_created=True, primary_key=True, serialize=False, verbose_name="ID"
                    ),
                ),
                ("public_id", models.UUIDField(default=uuid.uuid4, editable=False, unique=True)),
                ("year", models.PositiveSmallIntegerField(verbose_name="年度")),
                ("name", models.CharField(blank=True, max_length=100, verbose_name="批次名称")),
                ("period_start", models.DateField(verbose_name="申报期开始")),
                ("period_end", models.DateField(verbose_name="申报期结束")),
                (
                    "decisions_close",
                    models.BooleanField(
                        default=False,
                        help_text="不勾选时，审核截止后仍可审核，但记为“逾期”。",
                        verbose_name="审核截止后不能再审核",
                    ),
                ),
            ],
            options={
                "verbose_name": "申报批次",
                "verbose_name_plural": "申报批次",
                "ordering": ["business", "-year"],
            },
        ),
        migrations.CreateModel(
            name="StageDeadline",
            fields=[
                (
                    "id",
                    models.BigAutoField(
                        auto_created=True, primary_key=True, serialize=False, verbose_name="ID"
                    ),
                ),
                ("due", models.DateField(verbose_name="审核截止日期")),
            ],
            options={
                "verbose_name": "审核截止",
                "verbose_name_plural": "审核截止",
            },
        ),
        migrations.AddField(
            model_name="extension",
            name="department",
            field=models.ForeignKey(
                blank=True,
                null=True,
                on_delete=django.db.models.deletion.CASCADE,
                related_name="+",
                to="accounts.department",
                verbose_name="主管部门",
            ),
        ),
        migrations.AddField(
            model_name="extension",
            name="granted_by",
            field=models.ForeignKey(
                on_delete=django.db.models.deletion.PROTECT,
                related_name="+",
                to=settings.AUTH_USER_MODEL,
                verbose_name="批准人",
            ),
        ),
        migrations.AddField(
            model_name="extension",
            name="stage",
            field=models.ForeignKey(
                blank=True,
                null=True,
                on_delete=django.db.models.deletion.CASCADE,
                related_name="+",
                to="workflow.stage",
                verbose_name="延期的审核阶段",
            ),
        ),
        migrations.AddField(
            model_name="extension",
            name="unit",
            field=models.ForeignKey(
                blank=True,
                null=True,
                on_delete=django.db.models.deletion.CASCADE,
                related_name="+",
                to="accounts.unit",
                verbose_name="申报单位",
            ),
        ),
        migrations.AddField(
            model_name="quota",
            name="department",
            field=models.ForeignKey(
                blank=True,
                null=True,
                on_delete=django.db.models.deletion.CASCADE,
                related_name="+",
                to="accounts.department",
                verbose_name="主管部门",
            ),
        ),
        migrations.AddField(
            model_name="quota",
            name="unit",
            field=models.ForeignKey(
                blank=True,
                help_text="仅用于不经主管部门审核、直接报送省科技厅的单位。",
                null=True,
                on_delete=django.db.models.deletion.CASCADE,
                related_name="+",
                to="accounts.unit",
                verbose_name="申报单位",
            ),
        ),
        migrations.AddField(
            model_name="season",
            name="business",
            field=models.ForeignKey(
                on_delete=django.db.models.deletion.PROTECT,
                related_name="seasons",
                to="workflow.business",
                verbose_name="业务",
            ),
        ),
        migrations.AddField(
            model_name="quota",
            name="season",
            field=models.ForeignKey(
                on_delete=django.db.models.deletion.CASCADE,
                related_name="quotas",
                to="workflow.season",
                verbose_name="申报批次",
            ),
        ),
        migrations.AddField(
            model_name="extension",
            name="season",
            field=models.ForeignKey(
                on_delete=django.db.models.deletion.CASCADE,
                related_name="extensions",
                to="workflow.season",
                verbose_name="申报批次",
            ),
        ),
        migrations.AddField(
            model_name="stagedeadline",
            name="season",
            field=models.ForeignKey(
                on_delete=django.db.models.deletion.CASCADE,
                related_name="deadlines",
                to="workflow.season",
                verbose_name="申报批次",
            ),
        ),
        migrations.AddField(
            model_name="stagedeadline",
            name="stage",
            field=models.ForeignKey(
                on_delete=django.db.models.deletion.CASCADE,
                related_name="+",
                to="workflow.stage",
                verbose_name="审核阶段",
            ),
        ),
        migrations.AddConstraint(
            model_name="season",
            constraint=models.UniqueConstraint(
                fields=("business", "year"), name="one_season_per_business_year"
            ),
        ),
        migrations.AddConstraint(
            model_name="season",
            constraint=models.CheckConstraint(
                condition=models.Q(("period_end__gte", models.F("period_start"))),
                name="season_end_after_start",
            ),
        ),
        migrations.AddConstraint(
            model_name="quota",
            constraint=models.CheckConstraint(
                condition=models.Q(
                    models.Q(("department__isnull", False), ("unit__isnull", True)),
                    models.Q(("department__isnull", True), ("unit__isnull", False)),
                    _connector="OR",
                ),
                name="quota_department_or_unit",
            ),
        ),
        migrations.AddConstraint(
            model_name="quota",
            constraint=models.UniqueConstraint(
                fields=("season", "department"), name="one_quota_per_department"
            ),
        ),
        migrations.AddConstraint(
            model_name="quota",
            constraint=models.UniqueConstraint(fields=("season", "unit"), name="one_quota_per_unit"),
        ),
        migrations.AddConstraint(
            model_name="extension",
            constraint=models.CheckConstraint(
                condition=models.Q(
                    models.Q(("department__isnull", False), ("unit__isnull", True)),
                    models.Q(("department__isnull", True), ("unit__isnull", False)),
                    _connector="OR",
                ),
                name="extension_department_or_unit",
            ),
        ),
        migrations.AddConstraint(
            model_name="extension",
            constraint=models.CheckConstraint(
                condition=models.Q(
                    models.Q(("kind", "period"), ("period_end__isnull", False), ("stage_due__isnull", True)),
                    models.Q(
                        ("kind", "stage"),
                        ("period_end__isnull", True),
                        ("stage__isnull", False),
                        ("stage_due__isnull", False),
                    ),
                    models.Q(
                        ("kind", "both"),
                        ("period_end__isnull", False),
                        ("stage__isnull", False),
                        ("stage_due__isnull", False),
                    ),
                    _connector="OR",
                ),
                name="extension_kind_matches_dates",
            ),
        ),
        migrations.AddConstraint(
            model_name="stagedeadline",
            constraint=models.UniqueConstraint(fields=("season", "stage"), name="one_deadline_per_stage"),
        ),
        migrations.RunPython(seasons_from_business_periods, business_periods_from_seasons),
        migrations.RemoveConstraint(
            model_name="business",
            name="period_end_after_start",
        ),
        migrations.RemoveField(
            model_name="business",
            name="period_end",
        ),
        migrations.RemoveField(
            model_name="business",
            name="period_start",
        ),
    ]
