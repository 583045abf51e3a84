"""删除 of a returned or withdrawn filing (F10 amended, issue 12 item 2): voided, not erased.

It keeps its 备案编号 and 流转记录 (the voiding is a row of its own), leaves every list and count, and its URLs
answer 404 to everyone but the 审计管理员 and the 系统管理员, who may read it (查看, 流转记录, 附件) and nothing else.
"""

import pytest
from django.test import Client
from django.urls import reverse

from kechuang.accounts.models import Role, User
from kechuang.filings import remedy
from kechuang.filings.models import AttachmentKind, Filing, Status
from kechuang.review import transitions
from kechuang.review.models import FlowRecord
from kechuang.workflow.models import Action
from tests.factories import at_stage, attach, complete_filing, new_filing
from tests.security.matrix_data import FILING_ROWS, PERSONAS
from tests.security.test_access_matrix import filing_kwargs

READ_ONLY_PAGES = ("filings:view", "review:flow", "filings:attachment")


def returned_filing(demo, name="退回待删平台"):
    filing = at_stage(demo, 2, demo.zhangsan, name)
    return transitions.return_(filing, demo.edu_reviewer, "负责人信息有误")


def client_for(user):
    client = Client()
    client.force_login(user)
    return client


@pytest.fixture
def owner(demo):
    return client_for(demo.zhangsan)


def test_void_of_a_returned_filing_keeps_its_history_and_leaves_the_lists(demo, owner):
    filing = returned_filing(demo)
    records_before = list(FlowRecord.objects.filter(filing=filing).values_list("action", flat=True))
    number_before = getattr(Filing.objects.get(pk=filing.pk), "number", None)

    pending = owner.get(reverse("filings:mine")).content.decode()
    void_url = reverse("review:void", kwargs={"public_id": filing.public_id})
    assert void_url in pending  # 删除 offered in 待上报平台

    page = owner.get(void_url).content.decode()
    assert "备案编号和流转记录仍保留" in page and "确定删除" in page
    response = owner.post(void_url, {"version": filing.version})
    assert response.status_code == 302

    filing.refresh_from_db()
    assert filing.status == Status.VOIDED
    assert getattr(filing, "number", None) == number_before
    records = list(FlowRecord.objects.filter(filing=filing).order_by("created_at", "id"))
    assert [r.action for r in records[:-1]] == records_before  # nothing rewritten
    assert records[-1].action == Action.VOID and records[-1].actor == demo.zhangsan
    assert records[-1].get_action_display() == "删除"
    assert records[-1].to_status == "平台：已删除"
    # Content and attachments are still there (not erased).
    assert filing.attachments.exists() and Filing.objects.filter(pk=filing.pk).exists()

    for tab in ("pending", "all"):
        html = owner.get(reverse("filings:mine"), {"tab": tab}).content.decode()
        assert '<th scope="row">退回待删平台</th>' not in html, tab
        assert '<span class="badge-count">0</span>' in html  # the counts leave it too
    for user in (demo.zhangsan, demo.sldx_admin, demo.edu_reviewer, demo.kjt_reviewer, demo.admin):
        assert not Filing.objects.visible_to(user).filter(pk=filing.pk).exists(), user
        assert not Filing.objects.actionable_by(user).filter(pk=filing.pk).exists(), user
    for reviewer in (demo.sldx_admin, demo.edu_reviewer, demo.kjt_reviewer):
        html = client_for(reviewer).get(reverse("review:list"), {"tab": "all"}).content.decode()
        assert "退回待删平台" not in html


def test_void_of_a_withdrawn_filing(demo, owner):
    filing = at_stage(demo, 1, demo.zhangsan, "撤销后删除平台")
    filing = transitions.withdraw(filing, demo.zhangsan)
    assert filing.status == Status.DRAFT and filing.first_submitted_at is not None
    assert remedy.delete_url(filing) == reverse("review:void", kwargs={"public_id": filing.public_id})
    response = owner.post(
        reverse("review:void", kwargs={"public_id": filing.public_id}), {"version": filing.version}
    )
    assert response.status_code == 302
    assert Filing.objects.get(pk=filing.pk).status == Status.VOIDED
    assert list(FlowRecord.objects.filter(filing=filing).order_by("id").values_list("action", flat=True)) == [
        Action.SUBMIT,
        Action.WITHDRAW,
        Action.VOID,
    ]


def test_a_never_submitted_draft_is_erased_not_voided(demo, owner):
    draft = new_filing(demo.zhangsan, demo.business, name="从未上报平台")
    assert remedy.delete_url(draft) == reverse("filings:delete", kwargs={"public_id": draft.public_id})
    with pytest.raises(transitions.TransitionError):
        transitions.void(draft, demo.zhangsan)
    response = owner.post(
        reverse("review:void", kwargs={"public_id": draft.public_id}), {"version": draft.version}
    )
    assert response.status_code == 409
    assert Filing.objects.get(pk=draft.pk).status == Status.DRAFT
    owner.post(reverse("filings:delete", kwargs={"public_id": draft.public_id}), {"version": draft.version})
    assert not Filing.objects.filter(pk=draft.pk).exists()


