"""Notices the province can publish (issue 12 item 6): a sanitised Markdown body, PDF attachments (public, always
a download), the demo 操作指南 with the operation manual's text; 网站设置 for 联系我们, the footer and 隐私政策."""

import pytest
from django.core.files.base import ContentFile
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.urls import reverse

from kechuang.portal.admin import NoticeAttachmentForm
from kechuang.portal.markdown import render
from kechuang.portal.models import Notice, NoticeAttachment, SiteSettings
from tests.factories import pdf_bytes

HOSTILE = """# 通知标题

**加粗** 与 [链接](https://www.hljkjt.gov.cn/) 和 [坏链接](javascript:alert(1))

<script>alert("x")</script>
<img src="x" onerror="alert(1)">
<a href="https://example.com" onclick="steal()" style="color:red">点我</a>
<div onmouseover="steal()">悬停</div>
<iframe src="https://evil.example/"></iframe>
<svg onload="alert(1)"></svg>

| 项目 | 时间 |
|---|---|
| 申报 | 2027-03 |
"""


def test_markdown_is_rendered_and_scripts_and_event_handlers_are_stripped():
    html = str(render(HOSTILE))
    assert "<h2>通知标题</h2>" in html  # one level down: the page's <h1> is the title
    assert "<strong>加粗</strong>" in html and "<table>" in html and "<td>申报</td>" in html
    assert '<a href="https://www.hljkjt.gov.cn/" rel="noopener noreferrer nofollow">链接</a>' in html
    lowered = html.lower()
    assert 'alert("x")' not in html  # a script goes with its content
    for bad in ("<script", "onerror", "onclick", "onmouseover", "onload", "style=", "<iframe", "<img",
                "<svg", 'href="javascript'):  # fmt: skip
        assert bad not in lowered, bad
    assert "点我" in html and "悬停" in html  # the text stays, the attributes go


def test_notice_page_shows_the_sanitised_body_and_its_attachments(client, db):
    notice = Notice.objects.create(tab=Notice.Tab.GUIDES, title="测试通知", body=HOSTILE)
    attachment = NoticeAttachment.objects.create(
        notice=notice,
        file=ContentFile(pdf_bytes(), name="x.pdf"),
        original_name="申报指南.pdf",
        size=2048,
        sha256="",
    )
    html = client.get(reverse("portal:notice", kwargs={"public_id": notice.public_id})).content.decode()
    body = html.split('<div class="notice-body">', 1)[1].split("</article>", 1)[0]
    assert "<h2>通知标题</h2>" in body and "<script" not in body and "onerror" not in body
    url = reverse("portal:notice_attachment", args=[notice.public_id, attachment.public_id])
    assert url in html and "申报指南.pdf" in html

    response = Client().get(url)  # public, like the notice
    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    assert response["Content-Disposition"].startswith("attachment;")
    assert response["X-Content-Type-Options"] == "nosniff"
    assert b"".join(response.streaming_content).startswith(b"%PDF-")
    other = Notice.objects.create(tab=Notice.Tab.GUIDES, title="另一通知")
    wrong = reverse("portal:notice_attachment", args=[other.public_id, attachment.public_id])
    assert Client().get(wrong).status_code == 404  # an attachment only under its own notice


@pytest.mark.parametrize(
    ("content", "message"),
    [
        (b"MZ\x90\x00 renamed program", "只能上传PDF格式的文件"),
        (b"", "空文件"),
        (b"%PDF-1.7\n truncated", "PDF文件不完整"),
    ],
)
def test_notice_attachments_go_through_the_pdf_checks(db, content, message):
    notice = Notice.objects.create(tab=Notice.Tab.GUIDES, title="附件检查")
    upload = SimpleUploadedFile("说明.pdf", content, content_type="application/pdf")
    form = NoticeAttachmentForm(
        data={"order": 0}, files={"file": upload}, instance=NoticeAttachment(notice=notice)
    )
    assert not form.is_valid()
    assert message in str(form.errors["file"])
    assert not NoticeAttachment.objects.exists()


def test_a_pdf_attachment_is_kept_with_its_name_size_and_hash(db):
    notice = Notice.objects.create(tab=Notice.Tab.GUIDES, title="附件保存")
    data = pdf_bytes()
    upload = SimpleUploadedFile("../../申报\u202e指南.pdf", data, content_type="application/pdf")
    form = NoticeAttachmentForm(
        data={"order": 0}, files={"file": upload}, instance=NoticeAttachment(notice=notice)
    )
    assert form.is_valid(), form.errors
    saved = form.save()
    assert saved.original_name == "申报指南.pdf" and saved.size == len(data) and len(saved.sha256) == 64
    assert "申报" not in saved.file.name  # a random storage name


def test_the_demo_guide_notice_carries_the_operation_manual(demo, client):
    notice = Notice.objects.get(tab=Notice.Tab.GUIDES, title="省国际科技合作平台备案操作说明书")
    html = client.get(reverse("portal:notice", kwargs={"public_id": notice.public_id})).content.decode()
    for text in (
        "备案在线填报",
        "点击“在线办理”后",
        "数据同步",
        "平台：完成",
        "备案申报单位审核",
        "直接不通过",
    ):
        assert text in html, text
    assert "<h2>" in html and "<li>" in html  # rendered Markdown, not one paragraph of text


def test_contact_footer_and_privacy_come_from_the_site_settings(db, client):
    contact = reverse("portal:section", kwargs={"section": "contact"})
    html = client.get(contact).content.decode()
    assert "联系方式尚未发布。" in html and "网站标识码" not in html
    assert "隐私政策尚未发布" in client.get(reverse("portal:privacy")).content.decode()

    SiteSettings.objects.create(
        contact_phone="0451-12345678",
        contact_email="kjt@example.gov.cn",
        contact_address="哈尔滨市示例路1号",
        office_hours="工作日 8:30-17:00",
        site_code="2300000017",
        icp_number="黑ICP备05001234号",
        police_number="黑公网安备 23010202000123号",
        privacy_policy="## 我们收集的信息\n\n姓名<script>alert(1)</script>",
    )
    html = client.get(contact).content.decode()
    for text in ("0451-12345678", "mailto:kjt@example.gov.cn", "哈尔滨市示例路1号", "工作日 8:30-17:00"):
        assert text in html, text
    home = client.get(reverse("portal:home")).content.decode()
    footer = home.split('<footer class="site-footer">', 1)[1]
    assert "网站标识码：2300000017" in footer and "黑ICP备05001234号" in footer
    assert "黑公网安备 23010202000123号" in footer and reverse("portal:privacy") in footer
    privacy = client.get(reverse("portal:privacy")).content.decode()
    assert (
        "<h2>我们收集的信息</h2>" in privacy
        and "<script" not in privacy.split("</head>", 1)[1].split('<script src="', 1)[0]
    )

    # One row: saving another one replaces it, and the cached footer changes at once.
    settings = SiteSettings.current()
    settings.icp_number = "黑ICP备05009999号"
    settings.save()
    assert SiteSettings.objects.count() == 1
    assert "黑ICP备05009999号" in client.get(reverse("portal:home")).content.decode()


def test_site_settings_cannot_be_added_twice_or_deleted_in_the_admin(demo, client):
    client.force_login(demo.admin)
    assert SiteSettings.objects.count() == 1  # the demo's
    from kechuang.portal.admin import SiteSettingsAdmin

    model_admin = SiteSettingsAdmin(SiteSettings, None)
    request = type("Request", (), {"user": demo.admin})()
    assert not model_admin.has_add_permission(request)
    assert not model_admin.has_delete_permission(request, SiteSettings.objects.get())
