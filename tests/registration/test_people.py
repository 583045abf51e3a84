"""人员管理 (issue 11 item 3), 转入申请 and 申请修改身份信息 (item 4), 数据同步 of a changed 负责人."""

import pytest
from django.core import mail
from django.test import Client
from django.urls import reverse

from kechuang.accounts.models import PersonStatus, User
from kechuang.filings.models import Filing
from kechuang.filings.services import FilingEditError
from kechuang.filings.sync import sync_owner
from kechuang.registration import services
from kechuang.registration.models import IdentityChange, TransferRequest
from kechuang.registration.people_views import mask_id
from tests.factories import new_filing, submitted_filing

from .helpers import id_number, person_data


@pytest.fixture
def newcomer(demo):
    Client().post(reverse("registration:person_register"), person_data(demo.zhangsan.unit))
    return User.objects.get(username="person12")


def admin_client(demo, persona="sldx_admin"):
    client = Client()
    client.force_login(getattr(demo, persona))
    return client


def act(client, person, action):
    return client.post(reverse("registration:person_action", args=[person.public_id, action]))


def test_people_list_masks_id_numbers_and_shows_actions(demo, newcomer):
    response = admin_client(demo).get(reverse("registration:people"))
    body = response.content.decode()
    assert response.status_code == 200
    assert newcomer.name in body and demo.zhangsan.name in body
    assert newcomer.id_number not in body and demo.zhangsan.id_number not in body
    assert mask_id(newcomer.id_number) in body
    assert demo.wangwu.name not in body  # another unit's person
    assert "确认" in body and "重置密码" in body


def test_mask_keeps_the_last_four():
    assert mask_id("230102199006151234") == "**************1234"
    assert mask_id("") == "—"
    assert mask_id("AB1") == "AB1"


def test_confirm_lets_the_person_file(demo, newcomer, django_capture_on_commit_callbacks):
    client = admin_client(demo)
    with django_capture_on_commit_callbacks(execute=True):
        assert act(client, newcomer, "confirm").status_code == 302
    newcomer.refresh_from_db()
    assert newcomer.person_status == PersonStatus.CONFIRMED
    assert "已确认" in mail.outbox[-1].subject
    person = Client()
    person.force_login(newcomer)
    response = person.post(reverse("filings:create", args=[demo.business.public_id]))
    assert response.status_code == 302
    assert Filing.objects.filter(owner=newcomer).count() == 1


def test_refuse_keeps_the_account_without_filing(demo, newcomer):
    act(admin_client(demo), newcomer, "refuse")
    newcomer.refresh_from_db()
    assert newcomer.person_status == PersonStatus.REFUSED and newcomer.is_active
    person = Client()
    person.force_login(newcomer)
    response = person.post(reverse("filings:create", args=[demo.business.public_id]))
    assert response.status_code == 403 and "已拒绝确认您的注册" in response.content.decode()


def test_disable_blocks_login_and_keeps_filings(demo):
    filing = submitted_filing(demo)
    client = admin_client(demo)
    assert act(client, demo.zhangsan, "disable").status_code == 302
    zhangsan = User.objects.get(pk=demo.zhangsan.pk)
    assert zhangsan.person_status == PersonStatus.DISABLED and not zhangsan.is_active
    response = Client().post(reverse("accounts:login"), {"username": "zhangsan", "password": "Demo@2026"})
    assert response.status_code == 400
    assert Filing.objects.filter(pk=filing.pk, owner=zhangsan).exists()
    assert act(client, zhangsan, "enable").status_code == 302
    zhangsan.refresh_from_db()
    assert zhangsan.is_active and zhangsan.person_status == PersonStatus.CONFIRMED


def test_disable_ends_an_open_session(demo):
    person = Client()
    person.force_login(demo.zhangsan)
    act(admin_client(demo), demo.zhangsan, "disable")
    assert person.get(reverse("filings:mine")).status_code == 302  # back to the login page


def test_wrong_state_actions_are_refused(demo, newcomer):
    client = admin_client(demo)
    act(client, newcomer, "enable")
    newcomer.refresh_from_db()
    assert newcomer.person_status == PersonStatus.PENDING
    assert (
        client.post(reverse("registration:person_action", args=[newcomer.public_id, "delete"])).status_code
        == 404
    )


def test_other_units_people_are_404(demo, newcomer):
    client = admin_client(demo, "xcl_admin")
    assert act(client, newcomer, "confirm").status_code == 404
    newcomer.refresh_from_db()
    assert newcomer.person_status == PersonStatus.PENDING
    assert act(admin_client(demo), demo.sldx_admin, "disable").status_code == 404  # admins are not 人员


