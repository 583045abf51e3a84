from django.forms.renderers import TemplatesSetting


class FormRenderer(TemplatesSetting):
    """One project renderer: every form renders through kechuang/templates/forms/ (label, help, errors)."""

    form_template_name = "forms/div.html"
    field_template_name = "forms/field.html"
