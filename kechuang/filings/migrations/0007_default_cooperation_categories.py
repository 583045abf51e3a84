"""Production bootstrap (issue 11): the 合作类别 options exist after ``migrate`` alone (F4). Idempotent: existing
options (by name) are kept as the administrator left them; reversing removes nothing."""

from django.db import migrations

CATEGORIES = ["国际联合实验室", "国际联合研究中心", "国际技术转移中心", "国际科技合作基地", "其他"]


def create_categories(apps, schema_editor):
    CooperationCategory = apps.get_model("filings", "CooperationCategory")
    for order, name in enumerate(CATEGORIES):
        CooperationCategory.objects.get_or_create(name=name, defaults={"order": order})


class Migration(migrations.Migration):
    dependencies = [("filings", "0006_business_and_stage_in_workflow")]

    operations = [migrations.RunPython(create_categories, migrations.RunPython.noop)]
