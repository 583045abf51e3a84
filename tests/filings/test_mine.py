"""F10 我的平台 (待上报平台 / 所有平台), 删除 rules, F11 查看."""

import os

import pytest
from django.urls import reverse
from django.utils.timezone import localtime

from kechuang.filings.models import Attachment, Filing, Status
from kechuang.review import transitions

from .factories import attach, complete_filing, new_filing

MINE = reverse("filings:mine")


def delete_url(filing):
    return reverse("filings:delete", kwargs={"public_id": filing.public_id})


def test_F10_pending_lists_drafts_and_returned_with_their_operations(owner, demo):
    draft = new_filing(demo.zhangsan, demo.business, name="草稿平台")
    returned = new_filing(demo.zhangsan, demo.business, name="退回平台", status=Status.RETURNED)
    submitted = complete_filing(demo.zhangsan, demo.business)
    transitions.submit(submitted, demo.zhangsan)
    new_filing(demo.lisi, demo.business, name="李四的平台")
    response = owner.get(MINE)
    html = response.content.decode()
    assert response.status_code == 200
    assert response.context["menu_current"] == "mine"
    assert "草稿平台" in html and "退回平台" in html
    assert "中德先进材料联合实验室" not in html and "李四的平台" not in html
    assert '待上报平台 <span class="badge-count">2</span>' in html
    assert '所有平台 <span class="badge-count">3</span>' in html
    assert "平台：填报中" in html and "平台：退回修改" in html
    assert reverse("filings:edit", kwargs={"public_id": draft.public_id, "tab": "guide"}) in html
    assert reverse("review:submit", kwargs={"public_id": draft.public_id}) in html
    assert delete_url(draft) in html
    assert delete_url(returned) not in html  # not deletable: never-submitted drafts only
    assert ">填报<" in html and ">上报<" in html and ">删除<" in html


def test_F10_all_lists_every_filing_with_stage_unit_and_submit_time(owner, demo):
    submitted = complete_filing(demo.zhangsan, demo.business)
    submitted = transitions.submit(submitted, demo.zhangsan)
    new_filing(demo.zhangsan, demo.business, name="草稿平台")
    html = owner.get(MINE + "?tab=all").content.decode()
    assert "所有平台列表" in html
    assert "平台：申报单位审核" in html and "平台：填报中" in html
    assert "示例科技大学" in html
    assert f"{localtime(submitted.submitted_at):%Y-%m-%d %H:%M:%S}" in html
    assert reverse("filings:view", kwargs={"public_id": submitted.public_id}) in html
    assert reverse("review:flow", kwargs={"public_id": submitted.public_id}) in html
    assert ">查看<" in html and ">流转记录<" in html


def test_F10_empty_states(owner, demo):
    assert "没有待上报的平台备案" in owner.get(MINE).content.decode()
    assert "您还没有平台备案" in owner.get(MINE + "?tab=all").content.decode()
    assert owner.get(MINE + "?tab=bogus&page=x").status_code == 200


def test_F10_lists_are_paginated(owner, demo, settings):
    settings.PAGE_SIZE = 5
    for i in range(7):
        new_filing(demo.zhangsan, demo.business, name=f"平台{i}")
    first = owner.get(MINE).content.decode()
    second = owner.get(MINE + "?tab=pending&page=2").content.decode()
    assert first.count(">填报<") == 5 and second.count(">填报<") == 2
    assert "第 1 页，共 2 页" in first and 'href="?page=2"' in first
    assert 'href="?tab=pending&amp;page=1"' in second  # the other parameters stay as they are


def test_F10_delete_draft_asks_for_confirmation_then_removes_it_and_its_files(
    owner, demo, django_capture_on_commit_callbacks
):
    filing = new_filing(demo.zhangsan, demo.business, name="要删除的平台")
    attachment = attach(filing, 1, demo.zhangsan)
    path = attachment.file.path
    confirm = owner.get(delete_url(filing))
    assert confirm.status_code == 200
    assert "确定要删除平台备案“要删除的平台”吗" in confirm.content.decode()
    assert Filing.objects.filter(pk=filing.pk).exists()
    with django_capture_on_commit_callbacks(execute=True):
        response = owner.post(delete_url(filing))
    assert response.status_code == 302
    assert not Filing.objects.filter(pk=filing.pk).exists()
    assert not Attachment.objects.exists()
    assert not os.path.exists(path)


@pytest.mark.parametrize("status", [Status.IN_REVIEW, Status.DONE])
def test_F10_a_filing_once_submitted_cannot_be_deleted(owner, demo, status):
    filing = complete_filing(demo.zhangsan, demo.business)
    transitions.submit(filing, demo.zhangsan)
    Filing.objects.filter(pk=filing.pk).update(status=status)
    assert "不能删除" in owner.get(delete_url(filing)).content.decode()
    response = owner.post(delete_url(filing))
    assert response.status_code == 403
    assert Filing.objects.filter(pk=filing.pk).exists()


def test_F10_a_returned_filing_is_voided_not_erased(owner, demo):
    """F10 amended (issue 12): its 删除 confirmation posts to review:void; filings:delete never erases it."""
    filing = complete_filing(demo.zhangsan, demo.business)
    transitions.submit(filing, demo.zhangsan)
    Filing.objects.filter(pk=filing.pk).update(status=Status.RETURNED)
    page = owner.get(delete_url(filing)).content.decode()
    assert reverse("review:void", kwargs={"public_id": filing.public_id}) in page and "流转记录仍保留" in page
    assert owner.post(delete_url(filing)).status_code == 403
    assert Filing.objects.filter(pk=filing.pk, status=Status.RETURNED).exists()


def test_F10_withdrawn_filing_is_a_draft_again_but_not_deletable(owner, demo):
    filing = complete_filing(demo.zhangsan, demo.business)
    transitions.submit(filing, demo.zhangsan)
    transitions.withdraw(filing, demo.zhangsan)
    html = owner.get(MINE).content.decode()
    assert "中德先进材料联合实验室" in html and delete_url(filing) not in html
    assert owner.post(delete_url(filing)).status_code == 403


def test_F11_view_shows_every_section_with_the_helper(owner, demo):
    filing = complete_filing(demo.zhangsan, demo.business)
    html = owner.get(reverse("filings:view", kwargs={"public_id": filing.public_id})).content.decode()
    for text in (
        "中德先进材料联合实验室",
        "国际联合实验室",
        "德国",
        "美国",
        "新材料、高端装备",
        "张三",
        "示例科技大学",
        "德国示例大学",
        "平台基本情况。",
        "条件保障。",
        "附件1.pdf",
        "导航栏",
        "返回顶部",
        'href="#detail-attachments"',
    ):
        assert text in html
    assert ">上报<" in html and ">填报<" in html  # the owner's actions while editable


def test_F11_unit_admin_sees_the_view_but_no_actions(client, demo):
    filing = complete_filing(demo.zhangsan, demo.business)
    client.force_login(demo.sldx_admin)
    html = client.get(reverse("filings:view", kwargs={"public_id": filing.public_id})).content.decode()
    assert "中德先进材料联合实验室" in html
    assert ">上报<" not in html and ">填报<" not in html
