"""W9: the scope of each reviewer, through Filing.objects.visible_to / actionable_by, whatever the URL."""

import pytest
from django.urls import reverse

from kechuang.filings.models import Filing
from kechuang.review.models import FlowRecord

from .factories import at_stage, complete_filing

# Every review URL that takes a filing, with the methods it answers.
FILING_URLS = [
    ("review:decide", "get"),
    ("review:decide", "post"),
    ("review:reject", "get"),
    ("review:reject", "post"),
    ("review:flow", "get"),
    ("review:withdraw", "post"),
    ("filings:view", "get"),
]
POST_DATA = {"decision": "approve", "opinion": "越权", "version": "1"}
# What an applicant gets on someone else's filing: reviewer screens are closed to applicants altogether (403);
# everything else hides that the filing exists (404).
APPLICANT_ANSWER = {"review:decide": 403, "review:reject": 403}


def _snapshot(filing):
    f = Filing.objects.get(pk=filing.pk)
    return f.status, f.stage_id, f.version, FlowRecord.objects.filter(filing=f).count()


@pytest.mark.parametrize("order", [1, 2, 3])
@pytest.mark.parametrize("url_name, method", FILING_URLS)
@pytest.mark.parametrize("username", ["hrb_reviewer", "xcl_admin"])
def test_W9_reviewers_of_another_unit_get_404(client, demo, username, url_name, method, order):
    filing = at_stage(demo, order)  # a 示例科技大学 filing
    before = _snapshot(filing)
    client.force_login(getattr(demo, username))
    response = getattr(client, method)(
        reverse(url_name, args=[filing.public_id]), POST_DATA if method == "post" else None
    )
    assert response.status_code == 404
    assert _snapshot(filing) == before


@pytest.mark.parametrize("url_name, method", FILING_URLS)
@pytest.mark.parametrize("username", ["lisi", "wangwu"])
def test_W9_applicants_get_403_or_404_on_someone_elses_filing(client, demo, username, url_name, method):
    """403 on the reviewer screens, 404 everywhere else (APPLICANT_ANSWER)."""
    filing = at_stage(demo, 1)
    before = _snapshot(filing)
    client.force_login(getattr(demo, username))
    response = getattr(client, method)(
        reverse(url_name, args=[filing.public_id]), POST_DATA if method == "post" else None
    )
    assert response.status_code == APPLICANT_ANSWER.get(url_name, 404)
    assert _snapshot(filing) == before


@pytest.mark.parametrize("url_name", ["review:decide", "review:reject"])
def test_W9_the_owner_cannot_review_their_own_filing(client, demo, url_name):
    filing = at_stage(demo, 1)
    before = _snapshot(filing)
    client.force_login(demo.zhangsan)
    assert client.get(reverse(url_name, args=[filing.public_id])).status_code == 403
    assert client.post(reverse(url_name, args=[filing.public_id]), POST_DATA).status_code == 403
    assert _snapshot(filing) == before


def test_W9_anonymous_visitors_are_sent_to_login(client, demo):
    filing = at_stage(demo, 1)
    for url_name, method in FILING_URLS:
        response = getattr(client, method)(reverse(url_name, args=[filing.public_id]))
        assert response.status_code == 302 and "/login/" in response.url, url_name


def test_W9_the_list_never_shows_another_units_filing(client, demo):
    at_stage(demo, 2)
    for username in ["hrb_reviewer", "xcl_admin"]:
        client.force_login(getattr(demo, username))
        for tab in ["pending", "all"]:
            html = client.get(reverse("review:list"), {"tab": tab}).content.decode()
            assert "中德先进材料联合实验室" not in html


def test_W9_visible_to_and_actionable_by(demo):
    draft = complete_filing(demo.lisi, demo.business, name="草稿")
    waiting = at_stage(demo, 2, name="在主管部门")
    at_stage(demo, 1, owner=demo.wangwu, name="新材料的")

    def names(qs):
        return sorted(str(f) for f in qs)

    assert names(Filing.objects.visible_to(demo.sldx_admin)) == names([draft, waiting])  # drafts included
    assert names(Filing.objects.actionable_by(demo.sldx_admin)) == []
    assert names(Filing.objects.visible_to(demo.edu_reviewer)) == ["在主管部门"]  # no drafts
    assert names(Filing.objects.actionable_by(demo.edu_reviewer)) == ["在主管部门"]
    assert names(Filing.objects.visible_to(demo.hrb_reviewer)) == ["新材料的"]
    assert names(Filing.objects.actionable_by(demo.hrb_reviewer)) == []
    assert names(Filing.objects.actionable_by(demo.xcl_admin)) == ["新材料的"]
    assert names(Filing.objects.visible_to(demo.kjt_reviewer)) == ["在主管部门", "新材料的"]
    assert names(Filing.objects.actionable_by(demo.kjt_reviewer)) == []
    assert names(Filing.objects.visible_to(demo.lisi)) == ["草稿"]
    assert names(Filing.objects.actionable_by(demo.lisi)) == []
    assert names(Filing.objects.actionable_by(demo.admin)) == []

    demo.edu_reviewer.is_active = False
    assert names(Filing.objects.visible_to(demo.edu_reviewer)) == []
