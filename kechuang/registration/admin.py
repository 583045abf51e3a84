"""The 系统管理员's read-only view of registrations and requests with their decisions. Decisions are made in the
personal center (单位注册审核, 人员管理) through services.py, never by editing rows here."""

from django.contrib import admin

from kechuang.admin import ReadOnlyAdmin

from .models import IdentityChange, RegistrationEvent, TransferRequest, UnitRegistration


class RegistrationEventInline(admin.TabularInline):
    model = RegistrationEvent
    fields = ("created_at", "action", "actor", "reason")
    readonly_fields = fields
    extra = 0
    can_delete = False

    def has_add_permission(self, request, obj=None):
        return False


@admin.register(UnitRegistration)
class UnitRegistrationAdmin(ReadOnlyAdmin):
    list_display = ("name", "credit_code", "department", "status", "submitted_at", "decided_by", "decided_at")
    list_filter = ("status", "department", "region")
    search_fields = ("name", "credit_code", "contact_name")
    list_select_related = ("department", "decided_by")
    exclude = ("certificate",)
    inlines = [RegistrationEventInline]


@admin.register(TransferRequest)
class TransferRequestAdmin(ReadOnlyAdmin):
    list_display = ("person", "from_unit", "to_unit", "status", "requested_at", "decided_by", "decided_at")
    list_filter = ("status",)
    search_fields = ("person__name", "person__username", "to_unit__name")
    list_select_related = ("person", "from_unit", "to_unit", "decided_by")


@admin.register(IdentityChange)
class IdentityChangeAdmin(ReadOnlyAdmin):
    list_display = ("old_name", "name", "unit", "status", "requested_at", "decided_by", "decided_at")
    list_filter = ("status",)
    search_fields = ("old_name", "name", "person__username")
    list_select_related = ("unit", "decided_by")
