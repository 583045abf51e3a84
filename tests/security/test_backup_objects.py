"""Backups of the object store (issue 17): incremental by key, listed with sha256, restored and verified.

The store is an in-memory stand-in with the S3 calls the backup makes (list_objects_v2 pages, get_object,
upload_fileobj); the real SeaweedFS round trip runs in tests/cluster/test_backup.py.
"""

import hashlib
import io
import json
from types import SimpleNamespace

import pytest
from django.core.files.base import ContentFile
from django.core.files.storage import Storage
from django.db import connection

from kechuang.filings.models import AttachmentKind
from kechuang.security.backup import BackupError, create_backup, restore_backup
from kechuang.security.object_backup import backup_objects
from tests.factories import attach, complete_filing, pdf_bytes

from .test_backup import second_database  # noqa: F401  (the restore drill's second database)

BUCKETS = {}


class FakeS3:
    """The S3 calls the backup makes, over BUCKETS; pages of two keys, so pagination is exercised."""

    def __init__(self):
        self.downloads = []
        self.uploads = []

    def get_paginator(self, name):
        assert name == "list_objects_v2"
        return self

    def paginate(self, Bucket):
        keys = sorted(BUCKETS.setdefault(Bucket, {}))
        if not keys:
            yield {"KeyCount": 0}
        for start in range(0, len(keys), 2):
            yield {
                "Contents": [
                    {
                        "Key": key,
                        "Size": len(BUCKETS[Bucket][key]),
                        "ETag": f'"{hashlib.md5(BUCKETS[Bucket][key]).hexdigest()}"',  # noqa: S324
                    }
                    for key in keys[start : start + 2]
                ]
            }

    def get_object(self, Bucket, Key):
        self.downloads.append(Key)
        return {"Body": io.BytesIO(BUCKETS[Bucket][Key]), "ContentLength": len(BUCKETS[Bucket][Key])}

    def upload_fileobj(self, handle, Bucket, Key, ExtraArgs=None):
        self.uploads.append((Bucket, Key, (ExtraArgs or {}).get("ContentType")))
        BUCKETS.setdefault(Bucket, {})[Key] = handle.read()


class FakeObjectStorage(Storage):
    """Attachments stored in BUCKETS["kechuang"], answering like django-storages' S3Storage."""

    bucket_name = "kechuang"
    client = FakeS3()

    @property
    def connection(self):
        return SimpleNamespace(meta=SimpleNamespace(client=FakeObjectStorage.client))

    def _clean_name(self, name):
        return name

    def _normalize_name(self, name):
        return name

    def _save(self, name, content):
        BUCKETS.setdefault(self.bucket_name, {})[name] = content.read()
        return name

    def _open(self, name, mode="rb"):
        return ContentFile(BUCKETS[self.bucket_name][name], name=name)

    def exists(self, name):
        return name in BUCKETS.get(self.bucket_name, {})

    def delete(self, name):
        BUCKETS.get(self.bucket_name, {}).pop(name, None)

    def size(self, name):
        return len(BUCKETS[self.bucket_name][name])


@pytest.fixture
def object_store(settings):
    BUCKETS.clear()
    FakeObjectStorage.client = FakeS3()
    settings.STORAGES = {**settings.STORAGES, "default": {"BACKEND": f"{__name__}.FakeObjectStorage"}}
    return BUCKETS


def listed(backup):
    return dict(line.split("  ")[::-1] for line in (backup / "objects.sha256").read_text().splitlines())


