"""公示: the province publishes completed filings (平台：完成) in batches; during the 公示期 anyone may object.

A batch's 公示期 runs from the first moment of ``start_on`` to the last moment of ``end_on``, Asia/Shanghai days
(``kechuang.workflow.days``). A filing whose batch's period is over carries 已公示. An objection accepted by the
province (受理) lets it send the filing back with the transition 公示退回 (kechuang/review/transitions.py), which
checks ``Filing.publicity_objections`` for an accepted one.
"""

import secrets
import uuid

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from kechuang.filings.models import Filing
from kechuang.workflow import days


class BatchQuerySet(models.QuerySet):
    def published(self):
        return self.filter(published_at__isnull=False)


class PublicityBatch(models.Model):
    """公示批次."""

    public_id = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    title = models.CharField(_("公示标题"), max_length=200)
    start_on = models.DateField(_("公示期开始"))
    end_on = models.DateField(_("公示期结束"))
    filings = models.ManyToManyField(
        Filing, verbose_name=_("公示平台"), related_name="publicity_batches", through="BatchFiling"
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("发布人"), on_delete=models.PROTECT, related_name="+"
    )
    created_at = models.DateTimeField(_("创建时间"), auto_now_add=True)
    published_at = models.DateTimeField(_("发布时间"), null=True, blank=True)

    objects = BatchQuerySet.as_manager()

    class Meta:
        verbose_name = _("公示批次")
        verbose_name_plural = _("公示批次")
        ordering = ["-start_on", "-id"]
        indexes = [models.Index(fields=["-start_on", "-id"], name="publicity_batch_start_idx")]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(end_on__gte=models.F("start_on")), name="publicity_end_after_start"
            )
        ]

    def __str__(self):
        return self.title

    def is_open(self, now=None):
        """True during the 公示期 (Asia/Shanghai days, both ends included) of a published batch."""
        return self.published_at is not None and self.start_on <= days.today(now) <= self.end_on

    def is_over(self, now=None):
        return days.is_over(self.end_on, now)

    def state_label(self, now=None):
        if self.published_at is None:
            return _("未发布")
        if self.is_over(now):
            return _("公示结束")
        if self.is_open(now):
            return _("公示中")
        return _("未开始")


class BatchFiling(models.Model):
    batch = models.ForeignKey(PublicityBatch, on_delete=models.CASCADE, related_name="entries")
    filing = models.ForeignKey(Filing, on_delete=models.PROTECT, related_name="publicity_entries")

    class Meta:
        verbose_name = _("公示平台")
        verbose_name_plural = _("公示平台")
        ordering = ["id"]
        constraints = [models.UniqueConstraint(fields=["batch", "filing"], name="one_entry_per_batch_filing")]

    def __str__(self):
        return f"{self.batch_id}:{self.filing_id}"


def new_number():
    """A confirmation number people can read out on the phone: YY + date + 6 random digits."""
    return f"YY{timezone.localdate():%Y%m%d}{secrets.randbelow(10**6):06d}"


def objection_path(instance, filename):
    """Random storage names: nothing of the objector's file name reaches the disk."""
    return f"objections/{uuid.uuid4().hex[:2]}/{uuid.uuid4().hex}.pdf"


class ObjectionStatus(models.TextChoices):
    PENDING = "pending", _("待处理")
    ACCEPTED = "accepted", _("受理")
    REFUSED = "refused", _("不予受理")


class Objection(models.Model):
    """异议 (实名). The phone number and email are for the province only, never shown on a public page."""

    public_id = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    number = models.CharField(_("受理编号"), max_length=20, unique=True, default=new_number)
    batch = models.ForeignKey(
        PublicityBatch, verbose_name=_("公示批次"), on_delete=models.PROTECT, related_name="objections"
    )
    filing = models.ForeignKey(
        Filing, verbose_name=_("异议平台"), on_delete=models.PROTECT, related_name="publicity_objections"
    )
    name = models.CharField(_("姓名"), max_length=50)
    phone = models.CharField(_("联系电话"), max_length=30)
    email = models.EmailField(_("电子邮箱"), blank=True)
    content = models.TextField(_("异议内容"), max_length=2000)
    file = models.FileField(_("证明材料"), upload_to=objection_path, max_length=200, blank=True)
    original_name = models.CharField(_("文件名"), max_length=255, blank=True)
    size = models.PositiveBigIntegerField(_("大小"), null=True, blank=True)
    sha256 = models.CharField(max_length=64, blank=True)
    created_at = models.DateTimeField(_("提出时间"), auto_now_add=True)
    status = models.CharField(
        _("处理结果"), max_length=20, choices=ObjectionStatus.choices, default=ObjectionStatus.PENDING
    )
    reply = models.TextField(_("答复意见"), blank=True)
    handled_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("处理人"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )
    handled_at = models.DateTimeField(_("处理时间"), null=True, blank=True)

    class Meta:
        verbose_name = _("异议")
        verbose_name_plural = _("异议")
        ordering = ["-created_at", "-id"]
        indexes = [models.Index(fields=["filing", "status"], name="objection_filing_status_idx")]

    def __str__(self):
        return self.number
