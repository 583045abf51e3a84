"""Deadline-day load test on PostgreSQL: gunicorn + locust (bench/locustfile.py), then every save read back.

    .venv/bin/python bench/deadline.py                 # -u 320 -r 20 -t 3m, as in bench/README.md
    .venv/bin/python bench/deadline.py --time 30s      # a short rehearsal

Locust runs from its own virtualenv (bench/.venv, see README): it is a benchmark tool, not a project dependency,
and its pytest plugin must not load into the project's test runs. Results: bench/results/deadline-*.md.
"""

import argparse
import csv
import datetime
import json
import os
import statistics
import subprocess
import sys
import threading
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from common import (  # noqa: E402
    BENCH_DIR,
    DATABASES,
    ROOT,
    Server,
    big_pdf,
    djangoside,
    manage,
    proc_kib,
    request,
    server_env,
)

LOCUST = ROOT / "bench" / ".venv" / "bin" / "locust"


def cpu_seconds(pid):
    """User + system CPU time of a process, from /proc/<pid>/stat."""
    try:
        fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    except OSError:
        return 0.0
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


def machine_busy():
    """(busy, total) jiffies of all CPUs, from /proc/stat."""
    values = [int(v) for v in Path("/proc/stat").read_text().split("\n", 1)[0].split()[1:]]
    idle = values[3] + values[4]
    return sum(values) - idle, sum(values)


class Sampler(threading.Thread):
    """Every 5 s: load average, the workers' memory, and who used the CPU (workers, locust, the machine)."""

    def __init__(self, server):
        super().__init__(daemon=True)
        self.server, self.samples, self.stop = server, [], threading.Event()
        self.locust_pid = None

    def run(self):
        last = None
        while not self.stop.wait(5):
            load = Path("/proc/loadavg").read_text().split()[0]
            pids = self.server.worker_pids()
            now = {
                "workers": sum(cpu_seconds(pid) for pid in pids),
                "locust": cpu_seconds(self.locust_pid) if self.locust_pid else 0.0,
                "machine": machine_busy(),
                "t": time.time(),
            }
            sample = {
                "t": now["t"],
                "load1": float(load),
                "worker_rss_kib": [proc_kib(pid, "VmRSS") for pid in pids],
            }
            if last:
                span = now["t"] - last["t"]
                busy = now["machine"][0] - last["machine"][0]
                total = now["machine"][1] - last["machine"][1]
                sample["cores_workers"] = round((now["workers"] - last["workers"]) / span, 2)
                sample["cores_locust"] = round((now["locust"] - last["locust"]) / span, 2)
                sample["cores_machine"] = round(busy / total * (os.cpu_count() or 1), 2) if total else 0
            self.samples.append(sample)
            last = now


def read_csv(path):
    with open(path, newline="") as handle:
        return list(csv.DictReader(handle))


def check_sessions(port, data):
    """Before the load: one applicant's and one reviewer's ready-made session must open their page (200, not the
    302 to the login page a session the application does not accept gets)."""
    for username, path in (
        (data["applicants"][0][0], "/center/platforms/"),
        (data["reviewers"][0][0], "/center/"),
    ):
        status, headers, _ = request(port, "GET", path, cookies={"sessionid": data["sessions"][username]})
        if status != 200:
            location = {k.lower(): v for k, v in headers}.get("location", "")
            sys.exit(
                f"the ready-made session of {username} is not accepted: GET {path} → {status} {location}"
            )


def exception_lines(csv_prefix):
    """locust's exceptions (errors in the locustfile, e.g. a form missing from a page) for the report."""
    lines = []
    for row in read_csv(f"{csv_prefix}_exceptions.csv"):
        where = [line.strip() for line in row["Traceback"].splitlines() if "locustfile.py" in line]
        lines.append(
            f"- {row['Count']} × {row['Message']}" + (f" ({where[-1].split(', ', 1)[-1]})" if where else "")
        )
    return lines


