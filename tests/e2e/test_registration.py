"""Browser walk-throughs of issue 11 items 1-5: both registrations through approval/confirmation to the first login
and the first 在线办理, 退回 and resubmission, 忘记密码 through the mail outbox (expired and reused links), the
identity-change request and its approval, and 人员管理 停用. Every new page is checked with axe-core."""

import re

import pytest
from django.core import mail
from playwright.sync_api import expect

from kechuang.accounts.models import PersonStatus, User
from kechuang.filings.models import Filing
from tests.factories import PDF
from tests.registration.helpers import PASSWORD, credit_code, id_number

from .helpers import assert_accessible, login

pytestmark = pytest.mark.e2e


@pytest.fixture(autouse=True)
def _mail(settings):
    settings.EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
    mail.outbox = []


def logout(page):
    page.get_by_role("button", name="退出登录").click()


def fill_unit_form(page, tmp_path, name, code):
    page.get_by_label("单位名称").fill(name)
    page.get_by_label("统一社会信用代码").fill(code)
    page.get_by_label("单位类型").select_option(label="企业")
    page.get_by_label("所在地市").select_option(label="哈尔滨市")
    page.get_by_label("主管部门").select_option(label="哈尔滨市科学技术局")
    page.get_by_label("联系人").fill("赵经理")
    page.get_by_label("联系电话").fill("0451-86400001")
    page.get_by_label("电子邮箱").fill("newunit@example.com")
    certificate = tmp_path / "营业执照.pdf"
    certificate.write_bytes(PDF)
    page.get_by_label("单位登记证明").set_input_files(str(certificate))


def test_unit_registration_returned_resubmitted_approved_first_login(page, live_server, demo, tmp_path):
    page.goto(live_server.url + "/login/?kind=legal")
    page.get_by_role("link", name="没有账号？单位注册").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("单位注册")
    assert_accessible(page)
    fill_unit_form(page, tmp_path, "寒地新材料有限公司", credit_code(777))
    page.get_by_label("账号").fill("handi_admin")
    page.locator("#id_password1").fill(PASSWORD)
    page.get_by_label("确认密码").fill(PASSWORD)
    page.get_by_role("button", name="提交注册").click()
    expect(page.get_by_text("待审核", exact=False).first).to_be_visible()
    assert mail.outbox[-1].to == ["newunit@example.com"]

    # Until approved, 法人登录 says so.
    login(page, live_server, "handi_admin", tab="法人登录", password=PASSWORD)
    expect(page.get_by_text("单位注册正在审核中", exact=False)).to_be_visible()

    # The competent department's reviewer sees the count, opens the list and returns it (reason required).
    login(page, live_server, "hrb_reviewer")
    page.get_by_role("link", name=re.compile("单位注册：待审核")).click()
    expect(page.get_by_role("heading", level=1)).to_have_text("单位注册审核")
    assert_accessible(page)
    page.get_by_role("link", name=re.compile("查看")).click()
    assert_accessible(page)
    page.get_by_role("button", name="退回").click()
    expect(page.get_by_text("请填写", exact=False).first).to_be_visible()
    page.locator("#id_return-reason").fill("营业执照扫描件不清晰，请重新上传")
    page.get_by_role("button", name="退回").click()
    expect(page.get_by_text("已退回", exact=False).first).to_be_visible()
    assert "营业执照扫描件不清晰" in mail.outbox[-1].body
    logout(page)

    # The applicant logs in with the same account, corrects and resubmits.
    login(page, live_server, "handi_admin", tab="法人登录", password=PASSWORD)
    page.get_by_role("link", name="单位注册", exact=True).first.click()
    expect(page.get_by_text("营业执照扫描件不清晰", exact=False).first).to_be_visible()
    assert_accessible(page)
    page.get_by_label("单位名称").fill("寒地新材料股份有限公司")
    certificate = tmp_path / "新执照.pdf"
    certificate.write_bytes(PDF)
    page.get_by_label("单位登记证明").set_input_files(str(certificate))
    page.get_by_role("button", name="重新提交").click()
    expect(page.get_by_text("单位注册已重新提交", exact=False)).to_be_visible()
    logout(page)

    login(page, live_server, "hrb_reviewer")
    page.goto(live_server.url + "/center/registrations/")
    page.get_by_role("link", name=re.compile("查看")).click()
    page.get_by_role("button", name="通过").click()
    expect(page.get_by_text("已通过", exact=False).first).to_be_visible()
    assert "已通过" in mail.outbox[-1].subject
    logout(page)

    # First 法人登录 of the new unit's administrator: 单位管理 shows the approved data and 人员管理.
    login(page, live_server, "handi_admin", tab="法人登录", password=PASSWORD)
    page.get_by_role("navigation", name="个人中心菜单").get_by_role("link", name="单位管理").click()
    expect(page.locator(".unit-data").first).to_contain_text("寒地新材料股份有限公司")
    page.get_by_role("link", name="人员管理").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("人员管理")
    assert_accessible(page)


