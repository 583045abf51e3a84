"""Deadline day (申报截止日): 300 applicants saving tabs, uploading and submitting, 20 reviewers working lists.

Run it through bench/deadline.py, which starts the server, prepares the accounts and checks every save afterwards:

    .venv/bin/python bench/deadline.py          # = locust --headless -u 320 -r 20 -t 3m, loopback only

The targets come from $BENCH_LOCUST_DATA (written by deadline.py): for each applicant its complete drafts (the
generator's 上报 pool) and, for everyone, a session cookie made the way login() makes it — people log in once in
the morning and then work; one applicant in ten logs in through the form during the test (PBKDF2 included).
Every save and upload is appended to $BENCH_LOCUST_LOG so that deadline.py can read each value back.

Every request has a timeout ($BENCH_REQUEST_TIMEOUT seconds to answer, default 65: past nginx's 60 s
proxy_read_timeout, so the cluster's 504 shows as such), and a page that lands on the login form counts as a
failure: a server that stops answering or a session it does not accept shows in the figures, not as silence.
"""

import itertools
import json
import os
import random
import re
import sys
import threading
import time
from pathlib import Path

from locust import HttpUser, between, task
from locust.clients import HttpSession
from requests.cookies import RequestsCookieJar

sys.path.insert(0, str(Path(__file__).resolve().parent))
from common import BENCH_PASSWORD, field_value, find_form, replace_field  # noqa: E402

DATA = json.loads(Path(os.environ["BENCH_LOCUST_DATA"]).read_text())
LOG = open(os.environ["BENCH_LOCUST_LOG"], "a", buffering=1)  # noqa: SIM115 - one line per event, kept open
LOG_LOCK = threading.Lock()
RUN = os.environ.get("BENCH_RUN_ID", str(int(time.time())))
# deadline.py --think-scale: < 1 shortens every think time, to find the load at which the server saturates.
THINK = float(os.environ.get("BENCH_THINK_SCALE", "1"))
APPLICANTS = itertools.count()
REVIEWERS = itertools.count()
SMALL_PDF = Path(os.environ["BENCH_LOCUST_PDF"]).read_bytes()  # a ~1 MB valid PDF, made by deadline.py
FILING = re.compile(r'href="/filings/([0-9a-f-]{36})/"')
DECIDE = re.compile(r'href="/review/([0-9a-f-]{36})/"')
# (connect, read) seconds; requests has no timeout by default, and locust sets none.
TIMEOUT = (5, float(os.environ.get("BENCH_REQUEST_TIMEOUT", "65")))
SAVE_FIELDS = {
    "basic": ("name", lambda tag: f"黑龙江省国际联合实验室-{tag}"),
    "cooperation": ("joint_training", lambda tag: str(int(time.time() * 1000) % 100000)),
    "content": ("conditions", lambda tag: f"条件保障：截止日保存 {tag}"),
}


def log(**entry):
    with LOG_LOCK:
        LOG.write(json.dumps(entry, ensure_ascii=False) + "\n")


class LoopbackCookieJar(RequestsCookieJar):
    """The production settings mark cookies Secure; the bench server is plain HTTP on 127.0.0.1, so the client
    keeps them as ordinary cookies (requests copies cookies per request, so a jar policy would not stick)."""

    def set_cookie(self, cookie, *args, **kwargs):
        cookie.secure = False
        return super().set_cookie(cookie, *args, **kwargs)


def signed_out(response):
    """The request was sent to the login page: the session was not (or no longer) accepted."""
    hops = [*response.history, response]
    return any(
        hop.status_code in (301, 302, 303)
        and hop.headers.get("Location", "").split("?")[0].endswith("/login/")
        for hop in hops
    )


def not_the_page(response):
    """Why a GET did not give the page asked for (None: it did): no answer, an error status, or the login page."""
    if response.error is not None and response.status_code == 0:
        return f"no answer: {type(response.error).__name__}"
    if signed_out(response):
        return "signed out: sent to the login page"
    if response.status_code != 200:
        return f"HTTP {response.status_code}"
    return None


