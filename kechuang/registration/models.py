"""Self-service accounts (issue 11): 单位注册, 个人注册's privacy consent, 转入申请 and 申请修改身份信息.

Each request is a row with an explicit status and the decision kept on it (who, when, 审核意见); a unit
registration's steps are also appended as RegistrationEvent rows, so a 退回 and its resubmission stay visible.
State changes happen only in services.py.
"""

import uuid

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from kechuang.accounts.models import Department, IdType, Region, Unit
from kechuang.accounts.validators import validate_credit_code

CERTIFICATE_LIMIT = 10 * 1024 * 1024


def certificate_path(instance, filename):
    """Random storage names: nothing of the user's file name reaches the disk (DESIGN principle 6)."""
    return f"registrations/{uuid.uuid4().hex[:2]}/{uuid.uuid4().hex}.pdf"


class UnitRegistration(models.Model):
    """单位注册: a unit's application with its administrator's account, waiting for the competent department."""

    class Status(models.TextChoices):
        PENDING = "pending", _("待审核")
        RETURNED = "returned", _("已退回")
        APPROVED = "approved", _("已通过")

    public_id = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    status = models.CharField(_("状态"), max_length=20, choices=Status.choices, default=Status.PENDING)
    name = models.CharField(_("单位名称"), max_length=100)
    credit_code = models.CharField(_("统一社会信用代码"), max_length=18, validators=[validate_credit_code])
    unit_type = models.CharField(_("单位类型"), max_length=20, choices=Unit.Type.choices)
    region = models.CharField(_("所在地市"), max_length=20, choices=Region.choices)
    department = models.ForeignKey(
        Department,
        verbose_name=_("主管部门"),
        on_delete=models.PROTECT,
        related_name="+",
        limit_choices_to={"kind": Department.Kind.COMPETENT},
    )
    contact_name = models.CharField(_("联系人"), max_length=50)
    contact_phone = models.CharField(_("联系电话"), max_length=30)
    contact_email = models.EmailField(_("电子邮箱"))
    applicant = models.OneToOneField(
        settings.AUTH_USER_MODEL,
        verbose_name=_("单位管理员账号"),
        on_delete=models.PROTECT,
        related_name="unit_registration",
    )
    certificate = models.FileField(_("单位登记证明"), upload_to=certificate_path, max_length=200)
    certificate_name = models.CharField(_("文件名"), max_length=255)
    certificate_size = models.PositiveBigIntegerField(_("大小"))
    certificate_sha256 = models.CharField(max_length=64)
    submitted_at = models.DateTimeField(_("提交时间"))
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("审核人"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )
    decided_at = models.DateTimeField(_("审核时间"), null=True, blank=True)
    reason = models.CharField(_("审核意见"), max_length=500, blank=True)
    unit = models.OneToOneField(
        Unit,
        verbose_name=_("依托单位"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="registration",
    )

    class Meta:
        verbose_name = _("单位注册")
        verbose_name_plural = _("单位注册")
        ordering = ["-submitted_at", "-id"]
        indexes = [
            models.Index(fields=["status", "department", "-submitted_at"], name="unitreg_status_dept_idx")
        ]
        constraints = [
            # Two open applications can never hold the same code (a race of two registrations included);
            # approved ones are guarded by Unit.credit_code's own uniqueness.
            models.UniqueConstraint(
                fields=["credit_code"],
                condition=~models.Q(status="approved"),
                name="one_open_registration_per_credit_code",
            )
        ]

    def __str__(self):
        return self.name


class RegistrationEvent(models.Model):
    """One step of a unit registration (提交, 重新提交, 通过, 退回), append-only."""

    class Action(models.TextChoices):
        SUBMIT = "submit", _("提交")
        RESUBMIT = "resubmit", _("重新提交")
        APPROVE = "approve", _("通过")
        RETURN = "return", _("退回")

    registration = models.ForeignKey(UnitRegistration, on_delete=models.PROTECT, related_name="events")
    action = models.CharField(_("操作"), max_length=20, choices=Action.choices)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("操作人"), on_delete=models.PROTECT, related_name="+"
    )
    reason = models.CharField(_("审核意见"), max_length=500, blank=True)
    created_at = models.DateTimeField(_("时间"), auto_now_add=True)

    class Meta:
        verbose_name = _("单位注册记录")
        verbose_name_plural = _("单位注册记录")
        ordering = ["created_at", "id"]

    def __str__(self):
        return f"{self.registration} {self.get_action_display()}"