def main():
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--db", choices=sorted(DATABASES), default="postgresql")
    parser.add_argument("--users", type=int, default=320)
    parser.add_argument("--spawn-rate", type=int, default=20)
    parser.add_argument("--time", default="3m")
    parser.add_argument("--port", type=int, default=8765)
    parser.add_argument(
        "--think-scale", type=float, default=1.0, help="multiply every think time (0.25: four times the load)"
    )
    args = parser.parse_args()
    if not LOCUST.exists():
        sys.exit(
            "locust is missing: python3 -m venv bench/.venv && bench/.venv/bin/pip install locust==2.47.0"
        )

    BENCH_DIR.mkdir(parents=True, exist_ok=True)
    stamp = datetime.datetime.now().strftime("%Y%m%d-%H%M%S")
    env = server_env(DATABASES[args.db])
    manage(env, "migrate", "--noinput", "-v0")
    manage(env, "collectstatic", "--noinput", "-v0")
    data_file = BENCH_DIR / "locust-data.json"
    data = djangoside(env, "locust-data")
    data_file.write_text(json.dumps(data))
    pdf = BENCH_DIR / "deadline-1mb.pdf"
    if not pdf.exists():
        pdf.write_bytes(big_pdf(1024 * 1024))
    log_file = BENCH_DIR / f"deadline-{stamp}.jsonl"
    csv_prefix = BENCH_DIR / f"deadline-{stamp}"
    drafts = sum(len(d) for _, d in data["applicants"])
    print(
        f"{len(data['applicants'])} applicants with {drafts} complete drafts, {len(data['reviewers'])} reviewers"
    )

    with Server(env, args.port) as server:
        check_sessions(args.port, data)
        sampler = Sampler(server)
        sampler.start()
        locust_env = {
            "BENCH_LOCUST_DATA": str(data_file),
            "BENCH_LOCUST_LOG": str(log_file),
            "BENCH_LOCUST_PDF": str(pdf),
            "BENCH_HOST": f"http://127.0.0.1:{args.port}",
            "BENCH_RUN_ID": stamp,
            "BENCH_THINK_SCALE": str(args.think_scale),
            "PATH": "/usr/bin:/bin",
        }
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
            env=locust_env,
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            text=True,
        )
        sampler.locust_pid = process.pid
        stdout, stderr = process.communicate()
        duration = time.time() - started
        sampler.stop.set()
    (BENCH_DIR / f"deadline-{stamp}.locust.log").write_text(stdout + stderr)

    check = djangoside(env, "verify", str(log_file))
    rows = read_csv(f"{csv_prefix}_stats.csv")
    failures = read_csv(f"{csv_prefix}_failures.csv")
    exceptions = exception_lines(csv_prefix)
    lines = [
        f"Deadline day on {args.db}: locust -u {args.users} -r {args.spawn_rate} -t {args.time} "
        f"(think time × {args.think_scale:g}; {duration:.0f} s wall), started {stamp}",
        f"load average (1 min) during the run: max {max((s['load1'] for s in sampler.samples), default=0):.2f}; "
        f"worker RSS max {max((max(s['worker_rss_kib'] or [0]) for s in sampler.samples), default=0) / 1024:.0f} MiB",
        "CPU (cores busy, mean over the run): "
        + ", ".join(
            f"{key.removeprefix('cores_')} {statistics.mean(s[key] for s in sampler.samples if key in s):.2f}"
            for key in ("cores_workers", "cores_locust", "cores_machine")
            if any(key in s for s in sampler.samples)
        ),
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
    if check["lost_saves"] or check["lost_uploads"]:
        lines += ["", "LOST: " + json.dumps(check, ensure_ascii=False)[:2000]]
    out = ROOT / "bench" / "results"
    out.mkdir(exist_ok=True)
    (out / f"deadline-{stamp}.md").write_text("\n".join(lines) + "\n")
    (out / f"deadline-{stamp}.json").write_text(
        json.dumps({"check": check, "samples": sampler.samples, "stats": rows}, ensure_ascii=False, indent=1)
    )
    print("\n".join(lines))
    if process.returncode not in (0, 1):
        print(stderr[-3000:], file=sys.stderr)
    clean = not failures and not exceptions and not check["lost_saves"] and not check["lost_uploads"]
    return 0 if clean else 1


if __name__ == "__main__":
    sys.exit(main())
