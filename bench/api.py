"""API benchmark: /api/v1/ at provincial scale (the database of `generate_bench_data`, see bench/README.md).

    .venv/bin/python bench/api.py                       # PostgreSQL (kechuang_bench, or BENCH_PG_URL)
    .venv/bin/python bench/api.py --db sqlite -n 300

Starts gunicorn (`--workers` sync workers, default 2; production settings, loopback) with the rate limit lifted, creates a province
and a department token in the database, then measures, one client at a time: the filings list's first page
(100 rows), a full cursor walk over every filing (each page timed: are deep pages as fast as the first, and does
every filing come exactly once), a deep page repeated, one filing, a department's list and a filtered list; then
the list's throughput from several client threads. Standard library only. Results: a Markdown table on stdout
and in bench/results/ (Markdown and JSON).
"""

import argparse
import datetime
import json
import random
import subprocess
import sys
import threading
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from common import DATABASES, PYTHON, ROOT, Server, server_env  # noqa: E402

PAGE = 100
TOKENS_SCRIPT = """
import datetime, json, django
django.setup()
from django.utils import timezone
from kechuang.accounts.models import User
from kechuang.api.models import ApiToken
from kechuang.workflow.models import ReviewerKind
edu = User.objects.get(username="edu_reviewer")
out = {}
for name, scope, department in (("province", ReviewerKind.PROVINCE, None), ("edu", ReviewerKind.DEPARTMENT, edu.department)):
    token = ApiToken(name=f"bench-{name}", scope=scope, department=department,
                     expires_at=timezone.now() + datetime.timedelta(hours=2))
    out[name] = token.issue()
    token.save()
out["department_id"] = edu.department_id
print(json.dumps(out))
"""


