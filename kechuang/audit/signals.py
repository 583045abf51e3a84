"""Recorders connected to Django's and django-axes' signals (logins, lockouts, admin changes)."""

from axes.signals import user_locked_out
from django.contrib.admin.models import ADDITION, CHANGE, DELETION, LogEntry
from django.contrib.auth.signals import user_logged_in, user_logged_out, user_login_failed
from django.db.models.signals import post_save
from django.dispatch import receiver

from .models import EventKind
from .recorder import record

ADMIN_ACTIONS = {ADDITION: "新增", CHANGE: "修改", DELETION: "删除"}


@receiver(user_logged_in, dispatch_uid="audit_login")
def on_login(sender, request, user, **kwargs):
    record(EventKind.LOGIN, request=request, user=user)


@receiver(user_login_failed, dispatch_uid="audit_login_failed")
def on_login_failed(sender, credentials, request=None, **kwargs):
    # Django already masks the password in ``credentials``; only the account name is kept.
    record(EventKind.LOGIN_FAILED, request=request, username=str(credentials.get("username") or ""))


@receiver(user_logged_out, dispatch_uid="audit_logout")
def on_logout(sender, request, user, **kwargs):
    if user is not None:
        record(EventKind.LOGOUT, request=request, user=user)


@receiver(user_locked_out, dispatch_uid="audit_locked_out")
def on_locked_out(sender, request, username, ip_address, **kwargs):
    record(EventKind.LOCKED_OUT, request=request, username=username or "", ip_address_seen=ip_address)


@receiver(post_save, sender=LogEntry, dispatch_uid="audit_admin_change")
def on_admin_change(sender, instance, created, **kwargs):
    """Every change made in the admin site (units, stages, businesses, accounts …) becomes a SecurityEvent."""
    if not created:
        return
    record(
        EventKind.ADMIN_CHANGE,
        user=instance.user,
        action=ADMIN_ACTIONS.get(instance.action_flag, str(instance.action_flag)),
        model=f"{instance.content_type.app_label}.{instance.content_type.model}"
        if instance.content_type_id
        else "",
        object_id=instance.object_id or "",
        object_repr=instance.object_repr,
        change_message=instance.get_change_message(),
    )
