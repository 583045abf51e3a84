"""Builders for the security tests: filings in the states the access matrix and reliability tests need."""

import datetime
import hashlib

from django.core.files.base import ContentFile

from kechuang.filings.completeness import REQUIRED_ATTACHMENTS
from kechuang.filings.models import Attachment, CooperationCategory, Filing, OverseasPartner
from kechuang.review import transitions

PDF = b"%PDF-1.4\n1 0 obj<</Type/Catalog/Pages 2 0 R>>endobj\n2 0 obj<</Type/Pages/Kids[]/Count 0>>endobj\ntrailer<</Root 1 0 R>>\n%%EOF\n"


def attach(filing, kind, owner, content=PDF, name="材料.pdf"):
    return Attachment.objects.create(
        filing=filing,
        kind=kind,
        file=ContentFile(content, name="a.pdf"),
        original_name=name,
        size=len(content),
        sha256=hashlib.sha256(content).hexdigest(),
        uploaded_by=owner,
    )


def complete_filing(owner, business, name):
    """A draft with everything 上报 requires (F9): snapshots, partner + countries, content, attachments ①–③."""
    filing = Filing.objects.create(
        business=business,
        owner=owner,
        unit=owner.unit,
        name=name,
        cooperation_category=CooperationCategory.objects.order_by("order").first(),
        main_country="DE",
        industries=["materials"],
        unit_name=owner.unit.name,
        unit_credit_code=owner.unit.credit_code,
        leader_name=owner.name,
        leader_id_type=owner.id_type,
        leader_id_number=owner.id_number,
        basic_situation="平台基本情况。",
        cooperation_basis="国际合作基础。",
        goals_and_tasks="合作目标与任务。",
        conditions="条件保障。",
    )
    OverseasPartner.objects.create(
        filing=filing,
        country="DE",
        name_zh="德国示例大学",
        name_original="Beispiel-Universität",
        partner_type="university",
        started_on=datetime.date(2024, 3, 1),
        content="联合研究",
    )
    for kind in REQUIRED_ATTACHMENTS:
        attach(filing, kind, owner, content=PDF + f"% {name} {int(kind)}\n".encode())
    return filing


def unit_admin_of(demo, filing):
    return demo.sldx_admin if filing.unit_id == demo.sldx_admin.unit_id else demo.xcl_admin


def department_reviewer_of(demo, filing):
    return (
        demo.edu_reviewer
        if filing.unit.department_id == demo.edu_reviewer.department_id
        else demo.hrb_reviewer
    )


def at_stage(demo, owner, name, order):
    """A filing submitted by ``owner`` and approved until it waits at stage ``order`` (1–3)."""
    filing = transitions.submit(complete_filing(owner, demo.business, name), owner)
    for reviewer in [unit_admin_of(demo, filing), department_reviewer_of(demo, filing), demo.kjt_reviewer][
        : order - 1
    ]:
        filing = transitions.approve(filing, reviewer)
    return filing
