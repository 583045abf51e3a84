"""下载 with attachments in an object store (issue 17): still access-checked by Django, the bytes never in memory.

The store here is a stand-in with S3Storage's interface (the real SeaweedFS one is exercised by tests/cluster):
``bucket_name``, ``connection.meta.client.get_object`` returning a body read in blocks, and ``url()`` giving a
presigned URL.
"""

import io
from types import SimpleNamespace

import pytest
from django.core.files.storage import FileSystemStorage

from kechuang.filings.models import AttachmentKind

from .factories import attach, new_filing, pdf_bytes

CONTENT = pdf_bytes(padding=300_000)


class NoSuchKey(Exception):
    pass


class RecordingBody(io.BytesIO):
    reads = []

    def read(self, size=None):
        RecordingBody.reads.append(size)
        return super().read(size)


class FakeObjectStorage(FileSystemStorage):
    """Keeps files on disk like the default storage, but answers like django-storages' S3Storage."""

    bucket_name = "kechuang"
    opened = []

    def _clean_name(self, name):
        return name

    def _normalize_name(self, name):
        return name

    def _open(self, name, mode="rb"):
        FakeObjectStorage.opened.append(name)
        return super()._open(name, mode)

    def url(self, name):
        return f"http://127.0.0.1:9/kechuang/{name}?X-Amz-Expires=60&X-Amz-Signature=abc123"

    @property
    def connection(self):
        storage = self

        def get_object(Bucket, Key):
            assert Bucket == "kechuang"
            if not storage.exists(Key):
                raise NoSuchKey(Key)
            with open(storage.path(Key), "rb") as handle:
                data = handle.read()
            return {"Body": RecordingBody(data), "ContentLength": len(data)}

        client = SimpleNamespace(get_object=get_object, exceptions=SimpleNamespace(NoSuchKey=NoSuchKey))
        return SimpleNamespace(meta=SimpleNamespace(client=client))


@pytest.fixture
def object_store(settings, tmp_path):
    settings.STORAGES = {
        **settings.STORAGES,
        "default": {
            "BACKEND": f"{__name__}.FakeObjectStorage",
            "OPTIONS": {"location": str(tmp_path / "store")},
        },
    }
    FakeObjectStorage.opened = []
    RecordingBody.reads = []
    return settings


@pytest.fixture
def stored(demo, object_store):
    filing = new_filing(demo.zhangsan, demo.business)
    attachment = attach(filing, AttachmentKind.OTHER, demo.zhangsan, content=CONTENT, name="合作协议.pdf")
    url = f"/filings/{filing.public_id}/attachments/{attachment.public_id}/"
    return SimpleNamespace(filing=filing, attachment=attachment, url=url)


def test_with_the_accel_prefix_django_answers_the_internal_redirect_and_no_bytes(
    client, demo, stored, settings
):
    settings.DOWNLOAD_ACCEL_PREFIX = "/_object_store/"
    client.force_login(demo.zhangsan)
    response = client.get(stored.url)
    assert response.status_code == 200
    assert response.content == b""
    assert response["X-Accel-Redirect"] == (
        f"/_object_store/kechuang/{stored.attachment.file.name}?X-Amz-Expires=60&X-Amz-Signature=abc123"
    )
    assert response["Content-Type"] == "application/pdf"
    assert response["Content-Disposition"].startswith("attachment;")
    assert "filename*=utf-8''%E5%90%88%E4%BD%9C%E5%8D%8F%E8%AE%AE.pdf" in response["Content-Disposition"]
    assert response["X-Content-Type-Options"] == "nosniff"
    assert response["Cache-Control"] == "private, no-store"
    assert FakeObjectStorage.opened == []  # the app never read the object


def test_the_accel_redirect_is_only_given_to_people_who_may_see_the_filing(client, demo, stored, settings):
    settings.DOWNLOAD_ACCEL_PREFIX = "/_object_store/"
    client.force_login(demo.wangwu)  # another unit's applicant
    response = client.get(stored.url)
    assert response.status_code == 404
    assert "X-Accel-Redirect" not in response
    assert stored.attachment.file.name.encode() not in response.content
    client.logout()
    response = client.get(stored.url)
    assert response.status_code == 302 and response["Location"].startswith("/login/")
    assert "X-Accel-Redirect" not in response


def test_without_the_prefix_the_object_is_streamed_in_blocks(client, demo, stored, settings):
    settings.DOWNLOAD_ACCEL_PREFIX = ""
    client.force_login(demo.zhangsan)
    response = client.get(stored.url)
    assert response.status_code == 200
    assert "X-Accel-Redirect" not in response
    assert response.streaming
    assert b"".join(response.streaming_content) == CONTENT
    assert int(response["Content-Length"]) == len(CONTENT)
    assert response["Content-Disposition"].startswith("attachment;")
    assert FakeObjectStorage.opened == []  # not through storage.open (which would spool the whole object)
    # Read in blocks of at most 64 KiB, never the whole object at once.
    assert RecordingBody.reads and all(
        size is not None and 0 < size <= 64 * 1024 for size in RecordingBody.reads
    )
    assert len(RecordingBody.reads) >= len(CONTENT) // (64 * 1024)


def test_a_missing_object_is_a_404_not_a_500(client, demo, stored, settings):
    settings.DOWNLOAD_ACCEL_PREFIX = ""
    stored.attachment.file.storage.delete(stored.attachment.file.name)
    client.force_login(demo.zhangsan)
    assert client.get(stored.url).status_code == 404


def test_the_file_system_default_still_streams_from_disk(client, demo):
    """The default storage (no object store, no prefix) is unchanged."""
    filing = new_filing(demo.zhangsan, demo.business)
    attachment = attach(filing, AttachmentKind.OTHER, demo.zhangsan, content=CONTENT)
    client.force_login(demo.zhangsan)
    response = client.get(f"/filings/{filing.public_id}/attachments/{attachment.public_id}/")
    assert response.status_code == 200 and "X-Accel-Redirect" not in response
    assert b"".join(response.streaming_content) == CONTENT
