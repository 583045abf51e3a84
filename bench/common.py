"""Shared by bench/run.py and bench/locustfile.py: the server under test, forms read from HTML, paths, passwords.

Standard library only (the project's .venv has no HTTP client library, and none is added for the benchmark).
"""

import html.parser
import json
import os
import secrets
import signal
import subprocess
import sys
import time
import urllib.parse
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
PYTHON = str(ROOT / ".venv" / "bin" / "python")
GUNICORN = str(ROOT / ".venv" / "bin" / "gunicorn")
BENCH_DIR = Path(os.environ.get("BENCH_DIR", "/tmp/kechuang-bench"))  # noqa: S108 - scratch data, one user
DEMO_PASSWORD = "Demo@2026"
BENCH_PASSWORD = "Bench@2026"  # generate_bench_data.BENCH_PASSWORD
DATABASES = {
    "postgresql": os.environ.get("BENCH_PG_URL", "postgres://postgres@127.0.0.1:5432/kechuang_bench"),
    "sqlite": os.environ.get("BENCH_SQLITE_URL", f"sqlite:///{BENCH_DIR / 'bench.sqlite3'}"),
}
# Owners of the generator's 上报 pool (complete drafts, 5 each): locust uses the first 300, run.py the rest.
LOCUST_OWNERS = [f"bench{i:05d}" for i in range(300)]
SUBMIT_OWNERS = [f"bench{i:05d}" for i in range(300, 390)]
SAVE_OWNERS = [f"bench{i:05d}" for i in range(390, 400)]


def server_env(database_url, **extra):
    """Production settings (DEBUG off) on loopback, with the bare view switched on."""
    env = {
        **os.environ,
        "DATABASE_URL": database_url,
        "DEBUG": "0",
        "SECRET_KEY": os.environ.get("BENCH_SECRET_KEY") or secrets.token_urlsafe(50),
        "ALLOWED_HOSTS": "127.0.0.1",
        "SECURE_SSL_REDIRECT": "0",
        "BENCH_BARE_VIEW": "1",
        "DEVTOOLS": "1",  # the bare view lives in kechuang/devtools
        "MEDIA_ROOT": str(BENCH_DIR / "media"),
        "STATIC_ROOT": str(BENCH_DIR / "static"),
        "LOG_LEVEL": "WARNING",
        "AXES_FAILURE_LIMIT": "1000",
        "EMAIL_BACKEND": "django.core.mail.backends.dummy.EmailBackend",  # no SMTP server on the bench
    }
    env.update(extra)
    return env


def manage(env, *args, capture=False):
    result = subprocess.run(  # noqa: S603 - fixed argv, our own manage.py
        [PYTHON, str(ROOT / "manage.py"), *args],
        cwd=ROOT,
        env=env,
        check=True,
        capture_output=capture,
        text=True,
    )
    return result.stdout


def djangoside(env, *args):
    """Run bench/djangoside.py (the benchmark's direct database reads) and return its JSON answer."""
    output = subprocess.run(  # noqa: S603 - fixed argv, our own script
        [PYTHON, str(ROOT / "bench" / "djangoside.py"), *args],
        env=env,
        check=True,
        capture_output=True,
        text=True,
    ).stdout
    return json.loads(output)


class Server:
    """gunicorn with 2 sync workers on a loopback port; ``worker_pids()`` for the memory readings."""

    def __init__(self, env, port, workers=2):
        self.env, self.port, self.workers = env, port, workers
        self.process = None

    def __enter__(self):
        self.process = subprocess.Popen(  # noqa: S603
            [
                GUNICORN,
                "kechuang.wsgi",
                "--workers",
                str(self.workers),
                "--worker-class",
                "sync",
                "--bind",
                f"127.0.0.1:{self.port}",
                "--timeout",
                "120",
                "--log-level",
                "warning",
            ],
            cwd=ROOT,
            env=self.env,
            start_new_session=True,
        )
        deadline = time.monotonic() + 60
        while time.monotonic() < deadline:
            try:
                status, _, _ = request(self.port, "GET", "/bench/bare/")
                if status == 200 and len(self.worker_pids()) == self.workers:
                    return self
            except OSError:
                pass
            time.sleep(0.3)
        self.__exit__()
        raise RuntimeError("gunicorn did not start")

    def __exit__(self, *exc):
        if self.process and self.process.poll() is None:
            os.killpg(self.process.pid, signal.SIGTERM)
            try:
                self.process.wait(timeout=30)
            except subprocess.TimeoutExpired:
                os.killpg(self.process.pid, signal.SIGKILL)
                self.process.wait()

    def worker_pids(self):
        children = Path(f"/proc/{self.process.pid}/task/{self.process.pid}/children")
        try:
            return [int(pid) for pid in children.read_text().split()]
        except OSError:
            return []


def proc_kib(pid, key):
    """VmRSS / VmHWM (peak resident set) of a process in KiB, read from /proc (no psutil)."""
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        if line.startswith(key + ":"):
            return int(line.split()[1])
    return 0


def request(port, method, path, body=None, headers=None, cookies=None, timeout=120):
    """One HTTP/1.1 request over a fresh loopback connection; returns (status, headers, body bytes)."""
    import http.client

    connection = http.client.HTTPConnection("127.0.0.1", port, timeout=timeout)
    all_headers = {"Host": "127.0.0.1", **(headers or {})}
    if cookies:
        all_headers["Cookie"] = "; ".join(f"{k}={v}" for k, v in cookies.items())
    try:
        connection.request(method, path, body=body, headers=all_headers)
        response = connection.getresponse()
        data = response.read()
        return response.status, response.getheaders(), data
    finally:
        connection.close()


