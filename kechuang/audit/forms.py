from django import forms
from django.utils.translation import gettext_lazy as _

from .models import EventKind


class ExportForm(forms.Form):
    """Optional filters of the CSV export (all optional: no filter exports the whole log)."""

    kind = forms.ChoiceField(
        label=_("事件类型"), choices=[("", _("全部")), *EventKind.choices], required=False
    )
    since = forms.DateField(label=_("开始日期"), required=False)
    until = forms.DateField(label=_("结束日期"), required=False)
    username = forms.CharField(label=_("账号"), max_length=150, required=False)

    def clean(self):
        data = super().clean()
        if data.get("since") and data.get("until") and data["since"] > data["until"]:
            raise forms.ValidationError(_("开始日期不能晚于结束日期。"))
        return data
