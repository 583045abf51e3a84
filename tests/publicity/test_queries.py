"""Q4 for 公示: the public pages and the province's pages run a fixed number of queries, however many filings
and objections a batch has."""

from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from kechuang.publicity.models import BatchFiling, Objection

from .conftest import completed

BUDGET = 12


def counts(published):
    batch = published.batch
    anonymous, province = Client(), Client()
    province.force_login(published.demo.kjt_reviewer)
    pages = [
        (anonymous, reverse("portal:home") + "?news=announcements"),
        (anonymous, reverse("portal:notices") + "?tab=announcements"),
        (anonymous, reverse("publicity:batch", args=[batch.public_id])),
        (anonymous, reverse("publicity:object", args=[batch.public_id])),
        (province, reverse("publicity:manage")),
        (province, reverse("publicity:manage_batch", args=[batch.public_id])),
    ]
    out = {}
    for client, url in pages:
        client.get(url)
        with CaptureQueriesContext(connection) as captured:
            assert client.get(url).status_code == 200, url
        out[url] = len(captured)
    return out


def test_publicity_pages_query_count_is_bounded_and_independent_of_rows(published):
    few = counts(published)
    for i in range(5):
        filing = completed(published.demo, f"更多公示平台{i}")
        BatchFiling.objects.create(batch=published.batch, filing=filing)
        Objection.objects.create(
            batch=published.batch, filing=filing, name=f"异议人{i}", phone="13900000000", content="内容"
        )
    many = counts(published)
    assert all(n <= BUDGET for n in many.values()), many
    assert few == many
