import uuid

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from kechuang.workflow.models import Action, Stage


class FlowRecord(models.Model):
    """流转记录: one append-only row per move of a filing (W8). Labels are copied so history never changes."""

    filing = models.ForeignKey(
        "filings.Filing", verbose_name=_("平台备案"), on_delete=models.PROTECT, related_name="flow_records"
    )
    created_at = models.DateTimeField(_("时间"), auto_now_add=True, db_index=True)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("操作人"), on_delete=models.PROTECT, related_name="+"
    )
    actor_organisation = models.CharField(_("操作人单位"), max_length=100)
    action = models.CharField(_("操作"), max_length=20, choices=Action.choices)
    from_status = models.CharField(_("原流程阶段"), max_length=60)
    to_status = models.CharField(_("新流程阶段"), max_length=60)
    from_stage = models.ForeignKey(
        Stage, verbose_name=_("原审核阶段"), on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    to_stage = models.ForeignKey(
        Stage, verbose_name=_("新审核阶段"), on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    opinion = models.TextField(_("审核意见"), blank=True)

    class Meta:
        verbose_name = _("流转记录")
        verbose_name_plural = _("流转记录")
        ordering = ["created_at", "id"]

    def __str__(self):
        return f"{self.get_action_display()} {self.from_status} → {self.to_status}"


class Notification(models.Model):
    """An in-site message (W10); the same text also goes out by email after commit."""

    public_id = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    recipient = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("接收人"),
        on_delete=models.CASCADE,
        related_name="notifications",
    )
    filing = models.ForeignKey(
        "filings.Filing", verbose_name=_("平台备案"), on_delete=models.CASCADE, related_name="+"
    )
    text = models.CharField(_("内容"), max_length=300)
    created_at = models.DateTimeField(_("时间"), auto_now_add=True)
    read_at = models.DateTimeField(_("阅读时间"), null=True, blank=True)

    class Meta:
        verbose_name = _("站内消息")
        verbose_name_plural = _("站内消息")
        ordering = ["-created_at"]
        indexes = [models.Index(fields=["recipient", "read_at"])]

    def __str__(self):
        return self.text
