"""Upload attacks beyond the filing tests' (F8, 等保2.0 入侵防范).

Decision (docs/security.md): a PDF is accepted when it is a readable PDF, whatever it contains — JavaScript
included, since legitimate PDFs carry forms and scripts and we cannot judge them. What makes that safe is how
files come back: only through the download view, always ``Content-Disposition: attachment`` with
``Content-Type: application/pdf``, ``X-Content-Type-Options: nosniff``, the strict CSP and ``no-store``; a
browser never renders an attachment inline in our origin. Files that are not PDFs are refused; malformed page
trees and compression bombs must neither hang the server nor give a 500.
"""

import time
from pathlib import Path

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from kechuang.filings.models import Attachment, AttachmentKind, Filing

from . import hostile, pdfs
from .factories import complete_filing

TIME_LIMIT = 15  # seconds; a parser that flattens a 10^6-page tree or inflates a bomb would blow past this


@pytest.fixture
def draft(demo, client):
    client.force_login(demo.zhangsan)
    return complete_filing(demo.zhangsan, demo.business, "上传攻击平台")


def upload(client, filing, content, name="攻击.pdf", kind=AttachmentKind.OTHER):
    version = Filing.objects.values_list("version", flat=True).get(pk=filing.pk)
    url = reverse("filings:attachment_add", kwargs={"public_id": filing.public_id, "kind": int(kind)})
    started = time.monotonic()
    response = client.post(url, {"version": version, "file": SimpleUploadedFile(name, content)})
    elapsed = time.monotonic() - started
    assert response.status_code in (302, 400, 413), response.status_code
    assert elapsed < TIME_LIMIT, f"upload took {elapsed:.1f}s"
    hostile.check_invariants()
    return response


def assert_served_as_download_only(client, filing, attachment):
    url = reverse(
        "filings:attachment", kwargs={"public_id": filing.public_id, "attachment_id": attachment.public_id}
    )
    response = client.get(url)
    assert response.status_code == 200
    assert response["Content-Disposition"].startswith("attachment;")
    assert response["Content-Type"] == "application/pdf"
    assert response["X-Content-Type-Options"] == "nosniff"
    assert "no-store" in response["Cache-Control"]
    csp = response["Content-Security-Policy"]
    assert "script-src 'self'" in csp and "unsafe-inline" not in csp
    return b"".join(response.streaming_content)


ACCEPTED = {
    "pdf_with_javascript": pdfs.with_javascript,
    "pdf_zip_polyglot": pdfs.pdf_zip_polyglot,
    "pdf_html_polyglot": pdfs.pdf_html_polyglot,
    "deflate_bomb": pdfs.deflate_bomb,
}


@pytest.mark.django_db
@pytest.mark.parametrize("attack", sorted(ACCEPTED))
def test_readable_pdfs_with_hostile_payloads_are_kept_but_only_ever_downloaded(client, draft, attack):
    content = ACCEPTED[attack]()
    before = draft.attachments.count()
    response = upload(client, draft, content)
    assert response.status_code == 302, response.content.decode()[:500]
    assert draft.attachments.count() == before + 1
    attachment = draft.attachments.order_by("-uploaded_at", "-id").first()
    assert assert_served_as_download_only(client, draft, attachment) == content


@pytest.mark.django_db
def test_html_named_pdf_is_refused(client, draft):
    before = set(Attachment.objects.values_list("pk", flat=True))
    response = upload(client, draft, pdfs.html_named_pdf(), name="报告.pdf")
    assert response.status_code == 400
    assert "只能上传PDF格式的文件" in response.content.decode()
    assert set(Attachment.objects.values_list("pk", flat=True)) == before


PAGE_TREES = {
    "claims_million_pages": pdfs.claims_million_pages,
    "million_leaf_tree": pdfs.million_leaf_tree,
    "cyclic_page_tree": pdfs.cyclic_page_tree,
}


@pytest.mark.django_db
@pytest.mark.parametrize("attack", sorted(PAGE_TREES))
def test_hostile_page_trees_neither_hang_nor_crash(client, draft, attack):
    """Whether such a file is kept (it opens, pypdf trusts /Count) or refused (unreadable), the answer comes at
    once and is never a 500; if kept, it is served like any attachment."""
    response = upload(client, draft, PAGE_TREES[attack]())
    assert response.status_code in (302, 400)
    if response.status_code == 302:
        attachment = draft.attachments.order_by("-uploaded_at", "-id").first()
        assert_served_as_download_only(client, draft, attachment)
    else:
        assert "PDF" in response.content.decode()


@pytest.mark.django_db
def test_two_gigabyte_declared_upload_is_refused_at_once_without_reading(client, draft):
    url = reverse(
        "filings:attachment_add", kwargs={"public_id": draft.public_id, "kind": int(AttachmentKind.OTHER)}
    )
    started = time.monotonic()
    response = client.generic(
        "POST",
        url,
        b"--x\r\n",
        content_type="multipart/form-data; boundary=x",
        CONTENT_LENGTH=str(2 * 1024**3),
    )
    assert response.status_code == 413
    assert time.monotonic() - started < 2
    assert draft.attachments.count() == 3


@pytest.mark.django_db
@pytest.mark.parametrize(
    "name",
    ["../../../../etc/passwd.pdf", "C:\\Windows\\system32\\x.pdf", "a\x00b.pdf", "\u202efdp.exe", "x" * 400],
)
def test_hostile_file_names_never_reach_the_disk(client, draft, settings, name):
    response = upload(client, draft, pdfs.one_page(), name=name)
    assert response.status_code == 302
    attachment = draft.attachments.order_by("-uploaded_at", "-id").first()
    stored = Path(settings.MEDIA_ROOT, attachment.file.name).resolve()
    assert stored.is_relative_to(Path(settings.MEDIA_ROOT, "attachments").resolve())
    assert stored.suffix == ".pdf" and len(stored.stem) == 32  # a random name, nothing of the user's
    for bad in ("/", "\\", "\x00", "\u202e"):
        assert bad not in attachment.original_name
    assert len(attachment.original_name) <= 255
