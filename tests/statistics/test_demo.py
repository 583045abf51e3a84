"""`make run`'s demo (load_demo --with-filings): filings in every stage, one batch in its 公示期; idempotent."""

import collections

from django.core.management import call_command
from django.test import Client
from django.urls import reverse

from kechuang.filings.models import Filing, Status
from kechuang.publicity.models import PublicityBatch
from kechuang.review.models import FlowRecord


def test_demo_filings_cover_every_stage_and_a_batch_is_open(demo):
    call_command("load_demo", with_filings=True, stdout=open("/dev/null", "w"))  # noqa: SIM115
    filings = Filing.objects.select_related("stage")
    stages = collections.Counter(f.stage_label for f in filings)
    assert set(stages) >= {
        "平台：填报中",
        "平台：申报单位审核",
        "平台：主管部门审核",
        "平台：省科技厅审核",
        "平台：退回修改",
        "平台：不通过",
        "平台：完成",
    }
    assert FlowRecord.objects.filter(action="approve", to_stage__isnull=True).count() == stages["平台：完成"]
    batch = PublicityBatch.objects.get()
    assert batch.is_open() and batch.filings.count() == 4
    assert all(f.status == Status.DONE for f in batch.filings.all())

    home = Client().get(reverse("portal:home"), {"news": "announcements"}).content.decode()
    assert batch.title in home
    page = Client().get(reverse("publicity:batch", args=[batch.public_id])).content.decode()
    assert "提出异议" in page

    client = Client()
    client.force_login(demo.kjt_reviewer)
    tables = client.get(reverse("statistics:index")).context["tables"]
    assert all(sum(t.totals) > 0 for t in tables)

    count = Filing.objects.count()
    call_command("load_demo", with_filings=True, stdout=open("/dev/null", "w"))  # noqa: SIM115
    assert Filing.objects.count() == count and PublicityBatch.objects.count() == 1
    assert batch.filings.count() == 4
