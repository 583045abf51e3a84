"""Indexes for the review lists at provincial scale (docs/performance.md has the EXPLAIN findings).

The model's Meta.indexes work on every database. PostgreSQL also gets, through ``postgresql_only``:
- the lists' descending sorts, which Django orders DESC NULLS LAST (SQLite cannot index NULLS LAST), and the
  unit administrator's default sort within one unit;
- trigram indexes for the 平台名称 / 依托单位 searches (``icontains`` is ``UPPER(col) LIKE '%…%'``), if the
  pg_trgm extension can be created (it is a trusted extension since PostgreSQL 13; without the privilege the
  migration goes on without these two and says so).
"""

from django.db import migrations, models, transaction

SORT_INDEXES = {
    # first_submitted_at (the scope of 主管部门/省科技厅) as a key column lets id-only page walks skip the heap.
    "filing_submitted_desc_idx": '("submitted_at" DESC NULLS LAST, "id" DESC, "first_submitted_at")',
    "filing_unit_submitted_desc_idx": '("unit_id", "submitted_at" DESC NULLS LAST, "id" DESC, "first_submitted_at")',
    "filing_name_desc_idx": '("name" DESC NULLS LAST, "id" DESC)',
    "filing_unit_name_desc_idx": '("unit_name" DESC NULLS LAST, "id" DESC)',
}
TRIGRAM_INDEXES = {
    "filing_name_trgm_idx": '(UPPER("name") gin_trgm_ops)',
    "filing_unit_name_trgm_idx": '(UPPER("unit_name") gin_trgm_ops)',
}


def postgresql_only(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    for name, columns in SORT_INDEXES.items():
        schema_editor.execute(f'CREATE INDEX IF NOT EXISTS "{name}" ON "filings_filing" {columns}')
    try:
        with transaction.atomic(using=schema_editor.connection.alias):
            schema_editor.execute("CREATE EXTENSION IF NOT EXISTS pg_trgm")
    except Exception as exc:  # noqa: BLE001 - the privilege is the database owner's choice
        print(f"\n  pg_trgm not available ({exc}); name searches will scan. See docs/performance.md.")
        return
    for name, columns in TRIGRAM_INDEXES.items():
        schema_editor.execute(f'CREATE INDEX IF NOT EXISTS "{name}" ON "filings_filing" USING gin {columns}')


def drop_postgresql_only(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    for name in (*SORT_INDEXES, *TRIGRAM_INDEXES):
        schema_editor.execute(f'DROP INDEX IF EXISTS "{name}"')


class Migration(migrations.Migration):
    dependencies = [
        ("filings", "0003_part_public_ids"),
    ]

    operations = [
        migrations.AddIndex(
            model_name="filing",
            index=models.Index(fields=["unit", "first_submitted_at"], name="filing_unit_submitted_idx"),
        ),
        migrations.AddIndex(
            model_name="filing",
            index=models.Index(
                fields=["status", "stage", "unit", "first_submitted_at"], name="filing_waiting_idx"
            ),
        ),
        migrations.AddIndex(
            model_name="filing",
            index=models.Index(fields=["status", "unit", "id"], name="filing_status_unit_idx"),
        ),
        migrations.AddIndex(
            model_name="filing",
            index=models.Index(fields=["name", "-id"], name="filing_name_idx"),
        ),
        migrations.AddIndex(
            model_name="filing",
            index=models.Index(fields=["unit_name", "-id"], name="filing_unit_name_idx"),
        ),
        migrations.AddIndex(
            model_name="filing",
            index=models.Index(fields=["submitted_at", "-id"], name="filing_submitted_asc_idx"),
        ),
        migrations.RunPython(postgresql_only, drop_postgresql_only),
    ]
