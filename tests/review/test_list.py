"""平台审核、查询 (W2, W3): tabs with counts, scope, columns and operations, filter, sort, pages."""

import re

import pytest
from django.urls import reverse

from kechuang.review import transitions

from .factories import at_stage, complete_filing, submitted_filing

URL = reverse("review:list")


def _counts(response):
    html = response.content.decode()
    return {
        tab: int(n)
        for tab, n in re.findall(r'>(待审核平台|所有平台) <span class="badge-count">(\d+)</span>', html)
    }


def _names(response):
    return [str(f) for f in response.context["page"].object_list]


@pytest.fixture
def filings(demo):
    """One filing at each stage of 示例科技大学, a draft of lisi, and a submitted filing of 示例新材料有限公司."""
    return {
        "stage1": submitted_filing(demo, name="甲平台"),
        "stage2": at_stage(demo, 2, name="乙平台"),
        "stage3": at_stage(demo, 3, name="丙平台"),
        "draft": complete_filing(demo.lisi, demo.business, name="丁平台（草稿）"),
        "other_unit": submitted_filing(demo, owner=demo.wangwu, name="戊平台"),
    }


@pytest.mark.parametrize(
    ("username", "pending", "everything"),
    [
        ("sldx_admin", ["甲平台"], ["丁平台（草稿）", "丙平台", "乙平台", "甲平台"]),  # drafts too (W3)
        ("xcl_admin", ["戊平台"], ["戊平台"]),
        ("edu_reviewer", ["乙平台"], ["丙平台", "乙平台", "甲平台"]),
        ("hrb_reviewer", [], ["戊平台"]),
        ("kjt_reviewer", ["丙平台"], ["丙平台", "乙平台", "甲平台", "戊平台"]),
    ],
)
def test_W3_tabs_list_the_scope_with_red_counts(client, demo, filings, username, pending, everything):
    client.force_login(getattr(demo, username))
    response = client.get(URL)
    assert response.status_code == 200
    assert _counts(response) == {"待审核平台": len(pending), "所有平台": len(everything)}
    assert _names(response) == pending
    response = client.get(URL, {"tab": "all", "sort": "name"})
    assert _counts(response) == {"待审核平台": len(pending), "所有平台": len(everything)}
    assert sorted(_names(response)) == sorted(everything)


def test_W3_pending_rows_have_the_four_operations(client, demo, filings):
    client.force_login(demo.sldx_admin)
    html = client.get(URL).content.decode()
    filing = filings["stage1"]
    for label in ["平台名称", "依托单位", "负责人", "流程阶段", "上报时间"]:
        assert f">{label}<" in html
    assert "平台：申报单位审核" in html and "示例科技大学" in html and "张三" in html
    assert f'href="{reverse("review:decide", args=[filing.public_id])}">审核<' in html
    assert f'href="{reverse("filings:view", args=[filing.public_id])}">查看<' in html
    flow = reverse("review:flow", args=[filing.public_id])
    assert f'href="{flow}" hx-get="{flow}" hx-target="#page-dialog" data-dialog-link>流转记录<' in html
    assert f'href="{reverse("review:reject", args=[filing.public_id])}">直接不通过<' in html
    assert ">待审核平台列表<" in html


def test_W3_all_tab_offers_only_view_and_flow(client, demo, filings):
    client.force_login(demo.sldx_admin)
    html = client.get(URL, {"tab": "all"}).content.decode()
    assert ">查看<" in html and ">流转记录<" in html
    assert ">审核<" not in html and ">直接不通过<" not in html
    assert "平台：填报中" in html and "未上报" in html  # lisi's draft
    assert ">所有平台列表<" in html


def test_empty_states(client, demo):
    client.force_login(demo.hrb_reviewer)
    assert "暂无待审核的平台。" in client.get(URL).content.decode()
    assert "您的审核范围内暂无平台。" in client.get(URL, {"tab": "all"}).content.decode()
    response = client.get(URL, {"tab": "all", "name": "不存在"})
    assert "没有符合筛选条件的平台。" in response.content.decode()


