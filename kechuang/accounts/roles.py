"""三员分立 (等保2.0 访问控制/安全管理中心): what each administrator role may do in the admin site.

Model permissions come from the account's role alone, never from groups or per-user permissions (this backend
ignores both), so no account can be given a second administrator's powers by ticking a box:

* 系统管理员 (system_admin): businesses, stages, 合作类别, notices, units, departments, accounts and everything
  else an app registers — except the audit log, the lockout records, the second-factor devices and Django's own
  auth/admin tables. Cannot assign an administrator role, lock or unlock, nor edit an administrator's account.
* 安全管理员 (security_admin): accounts' role and 启用/停用 (lock/unlock), the lockout records (unlock) and the
  second-factor reset. Nothing else: no business data, no audit log.
* 审计管理员 (audit_admin): reads and exports the audit log. Nothing else.

None of them decides filings (review is for reviewers, kechuang/review/transitions.py) and only the 审计管理员 reads
the audit log. The superuser flag bypasses all of this (Django's rule) and is for emergencies only: a separate,
sealed account that none of the three holds (a database constraint, docs/security.md).
"""

import functools

from django.apps import apps
from django.contrib.auth.backends import ModelBackend

from .models import ADMINISTRATOR_ROLES, Role

# Apps whose permissions the 系统管理员 never gets, whatever new app registers models.
SYSTEM_ADMIN_EXCLUDED_APPS = (
    "audit",
    "axes",
    "otp_totp",
    "otp_static",
    "auth",
    "admin",
    "sessions",
    "contenttypes",
)
SECURITY_ADMIN_PERMISSIONS = frozenset(
    {
        "accounts.view_user",
        "accounts.change_user",
        "axes.view_accessattempt",
        "axes.delete_accessattempt",
        "axes.view_accessfailurelog",
        "axes.view_accesslog",
    }
)
AUDIT_ADMIN_PERMISSIONS = frozenset({"audit.view_securityevent"})
CACHE_ATTRIBUTE = "_kechuang_role_perm_cache"


def _model_permissions(model):
    opts = model._meta
    names = [f"{action}_{opts.model_name}" for action in opts.default_permissions]
    names += [codename for codename, _label in opts.permissions]
    return {f"{opts.app_label}.{name}" for name in names}


@functools.cache
def system_admin_permissions():
    """Every model permission of every installed app except the excluded ones (from the app registry: no query)."""
    found = set()
    for model in apps.get_models():
        if model._meta.app_label not in SYSTEM_ADMIN_EXCLUDED_APPS:
            found |= _model_permissions(model)
    return frozenset(found)


def role_permissions(role):
    """The set of "app_label.codename" a role holds."""
    if role == Role.SYSTEM_ADMIN:
        return system_admin_permissions()
    if role == Role.SECURITY_ADMIN:
        return SECURITY_ADMIN_PERMISSIONS
    if role == Role.AUDIT_ADMIN:
        return AUDIT_ADMIN_PERMISSIONS
    return frozenset()


class RoleModelBackend(ModelBackend):
    """ModelBackend (password authentication unchanged) whose permissions are the role's, and only for staff."""

    def get_user_permissions(self, user_obj, obj=None):
        if not user_obj.is_active or user_obj.is_anonymous or obj is not None:
            return set()
        if not hasattr(user_obj, CACHE_ATTRIBUTE):
            allowed = user_obj.is_staff and user_obj.role in ADMINISTRATOR_ROLES
            setattr(user_obj, CACHE_ATTRIBUTE, role_permissions(user_obj.role) if allowed else frozenset())
        return set(getattr(user_obj, CACHE_ATTRIBUTE))

    def get_group_permissions(self, user_obj, obj=None):
        return set()

    def get_all_permissions(self, user_obj, obj=None):
        return self.get_user_permissions(user_obj, obj)
