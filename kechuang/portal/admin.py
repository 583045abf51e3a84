"""Admin for the portal: businesses with their 申报期, and the home page's notices (P3, P4)."""

from django.contrib import admin
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from .models import Business, Notice


@admin.register(Business)
class BusinessAdmin(admin.ModelAdmin):
    list_display = ("name", "section", "period_start", "period_end", "is_open_today", "order")
    list_filter = ("section",)
    search_fields = ("name",)
    list_editable = ("order",)

    @admin.display(boolean=True, description=_("今日在申报期内"))
    def is_open_today(self, obj):
        return obj.is_open(timezone.localdate())


@admin.register(Notice)
class NoticeAdmin(admin.ModelAdmin):
    list_display = ("title", "tab", "published_on")
    list_filter = ("tab",)
    search_fields = ("title", "body")
    date_hierarchy = "published_on"
