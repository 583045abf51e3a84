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


class Notice(models.Model):
    """A dated notice in the home page's news block (P3)."""

    class Tab(models.TextChoices):
        PROJECTS = "projects", _("项目申报")
        ANNOUNCEMENTS = "announcements", _("公示公告")
        POLICIES = "policies", _("科技政策")
        TRAINING = "training", _("科技培训")
        GUIDES = "guides", _("操作指南")

    public_id = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    tab = models.CharField(_("栏目"), max_length=20, choices=Tab.choices)
    title = models.CharField(_("标题"), max_length=200)
    published_on = models.DateField(_("发布日期"), default=timezone.localdate)
    body = models.TextField(_("正文"), blank=True)

    class Meta:
        verbose_name = _("通知公告")
        verbose_name_plural = _("通知公告")
        ordering = ["-published_on", "-id"]
        indexes = [models.Index(fields=["tab", "-published_on"])]

    def __str__(self):
        return self.title
