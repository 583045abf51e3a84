"""Nothing lives on one server: sessions, lockouts and attachments work the same whichever instance answers."""

import hashlib
import re
import secrets
import subprocess

import pytest

from .client import DEMO_PASSWORD, big_pdf, find_form

CSRF_TOKEN = re.compile(rb'name="csrfmiddlewaretoken" value="[^"]*"')

pytestmark = pytest.mark.cluster


def port_of(cluster, instance):
    return cluster.env["CLUSTER_PORT_A" if instance == "a" else "CLUSTER_PORT_B"]


def test_the_instance_header_picks_the_instance_and_nginx_balances_without_it(cluster):
    for instance in ("a", "b"):
        client = cluster.client(instance)
        for _ in range(3):
            assert client.get("/login/")[0] == 200
            assert client.last_upstream == f"127.0.0.1:{port_of(cluster, instance)}"
    balanced = cluster.client()
    seen = set()
    for _ in range(6):
        assert balanced.get("/login/")[0] == 200
        seen.add(balanced.last_upstream)
    assert seen == {f"127.0.0.1:{port_of(cluster, 'a')}", f"127.0.0.1:{port_of(cluster, 'b')}"}


def test_log_in_on_a_and_keep_working_on_b(cluster, business):
    client = cluster.client("a")
    status, headers, _ = client.login_form("zhangsan")
    assert status == 302 and headers["location"] == "/center/"
    assert client.last_upstream.endswith(port_of(cluster, "a"))
    client.instance = "b"
    status, _, page = client.get("/center/platforms/")
    assert status == 200 and client.last_upstream.endswith(port_of(cluster, "b"))
    assert "张三" in page.decode()
    # A save on B with the form (and CSRF token) fetched on B, read back on A.
    filing = client.create_draft(business)
    value = f"条件保障 {secrets.token_hex(4)}"
    status, location = client.save_field(filing, "content", "conditions", value)
    assert status == 302 and location.endswith("/edit/content/"), status
    client.instance = "a"
    _, form = client.tab_form(filing, "content")
    assert dict(form.fields)["conditions"] == value
    # Logging out on A ends the session on B too.
    _, _, page = client.get("/center/")
    logout = find_form(page.decode(), lambda f: f.action == "/logout/")
    assert client.post("/logout/", logout.fields)[0] == 302
    client.instance = "b"
    status, headers, _ = client.get("/center/platforms/")
    assert status == 302 and headers["location"].startswith("/login/")


def test_upload_through_a_download_through_b_from_the_object_store_only(cluster, business):
    a = cluster.client("a").login("zhangsan", DEMO_PASSWORD)
    filing = a.create_draft(business)
    # Bigger than FILE_UPLOAD_MAX_MEMORY_SIZE (2 MB): the upload passes through a temporary file on A.
    content = big_pdf(3 * 1024 * 1024 + 123)
    name = f"cluster-{secrets.token_hex(4)}.pdf"
    status, headers, _ = a.upload(filing, 4, name, content)
    assert status == 302 and "/edit/attachments/" in headers["location"], status
    assert a.last_upstream.endswith(port_of(cluster, "a"))
    (attachment,) = a.attachment_ids(filing)

    b = cluster.client("b")
    b.cookies = dict(a.cookies)
    status, headers, body = b.get(f"/filings/{filing}/attachments/{attachment}/")
    assert status == 200
    assert body == content
    assert headers["content-type"] == "application/pdf"
    assert headers["content-disposition"].startswith("attachment;") and name in headers["content-disposition"]
    assert headers["x-content-type-options"] == "nosniff"
    assert "x-accel-redirect" not in headers and "x-amz-request-id" not in headers
    # The object store holds it under the row's random key, byte for byte.
    ((key, sha),) = cluster.sql(
        "SELECT file, sha256 FROM filings_attachment WHERE public_id = %s", attachment
    )
    assert sha == hashlib.sha256(content).hexdigest()
    stored = cluster.s3.get_object(Bucket=cluster.bucket, Key=key)["Body"].read()
    assert stored == content
    # … and no instance's disk does: MEDIA_ROOT and the temporary directories stay empty.
    for instance in ("a", "b"):
        leftovers = [p for p in (cluster.dir / f"app-{instance}").rglob("*") if p.is_file()]
        assert leftovers == [], leftovers
    found = subprocess.run(  # noqa: S603
        ["grep", "-rlF", name, str(cluster.dir / "app-a"), str(cluster.dir / "app-b")],
        capture_output=True,
        text=True,
    )
    assert found.stdout == ""


