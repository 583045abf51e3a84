"""Admin for filings: 合作类别 are data the administrator maintains (F4); filings are read-only here.

A filing's content belongs to its applicant and its status moves only through review.transitions, so the admin
site shows filings for support and oversight but never adds, edits or deletes them.
"""

from django.contrib import admin
from django.utils.translation import gettext_lazy as _

from kechuang.admin import ReadOnlyAdmin

from .models import CooperationCategory, Filing


@admin.register(CooperationCategory)
class CooperationCategoryAdmin(admin.ModelAdmin):
    list_display = ("name", "order", "active")
    list_editable = ("order", "active")
    search_fields = ("name",)


@admin.register(Filing)
class FilingAdmin(ReadOnlyAdmin):
    list_display = (
        "__str__",
        "unit_name",
        "owner_name",
        "business",
        "stage_display",
        "submitted_at",
        "updated_at",
    )
    list_filter = ("status", "business", "stage")
    list_select_related = ("business", "stage")
    search_fields = ("name", "unit_name", "owner_name")
    date_hierarchy = "updated_at"
    ordering = ("-updated_at",)

    @admin.display(description=_("流程阶段"))
    def stage_display(self, obj):
        return obj.stage_label
