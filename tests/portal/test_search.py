"""Business search from the header box (P1)."""

from django.urls import reverse

from .builders import businesses

SEARCH = reverse("portal:search")


def test_p1_search_finds_businesses_by_name_and_echoes_the_query(client, demo):
    response = client.get(SEARCH, {"q": "国际科技合作"})
    assert response.status_code == 200
    html = response.content.decode()
    assert "省国际科技合作平台备案" in html
    assert "省级重点实验室备案" not in html
    assert 'value="国际科技合作" placeholder="请输入您想找的业务"' in html
    assert "找到 1 项与“国际科技合作”相关的业务" in html
    assert reverse("filings:business", kwargs={"public_id": demo.business.public_id}) in html


def test_p1_search_shows_closed_businesses_with_a_disabled_button(client, demo):
    html = client.get(SEARCH, {"q": "重点实验室"}).content.decode()
    assert "省级重点实验室备案" in html
    assert "不在申报期内" in html


def test_p1_search_without_results_says_so(client, demo):
    html = client.get(SEARCH, {"q": "不存在的业务"}).content.decode()
    assert "没有找到与“不存在的业务”相关的业务" in html
    assert 'class="business"' not in html


def test_p1_empty_search_asks_for_a_word(client, demo):
    html = client.get(SEARCH, {"q": "  "}).content.decode()
    assert "请在页面上方的搜索框中输入业务名称" in html
    assert 'class="business"' not in html


def test_p1_search_query_is_escaped(client, demo):
    html = client.get(SEARCH, {"q": '"><script>alert(1)</script>'}).content.decode()
    assert "<script>alert(1)</script>" not in html
    assert "&lt;script&gt;" in html


def test_q4_search_query_count_does_not_grow(client, demo, django_assert_num_queries):
    # 1. count of matching businesses (paginator)  2. the page of businesses  3. their seasons (申报期)
    with django_assert_num_queries(3):
        client.get(SEARCH, {"q": "备案"})
    businesses(45)
    with django_assert_num_queries(3):
        response = client.get(SEARCH, {"q": "测试业务"})
    html = response.content.decode()
    assert html.count('class="business"') == 20
    assert "?q=%E6%B5%8B%E8%AF%95%E4%B8%9A%E5%8A%A1&amp;page=2" in html


def test_P1_a_nul_character_in_the_search_is_ignored_not_a_crash(client, demo):
    """Found by the generated-input test on PostgreSQL, which refuses NUL in a query parameter."""
    response = client.get(reverse("portal:search"), {"q": "国际\x00科技"})
    assert response.status_code == 200
    assert "省国际科技合作平台备案" in response.content.decode()
