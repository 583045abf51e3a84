"""Home page (P3): slogans, 创新地图 with counts of completed filings, 科技资源, news tabs."""

import datetime
import re

import pytest
from django.core.cache import cache
from django.urls import reverse
from django.utils import timezone

from kechuang.accounts.models import Region
from kechuang.filings.models import Status
from kechuang.portal.models import Notice
from kechuang.portal.views import innovation_map

from .builders import applicant_of, filings, notices, unit_in

HOME = reverse("portal:home")


def region_counts(html):
    """{region name: count} as the 创新地图 shows them."""
    pairs = re.findall(
        r'<span class="region-name">(.+?)</span> <span class="region-count">(\d+) 个平台', html
    )
    return {name: int(count) for name, count in pairs}


def news_items(html):
    return re.findall(r'<li><a href="/notices/[0-9a-f-]+/">(.+?)</a> <time datetime="([\d-]+)">', html)


def test_p3_home_shows_slogans_map_resources_and_news(client, demo):
    response = client.get(HOME)
    assert response.status_code == 200
    html = response.content.decode()
    for text in ("加强信息公开", "强化资源统筹", "推进公平公正", "创新地图", "科技资源"):
        assert text in html
    for tab in ("项目申报", "公示公告", "科技政策", "科技培训", "操作指南"):
        assert f">{tab}</a>" in html
    assert 'href="?news=projects#news-heading" aria-current="page">项目申报' in html
    assert 'aria-current="page">首页</a>' in html  # nav_current


def test_p3_innovation_map_lists_all_13_regions_with_completed_filings_only(client, demo):
    heihe = applicant_of(unit_in(Region.HEIHE), "heihe_user")
    filings(demo.zhangsan, demo.business, 2, Status.DONE)
    filings(demo.wangwu, demo.business, 1, Status.DONE)
    filings(heihe, demo.business, 3, Status.DONE)
    filings(demo.zhangsan, demo.business, 4)  # drafts
    filings(heihe, demo.business, 2, Status.REJECTED)
    filings(heihe, demo.business, 1, Status.IN_REVIEW)

    counts = region_counts(client.get(HOME).content.decode())

    assert list(counts) == [region.label for region in Region]
    assert counts["哈尔滨市"] == 3
    assert counts["黑河市"] == 3
    assert sum(counts.values()) == 6
    assert counts["大兴安岭地区"] == 0


def test_p3_innovation_map_is_one_query_then_cached_for_minutes(demo, django_assert_num_queries):
    filings(demo.zhangsan, demo.business, 5, Status.DONE)
    with django_assert_num_queries(1):
        result = innovation_map()
    assert ("哈尔滨市", 5) in result and len(result) == 13
    filings(demo.zhangsan, demo.business, 1, Status.DONE)
    with django_assert_num_queries(0):
        assert innovation_map() == result  # the next visitors within five minutes
    cache.clear()  # as when the five minutes are over
    assert ("哈尔滨市", 6) in innovation_map()


@pytest.mark.parametrize("tab", Notice.Tab.values)
def test_p3_each_news_tab_lists_only_its_notices_newest_first(client, demo, tab):
    today = timezone.localdate()
    Notice.objects.all().delete()
    for other in Notice.Tab.values:
        notices(other, 3, today - datetime.timedelta(days=2))
    Notice.objects.create(tab=tab, title="最新的一条", published_on=today)

    html = client.get(HOME, {"news": tab}).content.decode()

    items = news_items(html)
    label = Notice.Tab(tab).label
    assert items[0] == ("最新的一条", today.isoformat())
    assert [title for title, _ in items[1:]] == [f"{label}通知00", f"{label}通知01", f"{label}通知02"]
    dates = [date for _, date in items]
    assert dates == sorted(dates, reverse=True)
    assert f'href="?news={tab}#news-heading" aria-current="page">{label}</a>' in html
    assert html.count('aria-current="page">') == 2  # the nav's 首页 and this tab


def test_p3_home_shows_the_newest_eight_and_a_link_to_all(client, demo):
    notices(Notice.Tab.POLICIES, 30, timezone.localdate())
    html = client.get(HOME, {"news": "policies"}).content.decode()
    assert len(news_items(html)) == 8
    assert f'href="{reverse("portal:notices")}?tab=policies"' in html


def test_p3_unknown_news_tab_falls_back_to_the_first(client, demo):
    html = client.get(HOME, {"news": "<script>"}).content.decode()
    assert 'aria-current="page">项目申报</a>' in html
    assert "<script>" not in html.split("</head>", 1)[1]


def test_q4_home_query_count_does_not_grow(client, demo, django_assert_num_queries):
    # 1. 创新地图 counts (one GROUP BY)  2. the current tab's notices
    with django_assert_num_queries(2):
        assert client.get(HOME).status_code == 200
    with django_assert_num_queries(1):  # the counts are cached for the next visitors
        assert client.get(HOME).status_code == 200
    heihe = applicant_of(unit_in(Region.HEIHE), "heihe_user")
    filings(heihe, demo.business, 50, Status.DONE)
    notices(Notice.Tab.PROJECTS, 30, timezone.localdate())
    cache.clear()
    with django_assert_num_queries(3):  # + 网站设置 for the footer, cached again (issue 12)
        response = client.get(HOME)
    assert region_counts(response.content.decode())["黑河市"] == 50


def test_q4_home_for_a_logged_in_person(client, demo, django_assert_num_queries):
    client.force_login(demo.zhangsan)
    # 创新地图, session, user, notices (login wrote the session: not rewritten within the minute)
    with django_assert_num_queries(4):
        response = client.get(HOME)
    assert "欢迎您：" in response.content.decode()
    # 创新地图 now cached: session, user, notices
    with django_assert_num_queries(3):
        client.get(HOME)


def test_home_refuses_post(client, demo):
    assert client.post(HOME).status_code == 405
