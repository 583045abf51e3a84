"""公示: the 公示期 in Asia/Shanghai days, objections only inside it, throttled, escaped, the objector's phone never
public, handling (audited, mailed), 公示退回 through the one mover, and 已公示 after the period."""

import datetime
import zoneinfo

import pytest
from django.core import mail
from django.core.cache import cache
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from kechuang.audit.models import SecurityEvent
from kechuang.filings.models import Filing, Status
from kechuang.publicity.models import Objection, ObjectionStatus
from kechuang.publicity.views import OBJECTION_LIMIT
from kechuang.review import transitions
from kechuang.review.models import FlowRecord
from kechuang.workflow.models import Action, ReviewerKind
from tests.factories import PDF, pdf_bytes

from .conftest import OBJECTION, batch_of, completed

SHANGHAI = zoneinfo.ZoneInfo("Asia/Shanghai")
SCRIPT = "<script>alert('x')</script>"


def post_objection(client, batch, target, **changes):
    data = {**OBJECTION, "filing": str(target.public_id), **changes}
    return client.post(reverse("publicity:object", args=[batch.public_id]), data)


def province(demo):
    client = Client()
    client.force_login(demo.kjt_reviewer)
    return client


def test_the_period_runs_over_whole_asia_shanghai_days(published):
    batch = published.batch
    start = datetime.datetime.combine(batch.start_on, datetime.time.min, tzinfo=SHANGHAI)
    end = datetime.datetime.combine(
        batch.end_on + datetime.timedelta(days=1), datetime.time.min, tzinfo=SHANGHAI
    )
    second = datetime.timedelta(seconds=1)
    assert not batch.is_open(start - second)  # 23:59:59 the day before, Shanghai (15:59:59 UTC)
    assert batch.is_open(start)
    assert batch.is_open(end - second)  # the last day's 23:59:59
    assert not batch.is_open(end)
    assert batch.is_over(end) and not batch.is_over(end - second)
    # At 16:30 UTC it is already the next day in Shanghai.
    utc_evening = datetime.datetime.combine(batch.start_on, datetime.time(16, 30), tzinfo=datetime.UTC)
    assert batch.is_open(utc_evening - datetime.timedelta(days=1))


def test_an_objection_is_received_with_a_confirmation_number(published):
    client = Client()
    page = client.get(reverse("publicity:object", args=[published.batch.public_id]))
    assert page.status_code == 200 and "提出异议" in page.content.decode()
    upload = SimpleUploadedFile("证明.pdf", PDF, content_type="application/pdf")
    response = post_objection(client, published.batch, published.filings[0], file=upload)
    assert response.status_code == 302
    objection = Objection.objects.get()
    assert objection.filing == published.filings[0] and objection.status == ObjectionStatus.PENDING
    assert objection.size == len(PDF) and objection.original_name == "证明.pdf"
    received = client.get(response["Location"]).content.decode()
    assert objection.number in received
    assert OBJECTION["phone"] not in received


@pytest.mark.parametrize(("start", "end"), [(1, 3), (-5, -1)])
def test_objections_are_refused_outside_the_period(demo, start, end):
    filing = completed(demo, "期外平台")
    batch = batch_of(demo, [filing], start, end)
    client = Client()
    assert client.get(reverse("publicity:object", args=[batch.public_id])).status_code == 403
    response = post_objection(client, batch, filing)
    assert response.status_code == 403
    assert "不在公示期内" in response.content.decode()
    assert not Objection.objects.exists()
    page = client.get(reverse("publicity:batch", args=[batch.public_id])).content.decode()
    assert reverse("publicity:object", args=[batch.public_id]) not in page


def test_bad_input_is_refused_with_chinese_messages_and_nothing_stored(published):
    client = Client()
    batch, filing = published.batch, published.filings[0]
    cases = [
        ({"name": ""}, "请填写姓名"),
        ({"phone": "abc"}, "请输入有效的联系电话"),
        ({"content": ""}, "请填写异议内容"),
        ({"content": "长" * 2001}, "异议内容最多2000字"),
        ({"filing": "00000000-0000-0000-0000-000000000000"}, "请选择本批公示中的平台"),
        (
            {"file": SimpleUploadedFile("a.pdf", b"not a pdf", content_type="application/pdf")},
            "只能上传PDF格式",
        ),
    ]
    for changes, message in cases:
        cache.clear()  # every POST counts against the address's limit; here each case is its own visitor
        response = post_objection(client, batch, filing, **changes)
        assert response.status_code == 400, changes
        assert message in response.content.decode(), changes
    assert not Objection.objects.exists()


def test_a_pdf_over_10_mb_is_refused(published):
    big = pdf_bytes(padding=10 * 1024 * 1024 + 1)
    upload = SimpleUploadedFile("大.pdf", big, content_type="application/pdf")
    response = post_objection(Client(), published.batch, published.filings[0], file=upload)
    assert response.status_code == 413
    assert "10M" in response.content.decode()
    assert not Objection.objects.exists()


