"""Benchmarks of the documents app (issue 13): 备案表 PDF, 完整备案材料 memory, Excel export at scale.

    .venv/bin/python bench/documents.py form [--runs 20]          # p50/p95 uncached and cached, via the view
    .venv/bin/python bench/documents.py dossier [--mb 10]         # worker memory of the merge, pikepdf vs pypdf
    BENCH_PG_URL=postgres://postgres@127.0.0.1:5432/<db with generate_bench_data> \\
        .venv/bin/python bench/documents.py excel [--limit 80000]  # time, memory, queries of the export

form and dossier build their own scratch SQLite database and media folder under BENCH_DIR (migrate + load_demo
first, so the first run takes a minute). excel needs a database made by `manage.py generate_bench_data`
(100,000 filings: 80,000 submitted ones are the province's 所有平台). Memory is the growth of the process's resident set
size (sampled every 5 ms from /proc/self/statm) over its size right before the measured step, in a fresh child
process per merge, so C/C++ allocations (qpdf, libxml) count too. Timings are wall clock on this machine; nothing here is a test.
"""

import argparse
import io
import json
import os
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
BENCH_DIR = Path(os.environ.get("BENCH_DIR", "/tmp/kechuang-bench-documents"))  # noqa: S108 - scratch data


def rss_mb():
    with open("/proc/self/statm") as statm:
        return int(statm.read().split()[1]) * os.sysconf("SC_PAGE_SIZE") / 1024 / 1024


class PeakRSS:
    """The largest resident set size seen while the block runs (sampled every 5 ms), minus the size before it."""

    def __enter__(self):
        import threading

        self.before = rss_mb()
        self.peak = self.before
        self.running = True

        def sample():
            while self.running:
                self.peak = max(self.peak, rss_mb())
                time.sleep(0.005)

        self.thread = threading.Thread(target=sample, daemon=True)
        self.thread.start()
        return self

    def __exit__(self, *exc):
        self.running = False
        self.thread.join()
        self.peak = max(self.peak, rss_mb())
        self.growth = round(self.peak - self.before, 1)


def setup_django(database_url=None):
    BENCH_DIR.mkdir(parents=True, exist_ok=True)
    os.environ.setdefault("DEBUG", "1")
    os.environ.setdefault("ALLOWED_HOSTS", "testserver,127.0.0.1")
    os.environ["DATABASE_URL"] = database_url or f"sqlite:///{BENCH_DIR / 'documents.sqlite3'}"
    os.environ["MEDIA_ROOT"] = str(BENCH_DIR / "media")
    os.environ["DJANGO_SETTINGS_MODULE"] = "kechuang.settings"
    import django

    django.setup()


def prepare_scratch():
    """Migrate and load the demo into the scratch database once."""
    from django.core.management import call_command

    marker = BENCH_DIR / "ready"
    if not marker.exists():
        call_command("migrate", verbosity=0)
        call_command("load_demo", stdout=io.StringIO())
        marker.touch()


def full_filing(name):
    from kechuang.accounts.models import User
    from kechuang.workflow.models import Business
    from tests.documents.conftest import full_filing as build

    owner = User.objects.get(username="zhangsan")
    return build(owner, Business.objects.get(name="省国际科技合作平台备案"), name=name)


def percentile(values, q):
    values = sorted(values)
    return values[min(len(values) - 1, round(q * (len(values) - 1)))]


def bench_form(runs):
    setup_django()
    prepare_scratch()
    from django.core.files.storage import default_storage
    from django.test import Client
    from django.urls import reverse

    from kechuang.documents import pdf
    from kechuang.review import transitions

    filing = full_filing(f"基准平台{time.time_ns()}")
    filing = transitions.submit(filing, filing.owner)
    client = Client()
    client.force_login(filing.owner)
    url = reverse("documents:form", kwargs={"public_id": filing.public_id})
    name = pdf.cache_name(filing, "http://testserver")

    def get():
        started = time.perf_counter()
        response = client.get(url)
        size = len(b"".join(response.streaming_content))
        assert response.status_code == 200 and size > 1000
        return time.perf_counter() - started, size

    get()  # warm up: imports, fonts, template loading
    uncached = []
    for _ in range(runs):
        default_storage.delete(name)
        uncached.append(get()[0])
    cached = [get()[0] for _ in range(runs * 5)]
    size = get()[1]
    from pypdf import PdfReader

    pages = len(PdfReader(default_storage.open(name, "rb")).pages)
    report = {
        "case": "备案表 (3 partners, 10 members, 4 attachments)",
        "pages": pages,
        "bytes": size,
        "uncached_p50_s": round(statistics.median(uncached), 3),
        "uncached_p95_s": round(percentile(uncached, 0.95), 3),
        "cached_p50_ms": round(statistics.median(cached) * 1000, 1),
        "cached_p95_ms": round(percentile(cached, 0.95) * 1000, 1),
        "runs": runs,
    }
    print(json.dumps(report, ensure_ascii=False))


def big_pdf(megabytes, pages=5):
    """A valid PDF of about ``megabytes`` MB: pages with incompressible RGB images."""
    import pikepdf

    pdf = pikepdf.new()
    side = int(((megabytes * 1024 * 1024) / pages / 3) ** 0.5)
    for _ in range(pages):
        pdf.add_blank_page(page_size=(595, 842))
        page = pdf.pages[-1]
        image = pikepdf.Stream(pdf, os.urandom(side * side * 3))
        image.Type, image.Subtype = pikepdf.Name.XObject, pikepdf.Name.Image
        image.Width, image.Height = side, side
        image.ColorSpace, image.BitsPerComponent = pikepdf.Name.DeviceRGB, 8
        page.Resources = pikepdf.Dictionary(XObject=pikepdf.Dictionary(Im0=image))
        page.Contents = pikepdf.Stream(pdf, b"q 500 0 0 500 40 170 cm /Im0 Do Q")
    out = io.BytesIO()
    pdf.save(out)
    return out.getvalue()


