"""Admin site for people, units and departments. Unit change approvals live in admin_changes.py."""

from django import forms
from django.contrib import admin
from django.contrib.auth.admin import UserAdmin as BaseUserAdmin
from django.contrib.auth.forms import UserChangeForm as BaseUserChangeForm
from django.contrib.auth.forms import UserCreationForm as BaseUserCreationForm
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

from . import (
    admin_changes,  # noqa: F401  (registers UnitChange / ContactChange)
    services,
)
from .admin_roles import AdministratorRolesMixin
from .models import ADMINISTRATOR_ROLES, Department, Role, Unit, User

admin.site.site_header = _("黑龙江省科技创新服务平台 管理后台")
admin.site.site_title = _("黑龙江省科技创新服务平台 管理后台")
admin.site.index_title = _("系统管理")

UNIT_ROLES = (Role.APPLICANT, Role.UNIT_ADMIN)
DEPARTMENT_ROLES = (Role.DEPARTMENT_REVIEWER, Role.PROVINCE_REVIEWER)


def check_role_affiliation(cleaned_data):
    """A1: applicants and unit administrators belong to a unit; reviewers to a department."""
    role, unit, department = (cleaned_data.get(k) for k in ("role", "unit", "department"))
    if role in UNIT_ROLES and not unit:
        raise ValidationError({"unit": _("个人用户和单位管理员必须选择依托单位。")})
    if role in DEPARTMENT_ROLES and not department:
        raise ValidationError({"department": _("审核人必须选择所属部门。")})
    if role == Role.PROVINCE_REVIEWER and department and department.kind != Department.Kind.PROVINCIAL:
        raise ValidationError({"department": _("省科技厅审核人的所属部门必须是省科技厅。")})
    if role == Role.DEPARTMENT_REVIEWER and department and department.kind != Department.Kind.COMPETENT:
        raise ValidationError({"department": _("主管部门审核人的所属部门必须是主管部门。")})


class UserCreationForm(BaseUserCreationForm):
    class Meta(BaseUserCreationForm.Meta):
        model = User
        fields = ("username", "name", "role", "unit", "department")

    def clean(self):
        cleaned = super().clean()
        check_role_affiliation(cleaned)
        return cleaned


class UserChangeForm(BaseUserChangeForm):
    class Meta(BaseUserChangeForm.Meta):
        model = User
        fields = "__all__"
        widgets = {"birth_date": forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")}

    def clean(self):
        cleaned = super().clean()
        # Fields read-only for this administrator (三员分立) are not in the form: use the saved values.
        saved = {k: getattr(self.instance, k) for k in ("role", "unit", "department") if k not in self.fields}
        if cleaned.get("role", self.instance.role) not in ADMINISTRATOR_ROLES:
            check_role_affiliation({**saved, **cleaned})
        return cleaned


@admin.register(Department)
class DepartmentAdmin(admin.ModelAdmin):
    list_display = ("name", "kind")
    list_filter = ("kind",)
    search_fields = ("name",)


class UnitAdminForm(forms.ModelForm):
    """Registration data may not change while the unit's own change waits, and must stay unique."""

    class Meta:
        model = Unit
        fields = (
            "name",
            "credit_code",
            "unit_type",
            "region",
            "department",
            "skip_department_review",
            "address",
            "postcode",
            "contact_name",
            "contact_phone",
            "contact_email",
        )

    def clean(self):
        cleaned = super().clean()
        if self.instance.pk and not self.errors:
            original = Unit.objects.get(pk=self.instance.pk)
            registration = {field: cleaned.get(field) for field in services.REGISTRATION_FIELDS}
            if registration != {field: getattr(original, field) for field in services.REGISTRATION_FIELDS}:
                try:
                    services.check_admin_registration_edit(original, registration)
                except services.UnitChangeError as error:
                    self.add_error(error.field, error.message)
        return cleaned


@admin.register(Unit)
class UnitAdmin(admin.ModelAdmin):
    list_display = ("name", "credit_code", "unit_type", "region", "department", "skip_department_review")
    list_filter = ("unit_type", "region", "department", "skip_department_review")
    search_fields = ("name", "credit_code", "contact_name")
    list_select_related = ("department",)
    fieldsets = (
        (_("注册信息"), {"fields": ("name", "credit_code", "unit_type", "region", "department")}),
        (_("审核流程"), {"fields": ("skip_department_review",)}),
        (
            _("基本信息"),
            {"fields": ("address", "postcode", "contact_name", "contact_phone", "contact_email")},
        ),
    )

    form = UnitAdminForm

    def save_model(self, request, obj, form, change):
        """An edit goes through accounts.services, so it keeps the unit's change history (单位管理)."""
        if not change:
            return super().save_model(request, obj, form, change)
        services.edit_unit_as_admin(Unit.objects.get(pk=obj.pk), request.user, form.cleaned_data)


@admin.register(User)
class UserAdmin(AdministratorRolesMixin, BaseUserAdmin):  # 三员分立: who edits which field (admin_roles.py)
    form = UserChangeForm
    add_form = UserCreationForm
    list_display = ("username", "name", "role", "unit", "department", "is_active", "last_login")
    list_filter = ("role", "is_active", "is_staff", "department")
    search_fields = ("username", "name", "mobile", "email", "unit__name")
    list_select_related = ("unit", "department")
    autocomplete_fields = ("unit", "department")
    ordering = ("username",)
    fieldsets = (
        (None, {"fields": ("username", "password")}),
        (_("角色与单位"), {"fields": ("role", "unit", "department")}),
        (
            _("个人信息"),
            {
                "fields": (
                    "name",
                    "gender",
                    "position",
                    "research_field",
                    "mobile",
                    "email",
                    "id_type",
                    "id_number",
                    "birth_date",
                    "title",
                    "education",
                )
            },
        ),
        (
            _("权限"),
            {
                "fields": (
                    "is_active",
                    "must_change_password",
                    "is_staff",
                    "is_superuser",
                    "groups",
                    "user_permissions",
                ),
                "classes": ("collapse",),
            },
        ),
        (_("重要日期"), {"fields": ("last_login", "date_joined")}),
    )
    add_fieldsets = (
        (
            None,
            {
                "classes": ("wide",),
                "fields": ("username", "name", "role", "unit", "department", "password1", "password2"),
            },
        ),
    )
