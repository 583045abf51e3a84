"""Deadline day against the running `make cluster` (nginx :8080, two gunicorns, Redis, S3): locust, then read-back.

    CLUSTER_DIR=.cluster-bench CLUSTER_PG_DB=kechuang_cluster_bench deploy/cluster.sh start
    .venv/bin/python bench/cluster_deadline.py --cluster-dir .cluster-bench --generate   # once: bench data
    .venv/bin/python bench/cluster_deadline.py --cluster-dir .cluster-bench --time 3m

The same locustfile and read-back as bench/deadline.py (single instance), so the figures stand side by side in
docs/performance.md ("Cluster"). `--generate` builds the generator's provincial data set (smaller by default)
into the cluster's own database, with its attachment in the object store. Loopback only, bounded by --time.
"""

import argparse
import datetime
import json
import os
import subprocess
import sys
import time
import urllib.parse
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from common import ROOT, big_pdf  # noqa: E402
from deadline import LOCUST, check_sessions, exception_lines, read_csv  # noqa: E402


def cluster_env(cluster_dir):
    env = {k: v for k, v in os.environ.items() if not k.startswith("DJANGO_")}
    for line in (cluster_dir / "env").read_text().splitlines():
        key, _, value = line.partition("=")
        if key:
            env[key] = value
    return env


def seconds(duration):
    """locust's -t value ("3m", "90s", "1h30m") in seconds."""
    total, number = 0, ""
    for char in duration:
        if char.isdigit():
            number += char
        else:
            total += int(number) * {"h": 3600, "m": 60, "s": 1}[char]
            number = ""
    return total + int(number or 0)


def python(env, *args, capture=False):
    return subprocess.run(  # noqa: S603 - our own scripts
        [str(ROOT / ".venv" / "bin" / "python"), *args],
        cwd=ROOT,
        env=env,
        check=True,
        capture_output=capture,
        text=True,
    ).stdout


