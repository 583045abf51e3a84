"""Tests against the running `make cluster` (nginx, two gunicorns, Redis, SeaweedFS S3, PostgreSQL).

Every test module here sets ``pytestmark = pytest.mark.cluster``, the marker, which the normal `make test` run deselects; `make cluster-test`
runs them. A cluster that is not running is an error, never a skip. Only loopback addresses are contacted.
"""

import contextlib
import os
import subprocess
from pathlib import Path
from types import SimpleNamespace

import boto3
import psycopg
import pytest

from .client import CREATED, ROOT, ClusterClient

CLUSTER_DIR = Path(os.environ.get("CLUSTER_DIR", ROOT / ".cluster"))


def read_env(path):
    env = {}
    for line in path.read_text().splitlines():
        if "=" in line and not line.startswith("#"):
            key, _, value = line.partition("=")
            env[key] = value
    return env


@pytest.fixture(scope="session")
def cluster():
    env_file = CLUSTER_DIR / "env"
    if not env_file.exists():
        pytest.fail(f"no running cluster ({env_file} is missing): run `make cluster` first")
    env = read_env(env_file)
    port = int(env["CLUSTER_PORT"])
    for instance in ("a", "b"):
        try:
            status = ClusterClient(port, instance).get("/login/")[0]
        except OSError as error:
            pytest.fail(f"the cluster's nginx does not answer on 127.0.0.1:{port}: {error}")
        assert status == 200, f"instance {instance} answers HTTP {status} through nginx"
    s3 = boto3.client(
        "s3",
        endpoint_url=env["AWS_S3_ENDPOINT_URL"],
        region_name=env["AWS_S3_REGION_NAME"],
        aws_access_key_id=env["AWS_ACCESS_KEY_ID"],
        aws_secret_access_key=env["AWS_SECRET_ACCESS_KEY"],
    )

    def manage(*args, extra=None):
        """manage.py with the cluster's settings (its database, Redis and object store)."""
        full = {k: v for k, v in os.environ.items() if not k.startswith(("DJANGO_", "PYTEST_"))}
        full.update(env)
        full.update(extra or {})
        result = subprocess.run(  # noqa: S603 - our own manage.py
            [str(ROOT / ".venv" / "bin" / "python"), str(ROOT / "manage.py"), *args],
            cwd=ROOT,
            env=full,
            capture_output=True,
            text=True,
        )
        assert result.returncode == 0, f"manage.py {args[0]} failed:\n{result.stderr[-3000:]}"
        return result.stdout

    def sql(query, *params):
        with psycopg.connect(env["DATABASE_URL"], autocommit=True) as conn:
            return conn.execute(query, params).fetchall()

    def script(*args):
        return subprocess.run(  # noqa: S603 - our own script
            [str(ROOT / "deploy" / "cluster.sh"), *args],
            cwd=ROOT,
            env={**os.environ, "CLUSTER_DIR": str(CLUSTER_DIR)},
            check=True,
            capture_output=True,
            text=True,
        ).stdout

    yield SimpleNamespace(
        env=env,
        dir=CLUSTER_DIR,
        port=port,
        s3=s3,
        bucket=env["AWS_STORAGE_BUCKET_NAME"],
        manage=manage,
        sql=sql,
        script=script,
        client=lambda instance=None: ClusterClient(port, instance),
    )
    # The drafts the tests made are deleted again, so repeated runs stay under MAX_DRAFTS_PER_PERSON.
    for client, filing in CREATED:
        client.instance = None
        with contextlib.suppress(OSError):
            client.delete_draft(filing)


@pytest.fixture(scope="session")
def business(cluster):
    return cluster.client().login("zhangsan", "Demo@2026").business_id()
