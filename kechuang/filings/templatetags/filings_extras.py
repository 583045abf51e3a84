"""Small display helpers for filing templates."""

from django import template

from kechuang.filings.models import Industry

register = template.Library()
_INDUSTRY_LABELS = dict(Industry.choices)


@register.filter
def filesize(size):
    """Bytes as the manual shows them: "1.0MB"; below 1 MB in KB ("12.3KB")."""
    size = int(size or 0)
    if size >= 1024 * 1024:
        return f"{size / (1024 * 1024):.1f}MB"
    return f"{max(size, 1) / 1024:.1f}KB"


@register.filter
def industry_labels(codes):
    """所属产业领域 codes → their Chinese labels, in the stored order."""
    return [str(_INDUSTRY_LABELS[code]) for code in codes or () if code in _INDUSTRY_LABELS]


@register.filter
def country_names(countries):
    return [country.name for country in countries or ()]