def test_downloads_are_checked_by_django_and_the_bytes_come_from_nginx(cluster, business):
    owner = cluster.client("a").login("zhangsan", DEMO_PASSWORD)
    filing = owner.create_draft(business)
    content = big_pdf(50_000)
    assert owner.upload(filing, 4, "检查.pdf", content)[0] == 302
    (attachment,) = owner.attachment_ids(filing)
    path = f"/filings/{filing}/attachments/{attachment}/"

    # Straight to gunicorn (loopback, no nginx): Django answers with the redirect header and no bytes.
    from common import request

    status, headers, body = request(
        int(port_of(cluster, "b")), "GET", path, cookies={"sessionid": owner.cookies["sessionid"]}
    )
    headers = {k.lower(): v for k, v in headers}
    assert status == 200 and body == b""
    target = headers["x-accel-redirect"]
    assert target.startswith(f"/_object_store/{cluster.bucket}/attachments/")
    assert "X-Amz-Signature=" in target and "X-Amz-Expires=60" in target

    # Someone who may not see the filing: 404 and no redirect (wangwu is in another unit).
    other = cluster.client("b").login("wangwu", DEMO_PASSWORD)
    status, headers, body = other.get(path)
    assert status == 404 and "x-accel-redirect" not in headers and content not in body
    # Not logged in: to the login page.
    status, headers, _ = cluster.client("b").get(path)
    assert status == 302 and headers["location"].startswith("/login/")
    # The internal location cannot be requested from outside, with or without a signature.
    for probe in (target, f"/_object_store/{cluster.bucket}/"):
        status, _, body = cluster.client().get(probe)
        assert status == 404 and content not in body
    # The bucket is private: an unsigned read of the object straight from the store is refused.
    from urllib.parse import urlsplit

    store = urlsplit(cluster.env["AWS_S3_ENDPOINT_URL"])
    status, _, body = request(store.port, "GET", target.removeprefix("/_object_store").split("?")[0])
    assert status == 403 and content not in body


@pytest.fixture
def reset_lockout(cluster):
    yield "hrb_reviewer"
    cluster.manage("axes_reset_username", "hrb_reviewer")


def test_a_lockout_recorded_on_a_holds_on_b(cluster, reset_lockout):
    username = reset_lockout
    a = cluster.client("a")
    statuses = [a.login_form(username, "wrong-password-1")[0] for _ in range(5)]
    assert statuses[:4] == [400] * 4 and statuses[4] == 429, statuses
    b = cluster.client("b")
    status, _, page = b.login_form(username, DEMO_PASSWORD)  # the right password, on the other instance
    assert status == 429 and b.last_upstream.endswith(port_of(cluster, "b"))
    assert "sessionid" not in b.cookies
    assert b.get("/center/")[0] == 302
    # The record is in the shared database, not in one instance's memory.
    ((failures,),) = cluster.sql(
        "SELECT failures_since_start FROM axes_accessattempt WHERE username = %s", username
    )
    assert failures >= 5


def test_caches_are_in_the_shared_redis_not_in_an_instance(cluster):
    """The cached public pages (创新地图 counts …) are computed once into Redis and served alike by a and b."""
    import redis

    store = redis.Redis.from_url(cluster.env["CACHE_URL"])
    store.flushdb()  # the cluster's own Redis database: only its caches and throttle counters
    status_a, _, page_a = cluster.client("a").get("/")  # 首页 with the 创新地图
    assert status_a == 200
    cached = store.keys("*")
    assert cached, "instance a cached something in Redis"
    status_b, _, page_b = cluster.client("b").get("/")
    assert status_b == 200
    assert set(cached) <= set(store.keys("*"))
    # Equal but for the CSRF token of the header's 中文 | English form, which is random on every response.
    assert CSRF_TOKEN.sub(b"", page_a) == CSRF_TOKEN.sub(b"", page_b)
    # Sessions are not in Redis (they are rows in PostgreSQL): a login adds no session key there.
    before = set(store.keys("*"))
    cluster.client("a").login("lisi", DEMO_PASSWORD)
    assert not [k for k in set(store.keys("*")) - before if b"session" in k]


STREAM_CHECK = """
import hashlib, sys
from django.test import Client
from kechuang.filings.models import Attachment
attachment = Attachment.objects.get(public_id=sys.argv[-1])
client = Client(HTTP_HOST="127.0.0.1")
client.force_login(attachment.filing.owner)
response = client.get(f"/filings/{attachment.filing.public_id}/attachments/{attachment.public_id}/", secure=True)
body = b"".join(response.streaming_content)
print(response.status_code, "X-Accel-Redirect" in response, response["Content-Length"], hashlib.sha256(body).hexdigest())
"""


def test_without_nginx_the_view_streams_the_object_from_the_store(cluster, business, tmp_path):
    """DOWNLOAD_ACCEL_PREFIX unset: the same download, streamed by Django from the object store in blocks."""
    client = cluster.client("a").login("zhangsan", DEMO_PASSWORD)
    filing = client.create_draft(business)
    content = big_pdf(700_000)
    assert client.upload(filing, 4, "流式.pdf", content)[0] == 302
    (attachment,) = client.attachment_ids(filing)
    script = tmp_path / "stream_check.py"
    script.write_text(STREAM_CHECK.replace("sys.argv[-1]", repr(attachment)))
    out = cluster.manage("shell", "-c", script.read_text(), extra={"DOWNLOAD_ACCEL_PREFIX": ""})
    status, accel, length, digest = out.strip().splitlines()[-1].split()
    assert (status, accel, int(length)) == ("200", "False", len(content))
    assert digest == hashlib.sha256(content).hexdigest()
