"""Section pages (P2) and the 科技创新平台 business list with its 申报期 (P4)."""

import datetime

import pytest
from django.urls import reverse
from django.utils import timezone

from kechuang.workflow.models import Season, Section

from .builders import businesses

PLATFORMS = reverse("portal:section", args=["platforms"])


def test_p4_platforms_page_lists_businesses_with_period_and_online_button(client, demo):
    response = client.get(PLATFORMS)
    assert response.status_code == 200
    html = response.content.decode()
    assert "<h1>科技创新平台申报</h1>" in html
    business = demo.business
    assert "省国际科技合作平台备案" in html
    assert f"申报期：{business.period_start:%Y-%m-%d} - {business.period_end:%Y-%m-%d}" in html
    link = reverse("filings:business", kwargs={"public_id": business.public_id})
    assert f'<a class="button button-primary" href="{link}">在线办理' in html
    assert 'href="/section/platforms/" aria-current="page">科技创新平台</a>' in html


def test_p4_closed_business_has_a_disabled_button_and_a_note(client, demo):
    html = client.get(PLATFORMS).content.decode()
    closed = demo.closed_business
    assert "申报期：2023-01-01 - 2023-12-31" in html
    assert (
        f'<button type="button" class="button" disabled aria-describedby="closed-{closed.public_id}">在线办理</button>'
        in html
    )
    assert "不在申报期内" in html
    assert reverse("filings:business", kwargs={"public_id": closed.public_id}) not in html


@pytest.mark.parametrize(
    ("start_offset", "end_offset", "is_open"),
    [(0, 0, True), (-10, 10, True), (-10, -1, False), (1, 10, False), (-30, 0, True)],
)
def test_p4_period_is_enforced_by_the_business_dates(client, demo, start_offset, end_offset, is_open):
    today = timezone.localdate()
    Season.objects.filter(business=demo.business).update(
        period_start=today + datetime.timedelta(days=start_offset),
        period_end=today + datetime.timedelta(days=end_offset),
    )
    html = client.get(PLATFORMS).content.decode()
    link = reverse("filings:business", kwargs={"public_id": demo.business.public_id})
    assert (link in html) is is_open
    assert (f'aria-describedby="closed-{demo.business.public_id}"' in html) is not is_open


@pytest.mark.parametrize("section", [s for s in Section.values if s != "platforms"])
def test_p2_other_sections_have_a_page_with_an_empty_state(client, demo, section):
    response = client.get(reverse("portal:section", args=[section]))
    assert response.status_code == 200
    html = response.content.decode()
    assert f"<h1>{Section(section).label}</h1>" in html
    if section == "contact":  # 联系我们 shows the contact information instead (issue 12)
        assert "联系方式" in html and "本栏目业务暂未开通" not in html
    else:
        assert "本栏目业务暂未开通" in html
    assert f'aria-current="page">{Section(section).label}</a>' in html


def test_p2_unknown_section_is_404(client, demo):
    response = client.get(reverse("portal:section", args=["nonsense"]))
    assert response.status_code == 404
    assert "页面不存在" in response.content.decode()


def test_q4_section_query_count_does_not_grow(client, demo, django_assert_num_queries):
    # 1. count of the section's businesses (paginator)  2. the page of businesses  3. their seasons (申报期)
    with django_assert_num_queries(3):
        client.get(PLATFORMS)
    businesses(40)
    with django_assert_num_queries(3):
        response = client.get(PLATFORMS)
    assert response.content.decode().count('class="business"') == 20  # PAGE_SIZE
    assert "第 1 页，共 3 页" in response.content.decode()