def test_person_registration_confirmation_and_first_filing(page, live_server, demo):
    unit = demo.zhangsan.unit
    page.goto(live_server.url + "/login/")
    page.get_by_role("link", name="没有账号？个人注册").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("个人注册")
    number = id_number(seq="56", sex_digit=4)
    page.get_by_label("姓名").fill("孙八")
    page.get_by_label("证件号码").fill(number)
    page.get_by_label("手机").fill("13900000088")
    page.get_by_label("电子邮箱").fill("sunba@example.com")
    page.get_by_label("依托单位查询").fill("示例科技")
    page.get_by_role("button", name="查询").click()
    expect(page.get_by_label("姓名")).to_have_value("孙八")  # input kept across the search
    page.locator("#id_unit").select_option(value=str(unit.public_id))
    page.get_by_label("账号").fill("sunba")
    page.locator("#id_password1").fill(PASSWORD)
    page.get_by_label("确认密码").fill(PASSWORD)
    page.get_by_label("我已阅读并同意《隐私政策》").check()
    assert_accessible(page)
    page.get_by_role("button", name="注册").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("注册成功")
    person = User.objects.get(username="sunba")
    assert person.gender == "female" and person.birth_date.isoformat() == "1990-06-15"

    # Logs in at once; 在线办理 is refused and names the unit administrator's contact.
    login(page, live_server, "sunba", password=PASSWORD)
    page.goto(live_server.url + f"/business/{demo.business.public_id}/")
    note = page.locator("#file-note")
    expect(note).to_contain_text("单位管理员确认")
    expect(note).to_contain_text(unit.contact_name)
    expect(page.get_by_role("button", name="在线申报")).to_be_disabled()
    logout(page)

    # The unit administrator sees 人员：待确认 1 and confirms.
    login(page, live_server, "sldx_admin", tab="法人登录")
    page.get_by_role("link", name=re.compile("人员：待确认")).click()
    row = page.get_by_role("row").filter(has_text="孙八")
    expect(row).to_contain_text("待确认")
    expect(row).not_to_contain_text(number)
    expect(row).to_contain_text(number[-4:])
    row.get_by_role("button", name=re.compile("确认")).click()
    expect(page.get_by_text("已确认孙八", exact=False)).to_be_visible()
    logout(page)

    login(page, live_server, "sunba", password=PASSWORD)
    page.goto(live_server.url + f"/business/{demo.business.public_id}/")
    page.get_by_role("button", name="在线申报").click()
    expect(page.get_by_text("已创建平台备案", exact=False)).to_be_visible()
    assert Filing.objects.filter(owner__username="sunba").count() == 1


def reset_link():
    return re.search(r"https?://\S+/password/reset/\S+/", mail.outbox[-1].body).group(0)


