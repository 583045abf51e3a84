"""Business now lives in the workflow app (same table): portal forgets it, state only."""

from django.db import migrations


class Migration(migrations.Migration):
    dependencies = [
        ("portal", "0001_initial"),
        ("workflow", "0001_initial"),
        ("filings", "0006_business_and_stage_in_workflow"),
        ("review", "0003_stage_in_workflow"),
    ]

    operations = [
        migrations.SeparateDatabaseAndState(state_operations=[migrations.DeleteModel(name="Business")]),
    ]
