import uuid

from django.core.cache import cache
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


def notice_attachment_path(instance, filename):
    """Random storage names, as for filing attachments: nothing of the uploader's file name reaches the disk."""
    return f"notices/{uuid.uuid4().hex[:2]}/{uuid.uuid4().hex}.pdf"


class NoticeAttachment(models.Model):
    """A PDF attached to a notice (P4, issue 12). Public like the notice; checked like filing attachments."""

    public_id = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    notice = models.ForeignKey(Notice, on_delete=models.CASCADE, related_name="attachments")
    file = models.FileField(_("文件（PDF）"), upload_to=notice_attachment_path, max_length=200)
    original_name = models.CharField(_("文件名"), max_length=255, editable=False)
    size = models.PositiveBigIntegerField(_("大小"), editable=False)
    sha256 = models.CharField(max_length=64, editable=False)
    order = models.PositiveSmallIntegerField(_("排序"), default=0)

    class Meta:
        verbose_name = _("通知附件")
        verbose_name_plural = _("通知附件")
        ordering = ["order", "id"]

    def __str__(self):
        return self.original_name


class SiteSettings(models.Model):
    """网站设置: one row the system administrator edits in the admin site — 联系我们, the footer's
    government-site identifiers and the 隐私政策 text. ``SiteSettings.current()`` reads it (cached)."""

    contact_phone = models.CharField(_("联系电话"), max_length=50, blank=True)
    contact_email = models.EmailField(_("电子邮箱"), blank=True)
    contact_address = models.CharField(_("通讯地址"), max_length=200, blank=True)
    office_hours = models.CharField(
        _("办公时间"), max_length=200, blank=True, help_text=_("如：工作日 8:30-11:30，13:30-17:00")
    )
    site_code = models.CharField(_("网站标识码"), max_length=30, blank=True)
    icp_number = models.CharField(
        _("ICP备案号"), max_length=50, blank=True, help_text=_("如：黑ICP备12345678号")
    )
    police_number = models.CharField(
        _("公安备案号"), max_length=50, blank=True, help_text=_("如：黑公网安备 23010002000001号")
    )
    privacy_policy = models.TextField(
        _("隐私政策"), blank=True, help_text=_("显示在“隐私政策”页面（/privacy/），支持 Markdown 格式。")
    )
    updated_at = models.DateTimeField(_("修改时间"), auto_now=True)

    CACHE_KEY = "portal:site-settings"
    CACHE_SECONDS = 300

    class Meta:
        verbose_name = _("网站设置")
        verbose_name_plural = _("网站设置")
        constraints = [models.CheckConstraint(condition=models.Q(pk=1), name="site_settings_singleton")]

    def __str__(self):
        return str(_("网站设置"))

    def save(self, *args, **kwargs):
        self.pk = 1
        super().save(*args, **kwargs)
        cache.set(self.CACHE_KEY, self, self.CACHE_SECONDS)  # write-through: the next page needs no query

    def delete(self, *args, **kwargs):
        cache.delete(self.CACHE_KEY)
        return super().delete(*args, **kwargs)

    @classmethod
    def current(cls):
        """The settings (an unsaved blank row when none were set yet), cached for a few minutes: every page's
        footer shows them. A save replaces the cached row at once (with a per-process cache, other processes see
        it within CACHE_SECONDS)."""
        settings = cache.get(cls.CACHE_KEY)
        if settings is None:
            settings = cls.objects.filter(pk=1).first() or cls(pk=1)
            cache.set(cls.CACHE_KEY, settings, cls.CACHE_SECONDS)
        return settings