@pytest.mark.parametrize(
    ("query", "expected"),
    [
        ({"name": "乙"}, ["乙平台"]),
        ({"name": "  丙平 "}, ["丙平台"]),
        ({"unit": "新材料"}, ["戊平台"]),
        ({"unit": "示例科技"}, ["丙平台", "乙平台", "甲平台"]),
        ({"stage": "stage:主管部门审核"}, ["乙平台"]),
        ({"stage": "stage:申报单位审核"}, ["甲平台", "戊平台"]),
        ({"stage": "done"}, []),
        ({"name": "平台", "unit": "新材料", "stage": "stage:申报单位审核"}, ["戊平台"]),
    ],
)
def test_W3_filter(client, demo, filings, query, expected):
    client.force_login(demo.kjt_reviewer)
    response = client.get(URL, {"tab": "all", "sort": "name", **query})
    assert response.status_code == 200
    assert sorted(_names(response)) == sorted(expected)


def test_W3_filter_by_date(client, demo, filings):
    from kechuang.filings.models import Filing

    Filing.objects.filter(pk=filings["stage2"].pk).update(submitted_at="2026-01-15T10:00:00+08:00")
    client.force_login(demo.kjt_reviewer)
    response = client.get(URL, {"tab": "all", "submitted_from": "2026-01-15", "submitted_to": "2026-01-15"})
    assert _names(response) == ["乙平台"]
    response = client.get(URL, {"tab": "all", "submitted_to": "2026-01-14"})
    assert _names(response) == []


@pytest.mark.parametrize(
    "submitted_at, on_the_15th",
    [
        ("2026-01-15T00:00:00+08:00", True),  # first instant of the local day (still the 14th in UTC)
        ("2026-01-15T23:59:59+08:00", True),  # last second of it
        ("2026-01-14T23:59:59+08:00", False),
        ("2026-01-16T00:00:00+08:00", False),
    ],
)
def test_W3_date_filter_takes_whole_days_in_beijing_time(client, demo, filings, submitted_at, on_the_15th):
    from kechuang.filings.models import Filing

    Filing.objects.filter(pk=filings["stage2"].pk).update(submitted_at=submitted_at)
    client.force_login(demo.kjt_reviewer)
    response = client.get(URL, {"tab": "all", "submitted_from": "2026-01-15", "submitted_to": "2026-01-15"})
    assert ("乙平台" in _names(response)) is on_the_15th


def test_W3_filter_offers_the_stages_as_data(client, demo):
    client.force_login(demo.kjt_reviewer)
    html = client.get(URL).content.decode()
    options = re.findall(r'<option value="([^"]*)"[^>]*>([^<]*)</option>', html)
    assert options == [
        ("", "全部"),
        ("draft", "平台：填报中"),
        ("stage:申报单位审核", "平台：申报单位审核"),
        ("stage:主管部门审核", "平台：主管部门审核"),
        ("stage:省科技厅审核", "平台：省科技厅审核"),
        ("returned", "平台：退回修改"),
        ("rejected", "平台：不通过"),
        ("done", "平台：完成"),
    ]
    for label in ["平台名称", "依托单位", "流程阶段", "上报时间（起）", "上报时间（止）"]:
        assert re.search(rf'<label for="id_\w+">{re.escape(label)}</label>', html), label


@pytest.mark.parametrize(
    ("query", "message"),
    [
        ({"submitted_from": "2026-13-40"}, "请输入有效的日期，格式为：年-月-日"),
        ({"submitted_from": "2026-02-01", "submitted_to": "2026-01-01"}, "结束日期不能早于开始日期。"),
        ({"stage": "stage:不存在的阶段"}, "请从列表中选择流程阶段。"),
        ({"name": "长" * 101}, "最多输入100个字。"),
    ],
)
def test_invalid_filter_values_get_a_message_not_a_500(client, demo, filings, query, message):
    client.force_login(demo.kjt_reviewer)
    response = client.get(URL, {"tab": "all", **query})
    assert response.status_code == 400
    html = response.content.decode()
    assert message in html
    assert "筛选条件有误" in html
    assert len(_names(response)) == 4  # the unfiltered list, clearly labelled as such


