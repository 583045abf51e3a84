import uuid

from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _


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