def test_void_is_refused_in_review_done_or_to_anyone_but_the_owner(demo, owner):
    waiting = at_stage(demo, 1, demo.zhangsan, "审核中平台")
    with pytest.raises(transitions.TransitionError):
        transitions.void(waiting, demo.zhangsan)
    response = owner.post(
        reverse("review:void", kwargs={"public_id": waiting.public_id}), {"version": waiting.version}
    )
    assert response.status_code == 409
    returned = returned_filing(demo)
    with pytest.raises(transitions.TransitionError):
        transitions.void(returned, demo.lisi)
    for other in (demo.lisi, demo.sldx_admin, demo.kjt_reviewer):
        url = reverse("review:void", kwargs={"public_id": returned.public_id})
        assert client_for(other).post(url, {"version": returned.version}).status_code == 404
    assert Filing.objects.get(pk=returned.pk).status == Status.RETURNED
    assert Filing.objects.get(pk=waiting.pk).status == Status.IN_REVIEW
    # A stale page (another tab moved the filing) changes nothing.
    with pytest.raises(transitions.TransitionError):
        transitions.void(returned, demo.zhangsan, expected_version=returned.version - 1)
    voided = transitions.void(returned, demo.zhangsan, expected_version=returned.version)
    with pytest.raises(transitions.TransitionError):
        transitions.void(voided, demo.zhangsan)  # final
    assert FlowRecord.objects.filter(filing=returned, action=Action.VOID).count() == 1


def auditor(demo):
    role = getattr(Role, "AUDIT_ADMIN", None)
    if role is None:
        return None
    return User.objects.create_user(username="audit_reader", password="Audit@2026x", role=role, name="审计员")


def test_voided_urls_answer_404_to_everyone_but_the_auditor_and_the_administrator(demo):
    filing = returned_filing(demo, "已作废平台")
    attachment = attach(filing, AttachmentKind.OTHER, demo.zhangsan, name="作废材料.pdf")
    from kechuang.filings.models import Member

    member = Member.objects.create(
        filing=filing, name="成员甲", gender="male", title="senior", education="doctor"
    )
    filing.refresh_from_db()
    transitions.void(filing, demo.zhangsan)
    records = FlowRecord.objects.filter(filing=filing).count()
    extra = type("Extra", (), {"member": member, "attachment": attachment})
    personas = [p for p in PERSONAS if p not in ("anon", "admin")]
    clients = {p: client_for(getattr(demo, p)) for p in personas}
    readers = {"admin": client_for(demo.admin)}
    reader = auditor(demo)
    if reader is not None:
        readers["audit_admin"] = client_for(reader)
    status_of = {"N": 404, "F": 403, "M": 405}
    checked = 0
    for name, rule in FILING_ROWS.items():
        url = reverse(name, kwargs=filing_kwargs(name, filing, extra))
        for method, codes in (("GET", rule.get), ("POST", rule.post)):
            if codes is None:
                continue
            for persona, client in clients.items():
                code = codes[PERSONAS.index(persona)]
                # A refusal for the person's role or the method (the same letter in every state of the matrix)
                # is decided before any filing is looked at; everything else must be a 404 now.
                expected = status_of[code] if len(code) == 1 and code in "FM" else 404
                response = client.get(url) if method == "GET" else client.post(url, {"version": 99})
                assert response.status_code == expected, (method, name, persona, response.status_code)
                checked += 1
            for persona, client in readers.items():
                response = client.get(url) if method == "GET" else client.post(url, {"version": 99})
                if method == "GET" and name in READ_ONLY_PAGES:
                    assert response.status_code == 200, (name, persona)
                else:  # read-only: no other page, and no change, for them either
                    assert response.status_code in (403, 404, 405), (
                        method,
                        name,
                        persona,
                        response.status_code,
                    )
    assert checked > 100
    filing.refresh_from_db()
    assert filing.status == Status.VOIDED
    assert FlowRecord.objects.filter(filing=filing).count() == records  # nothing moved it
    # The read-only pages say what it is.
    page = (
        readers["admin"].get(reverse("filings:view", kwargs={"public_id": filing.public_id})).content.decode()
    )
    assert "平台：已删除" in page and "已作废平台" in page


def test_confirmation_after_the_period_says_re_filing_is_no_longer_possible(demo, owner, monkeypatch):
    filing = returned_filing(demo)
    url = reverse("review:void", kwargs={"public_id": filing.public_id})
    assert "不能再重新申报" not in owner.get(url).content.decode()
    guide = owner.get(
        reverse("filings:edit", kwargs={"public_id": filing.public_id, "tab": "guide"})
    ).content.decode()
    assert "重新在线办理" in guide and "备案编号和流转记录仍保留" in guide
    monkeypatch.setattr(remedy, "open_season", lambda business, unit=None, now=None: None)
    assert "申报期已结束，删除后本申报期内不能再重新申报。" in owner.get(url).content.decode()
    for tab in ("guide", "members"):
        html = owner.get(
            reverse("filings:edit", kwargs={"public_id": filing.public_id, "tab": tab})
        ).content.decode()
        assert "本申报期已结束，删除后本申报期内不能再重新在线办理" in html, tab
        assert "再由实际负责人用本人账号个人登录后重新在线办理" not in html, tab


def test_hints_of_a_never_submitted_draft(demo, owner):
    draft = complete_filing(demo.zhangsan, demo.business, name="新草稿平台")
    for tab in ("guide", "members"):
        html = owner.get(
            reverse("filings:edit", kwargs={"public_id": draft.public_id, "tab": tab})
        ).content.decode()
        assert "再由实际负责人用本人账号个人登录后重新在线办理" in html
        assert "备案编号和流转记录仍保留" not in html  # it is erased, nothing stays
