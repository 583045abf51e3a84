"""申报批次 and 限额推荐: each filing belongs to a season. Existing filings go to their business's season whose
申报期 contains the filing's creation day, else to the season of their business and creation year (created for
the calendar year when missing, so old years stay readable as their own seasons)."""

import datetime
from zoneinfo import ZoneInfo

import django.db.models.deletion
from django.db import migrations, models

SHANGHAI = ZoneInfo("Asia/Shanghai")


def assign_seasons(apps, schema_editor):
    Filing = apps.get_model("filings", "Filing")
    Season = apps.get_model("workflow", "Season")
    pending = Filing.objects.filter(season__isnull=True)
    # order_by(): without it DISTINCT keeps the model's ordering columns and returns one row per filing.
    for business_id in pending.order_by().values_list("business_id", flat=True).distinct():
        for season in Season.objects.filter(business_id=business_id):
            start = datetime.datetime.combine(season.period_start, datetime.time.min, tzinfo=SHANGHAI)
            end = datetime.datetime.combine(
                season.period_end + datetime.timedelta(days=1), datetime.time.min, tzinfo=SHANGHAI
            )
            pending.filter(business_id=business_id, created_at__gte=start, created_at__lt=end).update(
                season=season
            )
        created = pending.filter(business_id=business_id).values_list("created_at", flat=True).iterator()
        for year in sorted({moment.astimezone(SHANGHAI).year for moment in created}):
            season, _ = Season.objects.get_or_create(
                business_id=business_id,
                year=year,
                defaults={
                    "period_start": datetime.date(year, 1, 1),
                    "period_end": datetime.date(year, 12, 31),
                },
            )
            start = datetime.datetime(year, 1, 1, tzinfo=SHANGHAI)
            end = datetime.datetime(year + 1, 1, 1, tzinfo=SHANGHAI)
            pending.filter(business_id=business_id, created_at__gte=start, created_at__lt=end).update(
                season=season
            )


class Migration(migrations.Migration):
    dependencies = [
        ("filings", "0007_default_cooperation_categories"),
        ("workflow", "0003_seasons"),
    ]

    operations = [
        migrations.AddField(
            model_name="filing",
            name="season",
            field=models.ForeignKey(
                blank=True,
                help_text="创建时处于申报期的批次；限额、截止日期和统计按批次计算。",
                null=True,
                on_delete=django.db.models.deletion.PROTECT,
                related_name="filings",
                to="workflow.season",
                verbose_name="申报批次",
            ),
        ),
        migrations.AddField(
            model_name="filing",
            name="recommended",
            field=models.BooleanField(default=False, editable=False, verbose_name="已推荐"),
        ),
        migrations.AddField(
            model_name="filing",
            name="recommend_rank",
            field=models.PositiveIntegerField(blank=True, null=True, verbose_name="推荐排序"),
        ),
        migrations.RunPython(assign_seasons, migrations.RunPython.noop),
    ]
