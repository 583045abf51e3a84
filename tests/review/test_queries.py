"""Q4: the review pages run the same number of queries for 1 filing (or record, or message) as for 50."""

import pytest
from django.urls import reverse

from kechuang.review import transitions
from kechuang.review.models import Notification

from .factories import at_stage, waiting_in_bulk

# Every signed-in request: the session and the user (the session is rewritten at most once a minute, not here).
REQUEST = 2
# review:list — + count of 待审核平台, count of 所有平台, the 流程阶段 options, the page's ids, the page's rows
# (with unit, stage, owner joined); a filtered list counts its matches too.
LIST_QUERIES = 7  # REQUEST + 5
# 待审核平台 also shows the reviewer's 审核截止 and 推荐限额 (review.pacing): + the current seasons, their deadlines
# for the reviewer's stage (a department adds its 延期 and its quota: +2 more, tests/review/test_pacing_queries).
PACING = 2


@pytest.mark.parametrize("count", [1, 50])
@pytest.mark.parametrize("tab", ["pending", "all"])
@pytest.mark.parametrize("query, queries", [({}, LIST_QUERIES), ({"name": "批量"}, LIST_QUERIES + 1)])
def test_Q4_review_list_query_count(client, demo, django_assert_num_queries, count, tab, query, queries):
    waiting_in_bulk(demo, count)
    client.force_login(demo.kjt_reviewer)
    with django_assert_num_queries(queries + (PACING if tab == "pending" else 0)):
        response = client.get(reverse("review:list"), {"tab": tab, "sort": "name", **query})
    assert response.status_code == 200
    assert len(response.context["page"].object_list) == min(count, 20)


@pytest.mark.parametrize("count", [1, 50])
def test_Q4_flow_records_query_count(client, demo, django_assert_num_queries, count):
    filing = at_stage(demo, 1)
    for _ in range(count // 2):
        filing = transitions.withdraw(filing, demo.zhangsan)
        filing = transitions.submit(filing, demo.zhangsan)
    client.force_login(demo.zhangsan)
    # + the filing (with its stage), the records (with their actors)
    with django_assert_num_queries(REQUEST + 2):
        response = client.get(reverse("review:flow", args=[filing.public_id]))
    assert response.content.decode().count('<td class="nowrap">') == 1 + 2 * (count // 2)


@pytest.mark.parametrize("count", [1, 50])
def test_Q4_notifications_query_count(client, demo, django_assert_num_queries, count):
    filing = at_stage(demo, 1)
    Notification.objects.bulk_create(
        Notification(recipient=demo.zhangsan, filing=filing, text=f"消息{i}") for i in range(count)
    )
    client.force_login(demo.zhangsan)
    # + the page's count, the page's messages (with their filings), the unread count
    with django_assert_num_queries(REQUEST + 3):
        response = client.get(reverse("review:notifications"))
    assert len(response.context["page"].object_list) == min(count, 20)


@pytest.mark.parametrize("partners", [1, 30])
def test_Q4_decide_page_query_count(client, demo, django_assert_num_queries, partners):
    from kechuang.filings.models import OverseasPartner

    filing = at_stage(demo, 3)
    for i in range(partners - 1):
        OverseasPartner.objects.create(
            filing=filing,
            country="FR",
            name_zh=f"法国伙伴{i}",
            partner_type="institute",
            started_on="2024-01-01",
            content="合作",
        )
    client.force_login(demo.kjt_reviewer)
    # + the filing (with business, stage, unit, category, owner) and its five lists (members, partners,
    # projects, results, attachments)
    with django_assert_num_queries(REQUEST + 6):
        response = client.get(reverse("review:decide", args=[filing.public_id]))
    assert response.status_code == 200
