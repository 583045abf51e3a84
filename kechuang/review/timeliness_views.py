"""审核时效 page (W14) for the province (all departments) and each 主管部门 (its own), with a CSV download."""

import csv

from django import forms
from django.core.exceptions import PermissionDenied
from django.http import HttpResponse
from django.shortcuts import render
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_safe

from kechuang.accounts.models import Role
from kechuang.workflow.models import Season

from . import timeliness as stays
from .views import reviewer_required

GROUPING_LABELS = {
    "department": gettext_lazy("按主管部门"),
    "unit_type": gettext_lazy("按单位类型"),
}


class TimelinessForm(forms.Form):
    season = forms.ModelChoiceField(
        label=gettext_lazy("申报批次"),
        queryset=Season.objects.none(),
        required=False,
        empty_label=gettext_lazy("全部批次"),
    )
    grouping = forms.ChoiceField(
        label=gettext_lazy("分组"), choices=list(GROUPING_LABELS.items()), required=False
    )

    def __init__(self, data):
        super().__init__(data)
        self.fields["season"].queryset = Season.objects.select_related("business").order_by(
            "-year", "business"
        )


@require_safe
@reviewer_required
def timeliness(request):
    """Queries: session, user, the seasons (select), two aggregates (per stage, per stage and group), names (≤2)."""
    user = request.user
    if user.role == Role.PROVINCE_REVIEWER:
        department_id = None
    elif user.role == Role.DEPARTMENT_REVIEWER and user.department_id:
        department_id = user.department_id
    else:
        raise PermissionDenied(_("审核时效仅供省科技厅和主管部门查看。"))
    form = TimelinessForm(request.GET or None)
    season = grouping = None
    if form.is_bound and form.is_valid():
        season, grouping = form.cleaned_data["season"], form.cleaned_data["grouping"]
    grouping = grouping or "department"
    season_id = season.pk if season else None
    totals = stays.aggregate(season_id, department_id, "stage")
    groups = stays.aggregate(season_id, department_id, grouping)
    if request.GET.get("format") == "csv":
        return _csv(totals, groups, GROUPING_LABELS[grouping])
    context = {
        "menu_current": "review",
        "form": form,
        "totals": totals,
        "groups": groups,
        "grouping_label": GROUPING_LABELS[grouping],
    }
    return render(request, "review/timeliness.html", context, status=400 if form.errors else 200)


def _csv(totals, groups, grouping_label):
    response = HttpResponse(content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = "attachment; filename*=UTF-8''%E5%AE%A1%E6%A0%B8%E6%97%B6%E6%95%88.csv"
    response.write("\ufeff")  # Excel opens UTF-8 CSV correctly only with the BOM
    writer = csv.writer(response)
    header = [_("审核阶段"), _("分组"), _("已审核数"), _("中位数（天）"), _("90%分位（天）"), _("逾期审核数")]
    writer.writerow(header)
    for row in totals:
        writer.writerow([row.stage, _("全部"), row.count, row.median_days, row.p90_days, row.late])
    for row in groups:
        writer.writerow(
            [row.stage, f"{grouping_label}：{row.group}", row.count, row.median_days, row.p90_days, row.late]
        )
    return response
