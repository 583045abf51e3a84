"""Admin for the portal: the home page's notices with their PDF attachments (P3, P4), and 网站设置 — the one row
of contact information, footer identifiers and 隐私政策 text (issue 12)."""

from django import forms
from django.contrib import admin
from django.utils.translation import gettext as _

from kechuang.security.uploads import check_pdf, display_name

from .models import Notice, NoticeAttachment, SiteSettings

NOTICE_ATTACHMENT_LIMIT = 20 * 1024 * 1024


class NoticeAttachmentForm(forms.ModelForm):
    """A notice's PDF goes through the same content checks as a filing's attachments (security.uploads)."""

    class Meta:
        model = NoticeAttachment
        fields = ["file", "order"]

    def clean_file(self):
        uploaded = self.cleaned_data["file"]
        if uploaded and hasattr(uploaded, "content_type"):  # a new upload (not the stored file)
            self.instance.sha256 = check_pdf(
                uploaded, NOTICE_ATTACHMENT_LIMIT, _("文件超过大小限制：通知附件的大小限制为20M以内。")
            )
            self.instance.original_name = display_name(uploaded.name)
            self.instance.size = uploaded.size
        return uploaded


class NoticeAttachmentInline(admin.TabularInline):
    model = NoticeAttachment
    form = NoticeAttachmentForm
    extra = 1
    fields = ("file", "original_name", "size", "order")
    readonly_fields = ("original_name", "size")


@admin.register(Notice)
class NoticeAdmin(admin.ModelAdmin):
    list_display = ("title", "tab", "published_on")
    list_filter = ("tab",)
    search_fields = ("title", "body")
    date_hierarchy = "published_on"
    inlines = [NoticeAttachmentInline]

    def formfield_for_dbfield(self, db_field, request, **kwargs):
        field = super().formfield_for_dbfield(db_field, request, **kwargs)
        if db_field.name == "body":
            field.help_text = _(
                "支持 Markdown：# 标题、**粗体**、- 列表、[链接](https://…)、表格。脚本、样式和事件属性会被去除。"
            )
        return field


@admin.register(SiteSettings)
class SiteSettingsAdmin(admin.ModelAdmin):
    """One row: it can be neither added twice nor deleted."""

    fieldsets = (
        (_("联系我们"), {"fields": ("contact_phone", "contact_email", "contact_address", "office_hours")}),
        (_("网站标识（页面底部）"), {"fields": ("site_code", "icp_number", "police_number")}),
        (_("隐私政策"), {"fields": ("privacy_policy",)}),
    )

    def has_add_permission(self, request):
        return super().has_add_permission(request) and not SiteSettings.objects.exists()

    def has_delete_permission(self, request, obj=None):
        return False