def test_reset_password_mails_a_link_never_a_password(demo, django_capture_on_commit_callbacks):
    old_hash = User.objects.get(pk=demo.zhangsan.pk).password
    with django_capture_on_commit_callbacks(execute=True):
        response = act(admin_client(demo), demo.zhangsan, "reset_password")
    assert response.status_code == 302
    assert User.objects.get(pk=demo.zhangsan.pk).password == old_hash
    assert len(mail.outbox) == 1 and mail.outbox[0].to == [demo.zhangsan.email]
    assert "/password/reset/" in mail.outbox[0].body
    page = admin_client(demo).get(reverse("registration:people"))
    assert "/password/reset/" not in page.content.decode()


def test_transfer_moves_the_person_and_their_drafts(demo):
    zhangsan = demo.zhangsan
    draft = new_filing(zhangsan, demo.business, name="草稿平台")
    filed = submitted_filing(demo, name="已上报平台")
    target = demo.xcl_admin.unit
    client = Client()
    client.force_login(zhangsan)
    search = client.post(
        reverse("registration:transfer"), {"unit_query": target.name[:3], "action": "search"}
    )
    assert f'value="{target.public_id}"' in search.content.decode()
    response = client.post(
        reverse("registration:transfer"), {"unit": str(target.public_id), "action": "submit"}
    )
    assert response.status_code == 302
    transfer = TransferRequest.objects.get(person=zhangsan)
    assert transfer.from_unit == zhangsan.unit and transfer.status == "pending"
    # The old unit's administrator cannot decide it; the new one can.
    assert (
        admin_client(demo)
        .post(reverse("registration:transfer_decide", args=[transfer.public_id, "confirm"]))
        .status_code
        == 404
    )
    new_admin = admin_client(demo, "xcl_admin")
    assert zhangsan.name in new_admin.get(reverse("registration:people")).content.decode()
    new_admin.post(reverse("registration:transfer_decide", args=[transfer.public_id, "confirm"]))
    zhangsan.refresh_from_db()
    draft.refresh_from_db()
    filed.refresh_from_db()
    assert zhangsan.unit == target
    assert draft.owner == zhangsan and draft.unit == target and draft.unit_name == target.name
    assert filed.unit == demo.sldx_admin.unit  # what was filed stays with the unit that reviewed it


def test_transfer_refusal_needs_a_reason(demo):
    target = demo.xcl_admin.unit
    transfer = services.request_transfer(demo.zhangsan, target)
    client = admin_client(demo, "xcl_admin")
    client.post(reverse("registration:transfer_decide", args=[transfer.public_id, "refuse"]), {"reason": ""})
    transfer.refresh_from_db()
    assert transfer.status == "pending"
    client.post(
        reverse("registration:transfer_decide", args=[transfer.public_id, "refuse"]),
        {"reason": "不是本单位人员"},
    )
    transfer.refresh_from_db()
    assert transfer.status == "refused" and transfer.reason == "不是本单位人员"
    assert User.objects.get(pk=demo.zhangsan.pk).unit == demo.sldx_admin.unit


def test_forged_transfer_unit_refused(demo):
    client = Client()
    client.force_login(demo.zhangsan)
    response = client.post(reverse("registration:transfer"), {"unit": "00000000-0000-0000-0000-000000000000"})
    assert response.status_code == 400 and "请选择有效的依托单位" in response.content.decode()
    assert not TransferRequest.objects.exists()


def test_profile_no_longer_edits_identity(demo):
    client = Client()
    client.force_login(demo.zhangsan)
    page = client.get(reverse("accounts:profile")).content.decode()
    assert 'name="id_number"' not in page and 'name="name"' not in page
    assert reverse("registration:identity_change") in page
    user = demo.zhangsan
    data = {
        "gender": user.gender,
        "position": user.position,
        "research_field": user.research_field,
        "mobile": user.mobile,
        "birth_date": user.birth_date.isoformat(),
        "title": user.title,
        "education": user.education,
        "email": user.email,
        "name": "冒名",
        "id_number": "110101199003074514",
    }
    client.post(reverse("accounts:profile"), data)
    user.refresh_from_db()
    assert user.name != "冒名" and user.id_number != "110101199003074514"


