"""``{% review_pacing %}`` above 待审核平台: 审核截止 and 推荐限额 of the reviewer's current seasons (review.pacing)."""

from django import template

from kechuang.review import pacing

register = template.Library()


@register.inclusion_tag("review/_pacing.html", takes_context=True)
def review_pacing(context):
    return {"pacings": pacing.for_reviewer(context["request"].user)}
