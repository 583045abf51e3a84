"""审核 (W4), 直接不通过 (W5) and their refusals: 400 for bad input, 409 for a filing that moved, 404 outside."""

import re

import pytest
from django.urls import reverse

from kechuang.filings.models import Filing
from kechuang.review import transitions
from kechuang.review.models import FlowRecord

from .factories import at_stage, submitted_filing


def _decide(filing):
    return reverse("review:decide", args=[filing.public_id])


def _reject(filing):
    return reverse("review:reject", args=[filing.public_id])


def _state(filing):
    f = Filing.objects.select_related("stage").get(pk=filing.pk)
    return f.stage_label, f.version, FlowRecord.objects.filter(filing=f).count()


def test_W4_page_shows_the_filing_read_only_and_the_decision_form(client, demo):
    filing = submitted_filing(demo)
    client.force_login(demo.sldx_admin)
    response = client.get(_decide(filing))
    assert response.status_code == 200
    html = response.content.decode()
    assert "中德先进材料联合实验室" in html and "平台：申报单位审核" in html
    assert "导航栏" in html and "返回顶部" in html  # the read-only filing with its floating helper (F11)
    assert "德国示例大学" in html and "平台基本情况。" in html
    assert re.search(
        r'<label for="id_decision_0"><input type="radio" name="decision" value="approve"[^>]*>\s*通过</label>',
        html,
    )
    assert re.search(
        r'<label for="id_decision_1"><input type="radio" name="decision" value="return"[^>]*>\s*退回</label>',
        html,
    )
    assert "<legend>审核结果" in html
    assert '<label for="id_opinion">审核意见' in html and "<textarea" in html
    assert f'<input type="hidden" name="version" value="{filing.version}"' in html
    assert ">提交</button>" in html


def test_W4_approve_moves_to_the_next_stage(client, demo):
    filing = submitted_filing(demo)
    client.force_login(demo.sldx_admin)
    response = client.post(_decide(filing), {"decision": "approve", "opinion": "", "version": filing.version})
    assert response.status_code == 302 and response.url == reverse("review:list")
    assert _state(filing) == ("平台：主管部门审核", filing.version + 1, 2)
    follow = client.get(response.url)
    assert "已审核“中德先进材料联合实验室”，流程阶段：平台：主管部门审核。" in follow.content.decode()


def test_W4_return_with_opinion(client, demo):
    filing = at_stage(demo, 2)
    client.force_login(demo.edu_reviewer)
    response = client.post(
        _decide(filing), {"decision": "return", "opinion": "请补充协议。", "version": filing.version}
    )
    assert response.status_code == 302
    assert _state(filing)[0] == "平台：退回修改"
    assert FlowRecord.objects.filter(filing=filing).latest("id").opinion == "请补充协议。"


@pytest.mark.parametrize(
    ("data", "field", "message"),
    [
        ({"decision": "return", "opinion": "  "}, "opinion", "请填写审核意见。"),
        ({"opinion": "同意"}, "decision", "请选择“通过”或“退回”。"),
        ({"decision": "maybe"}, "decision", "选择一个有效的选项"),
        ({"decision": "approve", "opinion": "长" * 1001}, "opinion", "最多输入1000个字。"),
    ],
)
def test_W4_bad_input_is_400_and_changes_nothing(client, demo, data, field, message):
    filing = submitted_filing(demo)
    before = _state(filing)
    client.force_login(demo.sldx_admin)
    response = client.post(_decide(filing), {"version": filing.version, **data})
    assert response.status_code == 400
    assert message in str(response.context["form"].errors[field])
    assert f'<ul class="errorlist" id="id_{field}_error' in response.content.decode()
    assert _state(filing) == before


def test_W4_missing_version_is_400(client, demo):
    filing = submitted_filing(demo)
    client.force_login(demo.sldx_admin)
    assert client.post(_decide(filing), {"decision": "approve"}).status_code == 400
    assert _state(filing)[0] == "平台：申报单位审核"


def test_W8_decision_on_a_filing_that_moved_meanwhile_is_409(client, demo):
    """Two browser tabs: the first 通过 wins, the second (same stale version) is told and changes nothing."""
    filing = submitted_filing(demo)
    client.force_login(demo.sldx_admin)
    seen = filing.version
    assert client.post(_decide(filing), {"decision": "approve", "version": seen}).status_code == 302
    before = _state(filing)
    response = client.post(_decide(filing), {"decision": "return", "opinion": "退回", "version": seen})
    assert response.status_code == 409
    html = response.content.decode()
    assert "该平台备案已被其他人处理或修改，请刷新页面后查看最新状态。" in html
    assert "该平台备案当前不在您的待审核列表中。" in html
    assert _state(filing) == before


