"""The manual's 数据同步 scenarios (U1, U2, S1–S3), end to end through the real views.

Unit side: 单位管理 (accounts); approval: the admin site; filing side: the filing's 数据同步 buttons
(filings:sync_unit / filings:sync_owner). A filing's snapshot changes only when its owner presses 数据同步.
"""

import pytest
from django.contrib.admin.helpers import ACTION_CHECKBOX_NAME
from django.test import Client
from django.urls import reverse

from kechuang.accounts.models import Unit, UnitChange, User
from kechuang.filings.models import Filing, Status
from kechuang.review import transitions
from tests.filings.factories import complete_filing, edit_url, new_filing

from .unit_factories import NEW_CODE, contacts, registration

NEW_NAME = "示例理工大学"
OLD_NAME = "示例科技大学"


class Actors:
    """One logged-in browser per persona, as in the manual: 法人 (unit admin), 系统管理员, 负责人."""

    def __init__(self, demo):
        self.demo = demo
        self.unit_admin = self._client(demo.sldx_admin)
        self.admin = self._client(demo.admin)
        self.zhangsan = self._client(demo.zhangsan)

    @staticmethod
    def _client(user):
        client = Client()
        client.force_login(user)
        return client

    # 单位管理
    def change_registration(self, **data):
        response = self.unit_admin.post(reverse("accounts:unit_registration"), registration(**data))
        assert response.status_code == 302, response.content.decode()

    def change_contacts(self, **data):
        response = self.unit_admin.post(reverse("accounts:unit_contacts"), contacts(**data))
        assert response.status_code == 302, response.content.decode()

    # admin site
    def decide(self, action, **extra):
        change = UnitChange.objects.get(status=UnitChange.Status.PENDING)
        response = self.admin.post(
            reverse("admin:accounts_unitchange_changelist"),
            {"action": action, ACTION_CHECKBOX_NAME: [change.pk], **extra},
        )
        assert response.status_code == 302

    def approve(self):
        self.decide("approve_selected")

    def refuse(self, reason):
        self.decide("refuse_selected", confirm="驳回所选变更", reason=reason)

    # the applicant's 数据同步
    def sync(self, filing, which="unit", client=None):
        filing.refresh_from_db()
        url = reverse(f"filings:sync_{which}", args=[filing.public_id])
        response = (client or self.zhangsan).post(url, {"version": filing.version}, follow=True)
        filing.refresh_from_db()
        return response


@pytest.fixture
def actors(demo):
    return Actors(demo)


@pytest.fixture
def draft(demo):
    """zhangsan's draft, created by 在线申报 (snapshots copied at creation)."""
    return new_filing(demo.zhangsan, demo.business, name="寒地新材料国际联合实验室")


def _page(client, url, **params):
    response = client.get(url, params)
    assert response.status_code == 200
    return response.content.decode()


def test_s1_pending_name_change_is_invisible_until_approved_then_synced(actors, draft):
    """Scenario 依托单位信息与实际有出入: 修改注册信息 → 保存并提交审核 → 审核通过 → 数据同步."""
    actors.change_registration()
    assert Unit.objects.get(pk=draft.unit_id).name == OLD_NAME

    # Before approval: 数据同步 copies the approved (old) name; no list or filing shows the new one.
    response = actors.sync(draft)
    assert "同步成功" in response.content.decode()
    assert draft.unit_name == OLD_NAME
    for client, url, params in [
        (actors.zhangsan, edit_url(draft, "basic"), {}),
        (actors.zhangsan, reverse("filings:mine"), {"tab": "all"}),
        (actors.zhangsan, reverse("filings:view", args=[draft.public_id]), {}),
        (actors.unit_admin, reverse("review:list"), {"tab": "all"}),
    ]:
        page = _page(client, url, **params)
        assert NEW_NAME not in page, url
    assert OLD_NAME in _page(actors.zhangsan, edit_url(draft, "basic"))

    actors.approve()
    assert Unit.objects.get(pk=draft.unit_id).name == NEW_NAME
    # The snapshot does not change by itself …
    draft.refresh_from_db()
    assert draft.unit_name == OLD_NAME
    # … only when the applicant presses 数据同步 beside 依托单位.
    response = actors.sync(draft)
    page = response.content.decode()
    assert "同步成功" in page
    assert NEW_NAME in page
    assert (draft.unit_name, draft.unit_credit_code) == (NEW_NAME, NEW_CODE)
    assert NEW_NAME in _page(actors.zhangsan, reverse("filings:mine"), tab="all")


def test_s1_refused_change_keeps_old_data_and_sync_copies_old_name(actors, draft):
    actors.change_registration()
    actors.refuse("名称与营业执照不一致")
    assert Unit.objects.get(pk=draft.unit_id).name == OLD_NAME
    actors.sync(draft)
    assert draft.unit_name == OLD_NAME
    page = _page(actors.unit_admin, reverse("accounts:unit"))
    assert "未通过" in page and "名称与营业执照不一致" in page


