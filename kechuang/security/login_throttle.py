"""Login throttles beside django-axes' account+address lock (等保2.0 身份鉴别; docs/security.md).

django-axes keeps the lock of one account from one address (5 failures → 15 minutes). Two more limits close what it
leaves open, without giving an anonymous attacker a way to lock a person out:

* **Per account, across all addresses** (an attacker rotating addresses): after ``LOGIN_ACCOUNT_FREE_FAILURES``
  failures the account takes one attempt per window, the window doubling with each further failure up to
  ``LOGIN_ACCOUNT_MAX_WINDOW`` seconds. An attempt inside the window is answered at once with 429 and
  ``Retry-After`` — the password is not even checked and no worker sleeps.
* **Per address, across accounts** (password spraying): an address whose failures named more than
  ``LOGIN_ADDRESS_MAX_ACCOUNTS`` distinct accounts within ``LOGIN_ADDRESS_WINDOW`` seconds gets 429 until the
  window has passed.

Neither limit applies to a browser that carries the **device cookie** of the account it logs in to: a signed cookie
set at each successful login, naming the (few) accounts that signed in from that browser. So the reviewer at their
own desk still gets in on deadline day while someone elsewhere hammers their account; only the account+address
lock (which the attacker cannot trigger from the reviewer's address) applies to them.

The counters live in the default cache (Redis in production, shared by all workers). They are not transactional:
two simultaneous failures may count once; that loses one count, never locks anybody.
"""

import hashlib
import math
import time

from django.conf import settings
from django.contrib.auth.signals import user_logged_in, user_login_failed
from django.core import signing
from django.core.cache import cache
from django.dispatch import receiver
from django.shortcuts import render
from django.urls import Resolver404, resolve
from django.utils.translation import gettext as _

from kechuang.audit.models import EventKind
from kechuang.audit.recorder import record

from .clientip import client_ip

DEVICE_COOKIE = "kc_device"
DEVICE_SALT = "kechuang.security.login_throttle.device"
DEVICE_COOKIE_ACCOUNTS = 5
USERNAME_LENGTH = 150


def _now():
    return time.time()


def _setting(name, default):
    return getattr(settings, name, default)


def free_failures():
    return _setting("LOGIN_ACCOUNT_FREE_FAILURES", 10)


def max_window():
    return _setting("LOGIN_ACCOUNT_MAX_WINDOW", 15 * 60)


def address_max_accounts():
    return _setting("LOGIN_ADDRESS_MAX_ACCOUNTS", 30)


def address_window():
    return _setting("LOGIN_ADDRESS_WINDOW", 15 * 60)


def throttled_views():
    return _setting("LOGIN_THROTTLED_VIEWS", ("accounts:login", "admin:login"))


def _account_key(username):
    return "login-throttle:account:" + hashlib.sha256(username.encode()).hexdigest()


def _address_key(address):
    return f"login-throttle:address:{address}"


def window_after(failures):
    """Seconds the account waits after its n-th failure: 0 while free, then 1, 2, 4 … capped."""
    over = failures - free_failures()
    if over < 0:
        return 0
    return min(2**over, max_window())


def _username(request):
    field = _setting("AXES_USERNAME_FORM_FIELD", "username")
    return str(request.POST.get(field, "") or "")[:USERNAME_LENGTH]


def device_accounts(request):
    """The accounts that signed in from this browser before (the signed device cookie), as a tuple."""
    raw = request.COOKIES.get(DEVICE_COOKIE)
    if not raw:
        return ()
    try:
        value = signing.loads(raw, salt=DEVICE_SALT, max_age=_setting("LOGIN_DEVICE_COOKIE_AGE", 180 * 86400))
    except signing.BadSignature:
        return ()
    if not isinstance(value, list):
        return ()
    return tuple(str(item) for item in value[:DEVICE_COOKIE_ACCOUNTS])


def retry_after(request, username, now=None):
    """(scope, seconds) when this login attempt must be refused now, else None."""
    if username and username in device_accounts(request):
        return None
    now = now or _now()
    if username:
        state = cache.get(_account_key(username))
        if state and state.get("until", 0) > now:
            return "account", math.ceil(state["until"] - now)
    address = client_ip(request)
    if address:
        state = cache.get(_address_key(address))
        if (
            state
            and len(state.get("accounts", ())) >= address_max_accounts()
            and state["until"] > now
            and username not in state["accounts"]
        ):
            return "address", math.ceil(state["until"] - now)
    return None


