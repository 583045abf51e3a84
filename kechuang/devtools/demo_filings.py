"""Demo filings for `make run` (``load_demo --with-filings``): filings in every stage, so 统计分析 has numbers,
and one published 公示 batch in its 公示期, so 公示公告 and 提出异议 can be tried on first start.

Filings are created as 在线申报 creates them (filings.services.create_filing) and moved only by
review.transitions, as a person would move them. Idempotent: a filing whose name exists is not made again; the
batch's 公示期 is moved to include today on every run, so the demo stays in its period.
"""

import datetime
import hashlib
import io

from django.core.files.base import ContentFile
from django.utils import timezone
from pypdf import PdfWriter

from kechuang.accounts.models import User
from kechuang.filings.completeness import REQUIRED_ATTACHMENTS
from kechuang.filings.models import Attachment, CooperationCategory, Filing, OverseasPartner
from kechuang.filings.services import create_filing
from kechuang.publicity.models import BatchFiling, PublicityBatch
from kechuang.review import transitions

BATCH_TITLE = "2026年第一批省国际科技合作平台备案公示（示例）"

# name, owner, countries (main, second, partners), industries, where it ends
FILINGS = [
    ("示例：中德先进材料联合实验室", "zhangsan", ("DE", "FR"), ["materials", "equipment"], "done"),
    ("示例：中俄寒地农业国际联合研究中心", "zhangsan", ("RU", "BY"), ["agri_machinery", "food"], "done"),
    ("示例：中日冰雪装备技术转移中心", "lisi", ("JP", "KR"), ["ice_snow", "equipment"], "done"),
    ("示例：中英生物医药国际合作基地", "lisi", ("GB", "US"), ["bio", "medicine"], "done"),
    ("示例：中韩高分子材料联合实验室", "wangwu", ("KR", "JP"), ["materials", "chemical"], "done"),
    ("示例：中意工业设计联合研究中心", "zhangsan", ("IT", "DE"), ["creative"], "s3"),
    ("示例：中法航空材料联合实验室", "wangwu", ("FR", "IT"), ["aerospace", "materials"], "s3"),
    ("示例：中白智能农机联合研究中心", "lisi", ("BY", "RU"), ["agri_machinery"], "s2"),
    ("示例：中加数字经济国际合作基地", "wangwu", ("CA", "US"), ["digital", "info_services"], "s2"),
    ("示例：中芬能源技术联合实验室", "zhangsan", ("FI", "SE"), ["energy"], "s1"),
    ("示例：中新现代物流国际合作基地", "wangwu", ("SG", "MY"), ["logistics"], "s1"),
    ("示例：中澳食品安全联合研究中心", "lisi", ("AU", "NZ"), ["food"], "returned"),
    ("示例：中美电子信息联合实验室", "wangwu", ("US", "CA"), ["electronics"], "rejected"),
    ("示例：中瑞康养技术联合研究中心", "zhangsan", ("CH", "AT"), ["wellness_tourism"], "draft"),
]
IN_BATCH = 4  # the first four completed filings are in the published batch


def _pdf(label):
    writer = PdfWriter()
    writer.add_blank_page(width=200, height=200)
    writer.add_metadata({"/Title": label})
    buffer = io.BytesIO()
    writer.write(buffer)
    return buffer.getvalue()


def _complete(business, owner, name, countries, industries):
    filing = create_filing(business, owner)
    main, second = countries
    Filing.objects.filter(pk=filing.pk).update(
        name=name,
        cooperation_category=CooperationCategory.objects.order_by("order").first(),
        main_country=main,
        second_country=second,
        industries=industries,
        address=owner.unit.address,
        founded_on=datetime.date(2020, 9, 1),
        contact_name=owner.name,
        contact_phone="0451-86400100",
        basic_situation=f"{name}依托{owner.unit.name}建设，开展长期稳定的国际科技合作。",
        cooperation_basis="近二年与合作方开展人员互访、联合研究和联合培养。",
        goals_and_tasks="围绕重点产业方向开展联合攻关和成果转化。",
        conditions="依托单位提供实验室、仪器设备和配套经费保障。",
        exchange_visits=12,
        joint_training=5,
    )
    for country in (main, second):
        OverseasPartner.objects.create(
            filing=filing,
            country=country,
            name_zh=f"{country}示例合作大学",
            name_original="Example University",
            partner_type="university",
            started_on=datetime.date(2023, 3, 1),
            content="联合研究与人才培养",
        )
    for kind in REQUIRED_ATTACHMENTS:
        content = _pdf(f"{name} {int(kind)}")
        Attachment.objects.create(
            filing=filing,
            kind=kind,
            file=ContentFile(content, name="demo.pdf"),
            original_name=f"附件{int(kind)}.pdf",
            size=len(content),
            sha256=hashlib.sha256(content).hexdigest(),
            uploaded_by=owner,
        )
    filing.refresh_from_db()
    return filing


def _reviewers(people, filing):
    unit_admin = (
        people["sldx_admin"] if filing.unit_id == people["sldx_admin"].unit_id else people["xcl_admin"]
    )
    same = filing.unit.department_id == people["edu_reviewer"].department_id
    return [unit_admin, people["edu_reviewer"] if same else people["hrb_reviewer"], people["kjt_reviewer"]]


def _move(people, filing, end):
    """Submit and review ``filing`` until it is where ``end`` says, through the transitions."""
    if end == "draft":
        return filing
    owner = filing.owner
    filing = transitions.submit(filing, owner)
    reviewers = _reviewers(people, filing)
    steps = {"s1": 0, "s2": 1, "s3": 2, "returned": 1, "rejected": 2, "done": 3}[end]
    for reviewer in reviewers[:steps]:
        filing = transitions.approve(filing, reviewer, "同意")
    if end == "returned":
        filing = transitions.return_(filing, reviewers[1], "请补充近二年合作协议。")
    elif end == "rejected":
        filing = transitions.reject(filing, reviewers[2], "合作基础不足，不予备案。")
    return filing


def load(business):
    people = {u.username: u for u in User.objects.select_related("unit")}
    existing = set(Filing.objects.filter(business=business).values_list("name", flat=True))
    made = 0
    for name, owner, countries, industries, end in FILINGS:
        if name in existing:
            continue
        filing = _complete(business, people[owner], name, countries, industries)
        _move(people, filing, end)
        made += 1
    today = timezone.localdate()
    batch, created = PublicityBatch.objects.update_or_create(
        title=BATCH_TITLE,
        defaults={
            "start_on": today - datetime.timedelta(days=2),
            "end_on": today + datetime.timedelta(days=5),
            "created_by": people["kjt_reviewer"],
        },
    )
    if batch.published_at is None:
        batch.published_at = timezone.now()
        batch.save(update_fields=["published_at"])
    done = Filing.objects.filter(
        business=business, name__in=[f[0] for f in FILINGS if f[4] == "done"], status="done"
    )
    for filing in done.order_by("pk")[:IN_BATCH]:
        BatchFiling.objects.get_or_create(batch=batch, filing=filing)
    return made
