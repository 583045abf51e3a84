"""Builders shared by every test package: real PDFs, complete filings, and filings moved along the stages.

Filings are created through the same service as 在线申报 (so the snapshots are the real ones) and moved only
through kechuang.review.transitions — never by setting a status by hand.
"""

import datetime
import hashlib
import io

from django.core.files.base import ContentFile
from pypdf import PdfWriter

from kechuang.filings.completeness import REQUIRED_ATTACHMENTS
from kechuang.filings.models import Attachment, CooperationCategory, Filing, OverseasPartner
from kechuang.filings.services import create_filing
from kechuang.review import transitions


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


PDF = pdf_bytes()


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


def attach(filing, kind, owner, content=PDF, name="材料.pdf"):
    """An attachment row with its file really stored (random name) and its true size and sha256."""
    return Attachment.objects.create(
        filing=filing,
        kind=kind,
        file=ContentFile(content, name="a.pdf"),
        original_name=name,
        size=len(content),
        sha256=hashlib.sha256(content).hexdigest(),
        uploaded_by=owner,
    )


def complete_filing(owner, business, name="中德先进材料联合实验室", **fields):
    """A draft with everything 上报 requires (F9): snapshots, partners and their countries, content, ①–③."""
    filing = new_filing(
        owner,
        business,
        name=name,
        cooperation_category=CooperationCategory.objects.get(name="国际联合实验室"),
        main_country="DE",
        second_country="US",
        industries=["materials", "equipment"],
        basic_situation="平台基本情况。",
        cooperation_basis="国际合作基础。",
        goals_and_tasks="合作目标与任务。",
        conditions="条件保障。",
        **fields,
    )
    add_partner(filing, "DE", "德国示例大学", name_original="Beispiel-Universität")
    add_partner(filing, "US", "美国某研究所", name_original="Example Institute")
    for kind in REQUIRED_ATTACHMENTS:
        # Distinct bytes per file, so byte-for-byte checks (backups) can tell them apart.
        attach(
            filing, kind, owner, content=PDF + f"% {name} {int(kind)}\n".encode(), name=f"附件{int(kind)}.pdf"
        )
    filing.refresh_from_db()
    return filing


def submitted_filing(demo, owner=None, name="中德先进材料联合实验室"):
    """A filing of ``owner`` (default zhangsan) just submitted: waiting at 申报单位审核."""
    owner = owner or demo.zhangsan
    return transitions.submit(complete_filing(owner, demo.business, name=name), owner)


def reviewers_for(demo, filing):
    """The unit administrator and competent-department reviewer of the filing's unit, and the province."""
    unit_admin = demo.sldx_admin if filing.unit_id == demo.sldx_admin.unit_id else demo.xcl_admin
    same_department = filing.unit.department_id == demo.edu_reviewer.department_id
    return [unit_admin, demo.edu_reviewer if same_department else demo.hrb_reviewer, demo.kjt_reviewer]


def at_stage(demo, order, owner=None, name="中德先进材料联合实验室"):
    """A submitted filing approved until it waits at the stage with this order (1, 2 or 3)."""
    filing = submitted_filing(demo, owner, name)
    for reviewer in reviewers_for(demo, filing)[: order - 1]:
        filing = transitions.approve(filing, reviewer)
    return filing