def note_failure(request, username, now=None):
    now = now or _now()
    if username:
        key = _account_key(username)
        state = cache.get(key) or {"failures": 0, "until": 0}
        state["failures"] += 1
        window = window_after(state["failures"])
        if window:
            state["until"] = now + window
        # The count decays a day after the last failure.
        cache.set(key, state, timeout=86400)
    address = client_ip(request) if request is not None else None
    if address:
        key = _address_key(address)
        state = cache.get(key)
        if not state or state["until"] <= now:
            state = {"accounts": [], "until": now + address_window()}
        if username and username not in state["accounts"] and len(state["accounts"]) < address_max_accounts():
            state["accounts"].append(username)
        cache.set(key, state, timeout=max(1, math.ceil(state["until"] - now)))


def _password_check_key(user_pk):
    return f"login-throttle:password-check:{user_pk}"


def password_check_refused(user_pk):
    """修改密码: True once the account's wrong old passwords reached PASSWORD_CHANGE_ATTEMPTS in the window."""
    return (cache.get(_password_check_key(user_pk)) or 0) >= _setting("PASSWORD_CHANGE_ATTEMPTS", 5)


def note_password_check_failure(user_pk, window=15 * 60):
    key = _password_check_key(user_pk)
    if not cache.add(key, 1, window):
        try:
            cache.incr(key)
        except ValueError:  # expired between add and incr
            cache.add(key, 1, window)


def clear_account(username):
    """Unlock (安全管理员): forget the account's failures."""
    cache.delete(_account_key(username))


def note_success(request, username):
    """A successful login forgets the account's failures — unless its window is running: the owner got in with
    their device cookie while an attack goes on, and the attacker must not get fresh free attempts from that."""
    key = _account_key(username)
    state = cache.get(key)
    if not state or state.get("until", 0) <= _now():
        cache.delete(key)
    request._kechuang_device_account = username


@receiver(user_login_failed, dispatch_uid="kechuang_login_throttle_failed")
def _on_failed(sender, credentials, request=None, **kwargs):
    if request is None or getattr(request, "_kechuang_login_throttled", False):
        return
    note_failure(request, str(credentials.get("username") or "")[:USERNAME_LENGTH])


@receiver(user_logged_in, dispatch_uid="kechuang_login_throttle_success")
def _on_login(sender, request, user, **kwargs):
    if request is not None:
        note_success(request, user.get_username())


def throttled_response(request, scope, seconds):
    if scope == "account":
        message = _("该账号近期登录失败次数过多，为保护账号安全，请 %(seconds)d 秒后再试。") % {
            "seconds": seconds
        }
    else:
        message = _("该网络地址近期尝试登录的账号过多，请 %(minutes)d 分钟后再试。") % {
            "minutes": max(1, math.ceil(seconds / 60))
        }
    response = render(
        request, "security/login_throttled.html", {"message": message, "seconds": seconds}, status=429
    )
    response["Retry-After"] = str(seconds)
    return response


class LoginThrottleMiddleware:
    """Answers throttled login POSTs at once (before the password is checked) and sets the device cookie."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if request.method == "POST" and self._is_login(request):
            username = _username(request)
            refusal = retry_after(request, username)
            if refusal is not None:
                request._kechuang_login_throttled = True
                scope, seconds = refusal
                record(
                    EventKind.LOGIN_THROTTLED,
                    request=request,
                    username=username,
                    scope=scope,
                    retry_after=seconds,
                )
                return throttled_response(request, scope, seconds)
        response = self.get_response(request)
        account = getattr(request, "_kechuang_device_account", None)
        if account:
            self._set_device_cookie(request, response, account)
        return response

    def _is_login(self, request):
        try:
            match = resolve(request.path_info)
        except Resolver404:
            return False
        return match.view_name in throttled_views()

    def _set_device_cookie(self, request, response, account):
        accounts = [account, *(a for a in device_accounts(request) if a != account)][:DEVICE_COOKIE_ACCOUNTS]
        response.set_cookie(
            DEVICE_COOKIE,
            signing.dumps(accounts, salt=DEVICE_SALT),
            max_age=_setting("LOGIN_DEVICE_COOKIE_AGE", 180 * 86400),
            secure=not settings.DEBUG,
            httponly=True,
            samesite="Lax",
        )
