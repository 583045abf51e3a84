"""The filters of 统计分析: business, 申报批次 (season) and year of the first 上报."""

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from kechuang.workflow.models import Business, Season

from .service import filter_key
from .tables import FIRST_YEAR


def year_choices():
    return [("", _("全部年度"))] + [
        (str(year), str(year)) for year in range(timezone.localdate().year + 1, FIRST_YEAR - 1, -1)
    ]


class StatisticsFilterForm(forms.Form):
    business = forms.ModelChoiceField(
        label=_("业务"),
        queryset=Business.objects.only("pk", "name"),
        required=False,
        empty_label=_("全部业务"),
        error_messages={"invalid_choice": _("请选择列表中的业务。")},
    )
    season = forms.ModelChoiceField(
        label=_("申报批次"),
        queryset=Season.objects.select_related("business").order_by("-year", "-period_start"),
        required=False,
        empty_label=_("全部批次"),
        error_messages={"invalid_choice": _("请选择列表中的申报批次。")},
    )
    year = forms.TypedChoiceField(
        label=_("首次上报年度"),
        choices=year_choices,
        coerce=int,
        empty_value=None,
        required=False,
        error_messages={"invalid_choice": _("请选择列表中的年度。")},
    )

    def filter(self, queryset):
        """``queryset`` narrowed by the valid filters (invalid ones are ignored: the form shows why)."""
        data = self.cleaned_data if self.is_valid() else {}
        if data.get("business"):
            queryset = queryset.filter(business=data["business"])
        if data.get("season"):
            queryset = queryset.filter(season=data["season"])
        if data.get("year"):
            queryset = queryset.filter(first_submitted_at__year=data["year"])
        return queryset

    def key(self):
        """The filters as part of a cache key."""
        data = self.cleaned_data if self.is_valid() else {}
        business, season = data.get("business"), data.get("season")
        return filter_key(business and business.pk, season and season.pk, data.get("year"))

    def query_string(self):
        data = self.cleaned_data if self.is_valid() else {}
        params = {}
        if data.get("business"):
            params["business"] = data["business"].pk
        if data.get("season"):
            params["season"] = data["season"].pk
        if data.get("year"):
            params["year"] = data["year"]
        return params
