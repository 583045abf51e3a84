"""What 上报 requires (F9): every missing or invalid item, each with the tab where it is fixed."""

from dataclasses import dataclass

from django.utils.translation import gettext as _

from .models import CONTENT_MAX_LENGTH, AttachmentKind
from .uploads import KIND_RULES

REQUIRED_ATTACHMENTS = tuple(kind for kind, rule in KIND_RULES.items() if rule.required)


@dataclass(frozen=True)
class Problem:
    tab: str  # the tab's slug in the filing form, e.g. "basic"
    message: str


def missing_items(filing):
    problems = []

    def need(tab, ok, message):
        if not ok:
            problems.append(Problem(tab, message))

    partner_countries = set(filing.partners.values_list("country", flat=True))
    chosen = [c.code for c in (filing.main_country, filing.second_country, *filing.other_countries) if c]

    need("basic", filing.name.strip(), _("请填写“平台名称”。"))
    need("basic", filing.unit_name, _("请点击“依托单位”右侧的“数据同步”。"))
    need("basic", filing.cooperation_category_id, _("请选择“合作类别”。"))
    need("basic", filing.main_country, _("请选择“主要合作国别”。"))
    need("basic", set(chosen) <= partner_countries, _("所选国别必须来自海外合作伙伴列表。"))
    need("basic", len(chosen) == len(set(chosen)), _("“主要合作国别”“第二关键国别”“其他国别”不能重复。"))
    need("basic", filing.industries, _("请至少选择一个“所属产业领域”。"))
    need("members", filing.owner_name and filing.owner_id_number, _("请点击“负责人”右侧的“数据同步”。"))
    need("cooperation", partner_countries, _("请至少添加一个海外合作伙伴。"))
    for field in ("basic_situation", "cooperation_basis", "goals_and_tasks", "conditions"):
        value = getattr(filing, field).strip()
        label = filing._meta.get_field(field).verbose_name
        need("content", value, _("请填写“%(section)s”。") % {"section": label})
        need(
            "content",
            len(value) <= CONTENT_MAX_LENGTH,
            _("“%(section)s”不能超过%(limit)d字。") % {"section": label, "limit": CONTENT_MAX_LENGTH},
        )
    present = set(filing.attachments.values_list("kind", flat=True))
    for kind in REQUIRED_ATTACHMENTS:
        need(
            "attachments", kind in present, _("请上传附件“%(kind)s”。") % {"kind": AttachmentKind(kind).label}
        )
    return problems
