"""批量通过 / 批量退回 on 待审核平台 (W4 at provincial scale).

Two POSTs, no JavaScript needed: the list's checkboxes post the chosen ids here, which answers a confirmation
page naming how many (and which) filings wait for this reviewer; its 确认 posts them again with the version each
had when shown, and each filing then goes through the same transition as a single decision, in its own
transaction, in the listed order. Ids outside the reviewer's scope are refused without telling anything about
them. 直接不通过 stays one at a time (views.reject).
"""

import uuid

from django import forms
from django.shortcuts import render
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_POST

from kechuang.filings.models import Filing

from . import transitions
from .forms import OPINION_MAX_LENGTH, OPINION_REQUIRED, TOO_LONG
from .views import reviewer_required

MAX_BULK = 100
OTHERS_DID_IT = gettext_lazy("已被其他审核人处理")
OUT_OF_SCOPE = gettext_lazy("不在您的待审核范围内")


class BulkForm(forms.Form):
    APPROVE = "approve"
    RETURN = "return"

    decision = forms.ChoiceField(
        label=gettext_lazy("批量操作"),
        choices=[(APPROVE, gettext_lazy("批量通过")), (RETURN, gettext_lazy("批量退回"))],
        error_messages={"required": gettext_lazy("请选择“批量通过”或“批量退回”。")},
    )
    opinion = forms.CharField(
        label=gettext_lazy("审核意见"),
        required=False,
        max_length=OPINION_MAX_LENGTH,
        error_messages=TOO_LONG,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=gettext_lazy("批量退回时必填，批量通过时选填；同一意见用于所选的每个平台。"),
    )

    def __init__(self, data, *args, **kwargs):
        super().__init__(data, *args, **kwargs)
        self.ids = []
        self.versions = {}
        self.id_error = None
        raw = data.getlist("ids") if data is not None else []
        if data is not None and data.get("all_on_page"):
            raw = raw + data.getlist("page_ids")
        seen = set()
        for value in raw:
            try:
                key = uuid.UUID(str(value))
            except ValueError:
                self.id_error = _("所选平台的编号无效，请刷新页面后重新选择。")
                continue
            if key not in seen:
                seen.add(key)
                self.ids.append(key)
            version = data.get(f"version-{key}")
            if version is not None:
                # A malformed version can match nothing: the filing is then reported as moved, never decided.
                self.versions[key] = int(version) if version.isdigit() and len(version) < 10 else 0
        if not self.ids and not self.id_error:
            self.id_error = _("请至少勾选一个平台。")
        elif len(self.ids) > MAX_BULK:
            self.id_error = _("一次最多批量处理 %(max)d 个平台，您选择了 %(count)d 个。") % {
                "max": MAX_BULK,
                "count": len(self.ids),
            }

    def clean(self):
        cleaned = super().clean()
        cleaned["opinion"] = (cleaned.get("opinion") or "").strip()
        if cleaned.get("decision") == self.RETURN and not cleaned["opinion"]:
            self.add_error("opinion", OPINION_REQUIRED)
        if self.id_error:
            raise forms.ValidationError(self.id_error)
        return cleaned


def _in_listed_order(queryset, ids):
    by_id = {filing.public_id: filing for filing in queryset.filter(public_id__in=ids)}
    return [by_id.get(key) for key in ids]


@require_POST
@reviewer_required
def bulk(request):
    """The confirmation (first POST) and the execution (POST with ``confirmed``) of a bulk decision."""
    user = request.user
    form = BulkForm(request.POST)
    context = {"menu_current": "review", "form": form, "max_bulk": MAX_BULK}
    if not form.is_valid():
        return render(request, "review/bulk_confirm.html", {**context, "filings": []}, status=400)
    decision = form.cleaned_data["decision"]
    context["decision_label"] = dict(form.fields["decision"].choices)[decision]
    if not request.POST.get("confirmed"):
        waiting = _in_listed_order(
            Filing.objects.actionable_by(user).select_related("stage", "unit", "owner"), form.ids
        )
        filings = [filing for filing in waiting if filing is not None]
        context.update(filings=filings, ignored=len(waiting) - len(filings))
        return render(request, "review/bulk_confirm.html", context, status=200 if filings else 409)

    verb = transitions.approve if decision == BulkForm.APPROVE else transitions.return_
    visible = _in_listed_order(Filing.objects.visible_to(user).select_related("stage", "unit"), form.ids)
    results = []
    for key, filing in zip(form.ids, visible, strict=True):
        if filing is None:
            results.append({"filing": None, "ok": False, "reason": OUT_OF_SCOPE})
            continue
        try:
            moved = verb(filing, user, form.cleaned_data["opinion"], expected_version=form.versions.get(key))
        except transitions.TransitionError as exc:
            results.append({"filing": filing, "ok": False, "reason": _reason(user, filing, key, form, exc)})
            continue
        results.append({"filing": moved, "ok": True, "reason": moved.stage_label})
    succeeded = sum(1 for result in results if result["ok"])
    context.update(results=results, succeeded=succeeded, failed=len(results) - succeeded)
    return render(request, "review/bulk_result.html", context)


def _reason(user, filing, key, form, exc):
    """The refusal as the result table shows it: "已被其他审核人处理" when the filing moved since it was shown
    (decided by a colleague, withdrawn …), otherwise the transition's own message (限额, 审核截止 …)."""
    still = Filing.objects.actionable_by(user).filter(pk=filing.pk)
    if key in form.versions:
        still = still.filter(version=form.versions[key])
    return exc.message if still.exists() else OTHERS_DID_IT
