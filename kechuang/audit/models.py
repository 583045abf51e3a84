"""安全审计 records (等保2.0 安全审计): one append-only row per security-relevant event.

Rows are never changed: ``save`` refuses an update and ``delete`` refuses a single row. The only way rows leave
the table is ``manage.py purge_audit``, which deletes rows older than ``AUDIT_RETENTION_DAYS`` in bulk.
"""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _


class EventKind(models.TextChoices):
    LOGIN = "login", _("登录成功")
    LOGIN_FAILED = "login_failed", _("登录失败")
    LOCKED_OUT = "locked_out", _("账号锁定")
    LOGOUT = "logout", _("退出登录")
    PERMISSION_DENIED = "permission_denied", _("拒绝访问")
    PROBE = "probe", _("可疑访问")
    DOWNLOAD = "download", _("附件下载")
    ADMIN_CHANGE = "admin_change", _("管理员变更")
    REQUEST_TOO_LARGE = "request_too_large", _("请求过大")
    EXPORT = "export", _("审计日志导出")
    PURGE = "purge", _("审计日志清理")
    # Issue 11: the administrators' second factor, every administrator request, throttled logins and the
    # personal/unit data changes and review decisions (with the client address, like every row).
    SECOND_FACTOR = "second_factor", _("二次验证")
    ADMIN_REQUEST = "admin_request", _("管理后台访问")
    LOGIN_THROTTLED = "login_throttled", _("登录限流")
    PASSWORD_CHANGED = "password_changed", _("修改密码")
    PROFILE_CHANGED = "profile_changed", _("修改个人信息")
    UNIT_CONTACTS_CHANGED = "unit_contacts_changed", _("修改单位基本信息")
    REVIEW_DECISION = "review_decision", _("审核操作")
    DATA_EXPORT = "data_export", _("数据导出")
    # Issue 11 items 1-5 (kechuang.registration): 单位注册/个人注册 and their decisions, 人员管理 actions with
    # 转入申请 and 身份信息修改申请, and 忘记密码 requests and completed resets.
    REGISTRATION = "registration", _("注册与注册审核")
    PEOPLE = "people", _("人员管理")
    PASSWORD_RESET = "password_reset", _("找回密码")


class AppendOnlyError(Exception):
    """Raised on any attempt to change or delete one audit row."""


class SecurityEvent(models.Model):
    created_at = models.DateTimeField(_("时间"), auto_now_add=True, db_index=True)
    kind = models.CharField(_("事件类型"), max_length=30, choices=EventKind.choices, db_index=True)
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("用户"),
        # DO_NOTHING: deleting an account must not rewrite its audit rows (SET_NULL was an UPDATE of each row).
        on_delete=models.DO_NOTHING,
        null=True,
        blank=True,
        related_name="+",
        db_constraint=False,  # the log must outlive the account it names
    )
    username = models.CharField(_("账号"), max_length=150, blank=True, db_index=True)
    ip_address = models.GenericIPAddressField(_("IP地址"), null=True, blank=True)
    method = models.CharField(_("请求方法"), max_length=10, blank=True)
    path = models.CharField(_("访问路径"), max_length=500, blank=True)
    detail = models.JSONField(_("详情"), default=dict, blank=True)

    class Meta:
        verbose_name = _("安全审计记录")
        verbose_name_plural = _("安全审计记录")
        ordering = ["-created_at", "-id"]

    def __str__(self):
        return f"{self.created_at:%Y-%m-%d %H:%M:%S} {self.get_kind_display()} {self.username}"

    def save(self, *args, **kwargs):
        if not self._state.adding:
            raise AppendOnlyError("安全审计记录只能新增，不能修改。")
        super().save(*args, **kwargs)

    def delete(self, *args, **kwargs):
        raise AppendOnlyError("安全审计记录不能单独删除，只能按保存期限统一清理（purge_audit）。")
