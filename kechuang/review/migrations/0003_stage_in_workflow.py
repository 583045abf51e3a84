"""Stage now lives in the workflow app (same table): the 流转记录's stage keys follow, then review forgets it."""

import django.db.models.deletion
from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [
        ("review", "0002_notification_public_id"),
        ("workflow", "0001_initial"),
        ("filings", "0006_business_and_stage_in_workflow"),
    ]

    operations = [
        migrations.SeparateDatabaseAndState(
            state_operations=[
                migrations.AlterField(
                    model_name="flowrecord",
                    name="from_stage",
                    field=models.ForeignKey(blank=True, null=True, on_delete=django.db.models.deletion.PROTECT, related_name="+", to="workflow.stage", verbose_name="原审核阶段"),
                ),
                migrations.AlterField(
                    model_name="flowrecord",
                    name="to_stage",
                    field=models.ForeignKey(blank=True, null=True, on_delete=django.db.models.deletion.PROTECT, related_name="+", to="workflow.stage", verbose_name="新审核阶段"),
                ),
                migrations.DeleteModel(name="Stage"),
            ],
        ),
    ]
