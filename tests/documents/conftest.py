"""Builders for the documents tests: a full filing (3 partners, 10 members, projects, results, 4 attachments)."""

import datetime
import io
import re
import shutil
import subprocess

import pytest
from pypdf import PdfReader

from kechuang.filings.models import AttachmentKind, JointProject, JointResult, Member
from tests.factories import add_partner, attach, complete_filing, pdf_bytes

ZBARIMG = shutil.which("zbarimg")


def full_filing(owner, business, name="中德先进材料联合实验室"):
    filing = complete_filing(
        owner,
        business,
        name=name,
        address="哈尔滨市南岗区示例街1号",
        contact_name="联络员甲",
        contact_phone="0451-86400001",
        founded_on=datetime.date(2019, 5, 1),
        exchange_visits=12,
        joint_training=7,
    )
    add_partner(filing, "JP", "日本示例研究所", name_original="Example Kenkyusho", partner_type="institute")
    for i in range(10):
        Member.objects.create(
            filing=filing,
            name=f"成员{i:02d}",
            gender="male" if i % 2 else "female",
            title="senior",
            education="doctor",
            major=f"材料方向{i}",
            task=f"任务{i}",
        )
    JointProject.objects.create(
        filing=filing, name="中德联合攻关项目", partner="德国示例大学", started_on=datetime.date(2024, 1, 1)
    )
    JointResult.objects.create(filing=filing, title="新型合金论文", kind="论文")
    attach(filing, AttachmentKind.OTHER, owner, content=pdf_bytes(pages=2), name="其他材料.pdf")
    filing.refresh_from_db()
    return filing


@pytest.fixture
def full(demo):
    return full_filing(demo.zhangsan, demo.business)


def pdf_text(data):
    reader = PdfReader(io.BytesIO(data))
    return reader, [page.extract_text() for page in reader.pages]


def body(response):
    return b"".join(response.streaming_content) if response.streaming else response.content


def decode_qr(data, tmp_path):
    """The text of every QR code in the first page's images, decoded by zbarimg (Debian's zbar-tools)."""
    reader = PdfReader(io.BytesIO(data))
    found = []
    for index, image in enumerate(reader.pages[0].images):
        path = tmp_path / f"qr{index}.png"
        image.image.save(path)
        out = subprocess.run(
            [ZBARIMG, "--quiet", "--raw", str(path)], capture_output=True, text=True, check=False
        )
        found.extend(line for line in out.stdout.splitlines() if line)
    return found


NUMBER = re.compile(r"GJHZ-\d{4}-\d{6}")