def test_a_flood_of_objections_is_throttled(published):
    client = Client()
    for _ in range(OBJECTION_LIMIT):
        assert post_objection(client, published.batch, published.filings[0]).status_code == 302
    response = post_objection(client, published.batch, published.filings[0])
    assert response.status_code == 429
    assert "提交过于频繁" in response.content.decode()
    assert Objection.objects.count() == OBJECTION_LIMIT
    # Another address is not affected.
    other = Client(REMOTE_ADDR="10.0.0.9")
    assert post_objection(other, published.batch, published.filings[0]).status_code == 302


def test_script_in_an_objection_is_escaped_everywhere_it_shows(published):
    client = Client()
    post_objection(client, published.batch, published.filings[0], name=f"赵{SCRIPT}", content=f"内容{SCRIPT}")
    objection = Objection.objects.get()
    reviewer = province(published.demo)
    pages = [
        reviewer.get(reverse("publicity:manage_batch", args=[published.batch.public_id])),
        reviewer.get(reverse("publicity:objection", args=[objection.public_id])),
        client.get(reverse("publicity:batch", args=[published.batch.public_id])),
        client.get(reverse("portal:home"), {"news": "announcements"}),
    ]
    for response in pages:
        html = response.content.decode()
        assert response.status_code == 200
        assert SCRIPT not in html
    assert "&lt;script&gt;" in pages[1].content.decode()
    reviewer.post(
        reverse("publicity:objection", args=[objection.public_id]),
        {"decision": "refused", "reply": f"答复{SCRIPT}"},
    )
    html = reviewer.get(reverse("publicity:objection", args=[objection.public_id])).content.decode()
    assert SCRIPT not in html and "答复&lt;script&gt;" in html


def test_the_objectors_phone_and_the_filings_personal_data_are_never_on_a_public_page(published):
    client = Client()
    post_objection(client, published.batch, published.filings[0])
    received = client.get(reverse("publicity:received")).content.decode()
    filing = Filing.objects.get(pk=published.filings[0].pk)
    secrets = [
        OBJECTION["phone"],
        OBJECTION["email"],
        filing.owner_mobile,
        filing.owner_id_number,
        filing.contact_phone,
    ]
    secrets = [s for s in secrets if s]
    public = [
        received,
        client.get(reverse("publicity:batch", args=[published.batch.public_id])).content.decode(),
        client.get(reverse("publicity:object", args=[published.batch.public_id])).content.decode(),
        client.get(reverse("portal:home"), {"news": "announcements"}).content.decode(),
        client.get(reverse("portal:notices"), {"tab": "announcements"}).content.decode(),
    ]
    for html in public:
        for secret in secrets:
            assert secret not in html
    batch_page = public[1]
    for shown in (filing.name, filing.unit_name, filing.owner_name, "德国", "新材料"):
        assert shown in batch_page
    # The province sees the phone.
    objection = Objection.objects.get()
    detail = province(published.demo).get(reverse("publicity:objection", args=[objection.public_id]))
    assert OBJECTION["phone"] in detail.content.decode()


def test_the_home_pages_notice_tab_shows_published_batches(published):
    html = Client().get(reverse("portal:home"), {"news": "announcements"}).content.decode()
    assert published.batch.title in html and "公示中" in html
    other = Client().get(reverse("portal:home"), {"news": "projects"}).content.decode()
    assert published.batch.title not in other


def test_handling_is_once_with_a_reply_audited_and_mailed(published, django_capture_on_commit_callbacks):
    post_objection(Client(), published.batch, published.filings[0])
    objection = Objection.objects.get()
    reviewer = province(published.demo)
    url = reverse("publicity:objection", args=[objection.public_id])
    response = reviewer.post(url, {"decision": "accepted", "reply": ""})
    assert response.status_code == 400 and "请填写答复意见" in response.content.decode()
    with django_capture_on_commit_callbacks(execute=True):
        response = reviewer.post(url, {"decision": "accepted", "reply": "经核实，异议属实。"})
    assert response.status_code == 302
    objection.refresh_from_db()
    assert (
        objection.status == ObjectionStatus.ACCEPTED and objection.handled_by == published.demo.kjt_reviewer
    )
    event = SecurityEvent.objects.get(kind="objection_handled")
    assert event.detail["objection"] == objection.number and event.detail["decision"] == "accepted"
    assert len(mail.outbox) == 1 and mail.outbox[0].to == [OBJECTION["email"]]
    assert "经核实，异议属实。" in mail.outbox[0].body and objection.number in mail.outbox[0].body
    reviewer.post(url, {"decision": "refused", "reply": "再次处理"})
    objection.refresh_from_db()
    assert objection.status == ObjectionStatus.ACCEPTED and objection.reply == "经核实，异议属实。"


def test_no_mail_without_an_email(published, django_capture_on_commit_callbacks):
    post_objection(Client(), published.batch, published.filings[0], email="")
    objection = Objection.objects.get()
    with django_capture_on_commit_callbacks(execute=True):
        province(published.demo).post(
            reverse("publicity:objection", args=[objection.public_id]),
            {"decision": "refused", "reply": "不属实"},
        )
    assert mail.outbox == []


