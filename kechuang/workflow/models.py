"""The workflow's definitions: businesses with their 申报期, their review stages, and the labels of the moves.

They sit below filings and review: a filing belongs to a business and waits at a stage, and review moves it
from stage to stage. The tables keep the names they had when these models lived in portal and review.
"""

import uuid

from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _


class Section(models.TextChoices):
    """The eight-item top navigation (P2); 首页 is the home page itself."""

    PROJECTS = "projects", _("科技项目")
    AWARDS = "awards", _("科技奖励")
    PLATFORMS = "platforms", _("科技创新平台")
    VOUCHERS = "vouchers", _("科技创新券")
    STATISTICS = "statistics", _("科技统计")
    SERVICES = "services", _("科技服务")
    CONTACT = "contact", _("联系我们")


class BusinessQuerySet(models.QuerySet):
    def search(self, text):
        return self.filter(name__icontains=text) if text else self


class Business(models.Model):
    """业务: something people file online during its 申报期, e.g. 省国际科技合作平台备案."""

    public_id = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    name = models.CharField(_("业务名称"), max_length=100, unique=True)
    section = models.CharField(
        _("所属栏目"), max_length=20, choices=Section.choices, default=Section.PLATFORMS
    )
    period_start = models.DateField(_("申报期开始"))
    period_end = models.DateField(_("申报期结束"))
    description = models.TextField(_("说明"), blank=True)
    order = models.PositiveSmallIntegerField(_("排序"), default=0)

    objects = BusinessQuerySet.as_manager()

    class Meta:
        db_table = "portal_business"
        verbose_name = _("业务")
        verbose_name_plural = _("业务")
        ordering = ["order", "name"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(period_end__gte=models.F("period_start")), name="period_end_after_start"
            )
        ]

    def __str__(self):
        return self.name

    def is_open(self, today=None):
        today = today or timezone.localdate()
        return self.period_start <= today <= self.period_end


class ReviewerKind(models.TextChoices):
    UNIT_ADMIN = "unit_admin", _("申报单位管理员")
    DEPARTMENT = "department", _("主管部门")
    PROVINCE = "province", _("省科技厅")


class Stage(models.Model):
    """One review stage of a business (W1). Stages are data: order, name and who reviews."""

    business = models.ForeignKey(
        Business, verbose_name=_("业务"), on_delete=models.CASCADE, related_name="stages"
    )
    order = models.PositiveSmallIntegerField(_("顺序"))
    name = models.CharField(_("阶段名称"), max_length=50)
    reviewer_kind = models.CharField(_("审核人"), max_length=20, choices=ReviewerKind.choices)

    class Meta:
        db_table = "review_stage"
        verbose_name = _("审核阶段")
        verbose_name_plural = _("审核阶段")
        ordering = ["business", "order"]
        constraints = [models.UniqueConstraint(fields=["business", "order"], name="one_stage_per_order")]

    def __str__(self):
        return f"{self.order}. {self.name}"


class Action(models.TextChoices):
    """The moves a filing can make (W2–W5); FlowRecord.action stores them."""

    SUBMIT = "submit", _("上报")
    WITHDRAW = "withdraw", _("撤销")
    APPROVE = "approve", _("通过")
    RETURN = "return", _("退回")
    REJECT = "reject", _("直接不通过")