def test_W8_stale_version_at_the_same_stage_is_409(client, demo):
    filing = submitted_filing(demo)
    Filing.objects.filter(pk=filing.pk).update(version=filing.version + 5)
    client.force_login(demo.sldx_admin)
    response = client.post(_decide(filing), {"decision": "approve", "version": filing.version})
    assert response.status_code == 409
    assert _state(filing)[0] == "平台：申报单位审核"


def test_W4_page_is_404_when_not_waiting_for_this_reviewer(client, demo):
    filing = at_stage(demo, 2)
    client.force_login(demo.sldx_admin)  # in scope (its unit) but stage 1 has acted
    assert client.get(_decide(filing)).status_code == 404
    assert client.get(_reject(filing)).status_code == 404


def test_W5_reject_confirmation_then_final(client, demo):
    filing = at_stage(demo, 3)
    client.force_login(demo.kjt_reviewer)
    page = client.get(_reject(filing))
    assert page.status_code == 200
    html = page.content.decode()
    assert "中德先进材料联合实验室" in html and ">确认直接不通过</button>" in html
    assert '<label for="id_opinion">审核意见' in html
    assert _state(filing)[0] == "平台：省科技厅审核"  # GET changes nothing

    response = client.post(_reject(filing), {"opinion": "", "version": filing.version})
    assert response.status_code == 400
    assert "请填写审核意见。" in response.content.decode()
    assert _state(filing)[0] == "平台：省科技厅审核"

    response = client.post(_reject(filing), {"opinion": "不符合条件。", "version": filing.version})
    assert response.status_code == 302
    assert _state(filing)[0] == "平台：不通过"
    with pytest.raises(transitions.TransitionError):
        transitions.submit(filing, demo.zhangsan)


def test_W5_reject_of_a_moved_filing_is_409(client, demo):
    filing = submitted_filing(demo)
    transitions.approve(filing, demo.sldx_admin)
    before = _state(filing)
    client.force_login(demo.sldx_admin)
    response = client.post(_reject(filing), {"opinion": "不通过", "version": filing.version})
    assert response.status_code == 409
    assert "该平台备案已被其他人处理或修改" in response.content.decode()
    assert _state(filing) == before


def test_reviewers_can_open_the_applicants_view_page(client, demo):
    """查看 links to filings:view, which loads through visible_to: reviewers in scope see it, others 404."""
    filing = at_stage(demo, 2)
    url = reverse("filings:view", args=[filing.public_id])
    for username in ["sldx_admin", "edu_reviewer", "kjt_reviewer"]:
        client.force_login(getattr(demo, username))
        response = client.get(url)
        assert response.status_code == 200, username
        assert "中德先进材料联合实验室" in response.content.decode()
    for username in ["xcl_admin", "hrb_reviewer", "wangwu", "lisi"]:
        client.force_login(getattr(demo, username))
        assert client.get(url).status_code == 404, username


def test_W8_after_a_409_the_page_shows_the_current_state_and_keeps_the_typed_opinion(client, demo):
    """The applicant withdrew and resubmitted while the unit was reading: the unit must re-read; what it
    typed is kept and the form now carries the current version."""
    filing = submitted_filing(demo)
    seen = filing.version
    filing = transitions.submit(transitions.withdraw(filing, demo.zhangsan), demo.zhangsan)
    client.force_login(demo.sldx_admin)
    response = client.post(
        _decide(filing), {"decision": "return", "opinion": "请补充附件。", "version": seen}
    )
    assert response.status_code == 409
    html = response.content.decode()
    assert f'name="version" value="{filing.version}"' in html
    assert "请补充附件。</textarea>" in html
    assert re.search(r'value="return"[^>]*checked', html)
    response = client.post(
        _decide(filing), {"decision": "return", "opinion": "请补充附件。", "version": filing.version}
    )
    assert response.status_code == 302
    assert _state(filing)[0] == "平台：退回修改"


def test_W5_reject_409_keeps_the_opinion_and_hides_the_form_when_moved(client, demo):
    filing = submitted_filing(demo)
    transitions.approve(filing, demo.sldx_admin)
    client.force_login(demo.sldx_admin)
    response = client.post(_reject(filing), {"opinion": "不通过", "version": filing.version})
    assert response.status_code == 409
    html = response.content.decode()
    assert "该平台备案当前不在您的待审核列表中。" in html
    assert ">确认直接不通过</button>" not in html


def test_review_pages_answer_head_and_refuse_other_methods(client, demo):
    filing = submitted_filing(demo)
    client.force_login(demo.sldx_admin)
    assert client.head(reverse("review:list")).status_code == 200
    assert client.head(_decide(filing)).status_code == 200
    assert client.put(_decide(filing)).status_code == 405
    assert client.delete(_reject(filing)).status_code == 405
