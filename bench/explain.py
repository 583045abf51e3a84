"""EXPLAIN ANALYZE of every query the main pages run, on the benchmark database (PostgreSQL).

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/kechuang_bench .venv/bin/python bench/explain.py [--plans]

Each page is requested in-process (Django's test client, logged in as its persona); the queries it ran are
captured and explained. A page fails the check if any plan has a sequential scan of filings_filing (or of the
big child tables). Prints a Markdown summary: page, queries, SQL time, the slowest query and its plan's nodes.
"""

import os
import re
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "kechuang.settings")
os.environ.setdefault("DEBUG", "1")
os.environ.setdefault("ALLOWED_HOSTS", "testserver")

import django  # noqa: E402

django.setup()

from django.db import connection  # noqa: E402
from django.test import Client  # noqa: E402
from django.test.utils import CaptureQueriesContext  # noqa: E402

from kechuang.accounts.models import User  # noqa: E402
from kechuang.filings.models import Filing, Status  # noqa: E402

BIG_TABLES = (
    "filings_filing",
    "filings_member",
    "filings_overseaspartner",
    "filings_attachment",
    "review_flowrecord",
)


def pages():
    zhangsan = User.objects.get(username="zhangsan")
    edu = User.objects.get(username="edu_reviewer")
    draft = Filing.objects.visible_to(zhangsan).filter(status=Status.DRAFT).first()
    done = Filing.objects.visible_to(edu).filter(status=Status.DONE).order_by("-id").first()
    pending = Filing.objects.actionable_by(edu).first()
    out = [
        (None, "/"),
        ("zhangsan", "/center/"),
        ("zhangsan", "/center/platforms/"),
        ("zhangsan", "/center/platforms/?tab=all"),
        *(
            ("zhangsan", f"/filings/{draft.public_id}/edit/{tab}/")
            for tab in ("basic", "cooperation", "attachments")
        ),
        ("zhangsan", f"/filings/{draft.public_id}/"),
    ]
    for reviewer in ("kjt_reviewer", "edu_reviewer", "sldx_admin"):
        user = User.objects.get(username=reviewer)
        deep = max(1, Filing.objects.visible_to(user).count() // 40)
        out += [
            (reviewer, "/center/"),
            (reviewer, "/center/review/?tab=pending"),
            (reviewer, "/center/review/?tab=all"),
            (reviewer, "/center/review/?tab=all&stage=done&name=%E5%AE%9E%E9%AA%8C%E5%AE%A4&sort=name"),
            (reviewer, "/center/review/?tab=all&sort=unit"),
            (
                reviewer,
                "/center/review/?tab=all&stage=stage%3A%E7%9C%81%E7%A7%91%E6%8A%80%E5%8E%85%E5%AE%A1%E6%A0%B8",
            ),
            (reviewer, "/center/review/?tab=all&submitted_from=2026-01-01&submitted_to=2026-03-31"),
            (reviewer, f"/center/review/?tab=all&page={deep}"),
        ]
    out += [
        ("edu_reviewer", f"/filings/{done.public_id}/"),
        ("edu_reviewer", f"/filings/{done.public_id}/flow/"),
    ]
    out += [("edu_reviewer", f"/review/{pending.public_id}/")]
    return out


def explain(sql):
    with connection.cursor() as cursor:
        cursor.execute("EXPLAIN (ANALYZE, BUFFERS) " + sql)
        return [row[0] for row in cursor.fetchall()]


def main():
    show_plans = "--plans" in sys.argv
    assert connection.vendor == "postgresql", "EXPLAIN needs the PostgreSQL benchmark database"
    print(
        "| page | persona | status | queries | SQL ms (EXPLAIN ANALYZE) | seq scans of big tables | slowest query ms |"
    )
    print("|---|---|---:|---:|---:|---|---:|")
    failures = 0
    for username, path in pages():
        client = Client()
        if username:
            client.force_login(User.objects.get(username=username))
        client.get(path)  # warm
        with CaptureQueriesContext(connection) as captured:
            response = client.get(path)
        total, seq, slowest, slow_plan = 0.0, set(), 0.0, []
        for query in captured.captured_queries:
            sql = query["sql"]
            if not sql.lstrip().upper().startswith("SELECT"):
                continue
            plan = explain(sql)
            ms = float(re.search(r"Execution Time: ([\d.]+)", plan[-1]).group(1))
            total += ms
            for line in plan:
                match = re.search(r"Seq Scan on (\w+)", line)
                if match and match.group(1) in BIG_TABLES:
                    seq.add(match.group(1))
            if ms > slowest:
                slowest, slow_plan = ms, [sql, *plan]
        failures += bool(seq)
        print(
            f"| {path[:70]} | {username or 'anonymous'} | {response.status_code} | {len(captured)} | {total:.1f} | "
            f"{', '.join(sorted(seq)) or '—'} | {slowest:.1f} |"
        )
        if show_plans and slow_plan:
            print("\n```\n" + "\n".join(slow_plan) + "\n```\n")
    return 1 if failures else 0


if __name__ == "__main__":
    sys.exit(main())