class BenchSession(HttpSession):
    """locust's HttpSession with a timeout on every request and a failure for every signed-out answer."""

    def request(self, method, url, name=None, catch_response=False, context=None, **kwargs):
        kwargs.setdefault("timeout", TIMEOUT)
        response = super().request(
            method, url, name=name, catch_response=True, context=context or {}, **kwargs
        )
        if catch_response:  # the caller's with-block decides (not_the_page() is for it to ask)
            return response
        with response:
            if signed_out(response):
                response.failure("signed out: sent to the login page")
        return response


def redirected(response, fragment):
    """A successful POST: 302 to the page the view sends people to after success (not to the login page)."""
    return response.status_code == 302 and fragment in response.headers.get("Location", "")


class Person(HttpUser):
    abstract = True
    host = os.environ.get("BENCH_HOST", "http://127.0.0.1:8765")

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.client = BenchSession(
            base_url=self.host,
            request_event=self.environment.events.request,
            user=self,
            pool_manager=self.pool_manager,
        )
        self.client.trust_env = False

    def start_session(self, username, kind="personal", password=None):
        self.client.cookies = LoopbackCookieJar()
        self.username = username
        if password is None:
            self.client.cookies.set("sessionid", DATA["sessions"][username], domain="127.0.0.1")
            return
        with self.client.get(f"/login/?kind={kind}", name="登录 (form)", catch_response=True) as response:
            if reason := not_the_page(response):
                response.failure(reason)
                return
            form = find_form(response.text, lambda f: "password" in dict(f.fields))
        fields = replace_field(replace_field(form.fields, "username", username), "password", password)
        with self.client.post(
            f"/login/?kind={kind}", data=fields, name="登录", allow_redirects=False, catch_response=True
        ) as response:
            if not redirected(response, "/center/"):
                response.failure(f"login {username}: HTTP {response.status_code}")


class Applicant(Person):
    """A responsible person finishing their filings on the last day."""

    weight = 300
    # Reading and typing a tab between two clicks (bench/README.md).
    wait_time = between(10 * THINK, 30 * THINK)

    def on_start(self):
        number = next(APPLICANTS)
        username, drafts = DATA["applicants"][number % len(DATA["applicants"])]
        self.drafts = list(drafts)
        self.uploads = 0
        # People do not all arrive in the same second (time.sleep is gevent's here).
        time.sleep(random.uniform(0, 20))
        self.start_session(username, password=BENCH_PASSWORD if number % 10 == 0 else None)

    def form_of(self, filing, tab, name):
        path = f"/filings/{filing}/edit/{tab}/"
        with self.client.get(path, name=name, catch_response=True) as response:
            if reason := not_the_page(response):
                response.failure(reason)
                return None, None
            return path, response.text

    @task(6)
    def save_tab(self):
        if not self.drafts:
            return self.my_platforms()
        filing = random.choice(self.drafts)
        tab = random.choice(list(SAVE_FIELDS))
        path, page = self.form_of(filing, tab, f"表单 {tab} (GET)")
        if page is None:
            return None
        form = find_form(page, lambda f: f.action == path and field_value(f.fields, "version"))
        field, make = SAVE_FIELDS[tab]
        value = make(f"{self.username}-{time.time():.3f}")
        fields = replace_field(form.fields, field, value)
        with self.client.post(
            path, data=fields, name=f"保存 {tab}", allow_redirects=False, catch_response=True
        ) as response:
            ok = redirected(response, path)
            if not ok:
                response.failure(f"HTTP {response.status_code}")
        log(kind="save", filing=filing, field=field, value=value, ok=ok, status=response.status_code)
        return None

    @task(3)
    def my_platforms(self):
        self.client.get(random.choice(["/center/platforms/", "/center/platforms/?tab=all"]), name="我的平台")

    @task(2)
    def view(self):
        if self.drafts:
            self.client.get(f"/filings/{random.choice(self.drafts)}/", name="查看")

    @task(2)
    def upload(self):
        if not self.drafts:
            return
        filing = random.choice(self.drafts)
        path, page = self.form_of(filing, "attachments", "表单 attachments (GET)")
        if page is None:
            return
        action = f"/filings/{filing}/attachments/4/add/"
        form = find_form(page, lambda f: f.action == action)
        self.uploads += 1
        name = f"deadline-{RUN}-{self.username}-{self.uploads}.pdf"  # unique across runs: read back exactly
        with self.client.post(
            action,
            data=form.fields,
            files={"file": (name, SMALL_PDF, "application/pdf")},
            name="上传附件 ④ (1 MB)",
            allow_redirects=False,
            catch_response=True,
        ) as response:
            ok = redirected(response, f"/filings/{filing}/edit/attachments/")
            if not ok:
                response.failure(f"HTTP {response.status_code}")
        log(kind="upload", filing=filing, name=name, ok=ok, status=response.status_code)

    @task(1)
    def submit(self):
        if not self.drafts:
            return
        filing = self.drafts[0]
        path, page = self.form_of(filing, "guide", "表单 guide (GET)")
        if page is None:
            return
        action = f"/filings/{filing}/submit/"
        form = find_form(page, lambda f: f.action == action)
        with self.client.post(
            action, data=form.fields, name="上报", allow_redirects=False, catch_response=True
        ) as response:
            ok = redirected(response, "/center/platforms/")
            if ok:
                self.drafts.remove(filing)
            else:
                response.failure(f"HTTP {response.status_code}")
        log(kind="submit", filing=filing, ok=ok, status=response.status_code)


