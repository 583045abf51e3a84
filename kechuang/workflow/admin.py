"""Businesses with their 申报期 (P4). Stages are administered in review/admin.py, which knows what uses them."""

from django.contrib import admin
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from .models import Business


@admin.register(Business)
class BusinessAdmin(admin.ModelAdmin):
    list_display = ("name", "section", "period_start", "period_end", "is_open_today", "order")
    list_filter = ("section",)
    search_fields = ("name",)
    list_editable = ("order",)

    @admin.display(boolean=True, description=_("今日在申报期内"))
    def is_open_today(self, obj):
        return obj.is_open(timezone.localdate())