def test_s1_contact_change_is_effective_at_once_and_synced(actors, draft):
    """Scenario 联系人信息发生变化: 修改基本信息 → 保存基本信息 → 数据同步."""
    actors.change_contacts()
    draft.refresh_from_db()
    assert draft.unit_contact_name == "赵老师"  # snapshot untouched until 数据同步
    response = actors.sync(draft)
    assert "同步成功" in response.content.decode()
    assert (draft.unit_contact_name, draft.unit_contact_phone, draft.unit_contact_email) == (
        "孙老师",
        "0451-86400099",
        "kjc@example.edu.cn",
    )
    assert draft.unit_address == "哈尔滨市南岗区示例路99号"
    assert "孙老师" in response.content.decode()


def test_u1_both_changes_in_the_manuals_order(actors, draft):
    """Scenario 单位名称和联系人信息同时发生变化: first 修改基本信息, then 修改注册信息, approval, 数据同步."""
    actors.change_contacts()
    actors.change_registration()
    actors.sync(draft)  # before approval: new contacts, old name
    assert (draft.unit_name, draft.unit_contact_name) == (OLD_NAME, "孙老师")
    actors.approve()
    actors.sync(draft)
    assert (draft.unit_name, draft.unit_credit_code, draft.unit_contact_name) == (
        NEW_NAME,
        NEW_CODE,
        "孙老师",
    )
    page = _page(actors.unit_admin, reverse("accounts:unit"))
    assert "已通过" in page and "联系人：赵老师 → 孙老师" in page


def test_s2_profile_change_then_owner_sync(actors, demo, draft):
    """Scenario 负责人信息有出入: 个人信息 → 保存 → 我的平台 → 填报 → 平台人员 → 负责人 数据同步."""
    profile_url = reverse("accounts:profile")
    form = _page(actors.zhangsan, profile_url)
    assert "个人信息" in form
    person = demo.zhangsan
    data = {
        "name": person.name,
        "gender": person.gender,
        "position": "院长",
        "research_field": "寒地材料",
        "mobile": "13900000001",
        "id_type": person.id_type,
        "id_number": person.id_number,
        "birth_date": person.birth_date.isoformat(),
        "title": "senior",
        "education": person.education,
        "email": "zhangsan@univ.example.cn",
    }
    assert actors.zhangsan.post(profile_url, data).status_code == 302
    draft.refresh_from_db()
    assert (draft.owner_position, draft.owner_mobile) == ("教授", "13800000001")
    members = _page(actors.zhangsan, edit_url(draft, "members"))
    assert f'href="{profile_url}"' in members  # the blue 个人信息 link
    response = actors.sync(draft, "owner")
    page = response.content.decode()
    assert "同步成功" in page
    assert "院长" in page
    assert (draft.owner_position, draft.owner_research_field, draft.owner_mobile) == (
        "院长",
        "寒地材料",
        "13900000001",
    )
    assert (draft.owner_title, draft.owner_email) == ("senior", "zhangsan@univ.example.cn")


def test_s3_wrong_person_means_delete_and_refile(actors, draft):
    """Scenario 负责人不是实际负责人: the 平台人员 tab says so; the draft can be deleted from 待上报平台."""
    page = _page(actors.zhangsan, edit_url(draft, "members"))
    assert "删除" in page and "实际负责人" in page and "重新在线办理" in page
    # The 负责人 is not a field of the filing: no form input for the name or id number.
    assert 'name="owner_name"' not in page
    assert 'name="owner_id_number"' not in page
    mine = _page(actors.zhangsan, reverse("filings:mine"))
    assert reverse("filings:delete", args=[draft.public_id]) in mine


def test_s1_s2_sync_is_refused_on_a_submitted_filing(actors, demo):
    filing = complete_filing(demo.zhangsan, demo.business)
    transitions.submit(filing, demo.zhangsan)
    filing.refresh_from_db()
    assert filing.status == Status.IN_REVIEW
    actors.change_contacts()
    actors.change_registration()
    actors.approve()
    version = filing.version
    for which in ("unit", "owner"):
        response = actors.zhangsan.post(
            reverse(f"filings:sync_{which}", args=[filing.public_id]), {"version": version}
        )
        assert response.status_code == 403
        assert "已上报" in response.content.decode()
    filing.refresh_from_db()
    assert (filing.unit_name, filing.unit_contact_name, filing.version) == (OLD_NAME, "赵老师", version)


def test_design4_snapshot_never_changes_by_itself(actors, demo, draft):
    before = Filing.objects.filter(pk=draft.pk).values().get()
    actors.change_contacts()
    actors.change_registration()
    actors.approve()
    User.objects.filter(pk=demo.zhangsan.pk).update(position="院长", mobile="13900000001")
    after = Filing.objects.filter(pk=draft.pk).values().get()
    assert after == before


def test_s1_only_the_owner_can_sync(actors, demo, draft):
    lisi = Actors._client(demo.lisi)
    for which in ("unit", "owner"):
        url = reverse(f"filings:sync_{which}", args=[draft.public_id])
        assert lisi.post(url, {"version": draft.version}).status_code == 404
        assert actors.unit_admin.post(url, {"version": draft.version}).status_code == 404
        assert actors.zhangsan.get(url).status_code == 405
    draft_after = Filing.objects.get(pk=draft.pk)
    assert draft_after.version == draft.version