def test_identity_change_takes_effect_only_when_approved(demo, django_capture_on_commit_callbacks):
    zhangsan = demo.zhangsan
    filing = new_filing(zhangsan, demo.business, name="旧身份的平台")
    new_number = id_number(seq="45", sex_digit=2)
    client = Client()
    client.force_login(zhangsan)
    response = client.post(
        reverse("registration:identity_change"),
        {"name": "张三丰", "id_type": "id_card", "id_number": new_number},
    )
    assert response.status_code == 302
    zhangsan.refresh_from_db()
    assert zhangsan.name != "张三丰" and zhangsan.id_number != new_number  # nothing changed yet
    change = IdentityChange.objects.get(person=zhangsan)
    assert change.status == "pending" and change.old_id_number == demo.zhangsan.id_number
    people = admin_client(demo).get(reverse("registration:people")).content.decode()
    assert "张三丰" in people and mask_id(new_number) in people
    assert new_number not in people and demo.zhangsan.id_number not in people  # 证件号码 masked
    with django_capture_on_commit_callbacks(execute=True):
        admin_client(demo).post(reverse("registration:identity_decide", args=[change.public_id, "approve"]))
    zhangsan.refresh_from_db()
    change.refresh_from_db()
    assert (zhangsan.name, zhangsan.id_number, zhangsan.gender) == ("张三丰", new_number, "female")
    assert change.status == "approved" and change.decided_by == demo.sldx_admin
    assert "已通过" in mail.outbox[-1].subject
    # 数据同步 of the 负责人 now refuses: the filing belongs to the old identity.
    with pytest.raises(FilingEditError) as error:
        sync_owner(filing, zhangsan)
    assert "证件号码" in error.value.message and "重新填报" in error.value.message
    filing.refresh_from_db()
    assert filing.owner_id_number == change.old_id_number


def test_identity_change_refusal_is_kept(demo):
    change = services.request_identity_change(
        demo.zhangsan, {"name": "张叁", "id_type": "id_card", "id_number": demo.zhangsan.id_number}
    )
    services.decide_identity_change(demo.sldx_admin, change, False, "与证件不符")
    change.refresh_from_db()
    assert change.status == "refused" and change.reason == "与证件不符"
    assert User.objects.get(pk=demo.zhangsan.pk).name != "张叁"


def test_identity_change_to_a_taken_number_refused(demo):
    client = Client()
    client.force_login(demo.zhangsan)
    response = client.post(
        reverse("registration:identity_change"),
        {"name": demo.zhangsan.name, "id_type": "id_card", "id_number": demo.lisi.id_number},
    )
    assert response.status_code == 400 and "已注册其他个人账号" in response.content.decode()
    assert not IdentityChange.objects.exists()


def test_reviewers_identity_is_the_system_administrators(demo):
    client = Client()
    client.force_login(demo.edu_reviewer)
    assert client.get(reverse("registration:identity_change")).status_code == 403
    assert "由系统管理员修改" in client.get(reverse("accounts:profile")).content.decode()


def test_sync_owner_still_works_for_the_same_identity(demo):
    filing = new_filing(demo.zhangsan, demo.business)
    User.objects.filter(pk=demo.zhangsan.pk).update(mobile="13700000001")
    sync_owner(filing, demo.zhangsan)
    filing.refresh_from_db()
    assert filing.owner_mobile == "13700000001"


def test_personal_center_counts_what_waits_for_the_unit_administrator(demo, newcomer):
    services.request_transfer(demo.wangwu, demo.zhangsan.unit)
    services.request_identity_change(
        demo.lisi, {"name": "李肆", "id_type": demo.lisi.id_type, "id_number": demo.lisi.id_number}
    )
    body = admin_client(demo).get(reverse("portal:center")).content.decode()
    assert (
        '人员：待确认 <span class="badge-count">3</span>' in body
    )  # newcomer, wangwu's transfer, lisi's change
    other = admin_client(demo, "xcl_admin").get(reverse("portal:center")).content.decode()
    assert '人员：待确认 <span class="badge-count">0</span>' in other


def test_people_actions_are_audited(demo, newcomer):
    from kechuang.audit.models import EventKind, SecurityEvent

    act(admin_client(demo), newcomer, "confirm")
    event = SecurityEvent.objects.get(kind=EventKind.PEOPLE)
    assert event.username == "sldx_admin" and event.detail["action"] == "confirm"
    assert event.detail["person_username"] == "person12" and event.ip_address == "127.0.0.1"


def test_nul_bytes_in_reasons_and_searches_are_not_a_server_error(demo, newcomer):
    transfer = services.request_transfer(demo.wangwu, demo.zhangsan.unit)
    client = admin_client(demo)
    url = reverse("registration:transfer_decide", args=[transfer.public_id, "refuse"])
    assert client.post(url, {"reason": "不\x00是"}).status_code == 302
    transfer.refresh_from_db()
    assert transfer.status == "refused" and transfer.reason == "不是"
    assert client.get(reverse("registration:people"), {"q": "新\x00人"}).status_code == 200
    assert Client().get(reverse("registration:person_register"), {"q": "示例\x00"}).status_code == 200
