"""Small builders for review tests: a filing complete enough to pass 上报 (F9), and moves along the stages."""

import datetime

from django.core.files.base import ContentFile

from kechuang.filings.completeness import REQUIRED_ATTACHMENTS
from kechuang.filings.models import Attachment, CooperationCategory, Filing, OverseasPartner
from kechuang.review import transitions

PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"


def complete_filing(owner, business, name="中德先进材料联合实验室", **fields):
    """A draft owned by ``owner`` with every item 上报 requires: snapshots, countries, content, attachments ①–③."""
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
        leader_id_number=owner.id_number,
        leader_id_type=owner.id_type,
        basic_situation="平台基本情况。",
        cooperation_basis="国际合作基础。",
        goals_and_tasks="合作目标与任务。",
        conditions="条件保障。",
        **fields,
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
        Attachment.objects.create(
            filing=filing,
            kind=kind,
            file=ContentFile(PDF, name="a.pdf"),
            original_name=f"附件{int(kind)}.pdf",
            size=len(PDF),
            sha256="0" * 64,
            uploaded_by=owner,
        )
    return filing


def submitted_filing(demo, owner=None, name="中德先进材料联合实验室"):
    """A filing of ``owner`` (default zhangsan) just submitted: waiting at 申报单位审核."""
    owner = owner or demo.zhangsan
    return transitions.submit(complete_filing(owner, demo.business, name=name), owner)


def reviewers_for(demo, filing):
    """The unit administrator and competent-department reviewer of the filing's unit, and the province."""
    unit_admin = demo.sldx_admin if filing.unit_id == demo.sldx_admin.unit_id else demo.xcl_admin
    department = (
        demo.edu_reviewer
        if filing.unit.department_id == demo.edu_reviewer.department_id
        else demo.hrb_reviewer
    )
    return [unit_admin, department, demo.kjt_reviewer]


def at_stage(demo, order, owner=None, name="中德先进材料联合实验室"):
    """A submitted filing moved by approvals until it waits at the stage with this order (1, 2 or 3)."""
    filing = submitted_filing(demo, owner, name)
    for reviewer in reviewers_for(demo, filing)[: order - 1]:
        filing = transitions.approve(filing, reviewer)
    return filing


def waiting_in_bulk(demo, count, order=3, owner=None):
    """``count`` filings waiting at the stage with ``order``, created in one query (for query-count tests)."""
    from django.utils import timezone

    from kechuang.filings.models import Status
    from kechuang.review.models import Stage

    owner = owner or demo.zhangsan
    stage = Stage.objects.get(business=demo.business, order=order)
    now = timezone.now()
    return Filing.objects.bulk_create(
        Filing(
            business=demo.business,
            owner=owner,
            unit=owner.unit,
            name=f"批量平台{i:03d}",
            unit_name=owner.unit.name,
            leader_name=owner.name,
            status=Status.IN_REVIEW,
            stage=stage,
            first_submitted_at=now,
            submitted_at=now,
        )
        for i in range(count)
    )