def test_W3_sort_by_whitelisted_keys_only(client, demo, filings):
    client.force_login(demo.kjt_reviewer)
    by_name = _names(client.get(URL, {"tab": "all", "sort": "name"}))
    assert by_name == sorted(by_name)
    assert _names(client.get(URL, {"tab": "all", "sort": "-name"})) == by_name[::-1]
    by_unit = _names(client.get(URL, {"tab": "all", "sort": "unit"}))
    assert by_unit[0] == "戊平台"  # 示例新材料有限公司 sorts before 示例科技大学
    newest_first = _names(client.get(URL, {"tab": "all"}))
    assert newest_first[0] == "戊平台"  # submitted last
    assert _names(client.get(URL, {"tab": "all", "sort": "-submitted"})) == newest_first
    assert _names(client.get(URL, {"tab": "all", "sort": "submitted"})) == newest_first[::-1]
    # Anything else (an attempt to sort by a private column) is ignored.
    assert _names(client.get(URL, {"tab": "all", "sort": "owner__password"})) == newest_first
    html = client.get(URL, {"tab": "all", "sort": "name"}).content.decode()
    assert 'aria-sort="ascending"' in html and "sort=-name" in html


def test_W3_pages_keep_the_filter(client, demo, filings, settings):
    settings.PAGE_SIZE = 2
    client.force_login(demo.kjt_reviewer)
    first = client.get(URL, {"tab": "all", "unit": "示例", "sort": "name"})
    assert len(_names(first)) == 2
    html = first.content.decode()
    assert "第 1 页，共 2 页" in html
    assert "page=2" in html and "unit=%E7%A4%BA%E4%BE%8B" in html
    second = client.get(URL, {"tab": "all", "unit": "示例", "sort": "name", "page": "2"})
    assert len(_names(second)) == 2
    assert set(_names(first)).isdisjoint(_names(second))
    assert client.get(URL, {"tab": "all", "page": "abc"}).status_code == 200


def test_W2_applicants_get_403_and_visitors_the_login(client, demo):
    assert client.get(URL).status_code == 302
    client.force_login(demo.zhangsan)
    assert client.get(URL).status_code == 403


def test_list_is_get_only(client, demo):
    client.force_login(demo.kjt_reviewer)
    assert client.post(URL).status_code == 405


def test_W2_counts_follow_the_filing(client, demo):
    """After 通过 the filing leaves the unit's 待审核平台 and arrives in the department's."""
    filing = submitted_filing(demo)
    client.force_login(demo.sldx_admin)
    assert _counts(client.get(URL))["待审核平台"] == 1
    transitions.approve(filing, demo.sldx_admin)
    assert _counts(client.get(URL)) == {"待审核平台": 0, "所有平台": 1}
    client.force_login(demo.edu_reviewer)
    assert _counts(client.get(URL)) == {"待审核平台": 1, "所有平台": 1}


def test_W3_a_filing_approved_by_a_colleague_while_the_page_loads_is_left_out(
    client, demo, filings, monkeypatch
):
    """The page's ids and its rows are two queries; a filing that leaves the scope in between is not shown."""
    from django.core.paginator import Paginator

    from kechuang.review import views

    stage1 = filings["stage1"]

    class ColleagueApprovesMeanwhile(Paginator):
        def get_page(self, number):
            page = super().get_page(number)
            list(page.object_list)  # the ids are read …
            transitions.approve(stage1, demo.sldx_admin, "同意")  # … then a colleague moves one on
            return page

    monkeypatch.setattr(views, "Paginator", ColleagueApprovesMeanwhile)
    client.force_login(demo.sldx_admin)
    response = client.get(URL, {"tab": "pending"})
    assert response.status_code == 200
    assert str(stage1) not in _names(response)
