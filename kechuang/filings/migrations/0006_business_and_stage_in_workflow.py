"""Point the filing's business and stage foreign keys at the workflow app (same tables, state only)."""

import django.db.models.deletion
from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [
        ("filings", "0005_scope_indexes_cover_the_default_sort"),
        ("workflow", "0001_initial"),
    ]

    operations = [
        migrations.SeparateDatabaseAndState(
            state_operations=[
                migrations.AlterField(
                    model_name="filing",
                    name="business",
                    field=models.ForeignKey(on_delete=django.db.models.deletion.PROTECT, related_name="filings", to="workflow.business", verbose_name="业务"),
                ),
                migrations.AlterField(
                    model_name="filing",
                    name="stage",
                    field=models.ForeignKey(blank=True, null=True, on_delete=django.db.models.deletion.PROTECT, related_name="+", to="workflow.stage", verbose_name="当前审核阶段"),
                ),
                migrations.AlterField(
                    model_name="filing",
                    name="return_stage",
                    field=models.ForeignKey(blank=True, help_text="退回此备案的阶段；再次上报时直接回到该阶段（W6）。", null=True, on_delete=django.db.models.deletion.PROTECT, related_name="+", to="workflow.stage", verbose_name="退回阶段"),
                ),
            ],
        ),
    ]
