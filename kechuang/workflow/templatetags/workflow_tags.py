"""``{% resubmit_until filing as day %}``: the last day a returned filing may be resubmitted (F9 amended)."""

from django import template

from kechuang.workflow import seasons
from kechuang.workflow.models import data_label

register = template.Library()


@register.simple_tag
def resubmit_until(filing):
    """None unless the filing is 退回修改 with a season; a few queries, for one filing's page only."""
    if filing.status != "returned" or not filing.return_stage_id or not filing.season_id:
        return None
    return seasons.resubmit_until(filing.season, filing.return_stage, filing.unit)


@register.filter(name="data_label")
def data_label_filter(text):
    """``{{ record.to_status|data_label }}``: a stored 流程阶段 or stage name in the active language (models.data_label)."""
    return data_label(text)
