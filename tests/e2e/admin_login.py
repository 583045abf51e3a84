"""Logging in to the admin site in the browser as an administrator would: password, then the TOTP code."""

import base64

from django_otp.oath import totp
from django_otp.plugins.otp_totp.models import TOTPDevice


def code_for_key(key_text, drift=0):
    key = key_text.replace(" ", "")
    secret = base64.b32decode(key + "=" * (-len(key) % 8))
    return f"{totp(secret, drift=drift):06d}"


def admin_login(page, live_server, username, password="Demo@2026"):
    """Log in at /admin/; enrol an authenticator from the page's key the first time, else type the device's code.

    Returns the base32 key shown at enrolment (None when the account already had a device).
    """
    page.goto(live_server.url + "/admin/")
    page.get_by_label("用户名").fill(username)
    page.get_by_label("密码").fill(password)
    page.get_by_role("button", name="登录").click()
    page.wait_for_load_state()
    shown = None
    if page.get_by_role("heading", name="绑定身份验证器").count():
        shown = page.locator(".otp-key").inner_text()
        page.get_by_label("动态口令").fill(code_for_key(shown))
        page.get_by_role("button", name="完成绑定").click()
    else:
        device = TOTPDevice.objects.filter(user__username=username, confirmed=True).get()
        page.get_by_label("动态口令").fill(f"{totp(device.bin_key, drift=1):06d}")
        page.get_by_role("button", name="验证").click()
    page.wait_for_load_state()
    return shown
