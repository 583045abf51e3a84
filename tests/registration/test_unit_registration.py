"""单位注册 (issue 11 item 1): submit, 法人登录 while pending, 通过 / 退回 with mail, resubmission, bad input."""

import pytest
from django.core import mail
from django.test import Client
from django.urls import reverse

from kechuang.accounts.models import PersonStatus, Role, Unit, User
from kechuang.registration import services
from kechuang.registration.models import RegistrationEvent, UnitRegistration

from .helpers import PASSWORD, certificate, unit_data

pytestmark = pytest.mark.django_db(transaction=False)


def register(client, **overrides):
    data = unit_data(**overrides)
    data.setdefault("certificate", certificate())
    return client.post(reverse("registration:unit_register"), data)


def legal_login(client, username):
    return client.post(
        reverse("accounts:login") + "?kind=legal", {"username": username, "password": PASSWORD}
    )


def test_registration_waits_and_legal_login_says_so(demo, django_capture_on_commit_callbacks):
    client = Client()
    with django_capture_on_commit_callbacks(execute=True):
        response = register(client)
    assert response.status_code == 200
    assert "待审核" in response.content.decode()
    registration = UnitRegistration.objects.get()
    assert registration.status == "pending"
    assert registration.applicant.role == Role.UNIT_ADMIN
    assert registration.applicant.unit_id is None
    assert registration.applicant.person_status == PersonStatus.PENDING
    assert registration.certificate_size > 0 and len(registration.certificate_sha256) == 64
    assert "营业执照" not in registration.certificate.name  # random storage name
    assert not Unit.objects.filter(credit_code=registration.credit_code).exists()
    assert [m.to for m in mail.outbox] == [["unit1@example.com"]]
    response = legal_login(client, "newunit1")
    assert response.status_code == 400
    assert "单位注册正在审核中" in response.content.decode()
    assert "_auth_user_id" not in client.session


def test_approval_creates_the_unit_and_mails(demo, django_capture_on_commit_callbacks):
    register(Client())
    registration = UnitRegistration.objects.get()
    mail.outbox.clear()
    reviewer = demo.hrb_reviewer
    client = Client()
    client.force_login(reviewer)
    response = client.get(reverse("registration:review_list"))
    assert registration.name in response.content.decode()
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(
            reverse("registration:approve", args=[registration.public_id]), {"approve-reason": ""}
        )
    assert response.status_code == 302
    registration.refresh_from_db()
    unit = Unit.objects.get(credit_code=registration.credit_code)
    assert registration.status == "approved" and registration.unit == unit
    assert unit.department.name == "哈尔滨市科学技术局" and unit.contact_email == "unit1@example.com"
    applicant = User.objects.get(username="newunit1")
    assert applicant.unit == unit and applicant.person_status == PersonStatus.CONFIRMED
    assert len(mail.outbox) == 1 and "已通过" in mail.outbox[0].subject
    response = legal_login(Client(), "newunit1")
    assert response.status_code == 302


def test_out_of_scope_reviewer_neither_sees_nor_decides(demo):
    register(Client())
    registration = UnitRegistration.objects.get()
    client = Client()
    client.force_login(demo.edu_reviewer)  # another 主管部门
    assert (
        registration.name not in client.get(reverse("registration:review_list") + "?tab=all").content.decode()
    )
    assert client.get(reverse("registration:review_detail", args=[registration.public_id])).status_code == 404
    assert client.get(reverse("registration:certificate", args=[registration.public_id])).status_code == 404
    response = client.post(reverse("registration:approve", args=[registration.public_id]))
    assert response.status_code == 404
    registration.refresh_from_db()
    assert registration.status == "pending"
    for persona in ("zhangsan", "sldx_admin", "kjt_reviewer"):
        client.force_login(getattr(demo, persona))
        assert client.get(reverse("registration:review_list")).status_code == 403


def test_return_needs_a_reason_then_resubmission_with_the_same_account(
    demo, django_capture_on_commit_callbacks
):
    register(Client())
    registration = UnitRegistration.objects.get()
    old_file = registration.certificate.name
    reviewer = Client()
    reviewer.force_login(demo.admin)  # the 系统管理员 sees every registration
    url = reverse("registration:return", args=[registration.public_id])
    response = reviewer.post(url, {"return-reason": "  "})
    assert response.status_code == 400 and "请填写退回原因" in response.content.decode()
    registration.refresh_from_db()
    assert registration.status == "pending"
    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        reviewer.post(url, {"return-reason": "营业执照扫描件不清晰"})
    registration.refresh_from_db()
    assert registration.status == "returned" and registration.reason == "营业执照扫描件不清晰"
    assert "营业执照扫描件不清晰" in mail.outbox[0].body
    applicant = Client()
    assert legal_login(applicant, "newunit1").status_code == 302  # may log in to correct it
    page = applicant.get(reverse("registration:my_registration"))
    assert "营业执照扫描件不清晰" in page.content.decode()
    data = unit_data(name="示例新材料股份有限公司")
    for key in ("username", "password1", "password2"):
        data.pop(key)
    with django_capture_on_commit_callbacks(execute=True):
        response = applicant.post(
            reverse("registration:my_registration"), {**data, "certificate": certificate(name="新执照.pdf")}
        )
    assert response.status_code == 302
    registration.refresh_from_db()
    assert registration.status == "pending" and registration.name == "示例新材料股份有限公司"
    assert registration.certificate.name != old_file
    assert not registration.certificate.storage.exists(old_file)
    actions = list(registration.events.values_list("action", flat=True))
    assert actions == ["submit", "return", "resubmit"]
    assert legal_login(Client(), "newunit1").status_code == 400  # pending again
    # A second resubmission while pending is refused and changes nothing.
    response = applicant.post(reverse("registration:my_registration"), {**data, "name": "又一个名称"})
    assert response.status_code == 409
    registration.refresh_from_db()
    assert registration.name == "示例新材料股份有限公司"


