"""Rate limit per token (API_RATE_LIMIT a minute): 429 with Retry-After, counted in the shared cache, so two app
processes (two gunicorn servers here, sharing Redis) together allow exactly the limit."""

import json
import os
import random
import socket
import sqlite3
import subprocess
import sys
import time
import urllib.error
import urllib.request
from pathlib import Path

import pytest
from django.db import connection
from django.db.models import Count

from kechuang.api.auth import RATE_WINDOW_SECONDS, take_rate_slot
from kechuang.api.models import ApiLog

from .conftest import ApiClient, make_token

ROOT = Path(__file__).resolve().parents[2]
REDIS_URL = os.environ.get("API_TEST_REDIS_URL", "redis://127.0.0.1:6379/5")


def test_over_the_limit_is_429_with_retry_after(demo, settings):
    settings.API_RATE_LIMIT = 3
    raw, token = make_token(demo)
    other_raw, _other = make_token(demo, "edu")
    client = ApiClient(raw)
    statuses = [client.get("/api/v1/businesses").status_code for _ in range(5)]
    assert statuses == [200, 200, 200, 429, 429]
    refused = client.get("/api/v1/filings")
    assert refused.status_code == 429
    assert 1 <= int(refused["Retry-After"]) <= RATE_WINDOW_SECONDS
    assert "每分钟最多 3 次" in refused.json()["detail"]
    assert "items" not in refused.json()
    # Per token: another token is not affected; every refused call is logged too.
    assert ApiClient(other_raw).get("/api/v1/businesses").status_code == 200
    assert ApiLog.objects.filter(token=token, status=429).count() == 3


def test_windows_are_clock_minutes():
    token_id = random.randint(10**12, 10**13)
    start = 1_800_000_000.0  # a whole minute
    assert [take_rate_slot(token_id, limit=2, now=start + s) for s in (0, 1, 2)] == [0, 0, 58]
    assert take_rate_slot(token_id, limit=2, now=start + 59.5) == 1
    assert take_rate_slot(token_id, limit=2, now=start + 60) == 0


def test_the_count_is_shared_through_redis(demo, settings):
    """Two clients, one token, the Redis cache: the second client is refused once the first used the budget."""
    settings.CACHES = {
        "default": {
            "BACKEND": "django.core.cache.backends.redis.RedisCache",
            "LOCATION": REDIS_URL,
            "KEY_PREFIX": f"apitest{random.randint(0, 10**9)}",
        }
    }
    settings.API_RATE_LIMIT = 4
    raw, _token = make_token(demo)
    one, two = ApiClient(raw), ApiClient(raw)
    statuses = [(one if i % 2 else two).get("/api/v1/businesses").status_code for i in range(6)]
    assert statuses == [200, 200, 200, 200, 429, 429]


def free_port():
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def database_url_for_subprocesses(tmp_path):
    """The test database as the servers can open it: PostgreSQL's test database, or SQLite's in-memory test
    database copied to a file (the servers then write their call log there)."""
    db = connection.settings_dict
    if connection.vendor == "postgresql":
        password = f":{db['PASSWORD']}" if db.get("PASSWORD") else ""
        return (
            f"postgres://{db['USER']}{password}@{db['HOST'] or '127.0.0.1'}:{db['PORT'] or 5432}/{db['NAME']}",
            None,
        )
    path = tmp_path / "api.sqlite3"
    connection.ensure_connection()
    target = sqlite3.connect(path)
    connection.connection.backup(target)
    target.close()
    return f"sqlite:///{path}", path


def get(url, token):
    request = urllib.request.Request(url, headers={"Authorization": f"Bearer {token}"})
    try:
        with urllib.request.urlopen(request, timeout=20) as response:  # noqa: S310 - loopback test server
            return response.status, dict(response.headers), response.read()
    except urllib.error.HTTPError as error:
        return error.code, dict(error.headers), error.read()


def wait_until_up(base, process):
    for _ in range(150):
        if process.poll() is not None:
            pytest.fail(f"gunicorn exited with {process.returncode}")
        try:
            with urllib.request.urlopen(f"{base}/api/v1/", timeout=2):  # noqa: S310
                return
        except OSError:
            time.sleep(0.2)
    pytest.fail(f"{base} did not start")


def test_two_gunicorn_processes_share_one_limit(transactional_db, demo, tmp_path):
    limit = 12
    raw, token = make_token(demo)
    # A token id of its own, so parallel runs against the same Redis never count into each other's key.
    token_id = random.randint(10**12, 10**13)
    type(token).objects.filter(pk=token.pk).update(id=token_id)
    database_url, sqlite_path = database_url_for_subprocesses(tmp_path)
    env = {
        **os.environ,
        "DEBUG": "1",
        "DATABASE_URL": database_url,
        "CACHE_URL": REDIS_URL,
        "API_RATE_LIMIT": str(limit),
        "MEDIA_ROOT": str(tmp_path / "media"),
        "CONN_MAX_AGE": "0",
        "LOG_LEVEL": "WARNING",
    }
    gunicorn = str(Path(sys.executable).with_name("gunicorn"))
    servers = []
    try:
        for _ in range(2):
            port = free_port()
            process = subprocess.Popen(  # noqa: S603 - our own app under gunicorn
                [gunicorn, "kechuang.wsgi:application", "-b", f"127.0.0.1:{port}", "-w", "1", "-t", "60"],
                cwd=ROOT,
                env=env,
                stdout=subprocess.DEVNULL,
                stderr=subprocess.PIPE,
            )
            servers.append((f"http://127.0.0.1:{port}", process))
        for base, process in servers:
            wait_until_up(base, process)
        assert servers[0][1].pid != servers[1][1].pid
        if time.time() % RATE_WINDOW_SECONDS > RATE_WINDOW_SECONDS - 15:
            time.sleep(
                RATE_WINDOW_SECONDS - time.time() % RATE_WINDOW_SECONDS + 0.5
            )  # one window for the burst
        answers = [get(f"{servers[i % 2][0]}/api/v1/businesses", raw) for i in range(limit + 6)]
    finally:
        for _base, process in servers:
            process.terminate()
        for _base, process in servers:
            process.wait(timeout=20)
    statuses = [status for status, _headers, _body in answers]
    # Each process alone would allow `limit`; together they allow it once.
    assert statuses == [200] * limit + [429] * 6, statuses
    for _status, headers, body in answers[limit:]:
        assert 1 <= int(headers["Retry-After"]) <= RATE_WINDOW_SECONDS
        assert json.loads(body)["detail"]
    # Both servers answered both ways, and wrote one call log row each time.
    by_server = {i % 2: set() for i in range(2)}
    for i, status in enumerate(statuses):
        by_server[i % 2].add(status)
    assert by_server == {0: {200, 429}, 1: {200, 429}}
    if sqlite_path:
        with sqlite3.connect(sqlite_path) as db:
            logged = db.execute(
                "SELECT status, COUNT(*) FROM api_apilog WHERE token_id = ? GROUP BY status", (token_id,)
            ).fetchall()
    else:
        logged = ApiLog.objects.filter(token_id=token_id).values_list("status").annotate(n=Count("id"))
    assert dict(logged) == {200: limit, 429: 6}
