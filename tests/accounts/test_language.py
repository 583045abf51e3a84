"""中文 | English (issue 12 item 7): the header's switch, remembered by cookie and on the account; pages after a
login on a fresh browser follow the account; messages and mail sent later (send_reminders) are in the
recipient's language; Chinese stays the default."""

import datetime

import pytest
from django.conf import settings
from django.core.management import call_command
from django.test import Client
from django.urls import reverse

from kechuang.accounts.models import User
from kechuang.outbox.models import OutboxMail
from kechuang.review import transitions
from kechuang.review.models import Notification
from kechuang.workflow import days
from kechuang.workflow.models import Season, Stage, StageDeadline
from tests.review.factories import at_stage

pytestmark = pytest.mark.django_db

SWITCH = reverse("accounts:set_language")
HOME = reverse("portal:home")
LOGIN = reverse("accounts:login")
PASSWORD = "Demo@2026"


def test_chinese_is_the_default_and_the_switch_is_a_keyboard_usable_form(client, demo):
    body = client.get(HOME).content.decode()
    assert '<html lang="zh-Hans">' in body
    assert "科技创新平台申报" in body or "黑龙江省科技创新服务平台" in body
    assert f'<form class="language-switch" action="{SWITCH}" method="post">' in body
    assert 'name="csrfmiddlewaretoken"' in body.split('class="language-switch"')[1].split("</form>")[0]
    assert (
        '<button type="submit" name="language" value="zh-hans" lang="zh-Hans" class="link" aria-current="true">'
        "中文</button>" in body
    )
    assert '<button type="submit" name="language" value="en" lang="en" class="link">English</button>' in body
    assert "Sign in" not in body


def test_an_anonymous_switch_sets_the_cookie_and_the_next_page_is_english(client, demo):
    response = client.post(SWITCH, {"language": "en"}, HTTP_REFERER=f"http://testserver{HOME}?x=1")
    assert response.status_code == 302 and response["Location"] == f"http://testserver{HOME}?x=1"
    assert response.cookies[settings.LANGUAGE_COOKIE_NAME].value == "en"
    body = client.get(HOME).content.decode()
    assert '<html lang="en">' in body
    assert (
        "Heilongjiang S&amp;T Innovation Service Platform</a>" in body
        or "Heilongjiang S&T Innovation" in body
    )
    assert ">Sign in</a>" in body
    assert "请输入您想找的业务" not in body and ">登录</a>" not in body
    assert 'lang="en" class="link" aria-current="true">English</button>' in body
    # and back
    client.post(SWITCH, {"language": "zh-hans"})
    assert '<html lang="zh-Hans">' in client.get(HOME).content.decode()


def test_an_unknown_language_changes_nothing(client, demo):
    client.force_login(demo.zhangsan)
    response = client.post(SWITCH, {"language": "fr"})
    assert response.status_code == 302
    assert settings.LANGUAGE_COOKIE_NAME not in response.cookies
    assert User.objects.get(pk=demo.zhangsan.pk).language == ""
    assert client.get(SWITCH).status_code == 405


def test_a_signed_in_switch_is_kept_on_the_account_and_applies_after_login_on_a_fresh_browser(client, demo):
    assert client.post(LOGIN, {"username": "zhangsan", "password": PASSWORD}).status_code == 302
    client.post(SWITCH, {"language": "en"})
    assert User.objects.get(pk=demo.zhangsan.pk).language == "en"
    assert '<html lang="en">' in client.get(reverse("filings:mine")).content.decode()

    fresh = Client()  # another browser: no cookie, Chinese until the account is known
    assert '<html lang="zh-Hans">' in fresh.get(LOGIN).content.decode()
    response = fresh.post(LOGIN, {"username": "zhangsan", "password": PASSWORD}, follow=True)
    body = response.content.decode()
    assert '<html lang="en">' in body and "My platforms" in body and "我的平台" not in body
    assert fresh.cookies[settings.LANGUAGE_COOKIE_NAME].value == "en"
    # the account wins over a cookie left by someone else on a shared computer
    fresh.cookies[settings.LANGUAGE_COOKIE_NAME] = "zh-hans"
    assert '<html lang="en">' in fresh.get(HOME).content.decode()


def test_someone_who_never_chose_keeps_the_browser_choice(client, demo):
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    client.force_login(demo.lisi)
    assert '<html lang="en">' in client.get(HOME).content.decode()
    assert User.objects.get(pk=demo.lisi.pk).language == ""


def _reminder_for(user):
    return OutboxMail.objects.get(recipient=user, key__startswith="digest:")


