"""Page benchmark: median/p95 latency and throughput of every main page, against a bare Django view.

    .venv/bin/python bench/run.py                      # both databases (see bench/README.md to build them)
    .venv/bin/python bench/run.py --db postgresql -n 200

For each database it collects static files, starts gunicorn (2 sync workers, production settings, loopback),
finds the filings it needs (bench/djangoside.py targets), and runs a bounded number of requests per page from a
few client threads. Throughput is reported as a ratio to the bare view measured in the same run. Standard library
only. Results: a Markdown table on stdout and in bench/results/.
"""

import argparse
import datetime
import json
import os
import re
import statistics
import subprocess
import sys
import threading
import time
import urllib.parse
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from common import (  # noqa: E402
    BENCH_DIR,
    DATABASES,
    DEMO_PASSWORD,
    ROOT,
    Server,
    Session,
    big_pdf,
    djangoside,
    field_value,
    find_form,
    manage,
    proc_kib,
    replace_field,
    server_env,
)

PAGE_SIZE = 20
TABS = ["guide", "basic", "members", "cooperation", "content", "attachments"]
UPLOAD_SIZE = 20 * 1024 * 1024 - 4096  # the largest file ④ accepts (20 MB), minus room for rounding


class Failure(Exception):
    pass


def expect(status, wanted, what):
    if status not in wanted:
        raise Failure(f"{what}: HTTP {status}, expected {wanted}")


