"""Q4: each page runs the same number of queries with 1 row and with 30 (pinned literally)."""

import datetime

import pytest
from django.urls import reverse

from kechuang.filings.models import JointProject, JointResult, Member

from .factories import add_partner, attach, edit_url, new_filing

COUNTRIES = [
    "DE",
    "US",
    "JP",
    "FR",
    "GB",
    "IT",
    "ES",
    "KR",
    "RU",
    "CA",
    "AU",
    "NL",
    "SE",
    "CH",
    "AT",
    "BE",
    "DK",
    "FI",
    "NO",
    "PL",
    "PT",
    "IE",
    "NZ",
    "SG",
    "TH",
    "MY",
    "IL",
    "BR",
    "AR",
    "MX",
]


def filing_with_rows(demo, rows):
    filing = new_filing(demo.zhangsan, demo.business, main_country="DE", industries=["food"])
    for i in range(rows):
        add_partner(filing, COUNTRIES[i], f"伙伴{i}")
        Member.objects.create(
            filing=filing, name=f"成员{i}", gender="male", title="senior", education="doctor"
        )
        JointProject.objects.create(
            filing=filing, name=f"项目{i}", partner="伙伴", started_on=datetime.date(2024, 1, 1)
        )
        JointResult.objects.create(filing=filing, title=f"成果{i}", kind="论文")
        attach(filing, 1 + i % 4, demo.zhangsan, name=f"附件{i}.pdf")
    return filing


# Every page: the session and the user = 2 (the session is rewritten at most once a minute, not here). Then:
TAB_QUERIES = {
    "guide": 5,  # + the filing (with business, stage, category, unit), the season and its 延期 (删除 hint)
    "basic": 5,  # + filing, partner countries, cooperation categories
    "members": 6,  # + filing, the season and its 延期 (the 删除 hint), members
    "cooperation": 6,  # + filing, partners, projects, results
    "content": 3,  # + filing
    "attachments": 4,  # + filing, attachments
}


@pytest.mark.parametrize("rows", [1, 30])
@pytest.mark.parametrize("tab", list(TAB_QUERIES))
def test_Q4_each_tab_runs_a_fixed_number_of_queries(owner, demo, django_assert_num_queries, tab, rows):
    filing = filing_with_rows(demo, rows)
    with django_assert_num_queries(TAB_QUERIES[tab]):
        response = owner.get(edit_url(filing, tab))
    assert response.status_code == 200


@pytest.mark.parametrize("rows", [1, 30])
def test_Q4_view_runs_a_fixed_number_of_queries(owner, demo, django_assert_num_queries, rows):
    filing = filing_with_rows(demo, rows)
    # session, user, filing (+ business, stage, unit, category, owner), members, partners, projects, results,
    # attachments
    with django_assert_num_queries(8):
        response = owner.get(reverse("filings:view", kwargs={"public_id": filing.public_id}))
    assert response.content.decode().count("伙伴") >= rows


@pytest.mark.parametrize("rows", [1, 30])
@pytest.mark.parametrize("tab", ["pending", "all"])
def test_Q4_mine_runs_a_fixed_number_of_queries(owner, demo, settings, django_assert_num_queries, tab, rows):
    settings.PAGE_SIZE = 50
    settings.MAX_DRAFTS_PER_PERSON = rows  # the cap on drafts is not what this measures
    for i in range(rows):
        new_filing(demo.zhangsan, demo.business, name=f"平台{i}")
    # session, user, both counts (one aggregate), the paginator's count, the page's rows (with stage)
    with django_assert_num_queries(5):
        response = owner.get(reverse("filings:mine") + f"?tab={tab}")
    assert response.content.decode().count('<th scope="row">平台0</th>') == 1