def test_mail_sent_later_by_a_command_is_in_each_recipients_language(demo):
    at_stage(demo, 3, name="省级待审平台")
    StageDeadline.objects.create(
        season=Season.objects.get(business=demo.business),
        stage=Stage.objects.get(business=demo.business, order=3),
        due=days.today() + datetime.timedelta(days=4),
    )
    User.objects.filter(pk=demo.kjt_reviewer.pk).update(language="en")
    chinese_reviewer = User.objects.create_user(
        "kjt_reviewer2", email="kjt2@example.com", name="王审核", role="province_reviewer",
        department=demo.kjt_reviewer.department,
    )  # fmt: skip
    OutboxMail.objects.all().delete()
    call_command("send_reminders", stdout=open("/dev/null", "w"))  # noqa: SIM115

    english = _reminder_for(demo.kjt_reviewer)
    assert english.subject == "[Heilongjiang S&T Innovation Service Platform] Daily reminder"
    assert english.body.startswith("You have 1 platform filings awaiting review.")
    assert "Provincial review review deadline:" in english.body and "(4 days left)" in english.body
    assert "省级待审平台" in english.body  # the name as typed
    assert "待审核" not in english.body and "审核截止" not in english.body

    chinese = _reminder_for(chinese_reviewer)
    assert chinese.subject == "【黑龙江省科技创新服务平台】每日提醒"
    assert chinese.body.startswith("您有 1 个平台备案待审核。") and "省科技厅审核审核截止" in chinese.body
    assert "review" not in chinese.body
    assert (
        Notification.objects.get(recipient=demo.kjt_reviewer, key__startswith="digest:").text == english.body
    )


def test_a_decision_tells_the_applicant_in_their_language_and_the_record_stays_chinese(demo):
    User.objects.filter(pk=demo.zhangsan.pk).update(language="en")
    demo.zhangsan.refresh_from_db()
    filing = at_stage(demo, 2, name="退回平台")
    transitions.return_(filing, demo.edu_reviewer, "请补充材料")
    mail = OutboxMail.objects.get(recipient=demo.zhangsan)
    assert mail.subject == "[Heilongjiang S&T Innovation Service Platform] Platform filing status"
    assert mail.body == (
        "The status of your platform filing “退回平台” is now “Platform: Returned for revision”. "
        "Review comments: 请补充材料"
    )
    record = filing.flow_records.order_by("-id").first()
    assert (record.from_status, record.to_status) == ("平台：主管部门审核", "平台：退回修改")


def test_a_unit_change_result_reaches_the_requester_in_their_language(
    demo, django_capture_on_commit_callbacks
):
    """The 系统管理员 decides in Chinese; the unit administrator who asked chose English."""
    from django.core import mail as sent

    from kechuang.accounts import services

    User.objects.filter(pk=demo.sldx_admin.pk).update(language="en")
    demo.sldx_admin.refresh_from_db()
    unit = demo.sldx_admin.unit
    change = services.request_registration_change(
        unit,
        demo.sldx_admin,
        {"name": "示例理工大学", "credit_code": unit.credit_code, "unit_type": unit.unit_type},
    )
    with django_capture_on_commit_callbacks(execute=True):
        services.refuse_unit_change(change, demo.admin, "材料不全")
    assert len(sent.outbox) == 1
    message = sent.outbox[0]
    assert message.to == ["sldx_admin@example.com"]
    assert not any("\u4e00" <= ch <= "\u9fff" for ch in message.subject)
    assert "材料不全" in message.body  # the reason as the admin typed it
    assert "未通过审核" not in message.body


def test_a_registrant_is_told_the_result_in_the_language_they_registered_in(
    demo, django_capture_on_commit_callbacks
):
    """单位注册 filled in English: the account keeps English, so the 主管部门's 退回 (decided in Chinese) is
    mailed in English; one filled in Chinese leaves the account's language blank (the default)."""
    from django.core import mail as sent

    from kechuang.registration.models import UnitRegistration
    from tests.registration.helpers import certificate, unit_data

    def register(language, seq):
        client = Client()
        client.cookies[settings.LANGUAGE_COOKIE_NAME] = language
        data = {**unit_data(seq), "certificate": certificate()}
        with django_capture_on_commit_callbacks(execute=True):
            assert client.post(reverse("registration:unit_register"), data).status_code == 200
        return UnitRegistration.objects.get(credit_code=data["credit_code"])

    english, chinese = register("en", 1), register("zh-hans", 2)
    assert (english.applicant.language, chinese.applicant.language) == ("en", "")
    assert not any("\u4e00" <= ch <= "\u9fff" for ch in sent.outbox[0].subject)  # 已提交, in English
    reviewer = Client()
    reviewer.force_login(demo.hrb_reviewer)
    sent.outbox.clear()
    for registration in (english, chinese):
        with django_capture_on_commit_callbacks(execute=True):
            response = reviewer.post(
                reverse("registration:return", args=[registration.public_id]), {"return-reason": "材料不全"}
            )
        assert response.status_code == 302
    to_english, to_chinese = sent.outbox
    assert to_english.to == [english.contact_email] and to_chinese.to == [chinese.contact_email]
    assert not any("\u4e00" <= ch <= "\u9fff" for ch in to_english.subject)
    assert "材料不全" in to_english.body and "退回原因" not in to_english.body
    assert "单位注册已退回" in to_chinese.subject and "退回原因：材料不全" in to_chinese.body
