"""One word for 负责人 in code: the snapshot fields take the glossary's ``owner`` (the filing's owner is its 负责人).

Renames only: the columns keep their data.
"""

from django.db import migrations

FIELDS = (
    "name",
    "gender",
    "position",
    "research_field",
    "mobile",
    "id_type",
    "id_number",
    "birth_date",
    "title",
    "education",
    "email",
    "synced_at",
)


class Migration(migrations.Migration):
    dependencies = [("filings", "0010_status_voided")]

    operations = [
        migrations.RenameField("filing", f"leader_{field}", f"owner_{field}") for field in FIELDS
    ]
