"""下载完整材料: 备案表 + attachments with bookmarks; a damaged stored attachment is listed as unavailable."""

import io

from django.core.files.storage import default_storage
from django.urls import reverse
from pypdf import PdfReader

from kechuang.documents import dossier
from kechuang.review import transitions
from tests.factories import pdf_bytes

from .conftest import body, pdf_text


def get(client, filing):
    response = client.get(reverse("documents:dossier", kwargs={"public_id": filing.public_id}))
    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    return body(response)


def outline_titles(reader):
    def walk(items):
        for item in items:
            if isinstance(item, list):
                yield from walk(item)
            else:
                yield item.title

    return list(walk(reader.outline))


def form_pages(client, filing):
    data = body(client.get(reverse("documents:form", kwargs={"public_id": filing.public_id})))
    return len(PdfReader(io.BytesIO(data)).pages)


def test_form_then_every_attachment_with_bookmarks(client, demo, full):
    filing = transitions.submit(full, demo.zhangsan)
    client.force_login(demo.zhangsan)
    reader = PdfReader(io.BytesIO(get(client, filing)))
    attachments = list(filing.attachments.all())
    attachment_pages = sum(len(PdfReader(a.file.open("rb")).pages) for a in attachments)
    assert len(reader.pages) == form_pages(client, filing) + attachment_pages
    titles = outline_titles(reader)
    assert titles[0] == "备案表"
    assert "一、基本信息" in titles and "七、流转记录" in titles
    assert "附件" in titles
    for number, attachment in enumerate(attachments, 1):
        assert any(t.startswith(f"附件{number} ") and attachment.original_name in t for t in titles)
    assert not any("不可用" in t for t in titles)
    assert default_storage.exists(dossier.cache_name(filing, "http://testserver")), "complete: cached"


def test_corrupted_attachment_is_listed_as_unavailable(client, demo, full):
    filing = transitions.submit(full, demo.zhangsan)
    broken = filing.attachments.get(kind=4)
    with open(broken.file.path, "r+b") as handle:  # bit rot on the storage: same size, other bytes
        handle.seek(20)
        handle.write(b"\xff\xfe\xfd")
    missing = filing.attachments.get(kind=2)
    default_storage.delete(missing.file.name)
    client.force_login(demo.zhangsan)
    data = get(client, filing)
    reader, pages = pdf_text(data)
    titles = outline_titles(reader)
    assert any(broken.original_name in t and "不可用" in t and "校验值不符" in t for t in titles)
    assert any(missing.original_name in t and "不可用" in t and "文件缺失" in t for t in titles)
    text = "\n".join(pages)
    assert text.count("附件不可用") == 2
    assert broken.sha256 in text.replace("\n", "")
    intact = filing.attachments.exclude(pk__in=[broken.pk, missing.pk])
    expected = form_pages(client, filing) + sum(len(PdfReader(a.file.open("rb")).pages) for a in intact) + 2
    assert len(reader.pages) == expected
    assert not default_storage.exists(dossier.cache_name(filing, "http://testserver")), (
        "incomplete: not cached"
    )


def test_unparsable_attachment_with_matching_hash_is_unavailable(client, demo, full):
    """A file whose bytes still match its SHA-256 but that qpdf cannot read (stored before a validator change)."""
    filing = full
    bad = filing.attachments.get(kind=4)
    garbage = b"%PDF-1.7\nnot really a pdf"
    with open(bad.file.path, "wb") as handle:
        handle.write(garbage)
    import hashlib

    type(bad).objects.filter(pk=bad.pk).update(sha256=hashlib.sha256(garbage).hexdigest(), size=len(garbage))
    client.force_login(demo.zhangsan)
    reader, pages = pdf_text(get(client, filing))
    assert any("无法解析" in t for t in outline_titles(reader))
    assert pdf_bytes()  # the builder still works for the other files
