"""A database filled at the schema the first release shipped (before Business and Stage moved to the workflow
app) migrates to today's schema with nothing lost: same rows, same keys, admin permissions still attached.

The old database is built and filled in a child process (its own database: a file for SQLite, a scratch
database on the PostgreSQL server), so the test database of the suite is not touched.
"""

import json
import os
import subprocess
import sys
import uuid
from pathlib import Path

import dj_database_url
import psycopg
import pytest

ROOT = Path(__file__).resolve().parent.parent
WAVE1 = [  # the last migration of each app in the first release
    ("accounts", "0002_unitchange_withdrawn"),
    ("portal", "0001_initial"),
    ("filings", "0005_scope_indexes_cover_the_default_sort"),
    ("review", "0002_notification_public_id"),
    ("audit", "0001_initial"),
]

FILL = """
import datetime, django, json
django.setup()
from django.contrib.contenttypes.models import ContentType
from django.contrib.auth.models import Permission
from django.db.migrations.loader import MigrationLoader
from django.db import connection
apps = MigrationLoader(connection).project_state(TARGETS).apps
Business = apps.get_model("portal", "Business"); Stage = apps.get_model("review", "Stage")
Department = apps.get_model("accounts", "Department"); Unit = apps.get_model("accounts", "Unit")
User = apps.get_model("accounts", "User"); Filing = apps.get_model("filings", "Filing")
FlowRecord = apps.get_model("review", "FlowRecord")
business = Business.objects.create(name="省国际科技合作平台备案", period_start=datetime.date(2026, 1, 1),
                                   period_end=datetime.date(2026, 12, 31), description="旧库中的业务")
stages = [Stage.objects.create(business=business, order=n, name=name, reviewer_kind=kind) for n, name, kind in
          ((1, "申报单位审核", "unit_admin"), (2, "主管部门审核", "department"), (3, "省科技厅审核", "province"))]
department = Department.objects.create(name="黑龙江省教育厅")
unit = Unit.objects.create(name="旧库大学", credit_code="12230000MB0000000X", unit_type="university",
                           region="harbin", department=department)
owner = User.objects.create(username="old_owner", name="旧库负责人", role="applicant", unit=unit)
filing = Filing.objects.create(business=business, owner=owner, unit=unit, status="in_review", stage=stages[1],
                               return_stage=stages[2], name="旧库平台")
FlowRecord.objects.create(filing=filing, actor=owner, actor_organisation="旧库大学", action="submit",
                          from_status="平台：填报中", to_status="平台：主管部门审核", from_stage=None, to_stage=stages[1])
ct = ContentType.objects.get_or_create(app_label="portal", model="business")[0]
Permission.objects.get_or_create(content_type=ct, codename="change_business", defaults={"name": "Can change"})
print(json.dumps({"business": business.pk, "stages": [s.pk for s in stages], "filing": filing.pk}))
"""

CHECK = """
import django, json
django.setup()
from django.contrib.auth.models import Permission
from kechuang.filings.models import Filing
from kechuang.review.models import FlowRecord
from kechuang.workflow.models import Business, Stage
filing = Filing.objects.select_related("business", "stage", "return_stage").get(name="旧库平台")
record = FlowRecord.objects.get(filing=filing)
business = Business.objects.get(name="省国际科技合作平台备案")
print(json.dumps({
    "businesses": Business.objects.filter(name="省国际科技合作平台备案").count(),
    "business": business.pk, "description": business.description,
    "stages": list(Stage.objects.filter(business=business).order_by("order").values_list("pk", flat=True)),
    "filing": filing.pk, "filing_business": filing.business_id, "stage": filing.stage_id,
    "return_stage": filing.return_stage_id, "record_to_stage": record.to_stage_id,
    "permission_app": Permission.objects.get(codename="change_business").content_type.app_label,
}))
"""


@pytest.fixture
def scratch_database(tmp_path):
    """A database of its own for the child processes, of the same kind as the suite's."""
    url = os.environ.get("DATABASE_URL", "")
    if not url.startswith("postgres"):
        yield f"sqlite:///{tmp_path / 'wave1.sqlite3'}"
        return
    config = dj_database_url.parse(url)
    name = f"kechuang_wave1_{uuid.uuid4().hex[:8]}"
    admin = {
        k: v
        for k, v in {
            "host": config["HOST"],
            "port": config["PORT"],
            "user": config["USER"],
            "password": config["PASSWORD"],
            "dbname": "postgres",
        }.items()
        if v
    }
    with psycopg.connect(**admin, autocommit=True) as connection:
        connection.execute(f'CREATE DATABASE "{name}"')
    try:
        yield url.rsplit("/", 1)[0] + "/" + name
    finally:
        with psycopg.connect(**admin, autocommit=True) as connection:
            connection.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


def run(database_url, *args, stdin=None):
    env = {
        **os.environ,
        "DATABASE_URL": database_url,
        "DEBUG": "1",
        "DJANGO_SETTINGS_MODULE": "kechuang.settings",
    }
    done = subprocess.run(
        [sys.executable, *args], cwd=ROOT, env=env, input=stdin, capture_output=True, text=True, timeout=300
    )
    assert done.returncode == 0, done.stderr[-3000:]
    return done.stdout


def test_a_wave1_database_migrates_with_nothing_lost(scratch_database):
    for app, migration in WAVE1:
        run(scratch_database, "manage.py", "migrate", app, migration, "--noinput", "-v0")
    before = json.loads(run(scratch_database, "-c", FILL.replace("TARGETS", repr(WAVE1))).splitlines()[-1])

    run(scratch_database, "manage.py", "migrate", "--noinput", "-v0")
    after = json.loads(run(scratch_database, "-c", CHECK).splitlines()[-1])

    assert after["businesses"] == 1  # the bootstrap migration found the business and did not add another
    assert after["business"] == before["business"] and after["description"] == "旧库中的业务"
    assert after["stages"][:3] == before["stages"]
    assert after["filing"] == before["filing"] and after["filing_business"] == before["business"]
    assert after["stage"] == before["stages"][1] and after["return_stage"] == before["stages"][2]
    assert after["record_to_stage"] == before["stages"][1]
    assert after["permission_app"] == "workflow"
