"""批量通过 in the browser (issue 14): the department ticks filings on 待审核平台, confirms the count, and reads the
per-row result — including the one refused because the 推荐限额 is used up. axe-clean at each step."""

import re

import pytest
from playwright.sync_api import expect

from kechuang.filings.models import Filing, Status
from kechuang.workflow.models import Quota, Season
from tests.factories import at_stage

from .helpers import assert_accessible, login

pytestmark = pytest.mark.e2e


def test_bulk_approve_with_the_quota_message(page, live_server, demo):
    season = Season.objects.get(business=demo.business)
    Quota.objects.create(season=season, department=demo.edu_reviewer.department, limit=2)
    names = [f"批量平台{i}" for i in range(3)]
    for name in names:
        at_stage(demo, 2, name=name)

    login(page, live_server, "edu_reviewer")
    page.goto(f"{live_server.url}/center/review/")
    expect(page.get_by_text("已推荐 0 / 限额 2")).to_be_visible()
    assert_accessible(page)
    for name in names:
        page.get_by_role("row").filter(has_text=name).get_by_role("checkbox").check()
    page.get_by_role("button", name="批量通过").click()

    expect(page.get_by_text("确认批量通过以下 3 个平台备案吗？")).to_be_visible()
    assert_accessible(page)
    page.get_by_role("button", name=re.compile("确认批量通过")).click()

    expect(page.get_by_role("heading", level=1, name="批量审核结果")).to_be_visible()
    expect(page.get_by_text("成功 2 项，失败 1 项")).to_be_visible()
    expect(page.get_by_text("已超出推荐限额（已推荐 2 / 限额 2），不能再通过。")).to_be_visible()
    assert_accessible(page)
    assert Filing.objects.filter(status=Status.IN_REVIEW, stage__order=3).count() == 2
    assert Filing.objects.filter(status=Status.IN_REVIEW, stage__order=2).count() == 1

    page.get_by_role("link", name="返回待审核平台").click()
    expect(page.get_by_text("已推荐 2 / 限额 2")).to_be_visible()
