"""Small builders for filing tests: real PDFs (made with pypdf), filings in a given state, form payloads."""

import datetime
import io

from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from pypdf import PdfWriter

from kechuang.filings.models import Attachment, AttachmentKind, CooperationCategory, Filing, OverseasPartner
from kechuang.filings.services import create_filing


def pdf_bytes(pages=1, padding=0):
    """A valid PDF; ``padding`` bytes of an embedded file make it as big as a test needs."""
    writer = PdfWriter()
    for _ in range(pages):
        writer.add_blank_page(width=200, height=200)
    if padding:
        writer.add_attachment("padding.bin", b"\0" * padding)
    buffer = io.BytesIO()
    writer.write(buffer)
    return buffer.getvalue()


def pdf_of_size(size):
    """A valid PDF of exactly ``size`` bytes."""
    padding = max(size - len(pdf_bytes()), 0)
    for _ in range(10):
        data = pdf_bytes(padding=padding)
        if len(data) == size:
            return data
        padding += size - len(data)
    raise AssertionError(f"could not build a PDF of {size} bytes")


def upload(name="材料.pdf", data=None):
    return SimpleUploadedFile(name, pdf_bytes() if data is None else data, content_type="application/pdf")


def new_filing(user, business, **fields):
    filing = create_filing(business, user)
    if fields:
        Filing.objects.filter(pk=filing.pk).update(**fields)
        filing.refresh_from_db()
    return filing


def add_partner(filing, country="DE", name="德国某大学", **fields):
    return OverseasPartner.objects.create(
        filing=filing,
        country=country,
        name_zh=name,
        name_original=fields.pop("name_original", "Universität"),
        partner_type=fields.pop("partner_type", "university"),
        started_on=fields.pop("started_on", datetime.date(2024, 3, 1)),
        content=fields.pop("content", "联合研究"),
        **fields,
    )


def add_attachment_row(filing, kind, user, name="材料.pdf"):
    return Attachment.objects.create(
        filing=filing,
        kind=kind,
        file=SimpleUploadedFile(name, pdf_bytes()),
        original_name=name,
        size=len(pdf_bytes()),
        sha256="0" * 64,
        uploaded_by=user,
    )


def complete_filing(user, business):
    """A filing that passes every 上报 check (completeness.missing_items is empty)."""
    filing = new_filing(user, business)
    add_partner(filing, "DE")
    add_partner(filing, "US", "美国某研究所")
    Filing.objects.filter(pk=filing.pk).update(
        name="寒地新材料国际联合实验室",
        cooperation_category=CooperationCategory.objects.get(name="国际联合实验室"),
        main_country="DE",
        second_country="US",
        industries=["materials", "equipment"],
        basic_situation="平台基本情况。",
        cooperation_basis="国际合作基础。",
        goals_and_tasks="合作目标与任务。",
        conditions="条件保障。",
    )
    for kind in (AttachmentKind.CONDITIONS, AttachmentKind.EXCHANGES, AttachmentKind.TRAINING):
        add_attachment_row(filing, kind, user)
    filing.refresh_from_db()
    return filing


def edit_url(filing, tab):
    return reverse("filings:edit", kwargs={"public_id": filing.public_id, "tab": tab})


def basic_payload(filing, **overrides):
    data = {
        "version": filing.version,
        "name": "寒地新材料国际联合实验室",
        "cooperation_category": CooperationCategory.objects.get(name="国际联合实验室").pk,
        "main_country": "",
        "second_country": "",
        "industries": ["materials"],
        "address": "哈尔滨市南岗区示例路1号",
        "founded_on": "2020-05-01",
        "contact_name": "赵老师",
        "contact_phone": "0451-86400001",
    }
    data.update(overrides)
    return {k: v for k, v in data.items() if v is not None}