def main():
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--cluster-dir", type=Path, default=ROOT / ".cluster")
    parser.add_argument(
        "--generate", action="store_true", help="build the bench data into the cluster database"
    )
    parser.add_argument("--units", type=int, default=200)
    parser.add_argument("--people", type=int, default=2000)
    parser.add_argument("--filings", type=int, default=10000)
    parser.add_argument("--users", type=int, default=320)
    parser.add_argument("--spawn-rate", type=int, default=20)
    parser.add_argument("--time", default="3m")
    parser.add_argument("--think-scale", type=float, default=1.0)
    args = parser.parse_args()
    cluster_dir = args.cluster_dir.resolve()
    env = cluster_env(cluster_dir)
    host = env["CLUSTER_URL"]
    assert host.startswith(("http://127.0.0.1:", "http://localhost:")), "loopback only"
    if args.generate:
        python(
            {**env, "DEVTOOLS": "1"},
            "manage.py",
            "generate_bench_data",
            "--units",
            str(args.units),
            "--people",
            str(args.people),
            "--filings",
            str(args.filings),
        )
        return 0
    if not LOCUST.exists():
        sys.exit(
            "locust is missing: python3 -m venv bench/.venv && bench/.venv/bin/pip install locust==2.47.0"
        )
    work = cluster_dir / "bench"
    work.mkdir(exist_ok=True)
    stamp = datetime.datetime.now().strftime("%Y%m%d-%H%M%S")
    data_file = work / "locust-data.json"
    data_file.write_text(python(env, "bench/djangoside.py", "locust-data", capture=True))
    check_sessions(urllib.parse.urlsplit(host).port, json.loads(data_file.read_text()))
    pdf = work / "deadline-1mb.pdf"
    if not pdf.exists():
        pdf.write_bytes(big_pdf(1024 * 1024))
    log_file = work / f"deadline-{stamp}.jsonl"
    csv_prefix = work / f"deadline-{stamp}"
    load = []
    # locust's output goes to a file: it logs a traceback per exception, and a pipe nobody reads while the run
    # lasts fills at 64 KiB, then blocks locust in write() for good (the stall of the first 100,000-filing run).
    locust_log = work / f"deadline-{stamp}.locust.log"
    output = locust_log.open("w")
    started = time.time()
    process = subprocess.Popen(  # noqa: S603
        [
            str(LOCUST),
            "-f",
            str(ROOT / "bench" / "locustfile.py"),
            "--headless",
            "-u",
            str(args.users),
            "-r",
            str(args.spawn_rate),
            "-t",
            args.time,
            "--csv",
            str(csv_prefix),
            "--only-summary",
            "--stop-timeout",
            "30",
        ],
        cwd=ROOT / "bench",
        env={
            "BENCH_LOCUST_DATA": str(data_file),
            "BENCH_LOCUST_LOG": str(log_file),
            "BENCH_LOCUST_PDF": str(pdf),
            "BENCH_HOST": host,
            "BENCH_RUN_ID": stamp,
            "BENCH_THINK_SCALE": str(args.think_scale),
            "PATH": "/usr/bin:/bin",
        },
        stdout=output,
        stderr=subprocess.STDOUT,
    )
    # locust stops its users at --time and waits --stop-timeout (30 s) for them; a run still going well after that
    # is stuck, and is ended rather than waited for.
    limit = started + seconds(args.time) + 30 + 90
    while process.poll() is None:
        load.append(os.getloadavg()[0])
        if time.time() > limit:
            process.terminate()
            try:
                process.wait(timeout=30)
            except subprocess.TimeoutExpired:
                process.kill()
                process.wait()
            break
        time.sleep(5)
    duration = time.time() - started
    output.close()
    check = json.loads(python(env, "bench/djangoside.py", "verify", str(log_file), capture=True))
    rows = read_csv(f"{csv_prefix}_stats.csv")
    failures = read_csv(f"{csv_prefix}_failures.csv")
    exceptions = exception_lines(csv_prefix)
    lines = [
        f"Deadline day on the cluster ({host}: nginx, 2 gunicorns × 2 workers, Redis, SeaweedFS S3, PostgreSQL): "
        f"locust -u {args.users} -r {args.spawn_rate} -t {args.time} (think time × {args.think_scale:g}; "
        f"{duration:.0f} s wall), started {stamp}",
        f"load average (1 min) during the run: max {max(load, default=0):.2f}, "
        f"mean {sum(load) / max(len(load), 1):.2f}",
        "",
        "| action | requests | failures | median ms | p95 ms | p99 ms | max ms | req/s |",
        "|---|---:|---:|---:|---:|---:|---:|---:|",
    ]
    for row in rows:
        lines.append(
            f"| {row['Name']} | {row['Request Count']} | {row['Failure Count']} | {row['Median Response Time']} | "
            f"{row['95%']} | {row['99%']} | {float(row['Max Response Time']):.0f} | "
            f"{float(row['Requests/s']):.1f} |"
        )
    lines += [
        "",
        f"saves read back: {check['saves_checked']}, lost: {len(check['lost_saves'])}; "
        f"uploads read back: {check['uploads_checked']}, lost: {len(check['lost_uploads'])}; "
        f"refused (logged not-ok): {json.dumps(check['refused'], ensure_ascii=False)}",
    ]
    if failures:
        lines += ["", "failures:"] + [
            f"- {f['Method']} {f['Name']}: {f['Error']} ×{f['Occurrences']}" for f in failures
        ]
    if exceptions:
        lines += ["", "exceptions in the locustfile:", *exceptions]
    if process.returncode not in (0, 1):
        lines += ["", f"locust exited with {process.returncode}: see {locust_log}"]
    out = ROOT / "bench" / "results"
    out.mkdir(exist_ok=True)
    (out / f"cluster-deadline-{stamp}.md").write_text("\n".join(lines) + "\n")
    (out / f"cluster-deadline-{stamp}.json").write_text(
        json.dumps({"check": check, "load1": load, "stats": rows}, ensure_ascii=False, indent=1)
    )
    print("\n".join(lines))
    clean = not failures and not exceptions and not check["lost_saves"] and not check["lost_uploads"]
    return 0 if clean else 1


if __name__ == "__main__":
    sys.exit(main())
