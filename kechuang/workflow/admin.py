"""Businesses with their 申报期 (P4). Stages are administered in review/admin.py, which knows what uses them."""

from django.contrib import admin
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from .models import Business, Extension, Quota, Season, Stage, StageDeadline


@admin.register(Business)
class BusinessAdmin(admin.ModelAdmin):
    list_display = ("name", "section", "current_period", "is_open_today", "order")
    list_filter = ("section",)
    search_fields = ("name",)
    list_editable = ("order",)

    @admin.display(description=_("申报期（当前批次）"))
    def current_period(self, obj):
        season = obj.current_season
        return f"{season.period_start:%Y-%m-%d} – {season.period_end:%Y-%m-%d}" if season else "—"

    @admin.display(boolean=True, description=_("今日在申报期内"))
    def is_open_today(self, obj):
        return obj.is_open(timezone.localdate())


class StageDeadlineInline(admin.TabularInline):
    model = StageDeadline
    extra = 0
    fields = ("stage", "due")

    def formfield_for_foreignkey(self, db_field, request, **kwargs):
        if db_field.name == "stage":
            kwargs["queryset"] = Stage.objects.select_related("business").order_by("business", "order")
        return super().formfield_for_foreignkey(db_field, request, **kwargs)


class QuotaInline(admin.TabularInline):
    model = Quota
    extra = 0
    fields = ("department", "unit", "limit", "used")
    readonly_fields = ("used",)
    autocomplete_fields = ("unit",)


class ExtensionInline(admin.TabularInline):
    """延期 are granted by the province on its 延期管理 page (audited); here they are read only."""

    model = Extension
    extra = 0
    can_delete = False
    fields = (
        "kind",
        "unit",
        "department",
        "period_end",
        "stage",
        "stage_due",
        "reason",
        "granted_by",
        "granted_at",
    )
    readonly_fields = fields

    def has_add_permission(self, request, obj=None):
        return False


@admin.register(Season)
class SeasonAdmin(admin.ModelAdmin):
    """申报批次: the system administrator opens a season with its 申报期, sets each stage's 审核截止 and the quotas."""

    list_display = ("__str__", "business", "year", "period_start", "period_end", "decisions_close")
    list_filter = ("business", "year")
    inlines = [StageDeadlineInline, QuotaInline, ExtensionInline]

    def save_formset(self, request, form, formset, change):
        instances = formset.save(commit=False)
        for instance in instances:
            if isinstance(instance, Quota) and instance.pk is None:
                # A quota set after filings were passed on starts from what they already hold.
                held = instance.season.filings.filter(recommended=True)
                if instance.unit_id:
                    held = held.filter(unit_id=instance.unit_id, unit__skip_department_review=True)
                else:
                    held = held.filter(
                        unit__department_id=instance.department_id, unit__skip_department_review=False
                    )
                instance.used = held.count()
        formset.save()