def percentile(timings, q):
    ordered = sorted(timings)
    return ordered[max(0, -(-len(ordered) * q // 100) - 1)] * 1000 if ordered else None


class Client:
    """One keep-alive HTTP/1.1 connection with the token's header."""

    def __init__(self, port, token):
        import http.client

        self.connection = http.client.HTTPConnection("127.0.0.1", port, timeout=120)
        self.headers = {"Host": "127.0.0.1", "Authorization": f"Bearer {token}"}

    def get(self, path, parse=True):
        started = time.perf_counter()
        self.connection.request("GET", path, headers=self.headers)
        response = self.connection.getresponse()
        body = response.read()
        elapsed = time.perf_counter() - started
        if response.status != 200:
            raise RuntimeError(f"GET {path}: HTTP {response.status} {body[:300]!r}")
        if not parse:
            return elapsed, body
        return elapsed, json.loads(body) if response.getheader("Content-Type", "").startswith(
            "application/json"
        ) else body


def timed(client, paths, count):
    timings = []
    for i in range(count):
        elapsed, _ = client.get(paths[i % len(paths)])
        timings.append(elapsed)
    return timings


def row(label, timings, note=""):
    return {
        "what": label,
        "n": len(timings),
        "median_ms": round(percentile(timings, 50), 1),
        "p95_ms": round(percentile(timings, 95), 1),
        "note": note,
    }


def walk(client, query=""):
    """Every page of /api/v1/filings in id order; returns (per-page timings, ids, cursors by page number)."""
    timings, ids, cursors, cursor = [], [], [], None
    while True:
        path = f"/api/v1/filings?limit={PAGE}{query}" + (f"&cursor={cursor}" if cursor else "")
        elapsed, body = client.get(path)
        timings.append(elapsed)
        ids += [item["id"] for item in body["items"]]
        cursor = body["next_cursor"]
        if cursor is None:
            return timings, ids, cursors
        cursors.append(cursor)


def throughput(port, token, paths, threads, count):
    remaining, lock, timings = [count], threading.Lock(), []

    def run():
        client = Client(port, token)
        while True:
            with lock:
                if remaining[0] == 0:
                    return
                remaining[0] -= 1
            elapsed, _ = client.get(random.choice(paths), parse=False)  # a load generator need not parse
            with lock:
                timings.append(elapsed)

    started = time.perf_counter()
    workers = [threading.Thread(target=run) for _ in range(threads)]
    for worker in workers:
        worker.start()
    for worker in workers:
        worker.join()
    wall = time.perf_counter() - started
    return timings, len(timings) / wall


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--db", choices=sorted(DATABASES), default="postgresql")
    parser.add_argument("-n", "--requests", type=int, default=200, help="timed requests per measurement")
    parser.add_argument("--threads", type=int, default=4, help="client threads for the throughput run")
    parser.add_argument("--port", type=int, default=8765)
    parser.add_argument(
        "--workers", type=int, default=2, help="gunicorn sync workers (docs/deployment.md sizes two per core)"
    )
    args = parser.parse_args()

    env = server_env(DATABASES[args.db], API_RATE_LIMIT="100000000")
    tokens = json.loads(
        subprocess.run(  # noqa: S603 - our own interpreter and script
            [PYTHON, "-c", TOKENS_SCRIPT],
            cwd=ROOT,
            env={**env, "DJANGO_SETTINGS_MODULE": "kechuang.settings"},
            check=True,
            capture_output=True,
            text=True,
        )
        .stdout.strip()
        .splitlines()[-1]
    )
    rows, facts = [], {"db": args.db, "started": datetime.datetime.now().isoformat(timespec="seconds")}
    with Server(env, args.port, workers=args.workers) as server:
        province = Client(server.port, tokens["province"])
        for _ in range(20):  # warm-up: both workers, their connections and caches
            province.get(f"/api/v1/filings?limit={PAGE}")
        first = f"/api/v1/filings?limit={PAGE}"
        bare = []
        for _ in range(args.requests):  # the machine's floor right now: the cheapest view, same server
            started = time.perf_counter()
            province.connection.request("GET", "/bench/bare/", headers={"Host": "127.0.0.1"})
            province.connection.getresponse().read()
            bare.append(time.perf_counter() - started)
        rows.append(row("bare Django view (same server, for scale)", bare))
        rows.append(row("filings list, first page (100 rows)", timed(province, [first], args.requests)))

        pages, ids, cursors = walk(province)
        facts.update(
            walk_pages=len(pages),
            walk_filings=len(ids),
            walk_unique=len(set(ids)),
            walk_seconds=round(sum(pages), 1),
        )
        rows.append(row("cursor walk, every page", pages, f"{len(ids)} filings, {len(set(ids))} distinct"))
        rows.append(row("cursor walk, first 50 pages", pages[:50]))
        rows.append(row("cursor walk, last 50 pages", pages[-50:]))
        deep = [f"/api/v1/filings?limit={PAGE}&cursor={c}" for c in cursors[-10:]]
        rows.append(
            row(
                f"deep pages (page {len(cursors) - 9}–{len(cursors)}), repeated",
                timed(province, deep, args.requests),
            )
        )

        sample = random.Random(16).sample(ids, min(200, len(ids)))
        rows.append(
            row(
                "one filing (detail with its lists)",
                timed(province, [f"/api/v1/filings/{i}" for i in sample], args.requests),
            )
        )
        rows.append(
            row(
                "流转记录 of one filing",
                timed(province, [f"/api/v1/filings/{i}/flow" for i in sample], args.requests),
            )
        )

        edu = Client(server.port, tokens["edu"])
        rows.append(row("department token (黑龙江省教育厅), first page", timed(edu, [first], args.requests)))
        filtered = f"/api/v1/filings?limit={PAGE}&status=in_review&department={tokens['department_id']}"
        rows.append(
            row("filtered: status=in_review & department", timed(province, [filtered], args.requests))
        )

        load_paths = [first, *deep, *(f"/api/v1/filings?limit={PAGE}&cursor={c}" for c in cursors[::50])]
        timings, rps = throughput(
            server.port, tokens["province"], load_paths, args.threads, args.requests * 3
        )
        rows.append(row(f"list under load ({args.threads} client threads)", timings, f"{rps:.0f} requests/s"))
        facts["list_rps"] = round(rps, 1)

    lines = [
        f"API benchmark — {args.db}, {facts['started']} ({args.workers} gunicorn sync workers, loopback, one client unless noted)",
        "",
        "| what | n | median ms | p95 ms | note |",
        "|---|---:|---:|---:|---|",
        *(f"| {r['what']} | {r['n']} | {r['median_ms']} | {r['p95_ms']} | {r['note']} |" for r in rows),
        "",
        f"walk: {facts['walk_pages']} pages, {facts['walk_filings']} filings ({facts['walk_unique']} distinct) "
        f"in {facts['walk_seconds']} s of requests",
    ]
    print("\n".join(lines))
    results = ROOT / "bench" / "results"
    results.mkdir(exist_ok=True)
    stamp = datetime.datetime.now().strftime("%Y%m%d-%H%M%S")
    (results / f"api-{args.db}-{stamp}.md").write_text("\n".join(lines) + "\n", encoding="utf-8")
    (results / f"api-{args.db}-{stamp}.json").write_text(
        json.dumps({"facts": facts, "rows": rows}, indent=1, ensure_ascii=False)
    )


if __name__ == "__main__":
    main()
