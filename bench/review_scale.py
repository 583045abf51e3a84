"""Issue 14 benchmark, in-process against its own database: 批量通过 of 100 filings, send_reminders over the
province, and the 审核时效 page (p95 of repeated requests), at a chosen number of filings.

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/kechuang_bench14 .venv/bin/python bench/review_scale.py --filings 100000

The database is migrated and filled by this script (it must be a scratch database: its data is replaced).
Prints one JSON line of results; docs/performance.md has the figures.
"""

import argparse
import datetime
import json
import os
import random
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "kechuang.settings")
os.environ.setdefault("DEBUG", "0")
os.environ.setdefault("DEVTOOLS", "1")
os.environ.setdefault("SECRET_KEY", "bench-only-not-secret-" + "x" * 40)
os.environ.setdefault("ALLOWED_HOSTS", "testserver")
os.environ.setdefault("TASKS_BACKEND", "django_tasks.backends.dummy.DummyBackend")


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--filings", type=int, default=100_000)
    parser.add_argument("--requests", type=int, default=40)
    args = parser.parse_args()

    import django

    django.setup()
    from django.conf import settings

    # Pages render without collectstatic's manifest (this measures the views, not static files).
    settings.STORAGES["staticfiles"] = {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"}
    from django.core.management import call_command
    from django.db import connection, reset_queries
    from django.test import Client
    from django.test.utils import CaptureQueriesContext
    from django.utils import timezone

    from kechuang.accounts.models import Department, Role, Unit, User
    from kechuang.filings.models import Filing, Status
    from kechuang.review import reminders
    from kechuang.review.models import StageStay
    from kechuang.workflow.models import Business, Season, Stage, StageDeadline

    call_command("migrate", verbosity=0)
    call_command("flush", interactive=False, verbosity=0)
    call_command("load_demo", stdout=open(os.devnull, "w"))  # noqa: SIM115
    business = Business.objects.get(name="省国际科技合作平台备案")
    season = Season.objects.get(business=business)
    stages = {s.order: s for s in Stage.objects.filter(business=business)}
    for order, stage in stages.items():
        StageDeadline.objects.create(
            season=season, stage=stage, due=timezone.localdate() + datetime.timedelta(days=order)
        )

    # A province: 100 departments, 2,000 units, one applicant and one unit administrator each.
    t0 = time.perf_counter()
    departments = Department.objects.bulk_create(Department(name=f"测评主管部门{i:03d}") for i in range(100))
    units = Unit.objects.bulk_create(
        Unit(
            name=f"测评单位{i:04d}",
            credit_code=f"91230100BENCH{i:05d}"[:18],
            unit_type=Unit.Type.values[i % len(Unit.Type.values)],
            region="harbin",
            department=departments[i % 100],
        )
        for i in range(2000)
    )
    owners = User.objects.bulk_create(
        User(username=f"b14_{i:04d}", name=f"负责人{i}", role=Role.APPLICANT, unit=u)
        for i, u in enumerate(units)
    )
    User.objects.bulk_create(
        User(
            username=f"b14a_{i:04d}",
            name=f"管理员{i}",
            role=Role.UNIT_ADMIN,
            unit=u,
            email=f"a{i}@example.cn",
        )
        for i, u in enumerate(units)
    )
    User.objects.bulk_create(
        User(
            username=f"b14d_{i:03d}",
            name=f"审核{i}",
            role=Role.DEPARTMENT_REVIEWER,
            department=d,
            email=f"d{i}@example.cn",
        )
        for i, d in enumerate(departments)
    )
    now = timezone.now()
    rng = random.Random(14)
    batch = []
    statuses = []
    for i in range(args.filings):
        owner = owners[i % len(owners)]
        kind = rng.random()
        if kind < 0.35:
            status, stage = Status.IN_REVIEW, stages[rng.choice((1, 2, 3))]
        elif kind < 0.45:
            status, stage = Status.RETURNED, None
        elif kind < 0.75:
            status, stage = Status.DONE, None
        else:
            status, stage = Status.DRAFT, None
        submitted = now - datetime.timedelta(days=rng.randint(1, 60)) if status != Status.DRAFT else None
        batch.append(
            Filing(
                business=business,
                season=season,
                owner=owner,
                unit_id=owner.unit_id,
                name=f"测评平台{i:06d}",
                unit_name=f"测评单位{(i % 2000):04d}",
                owner_name=owner.name,
                status=status,
                stage=stage,
                return_stage=stages[2] if status == Status.RETURNED else None,
                first_submitted_at=submitted,
                submitted_at=submitted,
            )
        )
        statuses.append(status)
        if len(batch) == 5000:
            Filing.objects.bulk_create(batch)
            batch = []
    Filing.objects.bulk_create(batch)
    # Three closed stays per decided filing (审核时效's rows).
    unit_type = {u.pk: (u.department_id, u.unit_type) for u in units}
    stays = []
    for filing in (
        Filing.objects.filter(status__in=(Status.DONE, Status.RETURNED)).values("pk", "unit_id").iterator()
    ):
        department, kind = unit_type[filing["unit_id"]]
        for order in (1, 2, 3):
            length = rng.randint(600, 20 * 86400)
            stays.append(
                StageStay(
                    filing_id=filing["pk"],
                    stage=stages[order],
                    season=season,
                    department_id=department,
                    unit_type=kind,
                    entered_at=now - datetime.timedelta(seconds=length),
                    left_at=now,
                    left_action="approve",
                    seconds=length,
                    late=rng.random() < 0.1,
                )
            )
        if len(stays) >= 15000:
            StageStay.objects.bulk_create(stays)
            stays = []
    StageStay.objects.bulk_create(stays)
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("ANALYZE")
    fill_seconds = time.perf_counter() - t0

    results = {
        "database": connection.vendor,
        "filings": Filing.objects.count(),
        "stays": StageStay.objects.count(),
        "fill_s": round(fill_seconds, 1),
    }

    # 1. 批量通过 of 100 filings at the province: confirmation, then execution.
    kjt = User.objects.get(username="kjt_reviewer")
    client = Client()
    client.force_login(kjt)
    waiting = list(Filing.objects.actionable_by(kjt).order_by("pk")[:100])
    data = {"ids": [str(f.public_id) for f in waiting], "decision": "approve"}
    t = time.perf_counter()
    response = client.post("/center/review/bulk/", data, secure=True)
    assert response.status_code == 200, (response.status_code, response.get("Location"))
    results["bulk_confirm_s"] = round(time.perf_counter() - t, 3)
    data.update({f"version-{f.public_id}": str(f.version) for f in waiting}, confirmed="1")
    with CaptureQueriesContext(connection) as queries:
        t = time.perf_counter()
        response = client.post("/center/review/bulk/", data, secure=True)
        results["bulk_approve_100_s"] = round(time.perf_counter() - t, 3)
    assert response.status_code == 200 and "成功 100 项" in response.content.decode(), response.content[:500]
    results["bulk_approve_100_queries"] = len(queries)

    # 2. send_reminders over the whole province.
    with CaptureQueriesContext(connection) as queries:
        t = time.perf_counter()
        stats = reminders.run()
        results["send_reminders_s"] = round(time.perf_counter() - t, 2)
    results["send_reminders_queries"] = len(queries)
    results["send_reminders_messages"] = stats.digests + stats.resubmit + stats.units
    t = time.perf_counter()
    again = reminders.run()
    results["send_reminders_second_run_s"] = round(time.perf_counter() - t, 2)
    results["send_reminders_second_run_messages"] = again.digests + again.resubmit + again.units

    # 3. 审核时效 for the province and for one department.
    for label, user in (("province", kjt), ("department", User.objects.get(username="b14d_000"))):
        client.force_login(user)
        client.get("/center/review/timeliness/", secure=True)
        times = []
        for _ in range(args.requests):
            t = time.perf_counter()
            assert (
                client.get("/center/review/timeliness/", {"grouping": "department"}, secure=True).status_code
                == 200
            )
            times.append((time.perf_counter() - t) * 1000)
        times.sort()
        results[f"timeliness_{label}_p50_ms"] = round(times[len(times) // 2], 1)
        results[f"timeliness_{label}_p95_ms"] = round(times[int(0.95 * (len(times) - 1))], 1)
    reset_queries()
    print(json.dumps(results, ensure_ascii=False))


if __name__ == "__main__":
    main()
