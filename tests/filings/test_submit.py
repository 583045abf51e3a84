"""F9 上报: every gap listed with a link to its tab; a complete filing moves to 申报单位审核 (F13)."""

import datetime

import pytest
from django.urls import reverse

from kechuang.filings.models import Attachment, AttachmentKind, Filing, OverseasPartner, Status
from kechuang.review.models import FlowRecord
from kechuang.workflow.models import Action

from .factories import complete_filing, edit_url, new_filing


def submit_url(filing):
    return reverse("review:submit", kwargs={"public_id": filing.public_id})


def submit(client, filing):
    return client.post(submit_url(filing), {"version": filing.version})


def test_F9_empty_filing_lists_every_gap_with_links_to_tabs(owner, demo):
    filing = new_filing(demo.zhangsan, demo.business)
    response = submit(owner, filing)
    html = response.content.decode()
    assert response.status_code == 400
    assert "平台备案尚未填写完整，不能上报。" in html
    for tab, message in [
        ("basic", "请填写“平台名称”。"),
        ("basic", "请选择“合作类别”。"),
        ("basic", "请选择“主要合作国别”。"),
        ("basic", "请至少选择一个“所属产业领域”。"),
        ("cooperation", "请至少添加一个海外合作伙伴。"),
        ("content", "请填写“平台基本情况”。"),
        ("content", "请填写“条件保障”。"),
        ("attachments", "请上传附件“① 证明申报单位支撑条件的相关材料，如办公实验室、实验设备等图片”。"),
        ("attachments", "请上传附件“③ 联合培养各类人才情况”。"),
    ]:
        assert message in html
        assert f'href="{edit_url(filing, tab)}"' in html
    assert "④" not in html  # optional
    assert Filing.objects.get(pk=filing.pk).status == Status.DRAFT
    assert not FlowRecord.objects.exists()


@pytest.mark.parametrize(
    ("damage", "message"),
    [
        (lambda f: Filing.objects.filter(pk=f.pk).update(name="  "), "请填写“平台名称”。"),
        (lambda f: Filing.objects.filter(pk=f.pk).update(industries=[]), "请至少选择一个“所属产业领域”。"),
        (lambda f: Filing.objects.filter(pk=f.pk).update(main_country=""), "请选择“主要合作国别”。"),
        (lambda f: Filing.objects.filter(pk=f.pk).update(owner_name=""), "请点击“负责人”右侧的“数据同步”。"),
        (lambda f: Filing.objects.filter(pk=f.pk).update(unit_name=""), "请点击“依托单位”右侧的“数据同步”。"),
        (lambda f: Filing.objects.filter(pk=f.pk).update(cooperation_category=None), "请选择“合作类别”。"),
        (lambda f: Filing.objects.filter(pk=f.pk).update(conditions=""), "请填写“条件保障”。"),
        (
            lambda f: Filing.objects.filter(pk=f.pk).update(other_countries=["FR"]),
            "所选国别必须来自海外合作伙伴列表。",
        ),
        (
            lambda f: OverseasPartner.objects.filter(filing=f, country="US").delete(),
            "所选国别必须来自海外合作伙伴列表。",
        ),
        (
            lambda f: Attachment.objects.filter(filing=f, kind=AttachmentKind.EXCHANGES).delete(),
            "② 科技人员交流互访情况",
        ),
    ],
    ids=[
        "name",
        "industries",
        "main-country",
        "owner",
        "unit",
        "category",
        "content",
        "other-country",
        "partner-gone",
        "attachment-2",
    ],
)
def test_F9_each_kind_of_gap_blocks_submission(owner, demo, damage, message):
    filing = complete_filing(demo.zhangsan, demo.business)
    damage(filing)
    response = submit(owner, filing)
    assert response.status_code == 400
    assert message in response.content.decode()
    assert Filing.objects.get(pk=filing.pk).status == Status.DRAFT


def test_F9_F13_complete_filing_is_submitted_to_the_unit_stage(owner, demo):
    filing = complete_filing(demo.zhangsan, demo.business)
    response = submit(owner, filing)
    assert response.status_code == 302
    assert response["Location"] == reverse("filings:mine") + "?tab=all"
    filing.refresh_from_db()
    assert filing.status == Status.IN_REVIEW
    assert filing.stage.name == "申报单位审核"
    assert filing.stage_label == "平台：申报单位审核"
    assert filing.first_submitted_at is not None
    record = FlowRecord.objects.get(filing=filing)
    assert record.action == Action.SUBMIT and record.actor == demo.zhangsan
    page = owner.get(response["Location"]).content.decode()
    assert "上报成功" in page and "平台：申报单位审核" in page and "中德先进材料联合实验室" in page
    # now read-only for the applicant
    assert owner.get(edit_url(filing, "basic"))["Location"] == reverse(
        "filings:view", kwargs={"public_id": filing.public_id}
    )
    again = submit(owner, filing)
    assert again.status_code == 400 and FlowRecord.objects.count() == 1


def test_F9_outside_the_period_submission_is_refused(owner, demo):
    filing = complete_filing(demo.zhangsan, demo.business)
    business = demo.business
    business.period_start = datetime.date(2020, 1, 1)
    business.period_end = datetime.date(2020, 12, 31)
    business.save()
    response = submit(owner, filing)
    assert response.status_code == 400
    assert "不在申报期内，不能上报。" in response.content.decode()
    assert Filing.objects.get(pk=filing.pk).status == Status.DRAFT


def test_F9_stale_version_submission_is_refused(owner, demo):
    filing = complete_filing(demo.zhangsan, demo.business)
    Filing.objects.filter(pk=filing.pk).update(version=filing.version + 1)
    response = submit(owner, filing)
    assert response.status_code == 400
    assert "请刷新页面" in response.content.decode()
    assert not FlowRecord.objects.exists()


def test_F9_submit_without_version_is_400(owner, demo):
    filing = complete_filing(demo.zhangsan, demo.business)
    assert owner.post(submit_url(filing)).status_code == 400
    assert Filing.objects.get(pk=filing.pk).status == Status.DRAFT