class Session:
    """A browser-like client: keeps cookies (Secure ones too: the bench server is plain HTTP on loopback)."""

    def __init__(self, port):
        self.port = port
        self.cookies = {}

    def send(self, method, path, body=None, headers=None):
        status, response_headers, data = request(self.port, method, path, body, headers, self.cookies)
        for name, value in response_headers:
            if name.lower() == "set-cookie":
                pair = value.split(";", 1)[0]
                key, _, val = pair.partition("=")
                if val in ('""', ""):
                    self.cookies.pop(key.strip(), None)
                else:
                    self.cookies[key.strip()] = val
        return status, {k.lower(): v for k, v in response_headers}, data

    def get(self, path):
        return self.send("GET", path)

    def post(self, path, fields):
        body = urllib.parse.urlencode(fields, doseq=True).encode()
        return self.send("POST", path, body, {"Content-Type": "application/x-www-form-urlencoded"})

    def post_multipart(self, path, fields, file_field, filename, content):
        boundary = "----bench" + secrets.token_hex(12)
        parts = []
        for name, value in fields:
            parts.append(
                f'--{boundary}\r\nContent-Disposition: form-data; name="{name}"\r\n\r\n{value}\r\n'.encode()
            )
        parts.append(
            f'--{boundary}\r\nContent-Disposition: form-data; name="{file_field}"; filename="{filename}"\r\n'
            "Content-Type: application/pdf\r\n\r\n".encode()
        )
        body = b"".join(parts) + content + f"\r\n--{boundary}--\r\n".encode()
        return self.send("POST", path, body, {"Content-Type": f"multipart/form-data; boundary={boundary}"})

    def login(self, username, password, kind="personal"):
        path = f"/login/?kind={kind}"
        status, _, page = self.get(path)
        form = find_form(page.decode(), lambda f: "password" in dict(f.fields))
        fields = dict(form.fields)
        fields.update(username=username, password=password)
        status, headers, _ = self.post(path, fields)
        if status != 302:
            raise RuntimeError(f"login of {username} failed: HTTP {status}")
        return self


class Form:
    def __init__(self, attrs):
        self.attrs = attrs
        self.fields = []  # (name, value) in document order, as a browser would submit them

    @property
    def action(self):
        return self.attrs.get("action") or ""


class FormParser(html.parser.HTMLParser):
    """Collects each <form>'s successful controls with their current values (inputs, selects, textareas)."""

    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.forms = []
        self.by_id = {}
        self.current = None
        self.select = None
        self.select_options = []
        self.textarea = None

    def form_for(self, attrs):
        owner = attrs.get("form")
        if owner:
            return self.by_id.get(owner)
        return self.current

    def handle_starttag(self, tag, attrs):
        attrs = {k: (v if v is not None else "") for k, v in attrs}
        if tag == "form":
            self.current = Form(attrs)
            self.forms.append(self.current)
            if attrs.get("id"):
                self.by_id[attrs["id"]] = self.current
        elif tag == "input":
            form = self.form_for(attrs)
            kind = attrs.get("type", "text").lower()
            if form is None or "name" not in attrs or "disabled" in attrs:
                return
            if kind in ("submit", "button", "reset", "file", "image"):
                return
            if kind in ("checkbox", "radio") and "checked" not in attrs:
                return
            form.fields.append((attrs["name"], attrs.get("value", "on" if kind == "checkbox" else "")))
        elif tag == "select":
            self.select = (self.form_for(attrs), attrs)
            self.select_options = []
        elif tag == "option" and self.select:
            self.select_options.append((attrs.get("value"), "selected" in attrs))
        elif tag == "textarea":
            self.textarea = (self.form_for(attrs), attrs, [])

    def handle_data(self, data):
        if self.textarea:
            self.textarea[2].append(data)

    def handle_endtag(self, tag):
        if tag == "form":
            self.current = None
        elif tag == "select" and self.select:
            form, attrs = self.select
            if form is not None and "name" in attrs and "disabled" not in attrs:
                chosen = [v for v, selected in self.select_options if selected]
                if not chosen and "multiple" not in attrs and self.select_options:
                    chosen = [self.select_options[0][0]]
                for value in chosen:
                    form.fields.append((attrs["name"], value or ""))
            self.select = None
        elif tag == "textarea" and self.textarea:
            form, attrs, text = self.textarea
            if form is not None and "name" in attrs:
                value = "".join(text)
                form.fields.append((attrs["name"], value[1:] if value.startswith("\n") else value))
            self.textarea = None


def parse_forms(page):
    parser = FormParser()
    parser.feed(page)
    return parser.forms


def find_form(page, predicate):
    for form in parse_forms(page):
        if predicate(form):
            return form
    raise LookupError("no such form on the page")


def replace_field(fields, name, value):
    """The form's fields with ``name`` set to ``value`` (added if absent)."""
    out = [(k, v) for k, v in fields if k != name]
    out.append((name, value))
    return out


def field_value(fields, name):
    for key, value in fields:
        if key == name:
            return value
    return None


def big_pdf(size):
    """A valid PDF of exactly ``size`` bytes (an embedded file of random bytes inside a one-page PDF)."""
    import io

    sys.path.insert(0, str(ROOT))
    from pypdf import PdfWriter

    def build(payload):
        writer = PdfWriter()
        writer.add_blank_page(width=200, height=200)
        writer.add_attachment("padding.bin", payload)
        out = io.BytesIO()
        writer.write(out)
        return out.getvalue()

    payload = size - len(build(b"x"))
    data = build(os.urandom(payload))
    while len(data) > size:  # the embedded stream may grow a little when pypdf compresses it
        payload -= len(data) - size
        data = build(os.urandom(payload))
    return data