def bench_dossier(megabytes):
    """Build the filing once, then measure each merge in a fresh child process."""
    setup_django()
    prepare_scratch()
    from kechuang.accounts.models import User
    from kechuang.documents import pdf
    from kechuang.filings.models import Attachment, AttachmentKind
    from kechuang.review import transitions
    from kechuang.workflow.models import Business
    from tests.factories import attach, complete_filing

    owner = User.objects.get(username="zhangsan")
    filing = complete_filing(
        owner, Business.objects.get(name="省国际科技合作平台备案"), name=f"大附件{time.time_ns()}"
    )
    Attachment.objects.filter(filing=filing).delete()
    for kind in (1, 2, 3, 4):
        attach(filing, AttachmentKind(kind), owner, content=big_pdf(megabytes), name=f"附件{kind}.pdf")
    filing = transitions.submit(filing, owner)
    filing = pdf.load_filing(type(filing).objects.all(), filing.public_id)
    pdf.cached_form(filing, "http://testserver")  # the 备案表 itself is measured by `form`
    sizes = [a.size for a in filing.attachments.all()]
    results = {"attachments_mb": [round(s / 1024 / 1024, 1) for s in sizes]}
    for method in ("qpdf-job", "pikepdf-extend", "pypdf"):
        out = subprocess.run(  # noqa: S603 - this script itself, fixed arguments
            [sys.executable, __file__, "dossier-child", method, str(filing.public_id)],
            capture_output=True,
            text=True,
            check=True,
            env=os.environ,
        )
        results[method] = json.loads(out.stdout.strip().splitlines()[-1])
    print(json.dumps(results, ensure_ascii=False))


def dossier_child(method, public_id):
    setup_django()
    from kechuang.documents import dossier, pdf
    from kechuang.filings.models import Filing

    filing = pdf.load_filing(Filing.objects.all(), public_id)
    import pikepdf
    import pypdf
    from django.core.files.storage import default_storage

    started = time.perf_counter()
    with PeakRSS() as memory, tempfile.TemporaryFile() as target:
        if method == "qpdf-job":
            dossier.build(filing, "http://testserver", target)
        elif method == "pikepdf-extend":  # copying the pages in Python, for the comparison
            name, _ = pdf.cached_form(filing, "http://testserver")
            with pikepdf.open(default_storage.path(name)) as base:
                sources = [pikepdf.open(a.file.path) for a in filing.attachments.all()]
                for source in sources:
                    base.pages.extend(source.pages)
                base.save(target)
        else:  # the same merge with pypdf, for the comparison
            writer = pypdf.PdfWriter()
            name, _ = pdf.cached_form(filing, "http://testserver")
            writer.append(default_storage.open(name, "rb"), outline_item="备案表")
            for attachment in filing.attachments.all():
                writer.append(attachment.file.open("rb"), outline_item=attachment.original_name)
            writer.write(target)
        size = target.tell()
    print(
        json.dumps(
            {
                "seconds": round(time.perf_counter() - started, 2),
                "output_mb": round(size / 1024 / 1024, 1),
                "peak_rss_growth_mb": memory.growth,
            }
        )
    )


def bench_excel(limit):
    url = os.environ.get("BENCH_PG_URL")
    if not url:
        sys.exit("excel needs BENCH_PG_URL: a database made by manage.py generate_bench_data")
    setup_django(url)
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    from kechuang.accounts.models import User
    from kechuang.documents import exports
    from kechuang.filings.models import Filing

    reviewer = User.objects.get(username="kjt_reviewer")
    report = {"filings": Filing.objects.count()}
    os.environ.setdefault("BENCH_EXCEL_FILTERS", "")
    cases = [{"tab": "all"}] + (
        [{"tab": "all", "stage": "done"}] if not os.environ["BENCH_EXCEL_FILTERS"] else []
    )
    for params in cases:
        _tab, _form, rows = exports.export_rows(reviewer, params)
        total = rows.count()
        if total > limit:
            rows = rows[:limit]
        started, cpu = time.perf_counter(), time.process_time()
        with (
            PeakRSS() as memory,
            CaptureQueriesContext(connection) as queries,
            tempfile.TemporaryFile() as target,
        ):
            written = exports.write_review_list(rows, target)
            size = target.tell()
        report[json.dumps(params)] = {
            "rows": written,
            "seconds": round(time.perf_counter() - started, 1),
            "cpu_seconds": round(time.process_time() - cpu, 1),  # this process only; the database's is apart
            "xlsx_mb": round(size / 1024 / 1024, 1),
            "peak_rss_growth_mb": memory.growth,
            "queries": len(queries.captured_queries),
        }
    print(json.dumps(report, ensure_ascii=False))


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("case", choices=["form", "dossier", "dossier-child", "excel"])
    parser.add_argument("args", nargs="*")
    parser.add_argument("--runs", type=int, default=20)
    parser.add_argument("--mb", type=int, default=10)
    parser.add_argument("--limit", type=int, default=80_000)
    options = parser.parse_args()
    if options.case == "form":
        bench_form(options.runs)
    elif options.case == "dossier":
        bench_dossier(options.mb)
    elif options.case == "dossier-child":
        dossier_child(*options.args)
    else:
        bench_excel(options.limit)


if __name__ == "__main__":
    main()
