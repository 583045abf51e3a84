"""F8 附件: PDF only (by content), size limits enforced while receiving, private download, delete."""

import hashlib
import io
import os
from pathlib import Path

import pytest
from django.conf import settings
from django.contrib.sessions.backends.db import SessionStore
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import RequestFactory
from django.urls import reverse

from kechuang.filings import attachments as attachment_views
from kechuang.filings.models import Attachment, AttachmentKind, Filing, Status
from kechuang.filings.uploads import MB, display_name

from .factories import edit_url, pdf_bytes, pdf_of_size, upload


def add_url(filing, kind):
    return reverse("filings:attachment_add", kwargs={"public_id": filing.public_id, "kind": int(kind)})


def stored_files():
    root = Path(settings.MEDIA_ROOT)
    return sorted(str(p) for p in root.rglob("*") if p.is_file()) if root.exists() else []


def post_file(client, filing, kind, file, **extra):
    return client.post(add_url(filing, kind), {"version": filing.version, "file": file}, **extra)


def test_F8_tab_lists_the_four_kinds_with_the_manual_descriptions(owner, filing):
    html = owner.get(edit_url(filing, "attachments")).content.decode()
    assert (
        "说明：证明申报单位支撑条件的相关材料，如办公实验室、实验设备等图片附件，必须清晰可见，格式限制pdf大小限制10M以内"
        in html
    )
    assert "说明：科技人员交流互访情况附件，必须清晰可见，格式限制pdf大小限制10M以内" in html
    assert "说明：联合培养各类人才情况附件，必须清晰可见，格式限制pdf大小限制10M以内" in html
    assert "说明：其他自愿提供的辅助材料附件，必须清晰可见，格式限制pdf大小限制20M以内" in html
    assert html.count('accept="application/pdf"') == 4
    assert html.count(">添加附件<") == 4


def test_F8_a_valid_pdf_is_stored_under_a_random_name_with_size_and_hash(owner, filing, demo):
    data = pdf_bytes(pages=2)
    response = post_file(
        owner, filing, AttachmentKind.CONDITIONS, upload("实验室照片.pdf", data), follow=True
    )
    assert response.status_code == 200
    assert "提示：附件上传成功" in response.content.decode()
    attachment = Attachment.objects.get(filing=filing)
    assert attachment.kind == AttachmentKind.CONDITIONS
    assert attachment.original_name == "实验室照片.pdf"
    assert attachment.size == len(data)
    assert attachment.sha256 == hashlib.sha256(data).hexdigest()
    assert attachment.uploaded_by == demo.zhangsan
    assert "实验室照片" not in attachment.file.name and attachment.file.name.endswith(".pdf")
    assert Path(attachment.file.path).read_bytes() == data
    assert Filing.objects.get(pk=filing.pk).version == filing.version + 1
    html = response.content.decode()
    assert f"pdf {len(data) / 1024:.1f}KB | " in html
    assert ">下载<" in html and ">删除<" in html


def test_F8_size_shows_as_in_the_manual(owner, filing):
    post_file(owner, filing, AttachmentKind.OTHER, upload("big.pdf", pdf_of_size(MB + 50_000)))
    html = owner.get(edit_url(filing, "attachments")).content.decode()
    assert "pdf 1.0MB | " in html


