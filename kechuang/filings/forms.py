"""One ModelForm per tab (explicit fields) plus the forms of the filing's parts (STYLE 8).

保存 never requires completeness (F2): fields may stay empty here and 上报 checks them (completeness.py). What is
entered must be valid, though: unknown choices, a country outside the 海外合作伙伴列表, a repeated country, an
over-long text are refused with a field error.
"""

from django import forms
from django.core.validators import RegexValidator
from django.db.models import Q
from django.utils import timezone
from django.utils.html import escape
from django.utils.safestring import mark_safe
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext

from kechuang import countries
from kechuang.forms import PLEASE_CHOOSE

from .models import (
    CONTENT_MAX_LENGTH,
    CooperationCategory,
    Filing,
    Industry,
    JointProject,
    JointResult,
    Member,
    OverseasPartner,
)
from .services import FilingEditError, check_partner_removal

phone_validator = RegexValidator(r"^[0-9+()\- ]{5,30}$", _("请输入有效的电话号码（数字，可含区号和“-”）。"))


class DateInput(forms.DateInput):
    input_type = "date"

    def __init__(self, attrs=None):
        super().__init__(attrs, format="%Y-%m-%d")


def not_in_future(value):
    if value and value > timezone.localdate():
        raise forms.ValidationError(_("日期不能晚于今天。"))


class TabForm(forms.ModelForm):
    """A tab of the filing form. ``changes()`` gives the columns 保存 writes in its conditional UPDATE."""

    def changes(self):
        opts = self.instance._meta
        return {
            opts.get_field(name).attname: getattr(self.instance, opts.get_field(name).attname)
            for name in self._meta.fields
        }


class BasicForm(TabForm):
    """基本信息 (F4). The 国别 choices are the countries of this filing's 海外合作伙伴列表, nothing else."""

    main_country = forms.ChoiceField(label=_("主要合作国别"), required=False)
    second_country = forms.ChoiceField(label=_("第二关键国别"), required=False)
    other_countries = forms.MultipleChoiceField(
        label=_("其他国别"), required=False, widget=forms.CheckboxSelectMultiple
    )
    industries = forms.MultipleChoiceField(
        label=_("所属产业领域"),
        choices=Industry.choices,
        required=False,
        widget=forms.CheckboxSelectMultiple,
        help_text=_("至少选择一项（上报时检查）。"),
    )
    contact_phone = forms.CharField(
        label=_("联系电话"), required=False, max_length=30, validators=[phone_validator]
    )

    class Meta:
        model = Filing
        fields = [
            "name",
            "cooperation_category",
            "main_country",
            "second_country",
            "other_countries",
            "industries",
            "address",
            "founded_on",
            "contact_name",
            "contact_phone",
        ]
        widgets = {"founded_on": DateInput()}

    def __init__(self, *args, partner_countries=(), **kwargs):
        super().__init__(*args, **kwargs)
        choices = [(code, countries.name(code)) for code in countries.sort_codes(set(partner_countries))]
        self.fields["main_country"].choices = [("", PLEASE_CHOOSE), *choices]
        self.fields["second_country"].choices = [("", PLEASE_CHOOSE), *choices]
        self.fields["other_countries"].choices = choices
        hint = _("可选国别来自“合作情况(近二年)”的海外合作伙伴列表。")
        if not choices:
            hint = _("请先在“合作情况(近二年)”中添加海外合作伙伴，再选择国别。")
        self.fields["main_country"].help_text = hint
        self.fields["other_countries"].help_text = _("可多选。") if choices else hint
        category = self.fields["cooperation_category"]
        category.queryset = CooperationCategory.objects.filter(
            Q(active=True) | Q(pk=self.instance.cooperation_category_id)
        )
        category.empty_label = PLEASE_CHOOSE
        self.fields["founded_on"].validators.append(not_in_future)
        if self.instance.pk and not self.is_bound:
            self.initial["main_country"] = self.instance.main_country.code or ""
            self.initial["second_country"] = self.instance.second_country.code or ""
            self.initial["other_countries"] = [c.code for c in self.instance.other_countries]

    def clean_industries(self):
        chosen = set(self.cleaned_data["industries"])
        return [value for value in Industry.values if value in chosen]

    def clean(self):
        """The three country choices never repeat a country (F4)."""
        data = super().clean()
        main, second = data.get("main_country"), data.get("second_country")
        others = data.get("other_countries") or []
        if main and second and main == second:
            self.add_error("second_country", _("“第二关键国别”不能与“主要合作国别”相同。"))
        repeated = [c for c in others if c in (main, second)]
        if repeated:
            names = pgettext("list separator", "、").join(countries.name(c) for c in repeated)
            self.add_error(
                "other_countries",
                _("“其他国别”不能包含已选为主要合作国别或第二关键国别的国家：%(names)s。") % {"names": names},
            )
        return data


class CooperationCountsForm(TabForm):
    """合作情况(近二年): the two counts beside the lists (F6)."""

    class Meta:
        model = Filing
        fields = ["exchange_visits", "joint_training"]


class ContentField(forms.CharField):
    """A 内容说明 section. Line breaks count as one character, as the browser's counter shows them."""

    def __init__(self, **kwargs):
        super().__init__(
            max_length=CONTENT_MAX_LENGTH,
            required=False,
            widget=forms.Textarea(attrs={"rows": 10, "data-char-count": ""}),
            **kwargs,
        )

    def to_python(self, value):
        value = super().to_python(value)
        return value.replace("\r\n", "\n").replace("\r", "\n")


