"""The form bar 保存 · 撤销 · 上报 (issue 12 item 1): 撤销 in both of its meanings.

On a draft it goes back to the last saved version of the tab (a link that reloads the tab; site.js asks first);
on a filing that was 上报'd and not yet acted on it withdraws it, after a confirmation that says so, also from a
row of 我的平台 → 所有平台.
"""

import re

from django.test import Client
from django.urls import reverse

from kechuang.filings.models import Filing, Status
from kechuang.review import transitions
from kechuang.review.models import FlowRecord
from kechuang.workflow.models import Action
from tests.factories import at_stage, new_filing


def client_for(user):
    client = Client()
    client.force_login(user)
    return client


def bar(html):
    return html.split('<div class="filing-actions">', 1)[1].split("</div>", 1)[0]


def test_draft_form_bar_is_save_undo_submit_and_undo_reloads_the_saved_tab(demo):
    filing = new_filing(demo.zhangsan, demo.business, name="撤销测试平台")
    owner = client_for(demo.zhangsan)
    url = reverse("filings:edit", kwargs={"public_id": filing.public_id, "tab": "basic"})
    html = owner.get(url).content.decode()
    actions = bar(html)
    labels = re.findall(r">(保存|撤销|上报|预览)<", actions)
    assert labels == ["保存", "撤销", "上报", "预览"]
    undo = re.search(r'<a [^>]*data-confirm="([^"]+)"[^>]*>撤销</a>', actions)
    assert undo and "未保存的修改" in undo.group(1) and "上次保存" in undo.group(1)
    assert f'href="{url}"' in undo.group(0) and "data-no-warn" in undo.group(0)

    # Save a name, then "edit" without saving: following 撤销 shows the saved version again, nothing changed.
    version = Filing.objects.get(pk=filing.pk).version
    owner.post(url, {"version": version, "name": "已保存的名称"})
    saved = Filing.objects.get(pk=filing.pk)
    page = owner.get(url).content.decode()
    assert 'value="已保存的名称"' in page
    assert Filing.objects.get(pk=filing.pk).version == saved.version  # the reload changed nothing


def test_undo_of_a_submitted_filing_withdraws_it_after_a_confirmation(demo):
    filing = at_stage(demo, 1, demo.zhangsan, "待撤销平台")
    owner = client_for(demo.zhangsan)
    withdraw = reverse("review:withdraw", kwargs={"public_id": filing.public_id})

    view = owner.get(reverse("filings:view", kwargs={"public_id": filing.public_id})).content.decode()
    assert f'href="{withdraw}"' in bar(view)
    rows = owner.get(reverse("filings:mine"), {"tab": "all"}).content.decode()
    assert f'href="{withdraw}"' in rows  # 所有平台 offers 撤销 on the row while possible

    page = owner.get(withdraw).content.decode()
    assert "撤销上报" in page and "回到“平台：填报中”" in page and "确定撤销" in page
    fragment = owner.get(withdraw, headers={"HX-Request": "true"}).content.decode()
    assert (
        "<html" not in fragment
        and 'id="withdraw-dialog-title"' in fragment
        and '<form method="dialog"' not in fragment
    )
    assert 'formmethod="dialog"' in fragment  # 取消 closes the dialog
    assert Filing.objects.get(pk=filing.pk).status == Status.IN_REVIEW  # asking changed nothing

    response = owner.post(withdraw, {"version": Filing.objects.get(pk=filing.pk).version})
    assert response.status_code == 302
    filing.refresh_from_db()
    assert filing.status == Status.DRAFT
    assert FlowRecord.objects.filter(filing=filing).order_by("-id").first().action == Action.WITHDRAW


def test_undo_is_not_offered_once_the_stage_has_acted(demo):
    filing = at_stage(demo, 2, demo.zhangsan, "已审平台")  # 申报单位 passed it on: 撤销 is no longer possible
    owner = client_for(demo.zhangsan)
    withdraw = reverse("review:withdraw", kwargs={"public_id": filing.public_id})
    assert f'href="{withdraw}"' not in owner.get(reverse("filings:mine"), {"tab": "all"}).content.decode()
    view = owner.get(reverse("filings:view", kwargs={"public_id": filing.public_id})).content.decode()
    assert withdraw not in view
    page = owner.get(withdraw).content.decode()
    assert "不能撤销" in page and "确定撤销" not in page
    assert owner.post(withdraw, {"version": filing.version}).status_code == 409
    assert Filing.objects.get(pk=filing.pk).status == Status.IN_REVIEW


def test_all_platforms_list_stays_at_a_fixed_number_of_queries(demo, django_assert_max_num_queries):
    owner = client_for(demo.zhangsan)
    for index in range(3):
        at_stage(demo, 1, demo.zhangsan, f"列表平台{index}")
    owner.get(reverse("filings:mine"), {"tab": "all"})
    with django_assert_max_num_queries(12) as few:
        owner.get(reverse("filings:mine"), {"tab": "all"})
    for index in range(3, 12):
        filing = at_stage(demo, 1, demo.zhangsan, f"列表平台{index}")
        if index % 2:
            transitions.withdraw(filing, demo.zhangsan)
    with django_assert_max_num_queries(len(few.captured_queries)):
        html = owner.get(reverse("filings:mine"), {"tab": "all"}).content.decode()
    # Those still waiting untouched offer it; the 5 withdrawn are drafts again.
    assert len(re.findall(r'href="[^"]*/withdraw/"', html)) == 3 + 4