@pytest.mark.django_db(transaction=True)
def test_a_nightly_backup_copies_only_the_new_objects(demo, tmp_path, object_store):
    filing = complete_filing(demo.zhangsan, demo.business)  # ①–③ stored in the object store
    first = create_backup(tmp_path / "backups")
    manifest = json.loads((first / "manifest.json").read_text())
    assert manifest["objects"]["count"] == 3 and manifest["objects"]["copied"] == 3
    assert manifest["objects"]["reused"] == 0
    assert manifest["missing_files"] == []
    assert "media.tar.gz" not in manifest["sha256"] and "objects.sha256" in manifest["sha256"]
    keys = {a.file.name for a in filing.attachments.all()}
    assert set(listed(first)) == keys
    mirror = tmp_path / "backups" / "objects" / "data"
    for key, digest in listed(first).items():
        assert hashlib.sha256((mirror / key).read_bytes()).hexdigest() == digest
        assert (mirror / key).read_bytes() == object_store["kechuang"][key]
    assert len(FakeObjectStorage.client.downloads) == 3

    # Nothing new: nothing is downloaded again.
    second = create_backup(tmp_path / "backups")
    manifest = json.loads((second / "manifest.json").read_text())
    assert (manifest["objects"]["copied"], manifest["objects"]["reused"]) == (0, 3)
    assert len(FakeObjectStorage.client.downloads) == 3
    assert listed(second) == listed(first)

    # One new attachment: exactly that one object is copied; the backup lists all four.
    new = attach(filing, AttachmentKind.OTHER, demo.zhangsan, content=pdf_bytes(padding=5000))
    third = create_backup(tmp_path / "backups")
    manifest = json.loads((third / "manifest.json").read_text())
    assert (manifest["objects"]["copied"], manifest["objects"]["reused"]) == (1, 3)
    assert FakeObjectStorage.client.downloads[3:] == [new.file.name]
    assert set(listed(third)) == keys | {new.file.name}
    assert not list((tmp_path / "backups" / "objects").rglob("*.part"))


@pytest.mark.django_db(transaction=True)
def test_restore_puts_lost_objects_back_and_leaves_the_others(
    demo,
    tmp_path,
    object_store,
    second_database,  # noqa: F811
):
    url, _ = second_database
    filing = complete_filing(demo.zhangsan, demo.business)
    backup = create_backup(tmp_path / "backups")
    originals = dict(object_store["kechuang"])
    lost = sorted(originals)[:2]
    for key in lost:
        del object_store["kechuang"][key]
    restore_backup(backup, database_url=url)
    assert object_store["kechuang"] == originals
    assert sorted(key for _, key, _ in FakeObjectStorage.client.uploads) == lost
    assert {kind for _, _, kind in FakeObjectStorage.client.uploads} == {"application/pdf"}
    # Restoring again finds everything present and uploads nothing.
    restore_backup(backup, database_url=url)
    assert len(FakeObjectStorage.client.uploads) == 2
    # A drill into another bucket puts every listed object there.
    restore_backup(backup, database_url=url, bucket="drill")
    assert object_store["drill"] == originals
    assert filing.attachments.count() == 3


@pytest.mark.django_db(transaction=True)
def test_a_damaged_mirror_stops_the_restore_before_anything_is_written(
    demo,
    tmp_path,
    object_store,
    second_database,  # noqa: F811
):
    url, open_cursor = second_database
    complete_filing(demo.zhangsan, demo.business)
    backup = create_backup(tmp_path / "backups")
    key = sorted(object_store["kechuang"])[0]
    del object_store["kechuang"][key]
    (tmp_path / "backups" / "objects" / "data" / key).write_bytes(b"%PDF-1.7 tampered")
    with pytest.raises(BackupError, match="sha256"):
        restore_backup(backup, database_url=url)
    assert key not in object_store["kechuang"]
    assert FakeObjectStorage.client.uploads == []
    conn, cursor = open_cursor()
    try:
        if connection.vendor == "postgresql":
            cursor.execute("SELECT to_regclass('public.filings_filing') IS NOT NULL")
        else:
            cursor.execute("SELECT COUNT(*) > 0 FROM sqlite_master WHERE name = 'filings_filing'")
        assert not cursor.fetchone()[0]  # the drill database was not restored either
    finally:
        conn.close()


@pytest.mark.django_db(transaction=True)
def test_an_object_missing_from_the_store_is_reported(demo, tmp_path, object_store):
    filing = complete_filing(demo.zhangsan, demo.business)
    gone = filing.attachments.first().file.name
    del object_store["kechuang"][gone]
    backup = create_backup(tmp_path / "backups")
    manifest = json.loads((backup / "manifest.json").read_text())
    assert manifest["missing_files"] == [gone]
    assert gone not in listed(backup)


def test_an_unsafe_key_is_refused(tmp_path, object_store):
    object_store["kechuang"] = {"../../etc/evil.pdf": b"%PDF-"}
    target = tmp_path / "one"
    target.mkdir()
    with pytest.raises(BackupError, match="不安全"):
        backup_objects(FakeObjectStorage.client, "kechuang", tmp_path / "objects", target)
    assert not (tmp_path / "etc").exists()
