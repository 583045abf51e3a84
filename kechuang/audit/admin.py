"""Read-only admin for the audit log: system administrators search and filter it, nobody edits or deletes."""

from django.contrib import admin

from kechuang.admin import ReadOnlyAdmin

from .models import SecurityEvent


@admin.register(SecurityEvent)
class SecurityEventAdmin(ReadOnlyAdmin):
    list_display = ["created_at", "kind", "username", "ip_address", "method", "path"]
    list_filter = ["kind", "created_at"]
    search_fields = ["username", "ip_address", "path"]
    date_hierarchy = "created_at"
    readonly_fields = ["created_at", "kind", "user", "username", "ip_address", "method", "path", "detail"]
    list_per_page = 50
    show_full_result_count = False  # counting millions of rows on every page view is slow

    def get_actions(self, request):
        return {}  # not even "delete selected"
