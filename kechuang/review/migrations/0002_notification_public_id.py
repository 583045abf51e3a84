# Adds Notification.public_id (URLs use UUIDs, never serial ids) in the three steps Django documents for a
# unique field on a table that may already hold rows.

import uuid

from django.db import migrations, models


def fill_public_ids(apps, schema_editor):
    Notification = apps.get_model("review", "Notification")
    for notification in Notification.objects.filter(public_id__isnull=True).only("pk"):
        notification.public_id = uuid.uuid4()
        notification.save(update_fields=["public_id"])


class Migration(migrations.Migration):
    dependencies = [
        ("review", "0001_initial"),
    ]

    operations = [
        migrations.AddField(
            model_name="notification",
            name="public_id",
            field=models.UUIDField(editable=False, null=True),
        ),
        migrations.RunPython(fill_public_ids, migrations.RunPython.noop),
        migrations.AlterField(
            model_name="notification",
            name="public_id",
            field=models.UUIDField(default=uuid.uuid4, editable=False, unique=True),
        ),
    ]
