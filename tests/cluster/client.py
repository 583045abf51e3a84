"""A browser-like HTTP client for the running cluster (nginx on loopback), on bench/common.py's stdlib client.

``ClusterClient(port, instance="a")`` sends ``X-Cluster-Instance`` with every request, which the cluster's nginx
uses to pick the instance (deploy/nginx-cluster.conf.template); without it nginx balances.
"""

import re
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT / "bench"))

from common import Session, big_pdf, field_value, find_form, parse_forms, replace_field  # noqa: E402

DEMO_PASSWORD = "Demo@2026"
BUSINESS = re.compile(r'href="/business/([0-9a-f-]{36})/"')
CREATED = []  # (client, filing) of every draft the tests made: deleted when the session ends (conftest.py)
ATTACHMENT = re.compile(r'href="/filings/[0-9a-f-]{36}/attachments/([0-9a-f-]{36})/"')

__all__ = ["ClusterClient", "big_pdf", "field_value", "find_form", "parse_forms", "replace_field"]


class ClusterClient(Session):
    def __init__(self, port, instance=None, timeout=30):
        super().__init__(port)
        self.instance = instance
        self.timeout = timeout
        self.last_upstream = None

    def send(self, method, path, body=None, headers=None):
        headers = dict(headers or {})
        if self.instance:
            headers["X-Cluster-Instance"] = self.instance
        status, response_headers, data = super().send(method, path, body, headers)
        self.last_upstream = response_headers.get("x-cluster-upstream")
        return status, response_headers, data

    def login_form(self, username, password=DEMO_PASSWORD, kind="personal"):
        """POST the login form; returns (status, headers, body) instead of raising like Session.login."""
        path = f"/login/?kind={kind}"
        _, _, page = self.get(path)
        form = find_form(page.decode(), lambda f: "password" in dict(f.fields))
        fields = replace_field(replace_field(form.fields, "username", username), "password", password)
        return self.post(path, fields)

    def business_id(self):
        _, _, page = self.get("/section/platforms/")
        return BUSINESS.search(page.decode()).group(1)

    def create_draft(self, business):
        """在线申报 as the logged-in applicant: a new draft; returns its public id."""
        path = f"/business/{business}/"
        status, _, page = self.get(path)
        assert status == 200, status
        form = find_form(page.decode(), lambda f: f.action.endswith("/create/"))
        status, headers, _ = self.post(form.action, form.fields)
        assert status == 302 and "/edit/guide/" in headers["location"], (status, headers.get("location"))
        filing = headers["location"].split("/")[2]
        CREATED.append((self, filing))
        return filing

    def delete_draft(self, filing):
        """删除 through the confirmation form (drafts count against MAX_DRAFTS_PER_PERSON)."""
        path = f"/filings/{filing}/delete/"
        status, _, page = self.get(path)
        if status != 200:
            return status
        form = find_form(page.decode(), lambda f: f.action == path)
        return self.post(path, form.fields)[0]

    def tab_form(self, filing, tab):
        path = f"/filings/{filing}/edit/{tab}/"
        status, _, page = self.get(path)
        if status != 200:
            return status, None
        return status, find_form(
            page.decode(), lambda f: f.action == path and field_value(f.fields, "version")
        )

    def save_field(self, filing, tab, field, value):
        """GET the tab, POST it with one field changed; returns (status, location)."""
        status, form = self.tab_form(filing, tab)
        if form is None:
            return status, None
        status, headers, _ = self.post(form.action, replace_field(form.fields, field, value))
        return status, headers.get("location")

    def upload(self, filing, kind, name, content):
        status, _, page = self.get(f"/filings/{filing}/edit/attachments/")
        assert status == 200, status
        action = f"/filings/{filing}/attachments/{kind}/add/"
        form = find_form(page.decode(), lambda f: f.action == action)
        return self.post_multipart(action, form.fields, "file", name, content)

    def attachment_ids(self, filing):
        _, _, page = self.get(f"/filings/{filing}/edit/attachments/")
        return ATTACHMENT.findall(page.decode())


def wait_until(predicate, seconds=30, step=0.2):
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if predicate():
            return True
        time.sleep(step)
    return False