class Reviewer(Person):
    """A reviewer working the lists: pages, filters, 查看, 流转记录, now and then 审核 通过."""

    fixed_count = 20
    wait_time = between(5 * THINK, 15 * THINK)  # reading a list or a filing

    def on_start(self):
        username, self.kind = DATA["reviewers"][next(REVIEWERS) % len(DATA["reviewers"])]
        self.start_session(username, self.kind)
        self.seen = []
        self.waiting = []

    def list_page(self, query, name):
        with self.client.get(f"/center/review/?{query}", name=name, catch_response=True) as response:
            if reason := not_the_page(response):
                response.failure(reason)
                return
            self.seen = FILING.findall(response.text) or self.seen
            if "tab=pending" in query:
                self.waiting = DECIDE.findall(response.text)

    @task(4)
    def pending(self):
        self.list_page("tab=pending", "待审核平台")

    @task(2)
    def all_filings(self):
        self.list_page("tab=all", "所有平台")

    @task(2)
    def filtered(self):
        stage = random.choice(["done", "returned", "stage:省科技厅审核", ""])
        self.list_page(f"tab=all&stage={stage}&name=实验室&sort=name", "所有平台 (筛选)")

    @task(1)
    def deep(self):
        self.list_page(f"tab=all&page={random.randint(2, 200)}", "所有平台 (翻页)")

    @task(3)
    def view(self):
        if self.seen:
            self.client.get(f"/filings/{random.choice(self.seen)}/", name="查看 (reviewer)")

    @task(2)
    def flow(self):
        if self.seen:
            self.client.get(f"/filings/{random.choice(self.seen)}/flow/", name="流转记录")

    @task(1)
    def approve(self):
        if not self.waiting:
            return
        filing = self.waiting.pop(random.randrange(len(self.waiting)))
        path = f"/review/{filing}/"
        with self.client.get(path, name="审核 (GET)", catch_response=True) as response:
            if response.status_code == 404:  # another reviewer of the same stage took it: fine (W8)
                response.success()
                return
            if reason := not_the_page(response):
                response.failure(reason)
                return
            form = find_form(response.text, lambda f: field_value(f.fields, "version"))
        fields = replace_field(form.fields, "decision", "approve")
        fields = replace_field(fields, "opinion", "同意。")
        with self.client.post(
            path, data=fields, name="审核 通过", allow_redirects=False, catch_response=True
        ) as response:
            if response.status_code == 409:  # moved meanwhile: the loser is told, nothing changes (W8)
                response.success()
            elif not redirected(response, "/center/review/"):
                response.failure(f"HTTP {response.status_code}")
