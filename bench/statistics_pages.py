"""Benchmarks of 统计分析 and 公示 (issue 15).

    BENCH_PG_URL=postgres://postgres@127.0.0.1:5432/<db made by generate_bench_data> \\
        .venv/bin/python bench/statistics_pages.py pages [--runs 20]    # p50/p95 per page, uncached and cached
    BENCH_PG_URL=... .venv/bin/python bench/statistics_pages.py public [--requests 2000] [--threads 8]

``pages`` requests every 统计分析 page (the page with its eight tables, each chart, each download) in this
process through Django's test client, as the province (kjt_reviewer), the competent department with the most
filings and the unit with the most filings: uncached (the cache cleared before each request) and cached. It also
counts the SQL queries of each page. ``public`` serves the 公示公告 tab and a batch page with gunicorn (2 sync
workers, production settings) and measures requests per second from ``--threads`` client threads. Both create
one published batch of 30 completed filings if the database has none. Timings are wall clock on this machine;
nothing here is a test.
"""

import argparse
import os
import statistics
import sys
import threading
import time
from pathlib import Path

BENCH = Path(__file__).resolve().parent
ROOT = BENCH.parent
sys.path.insert(0, str(ROOT))
import common  # noqa: E402 - bench/common.py, beside this script

DATABASE_URL = os.environ.get("BENCH_PG_URL", "postgres://postgres@127.0.0.1:5432/kechuang_bench")


def setup_django():
    os.environ.setdefault("DEBUG", "1")
    os.environ.setdefault("LOG_LEVEL", "WARNING")
    os.environ.setdefault("ALLOWED_HOSTS", "testserver,127.0.0.1")
    os.environ["DATABASE_URL"] = DATABASE_URL
    os.environ["DJANGO_SETTINGS_MODULE"] = "kechuang.settings"
    import django

    django.setup()