def test_only_the_province_handles_objections(published):
    post_objection(Client(), published.batch, published.filings[0])
    objection = Objection.objects.get()
    url = reverse("publicity:objection", args=[objection.public_id])
    for persona in ("zhangsan", "sldx_admin", "edu_reviewer"):
        client = Client()
        client.force_login(getattr(published.demo, persona))
        assert client.post(url, {"decision": "accepted", "reply": "x"}).status_code == 403
    assert Client().get(url).status_code == 302
    objection.refresh_from_db()
    assert objection.status == ObjectionStatus.PENDING


def test_publicity_return_needs_an_accepted_objection_and_an_opinion(published):
    demo, filing = published.demo, published.filings[0]
    with pytest.raises(transitions.TransitionError, match="没有已受理的公示异议"):
        transitions.publicity_return(filing, demo.kjt_reviewer, "退回")
    post_objection(Client(), published.batch, filing)
    objection = Objection.objects.get()
    Objection.objects.filter(pk=objection.pk).update(status=ObjectionStatus.REFUSED)
    with pytest.raises(transitions.TransitionError, match="没有已受理的公示异议"):
        transitions.publicity_return(filing, demo.kjt_reviewer, "退回")
    Objection.objects.filter(pk=objection.pk).update(status=ObjectionStatus.ACCEPTED)
    with pytest.raises(transitions.TransitionError, match="请填写审核意见"):
        transitions.publicity_return(filing, demo.kjt_reviewer, "  ")
    for persona in ("edu_reviewer", "sldx_admin", "zhangsan"):
        with pytest.raises(transitions.TransitionError):
            transitions.publicity_return(filing, getattr(demo, persona), "退回")
    assert Filing.objects.get(pk=filing.pk).status == Status.DONE
    records = FlowRecord.objects.filter(filing=filing).count()

    client = province(demo)
    version = Filing.objects.get(pk=filing.pk).version
    url = reverse("publicity:send_back", args=[objection.public_id])
    response = client.post(url, {"opinion": "异议属实，请修改后重新上报。", "version": version})
    assert response.status_code == 302
    filing.refresh_from_db()
    assert filing.status == Status.RETURNED and filing.stage_label == "平台：退回修改"
    assert filing.return_stage.reviewer_kind == ReviewerKind.PROVINCE
    assert FlowRecord.objects.filter(filing=filing).count() == records + 1
    record = FlowRecord.objects.filter(filing=filing).last()
    assert record.action == Action.PUBLICITY_RETURN and record.get_action_display() == "公示退回"
    assert record.from_status == "平台：完成" and record.opinion == "异议属实，请修改后重新上报。"
    # A second send-back is refused: the filing is no longer 完成.
    response = client.post(url, {"opinion": "再退", "version": filing.version})
    assert response.status_code == 409
    assert FlowRecord.objects.filter(filing=filing).count() == records + 1
    # The resubmission goes straight back to the province.
    filing = transitions.submit(filing, demo.zhangsan)
    assert filing.stage.reviewer_kind == ReviewerKind.PROVINCE


def test_after_the_period_the_filings_carry_the_published_mark(demo):
    filing = completed(demo, "已公示平台")
    batch = batch_of(demo, [filing], -10, -1)
    html = Client().get(reverse("publicity:batch", args=[batch.public_id])).content.decode()
    assert "公示结束" in html
    assert "平台：完成" in html and "已公示" in html
    owner = Client()
    owner.force_login(demo.zhangsan)
    view = owner.get(reverse("filings:view", args=[filing.public_id])).content.decode()
    assert "平台：完成" in view and "已公示" in view
    current = batch_of(demo, [completed(demo, "公示中平台")], -1, 3, title="第二批")
    html = Client().get(reverse("publicity:batch", args=[current.public_id])).content.decode()
    assert "已公示" not in html
    view = owner.get(reverse("filings:view", args=[current.filings.get().public_id])).content.decode()
    assert "平台：完成" in view and "已公示" not in view


def test_publishing_offers_only_completed_filings(demo):
    done = completed(demo, "可公示平台")
    waiting = transitions.submit(
        __import__("tests.factories", fromlist=["x"]).complete_filing(
            demo.zhangsan, demo.business, "审核中平台"
        ),
        demo.zhangsan,
    )
    client = province(demo)
    page = client.get(reverse("publicity:create")).content.decode()
    assert "可公示平台" in page and "审核中平台" not in page
    today = timezone.localdate()
    data = {
        "title": "第一批",
        "start_on": today.isoformat(),
        "end_on": (today + datetime.timedelta(days=7)).isoformat(),
    }
    response = client.post(reverse("publicity:create"), {**data, "filings": [str(waiting.public_id)]})
    assert response.status_code == 400 and "只能选择已完成" in response.content.decode()
    response = client.post(
        reverse("publicity:create"), {**data, "end_on": "2020-01-01", "filings": [str(done.public_id)]}
    )
    assert response.status_code == 400 and "不能早于开始日期" in response.content.decode()
    response = client.post(reverse("publicity:create"), {**data, "filings": [str(done.public_id)]})
    assert response.status_code == 302
    other = Client()
    other.force_login(demo.edu_reviewer)
    assert other.get(reverse("publicity:create")).status_code == 403
