"""Who may do what: every rule of the system, by name, in one place (django-rules).

Code in any layer asks ``rules.test_rule("can_edit", user, filing)``, templates ``{% test_rule "can_edit" user
filing as can_edit %}``, and the access matrix (tests/security) checks the pages they guard. Asking by name
needs no import of this module, so the apps below it stay unaware of it. These are *rules*, not Django
permissions: a superuser passes none of them by default (三员分立: administrators do not decide filings).

"What may this person see" is the queryset side of the same rules: ``Filing.objects.visible_to`` and
``actionable_by`` in kechuang/filings/models.py; ``can_view`` and ``can_decide`` are those querysets asked
about one filing.
"""

import rules

from kechuang.accounts.models import Role
from kechuang.filings.models import EDITABLE_STATUSES, Filing, Status
from kechuang.workflow.models import Action

# --- who the person is -------------------------------------------------------------------------------------


@rules.predicate
def is_active(user):
    return bool(user and user.is_authenticated and user.is_active)


@rules.predicate
def is_applicant(user):
    return user.role == Role.APPLICANT


@rules.predicate
def is_unit_admin(user):
    return user.role == Role.UNIT_ADMIN


@rules.predicate
def is_reviewer(user):
    return user.role in (Role.UNIT_ADMIN, Role.DEPARTMENT_REVIEWER, Role.PROVINCE_REVIEWER)


@rules.predicate
def is_province_reviewer(user):
    return user.role == Role.PROVINCE_REVIEWER


# --- the person and one filing -----------------------------------------------------------------------------


@rules.predicate
def is_owner(user, filing):
    return filing.owner_id == user.pk


@rules.predicate
def is_editable(user, filing):
    return filing.status in EDITABLE_STATUSES


@rules.predicate
def never_submitted(user, filing):
    return filing.status == Status.DRAFT and filing.first_submitted_at is None


@rules.predicate
def returned_or_withdrawn(user, filing):
    """In 待上报平台 after a first 上报: 退回修改, or 撤销'd back to 填报中 (F10 amended: 删除 voids it)."""
    return filing.status in EDITABLE_STATUSES and filing.first_submitted_at is not None


@rules.predicate
def untouched_since_submit(user, filing):
    """W7: the stage it waits at has not acted since the 上报. Reads ``filing.last_action`` when the list
    annotated it (review.transitions.with_last_action); otherwise one query."""
    if filing.status != Status.IN_REVIEW:
        return False
    if hasattr(filing, "last_action"):
        last = filing.last_action
    else:
        last = filing.flow_records.order_by("-created_at", "-id").values_list("action", flat=True).first()
    return last == Action.SUBMIT


@rules.predicate
def is_filing_owner(user, filing):
    """The person is the filing's 负责人: its owner, or the same 证件号码 (and type) as its 负责人 snapshot."""
    if filing.owner_id == user.pk:
        return True
    number = (user.id_number or "").strip().upper()
    if not number or number != (filing.owner_id_number or "").strip().upper():
        return False
    return not filing.owner_id_type or filing.owner_id_type == user.id_type


@rules.predicate
def is_visible(user, filing):
    return Filing.objects.visible_to(user).filter(pk=filing.pk).exists()


@rules.predicate
def waits_for_user(user, filing):
    return Filing.objects.actionable_by(user).filter(pk=filing.pk).exists()


# --- the rules ---------------------------------------------------------------------------------------------

rules.add_rule("is_applicant", is_active & is_applicant)
rules.add_rule("is_unit_admin", is_active & is_unit_admin)
rules.add_rule("is_reviewer", is_active & is_reviewer)
rules.add_rule("is_province_reviewer", is_active & is_province_reviewer)
# 在线申报 (F1): only a personal account files.
rules.add_rule("can_file", is_active & is_applicant)
# The tabs, their parts, attachments and 数据同步 (F2–F8): the 负责人, while the filing is a draft or returned.
rules.add_rule("can_edit", is_active & is_owner & is_editable)
# 删除 (F10): the owner, before the first 上报 (afterwards its 流转记录 must stay).
rules.add_rule("can_delete", is_active & is_owner & never_submitted)
# 删除 of a returned or withdrawn filing (F10 amended, issue 12): the owner; review.transitions.void voids it.
rules.add_rule("can_void", is_active & is_owner & returned_or_withdrawn)
# 撤销 (W7): the owner, while the waiting stage has not acted.
rules.add_rule("can_withdraw", is_active & is_owner & untouched_since_submit)
# 通过 / 退回 / 直接不通过 (W4, W5): a reviewer of the stage it waits at, within their scope (W9), never of a
# filing they lead themselves (issue 11).
rules.add_rule("can_decide", is_active & is_reviewer & waits_for_user & ~is_filing_owner)
# 查看, 流转记录 (F11, F12, W9).
rules.add_rule("can_view", is_active & is_visible)
rules.add_rule("is_filing_owner", is_filing_owner)

# --- documents (issue 13): 导出Excel and 推荐汇总表 --------------------------------------------------------


@rules.predicate
def passes_to_province(user):
    """A 主管部门, or the administrator of a unit whose filings go straight to the province."""
    if user.role == Role.DEPARTMENT_REVIEWER:
        return bool(user.department_id)
    return user.role == Role.UNIT_ADMIN and bool(user.unit_id) and user.unit.skip_department_review


# 导出Excel of the review lists: every reviewer, for exactly their list's scope.
rules.add_rule("can_export_list", is_active & is_reviewer)
# 推荐汇总表: what the organisation passed to the province.
rules.add_rule("can_recommend_summary", is_active & passes_to_province)

# --- 三员分立 (issue 11): the three administrators -------------------------------------------------------------


@rules.predicate
def is_staff_account(user):
    return bool(user.is_staff)


@rules.predicate
def is_system_admin(user):
    return user.role == Role.SYSTEM_ADMIN


@rules.predicate
def is_security_admin(user):
    return user.role == Role.SECURITY_ADMIN


@rules.predicate
def is_audit_admin(user):
    return user.role == Role.AUDIT_ADMIN


rules.add_rule("is_system_admin", is_active & is_staff_account & is_system_admin)
rules.add_rule("is_security_admin", is_active & is_staff_account & is_security_admin)
rules.add_rule("is_audit_admin", is_active & is_staff_account & is_audit_admin)
# The audit log (view and export): the 审计管理员 only — not the 系统管理员, not the 安全管理员.
rules.add_rule("can_read_audit_log", is_active & is_staff_account & is_audit_admin)

# --- 统计分析 and 公示 (issue 15) ---------------------------------------------------------------------------
# 统计分析: every reviewer (province, 主管部门, unit administrator), each counting only visible_to's filings.
rules.add_rule("can_view_statistics", is_active & is_reviewer)
# 公示: the province publishes batches, handles objections and sends a filing back (公示退回).
rules.add_rule("can_manage_publicity", is_active & is_province_reviewer)