def percentile(values, q):
    ordered = sorted(values)
    return ordered[max(0, -(-len(ordered) * q // 100) - 1)]


def ensure_batch():
    import datetime

    from django.utils import timezone

    from kechuang.accounts.models import Role, User
    from kechuang.filings.models import Filing, Status
    from kechuang.publicity import services
    from kechuang.publicity.models import PublicityBatch

    batch = PublicityBatch.objects.published().first()
    if batch is None:
        province = User.objects.filter(role=Role.PROVINCE_REVIEWER).first()
        today = timezone.localdate()
        done = list(Filing.objects.filter(status=Status.DONE).order_by("pk")[:30])
        batch = services.publish_batch(
            province,
            "基准测试公示",
            today - datetime.timedelta(days=1),
            today + datetime.timedelta(days=6),
            done,
        )
    return batch


def readers():
    """The province, the department and the unit administrator with the most counted filings."""
    from django.db.models import Count

    from kechuang.accounts.models import Role, User
    from kechuang.filings.models import Filing, Status

    counted = Filing.objects.exclude(status=Status.DRAFT).order_by()
    department = counted.values("unit__department").annotate(n=Count("id")).order_by("-n").first()
    unit = counted.values("unit").annotate(n=Count("id")).order_by("-n").first()
    people = User.objects.filter(is_active=True)
    return {
        "province": people.filter(role=Role.PROVINCE_REVIEWER).first(),
        f"department ({department['n']} filings)": people.filter(
            role=Role.DEPARTMENT_REVIEWER, department_id=department["unit__department"]
        ).first()
        or people.filter(role=Role.DEPARTMENT_REVIEWER).first(),
        f"unit ({unit['n']} filings)": people.filter(role=Role.UNIT_ADMIN, unit_id=unit["unit"]).first()
        or people.filter(role=Role.UNIT_ADMIN).first(),
    }


def time_page(client, url, runs, clear):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    from kechuang.statistics.service import invalidate

    client.get(url)  # warm-up (templates, connection)
    timings, queries = [], 0
    for _ in range(runs):
        if clear:
            invalidate()  # what a transition does: every statistics entry is stale
        with CaptureQueriesContext(connection) as captured:
            started = time.perf_counter()
            response = client.get(url)
            if getattr(response, "streaming", False):
                b"".join(response.streaming_content)
            timings.append((time.perf_counter() - started) * 1000)
        assert response.status_code == 200, (url, response.status_code)
        queries = len(captured)
    return statistics.median(timings), percentile(timings, 95), queries


def pages(args):
    setup_django()
    from django.test import Client
    from django.urls import reverse

    from kechuang.filings.models import Filing
    from kechuang.statistics.tables import TABLES

    print(f"database: {DATABASE_URL.rsplit('/', 1)[-1]}, {Filing.objects.count()} filings, runs {args.runs}")
    urls = [("统计分析 (8 tables)", reverse("statistics:index"))]
    for key in TABLES:
        urls.append((f"chart {key}", reverse("statistics:chart", args=[key])))
    urls.append(("CSV city", reverse("statistics:csv", args=["city"])))
    urls.append(("Excel city", reverse("statistics:xlsx", args=["city"])))
    urls.append(("CSV industry", reverse("statistics:csv", args=["industry"])))
    print("| reader | page | uncached p50 / p95 ms | cached p50 / p95 ms | queries uncached / cached |")
    print("|---|---|---:|---:|---:|")
    for label, user in readers().items():
        client = Client()
        client.force_login(user)
        for name, url in urls:
            u50, u95, uq = time_page(client, url, args.runs, clear=True)
            c50, c95, cq = time_page(client, url, args.runs, clear=False)
            print(
                f"| {label} | {name} | {u50:.1f} / {u95:.1f} | {c50:.1f} / {c95:.1f} | {uq} / {cq} |",
                flush=True,
            )
    batch = ensure_batch()
    anonymous = Client()
    for name, url in (
        ("首页 公示公告 tab", reverse("portal:home") + "?news=announcements"),
        ("公示 batch page", reverse("publicity:batch", args=[batch.public_id])),
    ):
        p50, p95, q = time_page(anonymous, url, args.runs, clear=False)
        print(f"| anonymous | {name} | — | {p50:.1f} / {p95:.1f} | — / {q} |", flush=True)


def public(args):
    setup_django()
    Server, request, server_env = common.Server, common.request, common.server_env
    from django.urls import reverse

    batch = ensure_batch()
    paths = {
        "首页 公示公告 tab": reverse("portal:home") + "?news=announcements",
        "公示 batch page": reverse("publicity:batch", args=[batch.public_id]),
    }
    env = server_env(DATABASE_URL)
    common.manage(env, "collectstatic", "--noinput", "-v0")  # production templates need the manifest
    with Server(env, args.port) as server:
        for name, path in paths.items():
            for _ in range(20):
                request(server.port, "GET", path)
            timings, lock, remaining, failures = [], threading.Lock(), [args.requests], []

            def run(lock=lock, remaining=remaining, timings=timings, path=path, failures=failures):
                while True:
                    with lock:
                        if remaining[0] == 0:
                            return
                        remaining[0] -= 1
                    started = time.perf_counter()
                    status, _, _ = request(server.port, "GET", path)
                    elapsed = time.perf_counter() - started
                    if status != 200:
                        failures.append(status)
                        return
                    with lock:
                        timings.append(elapsed * 1000)

            threads = [threading.Thread(target=run) for _ in range(args.threads)]
            started = time.perf_counter()
            for thread in threads:
                thread.start()
            for thread in threads:
                thread.join()
            wall = time.perf_counter() - started
            if failures:
                raise SystemExit(f"GET {path}: HTTP {sorted(set(failures))}")
            print(
                f"| {name} | {len(timings) / wall:.0f} req/s | p50 {statistics.median(timings):.1f} ms | "
                f"p95 {percentile(timings, 95):.1f} ms | {args.threads} threads, {len(timings)} requests |",
                flush=True,
            )


def main():
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    sub = parser.add_subparsers(dest="command", required=True)
    p = sub.add_parser("pages")
    p.add_argument("--runs", type=int, default=20)
    p.set_defaults(func=pages)
    p = sub.add_parser("public")
    p.add_argument("--requests", type=int, default=2000)
    p.add_argument("--threads", type=int, default=8)
    p.add_argument("--port", type=int, default=8765)
    p.set_defaults(func=public)
    args = parser.parse_args()
    args.func(args)


if __name__ == "__main__":
    main()
