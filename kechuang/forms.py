from django import forms
from django.db.models.fields import BLANK_CHOICE_DASH
from django.forms.renderers import TemplatesSetting
from django.utils.translation import gettext_lazy as _

# The empty choice of every select, as the manual's screenshots show it (never Django's "---------").
PLEASE_CHOOSE = _("...请选择...")
_DJANGO_BLANK_LABEL = BLANK_CHOICE_DASH[0][1]


def please_choose(widget):
    """Relabel the empty choice of a select's context: Django's default blank label (model fields with
    choices, ModelChoiceField's ``empty_label``, the admin's action select) or no label at all becomes
    PLEASE_CHOOSE. A filter's own empty choice ("全部…") is left as it is."""
    for _group, options, _index in widget.get("optgroups", ()):
        for option in options:
            if option.get("value") in ("", None) and option.get("label") in (_DJANGO_BLANK_LABEL, ""):
                option["label"] = PLEASE_CHOOSE


class FormRenderer(TemplatesSetting):
    """One project renderer: every form renders through kechuang/templates/forms/ (label, help, errors), and
    every select's empty choice reads "...请选择..." (the widgets are rendered here, the admin's too)."""

    form_template_name = "forms/div.html"
    field_template_name = "forms/field.html"

    def render(self, template_name, context, request=None):
        widget = context.get("widget") if isinstance(context, dict) else None
        if isinstance(widget, dict):
            please_choose(widget)
        return super().render(template_name, context, request)


class VersionField(forms.IntegerField):
    """The ``version`` of the filing a form was loaded with (Q2): a positive integer, hidden. A save or a
    move compares it with the stored one, so a stale browser tab changes nothing."""

    widget = forms.HiddenInput

    def __init__(self, **kwargs):
        super().__init__(min_value=1, **kwargs)


def parse_version(value):
    """The version a POST carried; None when it is missing or malformed (the view answers 400)."""
    try:
        return VersionField().clean(value)
    except forms.ValidationError:
        return None