def test_duplicate_credit_code_refused(demo):
    register(Client())
    response = register(Client(), seq=1, name="另一家公司", username="other", email="o@example.com")
    assert response.status_code == 400
    assert "该统一社会信用代码已提交单位注册" in response.content.decode()
    existing = demo.sldx_admin.unit
    response = register(Client(), seq=2, credit_code=existing.credit_code, username="third")
    assert response.status_code == 400 and "该统一社会信用代码的单位已注册" in response.content.decode()
    assert UnitRegistration.objects.count() == 1
    assert not User.objects.filter(username__in=["other", "third"]).exists()


def test_bad_credit_code_checksum_refused(demo):
    code = unit_data()["credit_code"]
    wrong = code[:-1] + ("0" if code[-1] != "0" else "1")
    response = register(Client(), credit_code=wrong)
    assert response.status_code == 400 and "校验位不正确" in response.content.decode()
    assert not UnitRegistration.objects.exists()


@pytest.mark.parametrize(
    "content,message",
    [
        (b"MZ\x90\x00 this is a windows program", "内容不是PDF"),
        (b"%PDF-1.7\n1 0 obj\n", "PDF文件不完整"),
        (b"", "空文件"),
    ],
)
def test_non_pdf_certificate_refused_and_nothing_stored(demo, tmp_path, content, message):
    response = register(Client(), certificate=certificate(content, name="执照.pdf"))
    assert response.status_code == 400
    assert message in response.content.decode()
    assert not UnitRegistration.objects.exists() and not User.objects.filter(username="newunit1").exists()
    stored = tmp_path / "media" / "registrations"
    assert not stored.exists() or not any(stored.rglob("*.pdf"))


def test_oversize_certificate_refused_before_reading(demo, settings):
    response = Client().post(
        reverse("registration:unit_register"),
        unit_data(),
        CONTENT_LENGTH=str(11 * 1024 * 1024),
    )
    assert response.status_code == 413
    assert "大小限制为10M以内" in response.content.decode()


def test_weak_password_and_mismatch_refused(demo):
    response = register(Client(), password1="12345678", password2="12345678")
    assert response.status_code == 400
    assert "密码须至少包含" in response.content.decode()
    response = register(Client(), password2="Other@2026pass")
    assert "两次输入的密码不一致" in response.content.decode()
    assert not UnitRegistration.objects.exists()


def test_registration_flood_is_throttled(demo, settings):
    settings.REGISTRATION_POSTS_PER_ADDRESS = 3
    client = Client()
    codes = [register(client, seq=i, username=f"flood{i}").status_code for i in range(5)]
    assert codes[:3] == [200, 200, 200]
    assert codes[3:] == [429, 429]
    assert UnitRegistration.objects.count() == 3
    # Another address is not affected.
    assert register(Client(REMOTE_ADDR="10.1.2.3"), seq=9, username="flood9").status_code == 200


def test_approve_twice_is_a_conflict(demo):
    register(Client())
    registration = UnitRegistration.objects.get()
    services.approve_unit(registration, demo.admin)
    with pytest.raises(services.RegistrationError) as error:
        services.approve_unit(registration, demo.hrb_reviewer)
    assert error.value.status == 409
    assert Unit.objects.filter(credit_code=registration.credit_code).count() == 1
    assert RegistrationEvent.objects.filter(action="approve").count() == 1


def test_logged_in_people_are_sent_to_the_center(demo):
    client = Client()
    client.force_login(demo.zhangsan)
    assert client.get(reverse("registration:unit_register")).status_code == 302
    assert client.get(reverse("registration:person_register")).status_code == 302


def test_personal_center_counts_pending_registrations_for_their_reviewers_only(demo):
    register(Client())
    register(Client(), seq=2, username="second", name="第二家公司", email="s@example.com")
    hrb = Client()
    hrb.force_login(demo.hrb_reviewer)
    body = hrb.get(reverse("portal:center")).content.decode()
    assert "单位注册：待审核" in body
    assert '单位注册：待审核 <span class="badge-count">2</span>' in body
    edu = Client()
    edu.force_login(demo.edu_reviewer)
    assert (
        '单位注册：待审核 <span class="badge-count">0</span>'
        in edu.get(reverse("portal:center")).content.decode()
    )
    applicant = Client()
    applicant.force_login(demo.zhangsan)
    assert "单位注册：待审核" not in applicant.get(reverse("portal:center")).content.decode()


def test_registration_steps_are_audited_with_the_client_address(demo):
    from kechuang.audit.models import EventKind, SecurityEvent

    register(Client(REMOTE_ADDR="10.9.8.7"))
    registration = UnitRegistration.objects.get()
    reviewer = Client(REMOTE_ADDR="10.9.8.6")
    reviewer.force_login(demo.hrb_reviewer)
    reviewer.post(
        reverse("registration:return", args=[registration.public_id]), {"return-reason": "补充材料"}
    )
    rows = list(
        SecurityEvent.objects.filter(kind=EventKind.REGISTRATION)
        .order_by("id")
        .values_list("username", "ip_address", "detail__action")
    )
    assert rows == [("newunit1", "10.9.8.7", "unit_submitted"), ("hrb_reviewer", "10.9.8.6", "unit_returned")]
    assert SecurityEvent.objects.get(detail__action="unit_returned").get_kind_display() == "注册与注册审核"