def percentile(timings, q):
    """The q-th percentile in ms (nearest rank), or None without timings."""
    if not timings:
        return None
    ordered = sorted(timings)
    return ordered[max(0, -(-len(ordered) * q // 100) - 1)] * 1000


def loop(workers, count):
    """Run ``count`` calls spread over ``workers`` (one thread each); returns (timings, errors, wall seconds)."""
    timings, errors = [], []
    lock = threading.Lock()
    remaining = [count]

    def run(worker):
        while True:
            with lock:
                if remaining[0] == 0:
                    return
                remaining[0] -= 1
            try:
                elapsed = worker()
            except Exception as exc:  # recorded and reported, never hidden
                with lock:
                    errors.append(repr(exc))
                continue
            with lock:
                timings.append(elapsed)

    started = time.perf_counter()
    threads = [threading.Thread(target=run, args=(w,)) for w in workers]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    return timings, errors, time.perf_counter() - started


class Bench:
    def __init__(self, server, requests, threads):
        self.server, self.requests, self.threads = server, requests, threads
        self.rows = []
        self.bare_rps = None

    def session(self, username=None, password=DEMO_PASSWORD, kind="personal", cookie=None):
        session = Session(self.server.port)
        if cookie:
            session.cookies["sessionid"] = cookie
        elif username:
            session.login(username, password, kind)
        return session

    def run(self, label, persona, workers, count=None, throughput=True):
        """``workers``: one callable per client thread; each call does one timed request and returns seconds.

        Two phases: one client alone (a person's wait: median and p95), then all threads at once (p95 under
        load and throughput, compared with the bare view's).
        """
        count = count or self.requests
        for worker in workers:  # warm-up, not recorded
            worker()
        alone, alone_errors, _ = loop([workers[0]], max(10, count // 2))
        loaded, loaded_errors, wall = loop(workers, count)
        errors = alone_errors + loaded_errors
        row = {
            "page": label,
            "persona": persona,
            "n": len(alone) + len(loaded),
            "errors": len(errors),
            "first_error": errors[0] if errors else "",
            "median_ms": percentile(alone, 50),
            "p95_ms": percentile(alone, 95),
            "p95_loaded_ms": percentile(loaded, 95),
            "rps": len(loaded) / wall if throughput and loaded else None,
            "threads": len(workers),
        }
        if label == "bare view (bound)":
            self.bare_rps = row["rps"]
        row["ratio"] = row["rps"] / self.bare_rps if row["rps"] and self.bare_rps else None
        self.rows.append(row)
        print(format_row(row), flush=True)
        if errors:
            print(f"  first error: {errors[0]}", flush=True)
        return row

    def get_page(self, label, persona, path, sessions, wanted=(200,)):
        def worker_for(session):
            def one():
                started = time.perf_counter()
                status, _, _ = session.get(path)
                elapsed = time.perf_counter() - started
                expect(status, wanted, f"GET {path}")
                return elapsed

            return one

        return self.run(label, persona, [worker_for(s) for s in sessions])


def format_row(row):
    def num(value, fmt):
        return format(value, fmt) if value is not None else "—"

    return (
        f"| {row['page']} | {row['persona']} | {row['n']} | {row['errors']} | {num(row['median_ms'], '.1f')} | "
        f"{num(row['p95_ms'], '.1f')} | {num(row.get('p95_loaded_ms'), '.1f')} | {num(row['rps'], '.1f')} | "
        f"{num(row['ratio'] * 100 if row['ratio'] else None, '.0f')}{'%' if row['ratio'] else ''} |"
    )


HEADER = (
    "| page | persona | n | errors | median ms (1 client) | p95 ms (1 client) | p95 ms (4 clients) | req/s "
    "(4 clients) | % of bare |\n"
    "|---|---|---:|---:|---:|---:|---:|---:|---:|"
)


def saves(bench, targets, tab, field, make_value):
    """保存 of one tab: each thread edits its own filing; the version is read from the form once, then +1."""
    workers = []
    for index, (username, public_id) in enumerate(targets["save_targets"][: bench.threads]):
        session = bench.session(cookie=bench.cookies[username])
        path = f"/filings/{public_id}/edit/{tab}/"
        status, _, page = session.get(path)
        expect(status, (200,), f"GET {path}")
        form = find_form(page.decode(), lambda f, p=path: f.action == p and field_value(f.fields, "version"))
        state = {"fields": form.fields, "version": int(field_value(form.fields, "version")), "n": 0}

        def one(session=session, path=path, state=state, index=index):
            state["n"] += 1
            fields = replace_field(state["fields"], "version", str(state["version"]))
            if field:
                fields = replace_field(fields, field, make_value(index, state["n"]))
            started = time.perf_counter()
            status, headers, _ = session.post(path, fields)
            elapsed = time.perf_counter() - started
            expect(status, (302,), f"POST {path}")
            state["version"] += 1 if field else 0
            return elapsed

        workers.append(one)
    return bench.run(f"保存 {tab}", "applicant (own draft)", workers)


def submits(bench, targets, count):
    """上报: each request submits a fresh complete draft of the generator's pool (version read beforehand)."""
    jobs = []
    needed = bench.threads + max(10, count // 2) + count  # warm-up, one client, all clients
    pool = targets["submit_pool"]
    if len(pool) < needed:
        raise Failure(
            f"上报 pool too small: {len(pool)} drafts left, {needed} needed (regenerate the database)"
        )
    for username, public_id in pool[:needed]:
        session = bench.session(cookie=bench.cookies[username])
        status, _, page = session.get(f"/filings/{public_id}/edit/guide/")
        expect(status, (200,), "GET guide before 上报")
        form = find_form(page.decode(), lambda f, p=public_id: f.action == f"/filings/{p}/submit/")
        jobs.append((session, f"/filings/{public_id}/submit/", form.fields))
    lock = threading.Lock()

    def one():
        with lock:
            session, path, fields = jobs.pop()
        started = time.perf_counter()
        status, headers, body = session.post(path, fields)
        elapsed = time.perf_counter() - started
        expect(status, (302,), f"POST {path} ({body[:200]!r})")
        return elapsed

    return bench.run("上报", "applicant (pool draft)", [one] * bench.threads, count=count)


def upload(bench, targets, uploads=4):
    """④ 20 MB upload, one at a time, with the gunicorn workers' peak resident memory before and after."""
    username, public_id = targets["save_targets"][-1]
    session = bench.session(cookie=bench.cookies[username])
    content = big_pdf(UPLOAD_SIZE)
    path = f"/filings/{public_id}/attachments/4/add/"
    pids = bench.server.worker_pids()
    before = {pid: proc_kib(pid, "VmHWM") for pid in pids}
    timings = []
    for n in range(uploads):
        status, _, page = session.get(f"/filings/{public_id}/edit/attachments/")
        form = find_form(page.decode(), lambda f, p=path: f.action == p)
        started = time.perf_counter()
        status, headers, body = session.post_multipart(
            path, form.fields, "file", f"bench-20mb-{n}.pdf", content
        )
        timings.append(time.perf_counter() - started)
        expect(status, (302,), f"upload ({body[:300]!r})")
    after = {pid: proc_kib(pid, "VmHWM") for pid in pids}
    growth = max(after[pid] - before[pid] for pid in pids)
    # Clean up: delete what was uploaded here (never a generated attachment, whose file is shared).
    status, _, page = session.get(f"/filings/{public_id}/edit/attachments/")
    text = page.decode()
    for link in re.findall(r'href="(/filings/[^"]+/attachments/[0-9a-f-]+/delete/)"', text):
        status, _, confirm = session.get(link)
        name_shown = confirm.decode()
        if "bench-20mb-" not in name_shown:
            continue
        form = find_form(name_shown, lambda f, p=link: f.action in (p, ""))
        session.post(link, form.fields)
    timings.sort()
    row = {
        "page": "④ 20 MB upload",
        "persona": "applicant (own draft)",
        "n": len(timings),
        "errors": 0,
        "first_error": "",
        "median_ms": statistics.median(timings) * 1000,
        "p95_ms": timings[-1] * 1000,
        "p95_loaded_ms": None,
        "rps": None,
        "ratio": None,
        "threads": 1,
        "peak_rss_growth_kib": growth,
        "hwm_before_kib": before,
        "hwm_after_kib": after,
    }
    bench.rows.append(row)
    print(format_row(row), f"peak memory growth {growth / 1024:.1f} MiB", flush=True)
    return row


def login_row(bench, count=8):
    """登录 itself (PBKDF2 hashing dominates), for reference."""

    def one():
        session = Session(bench.server.port)
        status, _, page = session.get("/login/?kind=personal")
        form = find_form(page.decode(), lambda f: "password" in dict(f.fields))
        fields = replace_field(replace_field(form.fields, "username", "zhangsan"), "password", DEMO_PASSWORD)
        started = time.perf_counter()
        status, _, _ = session.post("/login/?kind=personal", fields)
        elapsed = time.perf_counter() - started
        expect(status, (302,), "login")
        return elapsed

    return bench.run("登录 (POST)", "zhangsan", [one, one], count=count, throughput=False)


def run_database(name, args):
    url = DATABASES[name]
    env = server_env(url)
    print(f"\n## {name}: {url}\n", flush=True)
    if not args.no_migrate:
        manage(env, "migrate", "--noinput", "-v0")
    manage(env, "collectstatic", "--noinput", "-v0")
    targets = djangoside(env, "targets")
    print(f"filings: {targets['filings']}, scopes: {json.dumps(targets['scopes'], ensure_ascii=False)}")
    owners = sorted({u for u, _ in targets["save_targets"]} | {u for u, _ in targets["submit_pool"]})
    cookies = djangoside(env, "sessions", *owners)
    with Server(env, args.port) as server:
        bench = Bench(server, args.requests, args.threads)
        bench.cookies = cookies
        print(HEADER, flush=True)
        anon = [bench.session() for _ in range(args.threads)]
        bench.get_page("bare view (bound)", "anonymous", "/bench/bare/", anon)
        bench.get_page("首页", "anonymous", "/", anon)
        zhangsan = [bench.session("zhangsan") for _ in range(args.threads)]
        bench.get_page("个人中心", "zhangsan", "/center/", zhangsan)
        bench.get_page("我的平台 待上报平台", "zhangsan", "/center/platforms/", zhangsan)
        bench.get_page("我的平台 所有平台", "zhangsan", "/center/platforms/?tab=all", zhangsan)
        draft = targets["zhangsan_draft"]
        for tab in TABS:
            bench.get_page(f"表单 {tab} (GET)", "zhangsan", f"/filings/{draft}/edit/{tab}/", zhangsan)
        bench.get_page("查看 (own)", "zhangsan", f"/filings/{draft}/", zhangsan)
        saves(bench, targets, "basic", "name", lambda i, n: f"黑龙江省寒地农业国际联合实验室-bench-{i}-{n}")
        saves(bench, targets, "cooperation", "exchange_visits", lambda i, n: str(n))
        saves(bench, targets, "content", "conditions", lambda i, n: f"条件保障说明（基准测试第{n}次保存）")
        saves(bench, targets, "guide", None, None)
        submits(bench, targets, min(args.submits, (len(targets["submit_pool"]) - args.threads - 10) * 2 // 3))
        reviewers = [
            ("edu_reviewer", "personal", "主管部门 edu_reviewer"),
            ("kjt_reviewer", "personal", "省科技厅 kjt_reviewer"),
            ("sldx_admin", "legal", "单位管理员 sldx_admin"),
        ]
        for username, kind, persona in reviewers:
            sessions = [bench.session(username, kind=kind) for _ in range(args.threads)]
            scope = targets["scopes"][username]
            bench.get_page("待审核平台 p1", persona, "/center/review/?tab=pending", sessions)
            bench.get_page("所有平台 p1", persona, "/center/review/?tab=all", sessions)
            query = urllib.parse.urlencode({"tab": "all", "stage": "done", "name": "实验室", "sort": "name"})
            bench.get_page("所有平台 filtered", persona, f"/center/review/?{query}", sessions)
            deep = min(100, max(1, scope["all"] // PAGE_SIZE))
            bench.get_page(f"所有平台 page {deep}", persona, f"/center/review/?tab=all&page={deep}", sessions)
            if args.middle_pages:  # OFFSET half the scope: the worst case short of the last page
                middle = max(1, scope["all"] // PAGE_SIZE // 2)
                bench.get_page(
                    f"所有平台 page {middle}", persona, f"/center/review/?tab=all&page={middle}", sessions
                )
        edu = [bench.session("edu_reviewer") for _ in range(args.threads)]
        bench.get_page("个人中心 (reviewer)", "edu_reviewer", "/center/", edu)
        bench.get_page("查看", "edu_reviewer", f"/filings/{targets['edu_done']}/", edu)
        bench.get_page("流转记录", "edu_reviewer", f"/filings/{targets['edu_done']}/flow/", edu)
        bench.get_page("审核 (GET)", "edu_reviewer", f"/review/{targets['edu_pending']}/", edu)
        upload(bench, targets)
        login_row(bench)
    return targets, bench.rows


def machine():
    info = {"nproc": os.cpu_count()}
    for line in Path("/proc/meminfo").read_text().splitlines():
        if line.startswith("MemTotal"):
            info["memory"] = line.split(":", 1)[1].strip()
    info["loadavg_before"] = Path("/proc/loadavg").read_text().split()[:3]
    try:
        info["postgresql"] = subprocess.run(
            ["psql", "-h", "127.0.0.1", "-U", "postgres", "-Atc", "SHOW server_version"],  # noqa: S607
            capture_output=True,
            text=True,
            check=True,
        ).stdout.strip()
    except (OSError, subprocess.CalledProcessError):
        info["postgresql"] = "?"
    return info


def main():
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--db", choices=sorted(DATABASES), action="append")
    parser.add_argument("-n", "--requests", type=int, default=120, help="timed requests per page")
    parser.add_argument("--threads", type=int, default=4)
    parser.add_argument("--submits", type=int, default=40)
    parser.add_argument("--port", type=int, default=8765)
    parser.add_argument(
        "--no-migrate", action="store_true", help="measure the database as it is (before/after)"
    )
    parser.add_argument(
        "--middle-pages", action="store_true", help="also the page in the middle of each scope"
    )
    args = parser.parse_args()
    info = machine()
    print(f"machine: {json.dumps(info)}")
    results = {"machine": info, "started": datetime.datetime.now().isoformat(timespec="seconds"), "runs": {}}
    for name in args.db or ["postgresql", "sqlite"]:
        targets, rows = run_database(name, args)
        results["runs"][name] = {
            "targets": {"filings": targets["filings"], "scopes": targets["scopes"]},
            "rows": rows,
        }
    info["loadavg_after"] = Path("/proc/loadavg").read_text().split()[:3]
    out = ROOT / "bench" / "results"
    out.mkdir(exist_ok=True)
    stamp = datetime.datetime.now().strftime("%Y%m%d-%H%M%S")
    (out / f"run-{stamp}.json").write_text(json.dumps(results, ensure_ascii=False, indent=1))
    lines = [f"machine: {json.dumps(info)}"]
    for name, run in results["runs"].items():
        lines += ["", f"### {name} ({run['targets']['filings']} filings)", "", HEADER]
        lines += [format_row(row) for row in run["rows"]]
    (out / f"run-{stamp}.md").write_text("\n".join(lines) + "\n")
    print("\n".join(lines))
    print(f"\nwritten: bench/results/run-{stamp}.md", file=sys.stderr)
    return 0


if __name__ == "__main__":
    BENCH_DIR.mkdir(parents=True, exist_ok=True)
    sys.exit(main())
