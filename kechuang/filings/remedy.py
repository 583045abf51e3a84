"""删除 in 待上报平台 (F10 amended, issue 12): the manual's remedy for a wrong 负责人, in every state.

A filing never submitted is erased (services.delete_filing, URL filings:delete); a returned or withdrawn one is
voided (review.transitions.void, URL review:void): it keeps its 备案编号 and 流转记录 but leaves every list. What
the confirmation and the hints on 填写说明 and 平台人员 say depends on that and on whether the 申报期 is still
open for a new filing (after it, re-filing is no longer possible this season).
"""

from django.urls import reverse
from django.utils.translation import gettext as _

from kechuang.workflow.seasons import open_season

from .models import EDITABLE_STATUSES


def refiling_open(filing):
    """Whether the 负责人 could still 在线申报 a new filing of this business today (the unit's 申报期 is open)."""
    return open_season(filing.business, filing.unit) is not None


def is_voidable(filing):
    return filing.status in EDITABLE_STATUSES and filing.first_submitted_at is not None


def delete_url(filing):
    """Where 删除 of this filing goes: erase (never submitted) or void (submitted before)."""
    if is_voidable(filing):
        return reverse("review:void", kwargs={"public_id": filing.public_id})
    return reverse("filings:delete", kwargs={"public_id": filing.public_id})


def delete_question(filing):
    """The confirmation of 删除, saying what will happen to this filing."""
    if is_voidable(filing):
        text = _(
            "确定要删除平台备案“%(name)s”吗？删除后它不再出现在任何列表中，也不能恢复或再次上报；"
            "其备案编号和流转记录仍保留备查。"
        ) % {"name": filing}
    else:
        text = _("确定要删除平台备案“%(name)s”吗？其全部内容和附件都将被删除，且不能恢复。") % {
            "name": filing
        }
    if not refiling_open(filing):
        text += _("申报期已结束，删除后本申报期内不能再重新申报。")
    return text


def hint_context(filing):
    """For the hints on 填写说明 and 平台人员 (filings/_owner_remedy.html)."""
    return {"remedy_refiling_open": refiling_open(filing), "remedy_voids": is_voidable(filing)}
