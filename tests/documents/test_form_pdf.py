"""下载备案表: the PDF shows every tab, 草稿 only before 上报, the 备案编号 after, page x of y, and a QR code."""

import re

import pytest
from django.core.files.storage import default_storage
from django.urls import reverse
from django.utils import timezone

from kechuang.documents import pdf
from kechuang.filings.models import Filing
from kechuang.review import transitions
from tests.factories import reviewers_for

from .conftest import NUMBER, ZBARIMG, body, decode_qr, pdf_text


def download(client, filing, name="documents:form"):
    response = client.get(reverse(name, kwargs={"public_id": filing.public_id}))
    assert response.status_code == 200, response.status_code
    assert response["Content-Type"] == "application/pdf"
    assert "attachment" in response["Content-Disposition"]
    return body(response)


def test_draft_shows_every_tab_with_a_watermark_and_no_number(client, demo, full):
    client.force_login(demo.zhangsan)
    reader, pages = pdf_text(download(client, full))
    text = "\n".join(pages)
    expected = [
        # cover and 基本信息
        "中德先进材料联合实验室", "国际联合实验室", "德国", "美国", "新材料", "高端装备", "哈尔滨市南岗区示例街1号",
        "2019-05-01", "联络员甲", "0451-86400001",
        # 依托单位 and 负责人 snapshots
        full.unit_name, full.unit_credit_code, full.owner_name, full.owner_id_number, full.owner_mobile,
        # 平台人员, 合作情况 with its lists, 内容说明, 附件
        "成员00", "成员09", "材料方向9", "德国示例大学", "Beispiel-Universität", "日本示例研究所", "中德联合攻关项目",
        "新型合金论文", "平台基本情况。", "国际合作基础。", "合作目标与任务。", "条件保障。", "其他材料.pdf",
        # the closing page
        "流转记录", "诚信承诺", "依托单位意见（盖章）",
    ]  # fmt: skip
    flat = text.replace("\n", "")  # table cells wrap long values
    missing = [value for value in expected if value not in flat]
    assert not missing, missing
    for attachment in full.attachments.all():
        assert attachment.sha256 in flat
    assert all("草稿" in page for page in pages), "every page of a draft carries the watermark"
    assert not NUMBER.search(text)
    count = len(reader.pages)
    assert count >= 3
    for index, page in enumerate(pages, 1):
        assert f"第 {index} 页 共 {count} 页" in page


def test_after_submit_the_number_replaces_the_watermark(client, demo, full, tmp_path):
    filing = transitions.submit(full, demo.zhangsan)
    filing = transitions.approve(filing, reviewers_for(demo, filing)[0], "单位同意推荐")
    client.force_login(demo.zhangsan)
    reader, pages = pdf_text(download(client, filing))
    text = "\n".join(pages)
    number = Filing.objects.get(pk=filing.pk).number
    assert number == f"GJHZ-{timezone.localdate().year}-000001"
    assert number in pages[0]
    assert "草稿" not in text
    assert "单位同意推荐" in pages[-1], "流转记录 with 审核意见 on the last page"
    assert "平台：主管部门审核" in pages[0] or "主管部门" in pages[0]
    assert len(reader.pages) == int(re.search(r"共 (\d+) 页", pages[0]).group(1))


def test_qr_code_decodes_to_the_verification_address(client, demo, full, tmp_path):
    assert ZBARIMG, "zbarimg (Debian zbar-tools) is needed: make test installs it"
    filing = transitions.submit(full, demo.zhangsan)
    client.force_login(demo.zhangsan)
    data = download(client, filing)
    codes = decode_qr(data, tmp_path)
    assert len(codes) == 1
    url = codes[0]
    assert url.startswith("http://testserver/verify/GJHZ-")
    filing.refresh_from_db()
    path = url.removeprefix("http://testserver")
    page = client.get(path)
    assert page.status_code == 200
    assert "内容与系统记录一致" in page.content.decode()
    # the short hash printed beside the code is the one in the address
    digest = path.split("/")[2].split(".")[1]
    grouped = "-".join(digest.upper()[i : i + 4] for i in range(0, 16, 4))
    assert grouped in pdf_text(data)[1][0]


def test_draft_has_no_qr_code(client, demo, full, tmp_path):
    client.force_login(demo.zhangsan)
    assert decode_qr(download(client, full), tmp_path) == []


def test_cached_per_version_in_the_default_storage(client, demo, full, monkeypatch):
    calls = []
    real = pdf.render_form
    monkeypatch.setattr(pdf, "render_form", lambda *a: calls.append(1) or real(*a))
    client.force_login(demo.zhangsan)
    first = download(client, full)
    second = download(client, full)
    assert first == second and len(calls) == 1
    name = pdf.cache_name(full, "http://testserver")
    assert default_storage.exists(name)
    filing = transitions.submit(full, demo.zhangsan)  # a new version: rendered again, with the number
    third = download(client, filing)
    assert len(calls) == 2 and third != first
    assert default_storage.exists(pdf.cache_name(filing, "http://testserver"))


@pytest.mark.parametrize("persona", ["sldx_admin", "edu_reviewer", "kjt_reviewer"])
def test_reviewers_in_scope_download_and_outsiders_get_404(client, demo, full, persona):
    filing = transitions.submit(full, demo.zhangsan)
    client.force_login(getattr(demo, persona))
    assert download(client, filing)[:5] == b"%PDF-"
    client.force_login(demo.hrb_reviewer)
    for name in ("documents:form", "documents:dossier"):
        response = client.get(reverse(name, kwargs={"public_id": filing.public_id}))
        assert response.status_code == 404