class PersonRegistration(models.Model):
    """个人注册: the unit chosen at registration and the person's consent to the 隐私政策 (个人信息保护法)."""

    person = models.OneToOneField(
        settings.AUTH_USER_MODEL, verbose_name=_("用户"), on_delete=models.CASCADE, related_name="+"
    )
    unit = models.ForeignKey(Unit, verbose_name=_("依托单位"), on_delete=models.PROTECT, related_name="+")
    registered_at = models.DateTimeField(_("注册时间"), auto_now_add=True)
    privacy_consented_at = models.DateTimeField(_("同意隐私政策时间"))

    class Meta:
        verbose_name = _("个人注册")
        verbose_name_plural = _("个人注册")

    def __str__(self):
        return str(self.person)


class Decision(models.TextChoices):
    PENDING = "pending", _("待确认")
    APPROVED = "approved", _("已通过")
    REFUSED = "refused", _("未通过")
    WITHDRAWN = "withdrawn", _("已撤回")


class PersonRequest(models.Model):
    """What a person asks of a unit administrator, who decides it (转入申请, 申请修改身份信息)."""

    status = models.CharField(_("状态"), max_length=20, choices=Decision.choices, default=Decision.PENDING)
    requested_at = models.DateTimeField(_("申请时间"), auto_now_add=True)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("审核人"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )
    decided_at = models.DateTimeField(_("审核时间"), null=True, blank=True)
    reason = models.CharField(_("审核意见"), max_length=500, blank=True)

    class Meta:
        abstract = True
        ordering = ["-requested_at", "-id"]


class TransferRequest(PersonRequest):
    """转入申请: a person asks to move to another unit; the new unit's administrator confirms it."""

    public_id = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    person = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("申请人"), on_delete=models.CASCADE, related_name="+"
    )
    from_unit = models.ForeignKey(
        Unit, verbose_name=_("原单位"), on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    to_unit = models.ForeignKey(
        Unit, verbose_name=_("转入单位"), on_delete=models.PROTECT, related_name="transfer_requests"
    )

    class Meta(PersonRequest.Meta):
        verbose_name = _("转入申请")
        verbose_name_plural = _("转入申请")
        constraints = [
            models.UniqueConstraint(
                fields=["person"],
                condition=models.Q(status="pending"),
                name="one_pending_transfer_per_person",
            )
        ]

    def __str__(self):
        return f"{self.person} → {self.to_unit}"


class IdentityChange(PersonRequest):
    """申请修改身份信息: 姓名, 证件类型, 证件号码 change only when the unit administrator approves."""

    public_id = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    person = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("申请人"), on_delete=models.CASCADE, related_name="+"
    )
    unit = models.ForeignKey(
        Unit, verbose_name=_("依托单位"), on_delete=models.PROTECT, related_name="identity_changes"
    )
    old_name = models.CharField(_("原姓名"), max_length=50)
    old_id_type = models.CharField(_("原证件类型"), max_length=20, choices=IdType.choices)
    old_id_number = models.CharField(_("原证件号码"), max_length=30, blank=True)
    name = models.CharField(_("姓名"), max_length=50)
    id_type = models.CharField(_("证件类型"), max_length=20, choices=IdType.choices)
    id_number = models.CharField(_("证件号码"), max_length=30)

    class Meta(PersonRequest.Meta):
        verbose_name = _("身份信息修改申请")
        verbose_name_plural = _("身份信息修改申请")
        constraints = [
            models.UniqueConstraint(
                fields=["person"], condition=models.Q(status="pending"), name="one_pending_identity_change"
            )
        ]

    def __str__(self):
        return f"{self.old_name} → {self.name}"

    def differences(self, mask=None):
        """(label, old, new) for each identity field this request changes; ``mask`` hides 证件号码 digits."""
        rows = []
        for field in ("name", "id_type", "id_number"):
            old, new = getattr(self, f"old_{field}"), getattr(self, field)
            if old != new:
                if field == "id_type":
                    old, new = IdType(old).label, IdType(new).label
                elif field == "id_number" and mask is not None:
                    old, new = mask(old), mask(new)
                rows.append((self._meta.get_field(field).verbose_name, old, new))
        return rows
