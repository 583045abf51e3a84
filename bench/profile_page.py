"""Where a page's time goes: one persona, one URL, many requests in-process, under pyinstrument.

    .venv/bin/pip install pyinstrument      # a measuring tool, not a project dependency
    DATABASE_URL=postgres://postgres@127.0.0.1:5432/kechuang_bench \\
        .venv/bin/python bench/profile_page.py edu_reviewer '/center/review/?tab=all' -n 50

Runs with production settings (DEBUG off, as ``run.py`` serves them) through Django's test client, so the whole
middleware stack and the template engine are in the profile, the network and gunicorn are not. Prints the mean
time and the queries of one request, then pyinstrument's tree of the timed requests.
"""

import argparse
import os
import secrets
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
os.environ.update(
    DJANGO_SETTINGS_MODULE="kechuang.settings",
    DEBUG="0",
    SECRET_KEY=os.environ.get("BENCH_SECRET_KEY") or secrets.token_urlsafe(50),
    ALLOWED_HOSTS="testserver",
    SECURE_SSL_REDIRECT="0",
    LOG_LEVEL="WARNING",
    STATIC_ROOT=os.environ.get("STATIC_ROOT", "/tmp/kechuang-bench/static"),  # noqa: S108 - as run.py
)

import django  # noqa: E402

django.setup()

from django.core.management import call_command  # noqa: E402
from django.db import connection  # noqa: E402
from django.test import Client  # noqa: E402
from pyinstrument import Profiler  # noqa: E402

from kechuang.accounts.models import User  # noqa: E402


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("username", help="persona, or 'anonymous'")
    parser.add_argument("url")
    parser.add_argument("-n", type=int, default=50, help="timed requests (default 50)")
    parser.add_argument("--all", action="store_true", help="show library frames too")
    args = parser.parse_args()

    call_command("collectstatic", interactive=False, verbosity=0)  # the manifest production templates need
    client = Client()
    if args.username != "anonymous":
        client.force_login(User.objects.get(username=args.username))
    for _ in range(3):  # warm-up: template caches, connection
        status = client.get(args.url).status_code
    queries = []

    def record(execute, sql, params, many, context):  # not CaptureQueriesContext: request_started resets it
        started = time.perf_counter()
        try:
            return execute(sql, params, many, context)
        finally:
            queries.append((time.perf_counter() - started, sql))

    with connection.execute_wrapper(record):
        client.get(args.url)
    started = time.perf_counter()
    for _ in range(args.n):
        client.get(args.url)
    elapsed = (time.perf_counter() - started) / args.n  # without the profiler's own cost
    profiler = Profiler(interval=0.0005)
    with profiler:
        for _ in range(args.n):
            client.get(args.url)
    print(
        f"{args.url} as {args.username}: HTTP {status}, {elapsed * 1000:.1f} ms/request, {len(queries)} queries"
    )
    for seconds, sql in queries:
        print(f"  {seconds * 1000:6.1f} ms  {sql[:160]}")
    print(profiler.output_text(unicode=True, color=False, show_all=args.all))


if __name__ == "__main__":
    main()
