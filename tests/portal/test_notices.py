"""Notice list and detail pages behind the home page's news block (P3)."""

import uuid

from django.urls import reverse
from django.utils import timezone

from kechuang.portal.models import Notice

from .builders import notices


def test_p3_notice_detail_shows_title_date_and_body(client, demo):
    item = Notice.objects.create(
        tab=Notice.Tab.GUIDES, title="操作说明", published_on=timezone.localdate(), body="第一段\n\n第二段"
    )
    response = client.get(reverse("portal:notice", args=[item.public_id]))
    assert response.status_code == 200
    html = response.content.decode()
    assert "<h1>操作说明</h1>" in html
    assert f'<time datetime="{item.published_on:%Y-%m-%d}">' in html
    assert "<p>第一段</p>" in html and "<p>第二段</p>" in html


def test_p3_unknown_notice_is_404(client, demo):
    assert client.get(reverse("portal:notice", args=[uuid.uuid4()])).status_code == 404


def test_p3_notice_list_pages_one_tab_newest_first(client, demo, django_assert_num_queries):
    Notice.objects.filter(tab=Notice.Tab.TRAINING).delete()
    notices(Notice.Tab.TRAINING, 30, timezone.localdate())
    # 1. count of the tab's notices (paginator)  2. the page
    with django_assert_num_queries(2):
        response = client.get(reverse("portal:notices"), {"tab": "training"})
    html = response.content.decode()
    assert html.count('<li><a href="/notices/') == 20
    assert "科技培训通知00" in html and "科技培训通知19" in html and "科技培训通知20" not in html
    assert html.index("科技培训通知00") < html.index("科技培训通知01")
    assert "项目申报通知" not in html
    page2 = client.get(reverse("portal:notices"), {"tab": "training", "page": 2}).content.decode()
    assert "科技培训通知20" in page2 and "第 2 页，共 2 页" in page2


def test_q4_notice_detail_is_two_queries(client, demo, django_assert_num_queries):
    item = Notice.objects.first()
    with django_assert_num_queries(2):  # the notice, its PDF attachments (issue 12)
        client.get(reverse("portal:notice", args=[item.public_id]))
