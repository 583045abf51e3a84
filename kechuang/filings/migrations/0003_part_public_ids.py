"""Opaque ids for the parts of a filing (members, partners, projects, results), used in their edit/delete URLs.

Three steps so existing rows each get their own UUID before the unique constraint applies.
"""

import uuid

from django.db import migrations, models

PARTS = ("member", "overseaspartner", "jointproject", "jointresult")


def fill_public_ids(apps, schema_editor):
    for model_name in PARTS:
        model = apps.get_model("filings", model_name)
        for pk in model.objects.values_list("pk", flat=True):
            model.objects.filter(pk=pk).update(public_id=uuid.uuid4())


class Migration(migrations.Migration):
    dependencies = [
        ("filings", "0002_initial"),
    ]

    operations = [
        *[
            migrations.AddField(
                model_name=name, name="public_id", field=models.UUIDField(null=True, editable=False)
            )
            for name in PARTS
        ],
        migrations.RunPython(fill_public_ids, migrations.RunPython.noop),
        *[
            migrations.AlterField(
                model_name=name,
                name="public_id",
                field=models.UUIDField(default=uuid.uuid4, unique=True, editable=False),
            )
            for name in PARTS
        ],
    ]
