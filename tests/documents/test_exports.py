"""导出Excel of the reviewer lists: the list's scope, filters and sort exactly; formula injection neutralised;
constant queries; large exports in the background with progress; every export in the audit log."""

import io

import pytest
from django.core.management import call_command
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from openpyxl import load_workbook

from kechuang.audit.models import EventKind, SecurityEvent
from kechuang.documents.models import ExportJob
from kechuang.filings.models import Filing
from kechuang.review import transitions
from tests.factories import at_stage, complete_filing, submitted_filing

from .conftest import body

FILTERS = [
    {},
    {"tab": "all"},
    {"tab": "all", "name": "乙"},
    {"tab": "all", "unit": "示例科技"},
    {"tab": "all", "stage": "stage:主管部门审核"},
    {"tab": "all", "stage": "done"},
    {"tab": "all", "submitted_from": "2000-01-01", "submitted_to": "2000-01-02"},
    {"tab": "all", "sort": "name"},
    {"tab": "pending", "sort": "-unit"},
]


@pytest.fixture
def filings(demo):
    made = [
        at_stage(demo, 1, name="平台甲"),
        at_stage(demo, 2, name="平台乙"),
        at_stage(demo, 2, name='=HYPERLINK("http://evil.example/","点我")'),
        at_stage(demo, 3, name="平台丙乙"),
        at_stage(demo, 2, owner=demo.wangwu, name="外单位平台乙"),
    ]
    done = at_stage(demo, 3, name="平台丁")
    made.append(transitions.approve(done, demo.kjt_reviewer, "同意"))
    complete_filing(demo.zhangsan, demo.business, name="草稿平台")  # a draft: in nobody's review list
    return made


def workbook(response):
    assert response.status_code == 200
    assert response["Content-Type"].startswith("application/vnd.openxmlformats")
    return load_workbook(io.BytesIO(body(response)))


def listed_names(client, params):
    """The names on the review list page itself (all pages), the oracle for the export."""
    names, page = [], 1
    while True:
        response = client.get(reverse("review:list"), {**params, "page": page})
        assert response.status_code == 200
        rows = response.context["page"]
        names += [f.name for f in rows.object_list]
        if not rows.has_next():
            return names, rows.paginator.count
        page += 1


@pytest.mark.parametrize("persona", ["edu_reviewer", "kjt_reviewer", "sldx_admin"])
def test_rows_equal_the_list_under_each_filter(client, demo, filings, persona):
    client.force_login(getattr(demo, persona))
    for params in FILTERS:
        names, count = listed_names(client, params)
        sheet = workbook(client.get(reverse("documents:review_list_excel"), params)).active
        rows = list(sheet.iter_rows(min_row=2, values_only=True))
        assert len(rows) == count, (persona, params)
        assert [r[2] for r in rows] == names, (persona, params)  # same filings, same order
    assert SecurityEvent.objects.filter(kind=EventKind.DATA_EXPORT).count() == len(FILTERS)


def test_columns_and_formula_injection(client, demo, filings):
    client.force_login(demo.edu_reviewer)
    sheet = workbook(
        client.get(reverse("documents:review_list_excel"), {"tab": "all", "sort": "name"})
    ).active
    header = [c.value for c in sheet[1]]
    for label in ("备案编号", "平台名称", "合作类别", "主要合作国别", "第二关键国别", "其他国别", "所属产业领域",
                  "依托单位", "主管部门", "负责人", "负责人手机", "流程阶段", "上报时间", "最近审核时间"):  # fmt: skip
        assert label in header
    rows = {row[2].value: row for row in sheet.iter_rows(min_row=2)}
    evil = rows['=HYPERLINK("http://evil.example/","点我")']
    assert evil[2].data_type == "s", "stays text, never a formula"
    assert evil[2].quotePrefix
    filing = Filing.objects.get(name="平台乙")
    row = [c.value for c in rows["平台乙"]]
    assert row[header.index("备案编号")] == filing.number
    assert row[header.index("主要合作国别")] == "德国"
    assert row[header.index("所属产业领域")] == "新材料、高端装备"
    assert row[header.index("主管部门")] == demo.edu_reviewer.department.name
    assert row[header.index("负责人手机")] == filing.owner_mobile
    assert row[header.index("流程阶段")] == "平台：主管部门审核"
    assert row[header.index("最近审核时间")]  # approved by the unit


def test_outside_the_scope_nothing_leaks(client, demo, filings):
    client.force_login(demo.hrb_reviewer)
    sheet = workbook(client.get(reverse("documents:review_list_excel"), {"tab": "all"})).active
    names = [r[2] for r in sheet.iter_rows(min_row=2, values_only=True)]
    assert "平台乙" not in names and "平台甲" not in names
    client.force_login(demo.zhangsan)
    assert client.get(reverse("documents:review_list_excel")).status_code == 403


def test_bad_filter_is_a_400_with_a_message(client, demo, filings):
    client.force_login(demo.edu_reviewer)
    response = client.get(reverse("documents:review_list_excel"), {"tab": "all", "submitted_from": "明天"})
    assert response.status_code == 400
    assert "请输入有效的日期" in response.content.decode()
    assert not SecurityEvent.objects.filter(kind=EventKind.DATA_EXPORT).exists()


def test_query_count_does_not_grow_with_rows(client, demo, filings):
    client.force_login(demo.kjt_reviewer)
    url = reverse("documents:review_list_excel")

    def queries():
        with CaptureQueriesContext(connection) as ctx:
            assert client.get(url, {"tab": "all"}).status_code == 200
        return len(ctx.captured_queries)

    few = queries()
    for i in range(6):
        submitted_filing(demo, name=f"追加平台{i}")
    assert queries() == few


@pytest.mark.django_db(transaction=True)  # the worker commits and closes its connection, as a real one does
def test_large_export_runs_on_the_task_runner_with_progress(client, demo, filings, settings):
    settings.EXPORT_SYNC_LIMIT = 2
    settings.TASKS = {"default": {"BACKEND": "django_tasks_db.backend.DatabaseBackend"}}
    client.force_login(demo.kjt_reviewer)
    response = client.get(reverse("documents:review_list_excel"), {"tab": "all"})
    assert response.status_code == 302
    job = ExportJob.objects.get()
    assert response["Location"] == reverse("documents:export_job", kwargs={"public_id": job.public_id})
    page = client.get(response["Location"])
    assert page.status_code == 200
    text = page.content.decode()
    assert 'http-equiv="refresh"' in text and "<progress" in text and "下载Excel" not in text
    expected = Filing.objects.visible_to(demo.kjt_reviewer).count()
    assert expected == 6
    event = SecurityEvent.objects.get(kind=EventKind.DATA_EXPORT)
    assert event.detail["rows"] == job.total == expected and event.detail["tab"] == "all"
    call_command("db_worker", "--batch", stdout=io.StringIO(), stderr=io.StringIO())
    job.refresh_from_db()
    assert job.state == ExportJob.State.DONE and job.done == expected
    page = client.get(reverse("documents:export_job", kwargs={"public_id": job.public_id})).content.decode()
    assert "下载Excel" in page and 'http-equiv="refresh"' not in page
    download = client.get(reverse("documents:export_download", kwargs={"public_id": job.public_id}))
    assert len(list(workbook(download).active.iter_rows(min_row=2))) == expected
    client.force_login(demo.edu_reviewer)  # another reviewer never sees someone else's export
    assert client.get(reverse("documents:export_job", kwargs={"public_id": job.public_id})).status_code == 404
    assert (
        client.get(reverse("documents:export_download", kwargs={"public_id": job.public_id})).status_code
        == 404
    )