@pytest.mark.parametrize(
    ("name", "data", "message"),
    [
        ("x.pdf", b"MZ\x90\x00\x03\x00\x00\x00" + b"\x00" * 2000, "内容不是PDF"),
        ("half.pdf", pdf_bytes(pages=3)[: len(pdf_bytes(pages=3)) // 2], "PDF文件不完整"),
        ("empty.pdf", b"", "文件为空"),
        ("fake.pdf", b"%PDF-1.7\ngarbage garbage\n%%EOF\n", "无法读取该PDF文件"),
    ],
    ids=["renamed-exe", "truncated", "empty", "broken"],
)
def test_F8_non_pdf_content_is_refused_and_nothing_stored(owner, filing, name, data, message):
    response = post_file(owner, filing, AttachmentKind.CONDITIONS, SimpleUploadedFile(name, data))
    assert response.status_code == 400
    assert message in response.content.decode()
    assert not Attachment.objects.exists()
    assert stored_files() == []
    assert Filing.objects.get(pk=filing.pk).version == filing.version


@pytest.mark.parametrize(
    ("kind", "size"),
    [(AttachmentKind.CONDITIONS, 10 * MB + 1), (AttachmentKind.OTHER, 20 * MB + 1)],
    ids=["kind1-10MB+1", "kind4-20MB+1"],
)
def test_F8_one_byte_over_the_limit_is_refused_while_receiving(owner, filing, kind, size):
    response = post_file(owner, filing, kind, SimpleUploadedFile("big.pdf", pdf_of_size(size)))
    assert response.status_code == 413
    assert f"大小限制为{size // MB}M以内" in response.content.decode()
    assert not Attachment.objects.exists()
    assert stored_files() == []


def test_F8_exactly_at_the_limit_is_accepted(owner, filing):
    response = post_file(
        owner, filing, AttachmentKind.EXCHANGES, SimpleUploadedFile("ok.pdf", pdf_of_size(10 * MB))
    )
    assert response.status_code == 302
    assert Attachment.objects.get().size == 10 * MB


def test_F8_kind_two_limit_is_10MB_but_kind_four_takes_15MB(owner, filing):
    data = pdf_of_size(15 * MB)
    assert (
        post_file(owner, filing, AttachmentKind.TRAINING, SimpleUploadedFile("a.pdf", data)).status_code
        == 413
    )
    filing.refresh_from_db()
    assert (
        post_file(owner, filing, AttachmentKind.OTHER, SimpleUploadedFile("a.pdf", data)).status_code == 302
    )
    assert list(Attachment.objects.values_list("kind", flat=True)) == [AttachmentKind.OTHER]


class CountingStream(io.RawIOBase):
    """Wraps the request body and counts what the view reads of it."""

    def __init__(self, data):
        self.inner = io.BytesIO(data)
        self.read_bytes = 0

    def readable(self):
        return True

    def read(self, size=-1):
        chunk = self.inner.read(size)
        self.read_bytes += len(chunk)
        return chunk

    def readline(self, size=-1):
        line = self.inner.readline(size)
        self.read_bytes += len(line)
        return line


def test_F8_an_oversize_content_length_is_refused_before_reading_the_body(demo, filing):
    """A 25 MB upload for ④ (limit 20M): 413 from the Content-Length alone, zero body bytes read."""
    factory = RequestFactory()
    body_request = factory.post(
        add_url(filing, 4), {"version": filing.version, "file": SimpleUploadedFile("x.pdf", b"0" * (25 * MB))}
    )
    body = body_request.read()
    request = factory.generic(
        "POST", add_url(filing, 4), data=b"", content_type=body_request.META["CONTENT_TYPE"]
    )
    stream = CountingStream(body)
    request.META["CONTENT_LENGTH"] = str(len(body))
    request._stream = stream
    request.user = demo.zhangsan
    request.session = SessionStore()
    response = attachment_views.attachment_add(request, public_id=filing.public_id, kind=4)
    assert response.status_code == 413
    assert stream.read_bytes == 0
    assert not Attachment.objects.exists() and stored_files() == []


def test_F8_big_uploads_stream_to_temporary_files_not_memory():
    assert settings.FILE_UPLOAD_MAX_MEMORY_SIZE == 2 * MB


def test_F8_upload_without_file_or_version_is_400(owner, filing):
    response = owner.post(add_url(filing, 1), {"version": filing.version})
    assert response.status_code == 400
    assert "请选择要上传的PDF文件" in response.content.decode()
    response = owner.post(add_url(filing, 1), {"file": upload()})
    assert response.status_code == 400
    assert not Attachment.objects.exists() and stored_files() == []


def test_F8_unknown_kind_is_404(owner, filing):
    assert post_file(owner, filing, 5, upload()).status_code == 404


def test_F8_stale_version_upload_is_409_and_nothing_stored(owner, filing):
    Filing.objects.filter(pk=filing.pk).update(version=filing.version + 1)
    response = post_file(owner, filing, 1, upload())
    assert response.status_code == 409
    assert not Attachment.objects.exists() and stored_files() == []


def test_F8_upload_csrf_is_still_checked(demo, filing):
    from django.test import Client

    client = Client(enforce_csrf_checks=True)
    client.force_login(demo.zhangsan)
    response = post_file(client, filing, 1, upload())
    assert response.status_code == 403
    assert not Attachment.objects.exists()


def test_F8_xhr_upload_gets_json(owner, filing):
    headers = {"headers": {"X-Requested-With": "XMLHttpRequest"}}
    response = post_file(owner, filing, 1, upload(), **headers)
    assert response.status_code == 200
    assert response.json() == {"location": edit_url(filing, "attachments") + "#kind-1"}
    filing.refresh_from_db()
    response = post_file(owner, filing, 2, SimpleUploadedFile("x.pdf", b"MZ" + b"\0" * 100), **headers)
    assert response.status_code == 400
    assert "内容不是PDF" in response.json()["errors"][0]


def multipart_with_raw_filename(filename, data, version, boundary="BoUnDaRy"):
    parts = [
        f'--{boundary}\r\nContent-Disposition: form-data; name="version"\r\n\r\n{version}\r\n'.encode(),
        f'--{boundary}\r\nContent-Disposition: form-data; name="file"; filename="{filename}"\r\n'
        "Content-Type: application/pdf\r\n\r\n".encode(),
        data,
        f"\r\n--{boundary}--\r\n".encode(),
    ]
    return b"".join(parts), f"multipart/form-data; boundary={boundary}"


@pytest.mark.parametrize(
    ("raw", "shown"),
    [("../../etc/passwd.pdf", "passwd.pdf"), ("..\\..\\boot.pdf", "boot.pdf"), ("报告😀.pdf", "报告😀.pdf")],
    ids=["dot-dot-slash", "backslashes", "emoji"],
)
def test_F8_file_names_are_sanitised_for_display_and_never_used_for_storage(owner, filing, raw, shown):
    body, content_type = multipart_with_raw_filename(raw, pdf_bytes(), filing.version)
    response = owner.post(add_url(filing, 1), data=body, content_type=content_type)
    assert response.status_code == 302
    attachment = Attachment.objects.get()
    assert attachment.original_name == shown
    assert attachment.file.name.startswith("attachments/")
    assert ".." not in attachment.file.name and shown.removesuffix(".pdf") not in attachment.file.name
    for path in stored_files():
        assert Path(path).resolve().is_relative_to(Path(settings.MEDIA_ROOT).resolve())


def test_F8_display_name_removes_paths_controls_and_bidi_overrides():
    assert display_name("C:\\Users\\a\\..\\x.pdf") == "x.pdf"
    assert display_name("a/b/../c.pdf") == "c.pdf"
    assert display_name("bad\x00\x1fname\u202efdp.exe") == "badnamefdp.exe"
    assert display_name("🎉成果.pdf") == "🎉成果.pdf"
    assert display_name("../") == "附件.pdf"
    assert len(display_name("长" * 300 + ".pdf")) <= 200 and display_name("长" * 300 + ".pdf").endswith(
        ".pdf"
    )


# --- download ----------------------------------------------------------------------------------------------


def download_url(attachment):
    return reverse(
        "filings:attachment",
        kwargs={"public_id": attachment.filing.public_id, "attachment_id": attachment.public_id},
    )


def test_F8_owner_downloads_the_same_bytes_as_an_attachment(owner, filing):
    data = pdf_bytes(pages=3)
    post_file(owner, filing, 1, upload("实验室.pdf", data))
    response = owner.get(download_url(Attachment.objects.get()))
    assert response.status_code == 200
    assert b"".join(response.streaming_content) == data
    assert response["Content-Type"] == "application/pdf"
    assert response["X-Content-Type-Options"] == "nosniff"
    assert response["Content-Disposition"].startswith("attachment;")


@pytest.mark.parametrize("username", ["lisi", "wangwu", "xcl_admin", "hrb_reviewer"])
def test_W9_F8_others_get_404_on_download(client, owner, filing, username):
    from kechuang.accounts.models import User

    post_file(owner, filing, 1, upload())
    attachment = Attachment.objects.get()
    client.force_login(User.objects.get(username=username))
    assert client.get(download_url(attachment)).status_code == 404


def test_W9_unit_admin_of_the_unit_may_download(client, owner, filing, demo):
    post_file(owner, filing, 1, upload())
    client.force_login(demo.sldx_admin)
    assert client.get(download_url(Attachment.objects.get())).status_code == 200


# --- delete ------------------------------------------------------------------------------------------------


def test_F8_delete_asks_then_removes_the_row_and_the_file_after_commit(
    owner, filing, django_capture_on_commit_callbacks
):
    post_file(owner, filing, 1, upload())
    attachment = Attachment.objects.get()
    path = attachment.file.path
    filing.refresh_from_db()
    url = reverse(
        "filings:attachment_delete",
        kwargs={"public_id": filing.public_id, "attachment_id": attachment.public_id},
    )
    confirm = owner.get(url)
    assert confirm.status_code == 200 and "确定要删除附件“材料.pdf”吗" in confirm.content.decode()
    assert os.path.exists(path)
    with django_capture_on_commit_callbacks(execute=True):
        response = owner.post(url, {"version": filing.version})
    assert response.status_code == 302
    assert not Attachment.objects.exists()
    assert not os.path.exists(path)


def test_F9_no_uploads_or_deletes_after_submission(owner, filing, demo):
    post_file(owner, filing, 1, upload())
    attachment = Attachment.objects.get()
    Filing.objects.filter(pk=filing.pk).update(status=Status.IN_REVIEW)
    filing.refresh_from_db()
    assert post_file(owner, filing, 2, upload()).status_code == 403
    url = reverse(
        "filings:attachment_delete",
        kwargs={"public_id": filing.public_id, "attachment_id": attachment.public_id},
    )
    assert owner.post(url, {"version": filing.version}).status_code == 403
    assert Attachment.objects.count() == 1
