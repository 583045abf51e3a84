"""Query budgets (Q4) of the documents pages: fixed, whatever the number of members, partners or attachments."""

from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from kechuang.documents.verification import verification_path
from kechuang.filings.models import AttachmentKind, Filing, Member
from kechuang.review import transitions
from tests.factories import attach, pdf_bytes

from .conftest import body


def count(client, url):
    with CaptureQueriesContext(connection) as queries:
        response = client.get(url)
        body(response)
        assert response.status_code == 200
    return len(queries.captured_queries)


def test_pdf_and_verify_pages_do_not_grow_with_the_filing(client, demo, full):
    filing = transitions.submit(full, demo.zhangsan)
    client.force_login(demo.zhangsan)
    urls = [
        reverse("documents:form", kwargs={"public_id": filing.public_id}),
        reverse("documents:dossier", kwargs={"public_id": filing.public_id}),
    ]
    before = [count(client, url) for url in urls]  # uncached: rendered and merged
    verify = verification_path(Filing.objects.get(pk=filing.pk))
    public = Client()  # 验真 is read by whoever holds the paper
    count(public, verify)  # the first request of a process fills caches (site settings …)
    verify_before = count(public, verify)
    for i in range(15):
        Member.objects.create(filing=filing, name=f"加{i}", gender="male", title="senior", education="doctor")
    for i in range(3):
        attach(filing, AttachmentKind.OTHER, demo.zhangsan, content=pdf_bytes(pages=i + 1), name=f"加{i}.pdf")
    Filing.objects.filter(pk=filing.pk).update(version=filing.version + 1)  # a new version: rendered again
    after = [count(client, url) for url in urls]
    assert after == before
    assert max(after) <= 12, after
    assert count(public, verify) == verify_before <= 8
