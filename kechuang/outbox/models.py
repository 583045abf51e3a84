"""One row per email to send. Written in the transaction of the step that causes it (a review move, a reminder),
so a rolled-back step sends nothing and a committed one is never lost; sent by ``send_outbox`` or the task runner.
"""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

MAX_ATTEMPTS = 5


class OutboxMail(models.Model):
    created_at = models.DateTimeField(_("创建时间"), auto_now_add=True)
    recipient = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("接收人"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    to = models.EmailField(_("收件地址"))
    subject = models.CharField(_("主题"), max_length=200)
    body = models.TextField(_("正文"))
    # Idempotency: a reminder or digest carries a key such as "digest:42:2026-12-02"; a second run that
    # day finds the key taken and writes nothing.
    key = models.CharField(_("去重键"), max_length=100, null=True, blank=True, unique=True)
    sent_at = models.DateTimeField(_("发送时间"), null=True, blank=True)
    attempts = models.PositiveSmallIntegerField(_("尝试次数"), default=0)
    last_error = models.CharField(_("最近错误"), max_length=300, blank=True)

    class Meta:
        verbose_name = _("待发邮件")
        verbose_name_plural = _("待发邮件")
        ordering = ["id"]
        indexes = [
            models.Index(fields=["id"], name="outbox_unsent_idx", condition=models.Q(sent_at__isnull=True))
        ]

    def __str__(self):
        return f"{self.to}: {self.subject}"
