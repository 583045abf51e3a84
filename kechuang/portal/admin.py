"""Admin for the portal: businesses with their 申报期, and the home page's notices (P3, P4)."""

from django.contrib import admin

from .models import Notice


@admin.register(Notice)
class NoticeAdmin(admin.ModelAdmin):
    list_display = ("title", "tab", "published_on")
    list_filter = ("tab",)
    search_fields = ("title", "body")
    date_hierarchy = "published_on"
