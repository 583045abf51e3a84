"""API令牌 for the 系统管理员: create (the secret is shown once, on the page answering the form), revoke, read the
call log. Tokens are never deleted, so the call log keeps naming them."""

from django.contrib import admin, messages
from django.template.response import TemplateResponse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext

from kechuang.admin import ReadOnlyAdmin

from .models import ApiLog, ApiToken


@admin.register(ApiToken)
class ApiTokenAdmin(admin.ModelAdmin):
    list_display = (
        "name",
        "key_prefix",
        "scope",
        "department",
        "unit",
        "expires_at",
        "revoked_at",
        "created_at",
    )
    list_filter = ("scope", ("revoked_at", admin.EmptyFieldListFilter))
    search_fields = ("name", "key_prefix", "unit__name", "department__name")
    autocomplete_fields = ("unit",)
    actions = ["revoke"]
    fields = ("name", "scope", "department", "unit", "expires_at", "allowed_addresses")
    readonly_on_change = (
        "scope",
        "department",
        "unit",
        "key_prefix",
        "created_by",
        "created_at",
        "revoked_at",
    )

    def get_fields(self, request, obj=None):
        if obj is None:
            return self.fields
        return (
            "name",
            *self.readonly_on_change[:4],
            "expires_at",
            "allowed_addresses",
            *self.readonly_on_change[4:],
        )

    def get_readonly_fields(self, request, obj=None):
        return self.readonly_on_change if obj is not None else ()

    def has_delete_permission(self, request, obj=None):
        return False

    def save_model(self, request, obj, form, change):
        if not change:
            obj.created_by = request.user
            request._api_raw_token = obj.issue()
        super().save_model(request, obj, form, change)

    def response_add(self, request, obj, post_url_continue=None):
        """The only time the secret exists outside the caller's hands: this page, never stored or redirected."""
        context = {
            **self.admin_site.each_context(request),
            "title": _("API令牌已创建"),
            "opts": self.opts,
            "token": obj,
            "raw_token": request._api_raw_token,
        }
        response = TemplateResponse(request, "admin/api/apitoken/created.html", context)
        response["Cache-Control"] = "no-store"
        return response

    @admin.action(description=_("撤销所选API令牌"))
    def revoke(self, request, queryset):
        count = queryset.filter(revoked_at__isnull=True).update(revoked_at=timezone.now())
        self.message_user(
            request,
            ngettext("已撤销 %(count)d 个API令牌。", "已撤销 %(count)d 个API令牌。", count)
            % {"count": count},
            messages.SUCCESS,
        )


@admin.register(ApiLog)
class ApiLogAdmin(ReadOnlyAdmin):
    list_display = ("created_at", "token", "method", "endpoint", "client_address", "status", "duration_ms")
    list_filter = ("status", "method")
    search_fields = ("endpoint", "client_address", "token__name", "token__key_prefix")
    date_hierarchy = "created_at"
    list_select_related = ("token",)
    show_full_result_count = False
