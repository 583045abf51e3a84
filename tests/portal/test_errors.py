"""Error pages are Chinese and never need more than the request (Q1, Q3)."""

from django.template.loader import render_to_string
from django.test import Client


def test_404_page_is_chinese_and_links_home(client, demo):
    response = client.get("/no/such/page/")
    assert response.status_code == 404
    html = response.content.decode()
    assert "页面不存在" in html and "返回首页" in html


def test_500_page_renders_without_any_context():
    html = render_to_string("500.html")
    assert "系统繁忙" in html and "返回首页" in html


def test_400_and_403_pages_render(rf):
    for name, text in (("400.html", "请求有误"), ("403.html", "没有权限"), ("403_csrf.html", "页面已过期")):
        assert text in render_to_string(name, request=rf.get("/"))


def test_csrf_failure_is_a_chinese_403(demo):
    client = Client(enforce_csrf_checks=True)
    response = client.post("/login/", {"username": "zhangsan", "password": "Demo@2026"})
    assert response.status_code == 403
    assert "页面已过期" in response.content.decode()
