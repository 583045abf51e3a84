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
    late = models.BooleanField(
        _("逾期"), default=False, help_text=_("在该阶段的审核截止日期之后作出的审核。")
    )

    class Meta:
        verbose_name = _("流转记录")
        verbose_name_plural = _("流转记录")
        ordering = ["created_at", "id"]
        indexes = [
            # 按完成年度 (统计分析): the 通过 that completed a filing, read from this small index alone.
            models.Index(
                fields=["filing"],
                include=["created_at"],
                condition=models.Q(action=Action.APPROVE, to_stage__isnull=True),
                name="flowrecord_completion_idx",
            ),
        ]

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
        "filings.Filing",
        verbose_name=_("平台备案"),
        on_delete=models.CASCADE,
        related_name="+",
        null=True,
        blank=True,
        help_text=_("每日提醒等汇总消息不属于某一个平台备案。"),
    )
    text = models.CharField(_("内容"), max_length=300)
    # Reminders (send_reminders) carry a key such as "digest:42:2026-12-02", so a second run that day adds none.
    key = models.CharField(_("去重键"), max_length=100, null=True, blank=True, unique=True, editable=False)
    created_at = models.DateTimeField(_("时间"), auto_now_add=True)
    read_at = models.DateTimeField(_("阅读时间"), null=True, blank=True)

    class Meta:
        verbose_name = _("站内消息")
        verbose_name_plural = _("站内消息")
        ordering = ["-created_at"]
        indexes = [models.Index(fields=["recipient", "read_at"])]

    def __str__(self):
        return self.text


class StageStay(models.Model):
    """One stay of a filing at a stage (审核时效, W14): entered when it arrived, left when the stage decided (or the
    applicant withdrew). ``seconds`` is the length, so medians and percentiles are plain aggregates in SQL."""

    filing = models.ForeignKey(
        "filings.Filing", verbose_name=_("平台备案"), on_delete=models.CASCADE, related_name="stage_stays"
    )
    stage = models.ForeignKey(Stage, verbose_name=_("审核阶段"), on_delete=models.PROTECT, related_name="+")
    season = models.ForeignKey(
        "workflow.Season",
        verbose_name=_("申报批次"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )
    # Copied at arrival, so the statistics group without joining units (and keep history if a unit moves).
    department = models.ForeignKey(
        "accounts.Department",
        verbose_name=_("主管部门"),
        on_delete=models.PROTECT,
        null=True,
        related_name="+",
    )
    unit_type = models.CharField(_("单位类型"), max_length=20)
    entered_at = models.DateTimeField(_("到达时间"))
    left_at = models.DateTimeField(_("离开时间"), null=True, blank=True)
    left_action = models.CharField(_("离开方式"), max_length=20, choices=Action.choices, blank=True)
    seconds = models.PositiveIntegerField(_("停留秒数"), null=True, blank=True)
    late = models.BooleanField(_("逾期"), default=False)

    class Meta:
        verbose_name = _("阶段停留")
        verbose_name_plural = _("阶段停留")
        indexes = [
            models.Index(fields=["filing", "left_at"], name="stay_filing_open_idx"),
            models.Index(fields=["season", "stage", "department", "unit_type"], name="stay_group_idx"),
        ]

    def __str__(self):
        return f"{self.filing_id} @ {self.stage_id}"
