"""Admin for unit registration changes (U1): the system administrator approves or refuses them here.

The rows are read-only: the only way to decide is the two admin actions, each of which calls one verb of
accounts.services per selected change (never a raw edit), so the unit and the change move together.
"""

from django.contrib import admin, messages
from django.contrib.admin.helpers import ACTION_CHECKBOX_NAME
from django.template.response import TemplateResponse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from kechuang.admin import ReadOnlyAdmin

from . import services
from .models import ContactChange, UnitChange
from .unit_forms import RefuseForm


def _report(modeladmin, request, done, failures, done_message):
    if done:
        modeladmin.message_user(request, done_message % {"count": done}, messages.SUCCESS)
    for change, error in failures:
        modeladmin.message_user(request, f"{change}：{error.message}", messages.ERROR)


@admin.register(UnitChange)
class UnitChangeAdmin(ReadOnlyAdmin):
    list_display = [
        "unit",
        "old_name",
        "name",
        "credit_code",
        "unit_type",
        "status",
        "requested_by",
        "requested_at",
        "decided_at",
    ]
    list_filter = ["status", "unit_type"]
    search_fields = ["unit__name", "name", "old_name", "credit_code", "old_credit_code"]
    list_select_related = ["unit", "requested_by"]
    date_hierarchy = "requested_at"
    actions = ["approve_selected", "refuse_selected"]
    fieldsets = [
        (gettext_lazy("申请单位"), {"fields": ["unit", "status", "requested_by", "requested_at"]}),
        (gettext_lazy("原注册信息"), {"fields": ["old_name", "old_credit_code", "old_unit_type"]}),
        (gettext_lazy("变更为"), {"fields": ["name", "credit_code", "unit_type"]}),
        (gettext_lazy("审核"), {"fields": ["decided_by", "decided_at", "reason"]}),
    ]

    def has_view_permission(self, request, obj=None):
        return request.user.has_perm("accounts.view_unitchange") or self.has_decide_permission(request)

    def has_decide_permission(self, request):
        """Who may use the two actions (the same permission the services check)."""
        return request.user.has_perm("accounts.change_unitchange")

    def get_actions(self, request):
        actions = super().get_actions(request)
        actions.pop("delete_selected", None)
        return actions

    @admin.action(description=gettext_lazy("通过所选变更"), permissions=["decide"])
    def approve_selected(self, request, queryset):
        done, failures = 0, []
        for change in queryset.select_related("unit"):
            try:
                services.approve_unit_change(change, request.user)
            except services.UnitChangeError as exc:
                failures.append((change, exc))
            else:
                done += 1
        _report(self, request, done, failures, _("已通过 %(count)d 项变更，新的注册信息已生效。"))

    @admin.action(description=gettext_lazy("驳回所选变更"), permissions=["decide"])
    def refuse_selected(self, request, queryset):
        """An intermediate page asks for the reason (required); the unit administrator sees it in the history."""
        form = RefuseForm(request.POST if "confirm" in request.POST else None)
        if form.is_bound and form.is_valid():
            done, failures = 0, []
            for change in queryset.select_related("unit"):
                try:
                    services.refuse_unit_change(change, request.user, form.cleaned_data["reason"])
                except services.UnitChangeError as exc:
                    failures.append((change, exc))
                else:
                    done += 1
            _report(self, request, done, failures, _("已驳回 %(count)d 项变更。"))
            return None
        context = {
            **self.admin_site.each_context(request),
            "title": _("驳回所选变更"),
            "opts": self.model._meta,
            "changes": queryset.select_related("unit", "requested_by"),
            "form": form,
            "action_checkbox_name": ACTION_CHECKBOX_NAME,
            "action": "refuse_selected",
        }
        return TemplateResponse(
            request, "accounts/unitchange_refuse.html", context, status=400 if form.is_bound else 200
        )


@admin.register(ContactChange)
class ContactChangeAdmin(ReadOnlyAdmin):
    list_display = ["unit", "changed_by", "changed_at", "summary"]
    search_fields = ["unit__name", "changed_by__name"]
    list_select_related = ["unit", "changed_by"]
    date_hierarchy = "changed_at"
    fields = ["unit", "changed_by", "changed_at", "summary"]
    readonly_fields = fields

    @admin.display(description=gettext_lazy("修改内容"))
    def summary(self, obj):
        return "；".join(f"{label}：{old or '—'} → {new or '—'}" for label, old, new in obj.differences())
