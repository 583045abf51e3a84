"""延期 (W12): the province grants a unit or a 主管部门 more time — of the 申报期, of one stage's 审核截止, or both —
with a reason; every grant is a row of its own (never edited) and an audit event."""

from django import forms
from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_http_methods

from kechuang.accounts.models import Department, Role, Unit
from kechuang.audit.models import EventKind
from kechuang.audit.recorder import record
from kechuang.workflow.models import Extension, Stage

from .forms import DateInput
from .pacing import current_seasons
from .views import reviewer_required

REQUIRED = gettext_lazy("请填写此项。")


class ExtensionForm(forms.ModelForm):
    class Meta:
        model = Extension
        fields = ["season", "kind", "unit", "department", "period_end", "stage", "stage_due", "reason"]
        widgets = {
            "period_end": DateInput(),
            "stage_due": DateInput(),
            "reason": forms.Textarea(attrs={"rows": 3}),
        }
        error_messages = {"reason": {"required": REQUIRED}, "kind": {"required": REQUIRED}}

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["season"].queryset = current_seasons().select_related("business")
        self.fields["unit"].queryset = Unit.objects.order_by("name").only("pk", "name")
        self.fields["department"].queryset = Department.objects.order_by("name").only("pk", "name")
        self.fields["stage"].queryset = Stage.objects.select_related("business").order_by("business", "order")

    def clean(self):
        cleaned = super().clean()
        unit, department, kind = cleaned.get("unit"), cleaned.get("department"), cleaned.get("kind")
        if bool(unit) == bool(department):
            self.add_error("unit", _("请选择一个申报单位或一个主管部门（二者选一）。"))
        season = cleaned.get("season")
        if kind in (Extension.Kind.PERIOD, Extension.Kind.BOTH):
            end = cleaned.get("period_end")
            if not end:
                self.add_error("period_end", _("申报期延期须填写延至日期。"))
            elif season and end <= season.period_end:
                self.add_error(
                    "period_end",
                    _("延至日期须晚于本批次申报期结束日期（%(day)s）。") % {"day": season.period_end},
                )
        else:
            cleaned["period_end"] = None
        if kind in (Extension.Kind.STAGE, Extension.Kind.BOTH):
            stage = cleaned.get("stage")
            if not stage:
                self.add_error("stage", _("审核截止延期须选择审核阶段。"))
            elif season and stage.business_id != season.business_id:
                self.add_error("stage", _("该审核阶段不属于所选批次的业务。"))
            if not cleaned.get("stage_due"):
                self.add_error("stage_due", _("审核截止延期须填写延至日期。"))
        else:
            cleaned["stage"], cleaned["stage_due"] = None, None
        return cleaned


@require_http_methods(["GET", "HEAD", "POST"])
@reviewer_required
def extensions(request):
    """The province's 延期 page: the grants of the current seasons and a form to grant one."""
    if request.user.role != Role.PROVINCE_REVIEWER:
        raise PermissionDenied(_("只有省科技厅审核人员可以批准延期。"))
    form = ExtensionForm(request.POST if request.method == "POST" else None)
    if request.method == "POST" and form.is_valid():
        grant = form.save(commit=False)
        grant.granted_by = request.user
        grant.save()
        record(
            EventKind.ADMIN_CHANGE,
            request,
            action="grant_extension",
            extension=grant.pk,
            season=grant.season_id,
            extension_kind=grant.kind,
            unit=grant.unit_id,
            department=grant.department_id,
            period_end=grant.period_end,
            stage=grant.stage_id,
            stage_due=grant.stage_due,
            reason=grant.reason,
        )
        messages.success(request, _("已批准延期：%(grant)s。") % {"grant": grant})
        return redirect("review:extensions")
    grants = (
        Extension.objects.filter(season__in=current_seasons())
        .select_related("season__business", "unit", "department", "stage", "granted_by")
        .order_by("-granted_at", "-id")[:200]
    )
    context = {"menu_current": "review", "form": form, "grants": grants}
    return render(request, "review/extensions.html", context, status=400 if form.errors else 200)