class ContentForm(TabForm):
    """内容说明 (F7): four long texts, each at most CONTENT_MAX_LENGTH characters."""

    basic_situation = ContentField(label=_("平台基本情况"))
    cooperation_basis = ContentField(label=_("国际合作基础"))
    goals_and_tasks = ContentField(label=_("合作目标与任务"))
    conditions = ContentField(label=_("条件保障"))

    class Meta:
        model = Filing
        fields = ["basic_situation", "cooperation_basis", "goals_and_tasks", "conditions"]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        for name, field in self.fields.items():
            field.widget.attrs["aria-describedby"] = f"id_{name}_count"


TAB_FORMS = {"basic": BasicForm, "cooperation": CooperationCountsForm, "content": ContentForm}


# --- the parts of a filing ---------------------------------------------------------------------------------


class PartForm(forms.ModelForm):
    def __init__(self, *args, filing=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.filing = filing


class MemberForm(PartForm):
    birth_month = forms.DateField(
        label=_("出生年月"),
        required=False,
        input_formats=["%Y-%m", "%Y-%m-%d", "%Y/%m"],
        widget=forms.DateInput(attrs={"type": "month", "placeholder": "YYYY-MM"}, format="%Y-%m"),
        validators=[not_in_future],
    )

    class Meta:
        model = Member
        fields = ["name", "gender", "birth_month", "title", "education", "major", "task"]

    def clean_birth_month(self):
        value = self.cleaned_data["birth_month"]
        return value.replace(day=1) if value else value


def foreign_countries(keep=None):
    """海外 partners: every ISO 3166 country except China itself, in pinyin order, then the group 地区 (中国香港,
    中国澳门, 中国台湾) when the setting offers it — or when ``keep`` (the partner's saved code) is one of them."""
    regions = countries.offer_regions() or keep in countries.CHINESE_REGIONS
    return countries.choices(regions=regions)


class LongSelect(forms.Select):
    """A <select> of a few hundred options (国别) written in Python: Django's select.html renders one template
    include per option, several times slower (docs/performance.md). Same markup, <optgroup>s included; options
    carry no attribute but ``selected`` (Select.create_option adds no other). ``data-filter`` lets site.js add
    a type-to-filter box above it (the plain select works without JavaScript)."""

    template_name = "forms/widgets/long_select.html"

    def get_context(self, name, value, attrs):
        context = super().get_context(name, value, attrs)
        # escape() each value and label, then one join (format_html() per option cost as much as the template).
        parts = []
        for group, group_options, _index in context["widget"]["optgroups"]:
            if group is not None:
                parts.append(f'<optgroup label="{escape(group)}">')
            parts.extend(
                f'<option value="{escape(option["value"])}"{" selected" if option["selected"] else ""}>'
                f"{escape(option['label'])}</option>"
                for option in group_options
            )
            if group is not None:
                parts.append("</optgroup>")
        context["widget"]["options_html"] = mark_safe("".join(parts))  # noqa: S308 - every value is escaped
        return context


class PartnerForm(PartForm):
    country = forms.ChoiceField(
        label=countries.FIELD_LABEL, widget=LongSelect(attrs={"data-filter": countries.FILTER_LABEL})
    )

    class Meta:
        model = OverseasPartner
        fields = ["country", "name_zh", "name_original", "partner_type", "started_on", "content"]
        widgets = {"started_on": DateInput(), "content": forms.Textarea(attrs={"rows": 3})}

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.original_country = self.instance.country.code if self.instance.pk else None
        self.fields["country"].choices = [("", PLEASE_CHOOSE), *foreign_countries(self.original_country)]
        self.fields["started_on"].validators.append(not_in_future)
        if self.instance.pk and not self.is_bound:
            self.initial["country"] = self.original_country

    def clean_country(self):
        """F6: changing away the 国别 that 基本信息 relies on is refused like deleting the partner."""
        code = self.cleaned_data["country"]
        if self.original_country and code != self.original_country:
            original = OverseasPartner.objects.get(pk=self.instance.pk)
            try:
                check_partner_removal(self.filing, original)
            except FilingEditError as error:
                raise forms.ValidationError(error.message) from None
        return code


class JointProjectForm(PartForm):
    class Meta:
        model = JointProject
        fields = ["name", "partner", "started_on", "ended_on", "funding"]
        widgets = {"started_on": DateInput(), "ended_on": DateInput()}

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["funding"].min_value = 0
        self.fields["funding"].widget.attrs["min"] = 0

    def clean_funding(self):
        value = self.cleaned_data["funding"]
        if value is not None and value < 0:
            raise forms.ValidationError(_("经费不能为负数。"))
        return value

    def clean(self):
        data = super().clean()
        start, end = data.get("started_on"), data.get("ended_on")
        if start and end and end < start:
            self.add_error("ended_on", _("结束时间不能早于起始时间。"))
        return data


class JointResultForm(PartForm):
    class Meta:
        model = JointResult
        fields = ["title", "kind", "published_on"]
        widgets = {"published_on": DateInput()}

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["published_on"].validators.append(not_in_future)
