"""Production bootstrap (issue 11): a fresh database gets the default business 省国际科技合作平台备案 with its three
review stages, so the site works after ``migrate`` without any demo data.

The 申报期 starts on the day of the migration and ends on 31 December of the following year (README, 生产环境部署);
the 系统管理员 changes it in the admin site. Idempotent: an existing business of that name (a database that ran
``load_demo`` before) and existing stages are left as they are; reversing removes nothing.
"""

import datetime

from django.db import migrations
from django.utils import timezone

BUSINESS_NAME = "省国际科技合作平台备案"
DESCRIPTION = "省国际科技合作平台备案，依托单位审核、主管部门审核、省科技厅审核后完成备案。"
STAGES = [
    (1, "申报单位审核", "unit_admin"),
    (2, "主管部门审核", "department"),
    (3, "省科技厅审核", "province"),
]


def default_period(today):
    return today, datetime.date(today.year + 1, 12, 31)


def create_default_business(apps, schema_editor):
    Business = apps.get_model("workflow", "Business")
    Stage = apps.get_model("workflow", "Stage")
    start, end = default_period(timezone.localdate())
    business, _ = Business.objects.get_or_create(
        name=BUSINESS_NAME,
        defaults={
            "section": "platforms",
            "period_start": start,
            "period_end": end,
            "description": DESCRIPTION,
        },
    )
    if not Stage.objects.filter(business=business).exists():
        for order, name, kind in STAGES:
            Stage.objects.create(business=business, order=order, name=name, reviewer_kind=kind)


class Migration(migrations.Migration):
    dependencies = [("workflow", "0001_initial")]

    operations = [migrations.RunPython(create_default_business, migrations.RunPython.noop)]
