"""Builders for filing tests: PDFs of a given size, uploads, tab URLs and form payloads (the rest: tests.factories)."""

from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from kechuang.filings.models import CooperationCategory
from tests.factories import add_partner, attach, complete_filing, new_filing, pdf_bytes  # noqa: F401


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
