"""Caps (issue 11 item 9): at most 20 drafts per person and 30 attachments per filing, refused with a clear
message and nothing stored; and a reviewer never decides a filing whose 负责人 is themselves."""

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from kechuang.accounts.models import User
from kechuang.filings.models import Attachment, AttachmentKind, Filing, Status
from kechuang.review import transitions
from kechuang.review.models import FlowRecord
from tests.factories import at_stage, attach, new_filing, pdf_bytes

pytestmark = pytest.mark.django_db


def test_a_person_has_at_most_twenty_drafts(client, demo, settings):
    assert settings.MAX_DRAFTS_PER_PERSON == 20
    for i in range(20):
        new_filing(demo.zhangsan, demo.business, name=f"草稿{i}")
    client.force_login(demo.zhangsan)
    refused = client.post(reverse("filings:create", args=[demo.business.public_id]))
    assert refused.status_code == 409
    assert "您已有 20 个填报中的平台备案" in refused.content.decode()
    assert Filing.objects.filter(owner=demo.zhangsan).count() == 20
    # Another person is not affected, and after deleting one draft zhangsan can create again.
    client.force_login(demo.lisi)
    assert client.post(reverse("filings:create", args=[demo.business.public_id])).status_code == 302
    Filing.objects.filter(owner=demo.zhangsan).first().delete()
    client.force_login(demo.zhangsan)
    assert client.post(reverse("filings:create", args=[demo.business.public_id])).status_code == 302
    assert Filing.objects.filter(owner=demo.zhangsan, status=Status.DRAFT).count() == 20


def test_a_filing_has_at_most_thirty_attachments(client, demo, settings):
    assert settings.MAX_ATTACHMENTS_PER_FILING == 30
    filing = new_filing(demo.zhangsan, demo.business, name="附件上限平台")
    for _ in range(30):
        attach(filing, AttachmentKind.OTHER, demo.zhangsan)
    stored = sorted(p.name for p in (settings.MEDIA_ROOT).rglob("*") if p.is_file())
    client.force_login(demo.zhangsan)
    version = Filing.objects.values_list("version", flat=True).get(pk=filing.pk)
    response = client.post(
        reverse("filings:attachment_add", args=[filing.public_id, int(AttachmentKind.OTHER)]),
        {
            "version": version,
            "file": SimpleUploadedFile("第31个.pdf", pdf_bytes(), content_type="application/pdf"),
        },
    )
    assert response.status_code == 400
    assert "最多上传 30 个附件" in response.content.decode()
    assert Attachment.objects.filter(filing=filing).count() == 30
    assert sorted(p.name for p in (settings.MEDIA_ROOT).rglob("*") if p.is_file()) == stored  # no file kept
    assert Filing.objects.values_list("version", flat=True).get(pk=filing.pk) == version


def test_a_reviewer_never_decides_a_filing_they_lead(client, demo):
    """The 主管部门 reviewer's own 证件号码 is the filing's 负责人's: refused with a clear message, nothing moves."""
    filing = at_stage(demo, 2, demo.zhangsan, "本人负责的平台")
    reviewer = demo.edu_reviewer
    User.objects.filter(pk=reviewer.pk).update(id_type=filing.owner_id_type, id_number=filing.owner_id_number)
    reviewer.refresh_from_db()
    records = FlowRecord.objects.filter(filing=filing).count()
    with pytest.raises(transitions.TransitionError, match="不能审核本人的平台备案"):
        transitions.approve(filing, reviewer, "同意")
    client.force_login(reviewer)
    version = Filing.objects.values_list("version", flat=True).get(pk=filing.pk)
    response = client.post(
        reverse("review:decide", args=[filing.public_id]),
        {"decision": "approve", "opinion": "同意", "version": version},
    )
    assert response.status_code in (403, 409)
    filing.refresh_from_db()
    assert filing.stage.order == 2 and FlowRecord.objects.filter(filing=filing).count() == records
    # Another reviewer of the same department decides it as usual.
    other = User.objects.create_user(
        "edu_reviewer2",
        password="Demo@2026",
        name="教育厅审核员乙",
        role=reviewer.role,
        department=reviewer.department,
    )
    transitions.approve(filing, other, "同意")
    filing.refresh_from_db()
    assert filing.stage.order == 3