def test_forgot_password_end_to_end_with_reused_and_expired_links(page, live_server, demo, settings):
    page.goto(live_server.url + "/login/")
    page.get_by_role("link", name="忘记密码").click()
    assert_accessible(page)
    page.get_by_label("账号").fill("zhangsan")
    page.get_by_label("电子邮箱").fill("zhangsan@example.com")
    page.get_by_role("button", name="发送重置链接").click()
    expect(page.get_by_text("如果账号与电子邮箱相符", exact=False)).to_be_visible()
    link = reset_link()
    page.goto(link)
    assert_accessible(page)
    page.locator("#id_new_password1").fill("Neu@2026pass")
    page.locator("#id_new_password2").fill("Neu@2026pass")
    page.get_by_role("button", name="设置新密码").click()
    expect(page.get_by_text("密码已重置", exact=False)).to_be_visible()
    login(page, live_server, "zhangsan", password="Neu@2026pass")
    expect(page.locator(".account")).to_contain_text("张三")
    logout(page)

    # The same link again: dead.
    page.goto(link)
    expect(page.get_by_text("链接无效或已过期", exact=False)).to_be_visible()

    # A fresh link that has expired.
    page.goto(live_server.url + "/password/forgot/")
    page.get_by_label("账号").fill("zhangsan")
    page.get_by_label("电子邮箱").fill("zhangsan@example.com")
    page.get_by_role("button", name="发送重置链接").click()
    settings.PASSWORD_RESET_TIMEOUT = -1
    page.goto(reset_link())
    expect(page.get_by_text("链接无效或已过期", exact=False)).to_be_visible()
    assert User.objects.get(username="zhangsan").check_password("Neu@2026pass")


def test_identity_change_request_and_approval(page, live_server, demo):
    login(page, live_server, "zhangsan")
    page.goto(live_server.url + "/center/profile/")
    expect(page.locator("form").get_by_label("证件号码")).to_have_count(0)
    page.get_by_role("link", name="申请修改身份信息").click()
    assert_accessible(page)
    page.get_by_label("姓名").fill("张三丰")
    page.get_by_role("button", name="提交申请").click()
    expect(page.get_by_text("单位管理员审核通过后生效", exact=False)).to_be_visible()
    expect(page.locator(".account")).to_contain_text("张三")
    logout(page)

    login(page, live_server, "sldx_admin", tab="法人登录")
    page.goto(live_server.url + "/center/unit/people/")
    section = page.locator("section", has_text="身份信息修改申请")
    expect(section).to_contain_text("张三丰")
    assert_accessible(page)
    section.get_by_role("button", name=re.compile("^通过")).click()
    expect(page.get_by_text("已处理", exact=False)).to_be_visible()
    logout(page)

    login(page, live_server, "zhangsan")
    expect(page.locator(".account")).to_contain_text("张三丰")


def test_disabled_person_cannot_log_in_and_filings_stay(page, live_server, demo):
    from tests.factories import submitted_filing

    filing = submitted_filing(demo)
    login(page, live_server, "sldx_admin", tab="法人登录")
    page.goto(live_server.url + "/center/unit/people/")
    row = page.get_by_role("row").filter(has_text="张三")
    row.get_by_role("button", name=re.compile("停用")).click()
    expect(page.get_by_text("已停用张三的账号", exact=False)).to_be_visible()
    expect(page.get_by_role("row").filter(has_text="张三")).to_contain_text("已停用")
    logout(page)

    login(page, live_server, "zhangsan")
    expect(page.locator(".account")).not_to_contain_text("欢迎您")
    assert User.objects.get(username="zhangsan").person_status == PersonStatus.DISABLED
    assert Filing.objects.filter(pk=filing.pk, owner__username="zhangsan").exists()

    # The unit still sees the filing in its review list.
    login(page, live_server, "sldx_admin", tab="法人登录")
    page.goto(live_server.url + "/center/review/?tab=all")
    expect(page.get_by_text(filing.name).first).to_be_visible()
