"""Backups cover the object store: `backup` copies new objects only, `restore` brings lost attachments back."""

import json
import secrets
from pathlib import Path

import psycopg
import pytest

from .client import DEMO_PASSWORD, big_pdf

pytestmark = pytest.mark.cluster


@pytest.fixture
def drill_database(cluster):
    """An empty database beside the cluster's, for the restore drill (the running cluster keeps its own)."""
    base = cluster.env["DATABASE_URL"].rsplit("/", 1)
    name = f"{base[1]}_drill"
    admin_url = f"{base[0]}/postgres"
    with psycopg.connect(admin_url, autocommit=True) as admin:
        admin.execute(f'DROP DATABASE IF EXISTS "{name}"')
        admin.execute(f'CREATE DATABASE "{name}"')
    yield f"{base[0]}/{name}"
    with psycopg.connect(admin_url, autocommit=True) as admin:
        admin.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


def backup(cluster, output):
    out = cluster.manage("backup", "--output", str(output))
    target = Path(out.split("备份完成：", 1)[1].splitlines()[0].strip())
    return target, json.loads((target / "manifest.json").read_text())


def test_backup_is_incremental_by_key_and_restore_brings_attachments_back(cluster, business, drill_database):
    client = cluster.client("a").login("zhangsan", DEMO_PASSWORD)
    filing = client.create_draft(business)
    content = big_pdf(200_000 + secrets.randbelow(1000))
    assert client.upload(filing, 4, "备份.pdf", content)[0] == 302
    (attachment,) = client.attachment_ids(filing)
    ((key,),) = cluster.sql("SELECT file FROM filings_attachment WHERE public_id = %s", attachment)
    output = cluster.dir / "backups"

    first, manifest = backup(cluster, output)
    assert "media.tar.gz" not in manifest["sha256"] and "objects.sha256" in manifest["sha256"]
    assert manifest["missing_files"] == []
    listed = dict(line.split("  ")[::-1] for line in (first / "objects.sha256").read_text().splitlines())
    assert key in listed
    assert manifest["objects"]["count"] == len(listed) >= 1
    assert (output / "objects" / "data" / key).read_bytes() == content

    # Nothing new since: the next backup copies no object at all.
    second, manifest = backup(cluster, output)
    assert manifest["objects"]["copied"] == 0
    assert manifest["objects"]["reused"] == manifest["objects"]["count"] == len(listed)

    # The object is lost from the store: the download is a 404 now.
    cluster.s3.delete_object(Bucket=cluster.bucket, Key=key)
    path = f"/filings/{filing}/attachments/{attachment}/"
    reader = cluster.client("b")
    reader.cookies = dict(client.cookies)
    assert reader.get(path)[0] == 404

    # Restore (the database into a drill database, the objects into the cluster's bucket) brings it back.
    out = cluster.manage("restore", str(second), "--database-url", drill_database, "--yes")
    assert "恢复完成" in out
    status, _, body = reader.get(path)
    assert status == 200 and body == content
    with psycopg.connect(drill_database) as drill:
        rows = drill.execute("SELECT file, size FROM filings_attachment WHERE file = %s", (key,)).fetchall()
    assert rows == [(key, len(content))]
