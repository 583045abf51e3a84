"""三员分立 in the user admin: which administrator edits which account field (kechuang/accounts/roles.py).

* 系统管理员: creates and edits the accounts of people, unit administrators and reviewers (profile, unit,
  department, business role, password). Cannot touch an administrator's or the superuser's account, assign an
  administrator role, or lock/unlock (启用/停用).
* 安全管理员: assigns roles (including the administrator roles), 启用/停用, 解锁 (clears failed-login records),
  重置二次验证, and sets the password of an administrator's account. Never their own account.

A password set here must be changed by its owner at the next login (``must_change_password``). Every change goes
to the admin LogEntry and from there to the audit log; the two actions record their own audit events.
"""

from axes.models import AccessAttempt
from django.contrib import admin, messages
from django.contrib.auth.forms import AdminPasswordChangeForm
from django.core.exceptions import PermissionDenied
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext
from django_otp.plugins.otp_totp.models import TOTPDevice

from kechuang.audit.models import EventKind
from kechuang.audit.recorder import record
from kechuang.security import login_throttle

from .models import ADMINISTRATOR_ROLES, Role
from .second_factor import reset_devices

# django-otp's own device admin shows each device's secret and QR code: never in this site. Devices are bound by
# their owner (second_factor.enrol) and removed only by the 安全管理员's 重置二次验证 (audited).
if admin.site.is_registered(TOTPDevice):
    admin.site.unregister(TOTPDevice)

BUSINESS_ROLES = tuple(choice for choice in Role if choice not in ADMINISTRATOR_ROLES)
SECURITY_ADMIN_EDITABLE = ("role", "is_active")
SYSTEM_ADMIN_READONLY = (
    "is_active",
    "is_staff",
    "is_superuser",
    "groups",
    "user_permissions",
    "must_change_password",
    "last_login",
    "date_joined",
)


def role_of(request):
    user = request.user
    if user.is_superuser:
        return "superuser"
    return user.role if user.is_staff else None


def is_administrator_account(obj):
    return obj is not None and (obj.is_superuser or obj.role in ADMINISTRATOR_ROLES)


class ForcedChangePasswordForm(AdminPasswordChangeForm):
    """设置密码 in the admin: the owner must choose their own at the next login."""

    def save(self, commit=True):
        user = super().save(commit=False)
        user.must_change_password = True
        if commit:
            user.save()
        return user


class AdministratorRolesMixin:
    change_password_form = ForcedChangePasswordForm
    actions = ("unlock_login", "reset_second_factor")

    def _all_fields(self, request, obj):
        return [field for _name, options in self.get_fieldsets(request, obj) for field in options["fields"]]

    def get_readonly_fields(self, request, obj=None):
        role = role_of(request)
        if role == Role.SECURITY_ADMIN:
            return [f for f in self._all_fields(request, obj) if f not in SECURITY_ADMIN_EDITABLE]
        if role == Role.SYSTEM_ADMIN:
            return list(dict.fromkeys([*super().get_readonly_fields(request, obj), *SYSTEM_ADMIN_READONLY]))
        return super().get_readonly_fields(request, obj)

    def formfield_for_choice_field(self, db_field, request, **kwargs):
        if db_field.name == "role" and role_of(request) == Role.SYSTEM_ADMIN:
            kwargs["choices"] = [(choice.value, choice.label) for choice in BUSINESS_ROLES]
        return super().formfield_for_choice_field(db_field, request, **kwargs)

    def has_change_permission(self, request, obj=None):
        if not super().has_change_permission(request, obj):
            return False
        role = role_of(request)
        if obj is None or role == "superuser":
            return True
        if role == Role.SYSTEM_ADMIN:
            return not is_administrator_account(obj)
        if role == Role.SECURITY_ADMIN:
            return obj.pk != request.user.pk and not obj.is_superuser
        return False

    def has_delete_permission(self, request, obj=None):
        if not super().has_delete_permission(request, obj):
            return False
        return role_of(request) == "superuser" or not is_administrator_account(obj)

    def user_change_password(self, request, id, form_url=""):
        """The 系统管理员 sets people's passwords; the 安全管理员 sets administrators' (never their own)."""
        target = self.get_object(request, id)
        role = role_of(request)
        if target is not None and role != "superuser":
            allowed = (
                role == Role.SECURITY_ADMIN
                and is_administrator_account(target)
                and target.pk != request.user.pk
            ) or (role == Role.SYSTEM_ADMIN and not is_administrator_account(target))
            if not allowed:
                raise PermissionDenied
        return super().user_change_password(request, id, form_url)

    def save_model(self, request, obj, form, change):
        if not obj.is_superuser:
            obj.is_staff = obj.role in ADMINISTRATOR_ROLES
        if obj.role in ADMINISTRATOR_ROLES:
            obj.unit = None
            obj.department = None
        if not change:
            obj.must_change_password = True  # the first password was typed by the administrator
        super().save_model(request, obj, form, change)

    def get_actions(self, request):
        actions = super().get_actions(request)
        if role_of(request) not in (Role.SECURITY_ADMIN, "superuser"):
            actions.pop("unlock_login", None)
            actions.pop("reset_second_factor", None)
        return actions

    @admin.action(description=_("解锁登录（清除登录失败记录）"))
    def unlock_login(self, request, queryset):
        names = [user.get_username() for user in queryset]
        AccessAttempt.objects.filter(username__in=names).delete()
        for name in names:
            login_throttle.clear_account(name)
        record(EventKind.ADMIN_CHANGE, request=request, action="解锁登录", accounts=names)
        self.message_user(
            request,
            ngettext("已解锁 %d 个账号。", "已解锁 %d 个账号。", len(names)) % len(names),
            messages.SUCCESS,
        )

    @admin.action(description=_("重置二次验证（丢失身份验证器时）"))
    def reset_second_factor(self, request, queryset):
        done = 0
        for user in queryset:
            if user.pk == request.user.pk:
                self.message_user(request, _("不能重置自己的二次验证。"), messages.ERROR)
                continue
            reset_devices(user, request.user, request=request)
            done += 1
        if done:
            self.message_user(
                request,
                ngettext(
                    "已重置 %d 个账号的二次验证，下次登录时需重新绑定身份验证器。",
                    "已重置 %d 个账号的二次验证，下次登录时需重新绑定身份验证器。",
                    done,
                )
                % done,
                messages.SUCCESS,
            )
