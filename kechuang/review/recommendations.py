"""推荐排序 (W13): a 主管部门 (or a unit passing straight to the province) orders the filings it passed on within
its 推荐限额; editable until its stage's 审核截止 (with 延期). The province reads each department's order here,
and the 推荐汇总表 follows ``Filing.recommend_rank``."""

from django import forms
from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.db.models import F
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_http_methods

from kechuang.accounts.models import Department, Role
from kechuang.filings.models import Filing
from kechuang.workflow import days, seasons
from kechuang.workflow.models import Quota, ReviewerKind, Stage

from .pacing import current_seasons
from .views import reviewer_required

RECOMMENDED_ORDER = (F("recommend_rank").asc(nulls_last=True), "submitted_at", "pk")


class ScopeForm(forms.Form):
    season = forms.ModelChoiceField(
        label=gettext_lazy("申报批次"), queryset=None, required=False, empty_label=None
    )
    department = forms.ModelChoiceField(label=gettext_lazy("主管部门"), queryset=None, required=False)

    def __init__(self, data, user):
        super().__init__(data)
        self.fields["season"].queryset = current_seasons().select_related("business").order_by("-year")
        if user.role == Role.PROVINCE_REVIEWER:
            self.fields["department"].queryset = Department.objects.order_by("name")
        else:
            del self.fields["department"]


def recommended_in_scope(user, season, department=None):
    """The filings holding a place of the quota the page is about, in 推荐排序."""
    filings = Filing.objects.visible_to(user).filter(season=season, recommended=True)
    if user.role == Role.DEPARTMENT_REVIEWER:
        filings = filings.filter(unit__department_id=user.department_id, unit__skip_department_review=False)
    elif user.role == Role.UNIT_ADMIN:
        filings = filings.filter(unit_id=user.unit_id, unit__skip_department_review=True)
    elif department is not None:
        filings = filings.filter(unit__department=department, unit__skip_department_review=False)
    return filings.select_related("unit", "stage").order_by(*RECOMMENDED_ORDER)


def _editable_until(user, season):
    """The last day the 推荐排序 may change: the reviewer's stage deadline (with 延期); None = no deadline."""
    kind = ReviewerKind.DEPARTMENT if user.role == Role.DEPARTMENT_REVIEWER else ReviewerKind.UNIT_ADMIN
    stage = Stage.objects.filter(business_id=season.business_id, reviewer_kind=kind).first()
    return seasons.stage_due_for_reviewer(season, stage, user)


@require_http_methods(["GET", "HEAD", "POST"])
@reviewer_required
def recommendations(request):
    user = request.user
    may_edit_role = user.role == Role.DEPARTMENT_REVIEWER or (
        user.role == Role.UNIT_ADMIN and user.unit_id and user.unit.skip_department_review
    )
    if not may_edit_role and user.role != Role.PROVINCE_REVIEWER:
        raise PermissionDenied(_("只有主管部门（或直接报送省科技厅的单位）和省科技厅可以查看推荐排序。"))
    scope = ScopeForm(request.GET or None, user)
    season = department = None
    if scope.is_valid():
        season = scope.cleaned_data["season"]
        department = scope.cleaned_data.get("department")
    if season is None:
        season = scope.fields["season"].queryset.first()
    context = {"menu_current": "review", "scope": scope, "season": season, "filings": [], "errors": []}
    if season is None:
        return render(request, "review/recommendations.html", context)
    until = _editable_until(user, season) if may_edit_role else None
    editable = may_edit_role and not days.is_over(until)
    filings = list(recommended_in_scope(user, season, department))
    if request.method == "POST":
        if not editable:
            raise PermissionDenied(_("推荐排序已过截止日期，不能再修改。"))
        errors, ranks = _parse_ranks(request.POST, filings)
        if errors:
            context.update(errors=errors)
            status = 400
        else:
            with transaction.atomic():
                for filing in filings:
                    Filing.objects.filter(pk=filing.pk, recommended=True).update(
                        recommend_rank=ranks[filing.pk]
                    )
            messages.success(request, _("推荐排序已保存。"))
            return redirect(f"{request.path}?season={season.pk}")
    else:
        status = 200
    quota = seasons.quota_of(season.pk, user.unit) if user.role == Role.UNIT_ADMIN else None
    if user.role == Role.DEPARTMENT_REVIEWER:
        quota = Quota.objects.filter(season=season, department_id=user.department_id).first()
    elif department is not None:
        quota = Quota.objects.filter(season=season, department=department).first()
    context.update(filings=filings, editable=editable, until=until, quota=quota, department=department)
    return render(request, "review/recommendations.html", context, status=status)


def _parse_ranks(data, filings):
    """Ranks 1…n, each once, one per listed filing; anything else is a message (and nothing is saved)."""
    ranks, errors = {}, []
    for filing in filings:
        raw = (data.get(f"rank-{filing.public_id}") or "").strip()
        if not raw.isdigit() or not 1 <= int(raw) <= len(filings):
            errors.append(
                _("“%(name)s”的排序须为 1 到 %(n)d 之间的整数。") % {"name": filing, "n": len(filings)}
            )
            continue
        ranks[filing.pk] = int(raw)
    if not errors and len(set(ranks.values())) != len(ranks):
        errors.append(_("排序不能重复，请为每个平台填写不同的序号。"))
    return errors, ranks
