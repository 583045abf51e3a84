"""The access matrix (W9, 等保2.0 访问控制): expected HTTP status per URL × persona × filing state.

Letters:  2 = 200   R = redirect (the action happened / the page moved on)   L = redirect to the login page
          A = redirect to the admin login   B = 400   F = 403   N = 404   M = 405   C = 409
Filing rows give one letter per state, in the order of STATES; a single letter means the same in every state.
Columns are the personas, in the order of PERSONAS. ``None`` means the method is not checked (a plain page).

Every filing is zhangsan's (示例科技大学, 主管部门 黑龙江省教育厅): lisi is another applicant of the same unit,
wangwu an applicant of another unit, sldx_admin the own unit's administrator, xcl_admin another unit's,
edu_reviewer the in-scope department, hrb_reviewer an out-of-scope department, kjt_reviewer the province.
"""

from dataclasses import dataclass

PERSONAS = (
    "anon",
    "zhangsan",
    "lisi",
    "wangwu",
    "sldx_admin",
    "xcl_admin",
    "edu_reviewer",
    "hrb_reviewer",
    "kjt_reviewer",
    "admin",
)
# draft: never submitted; s1/s2/s3: waiting at 申报单位审核 / 主管部门审核 / 省科技厅审核;
# returned: 退回修改 by the department (stage 2); done: 平台：完成.
STATES = ("draft", "s1", "s2", "s3", "returned", "done")

# Who may see which filing (visible_to), the oracle of the leak checks: Y = may see it.
VISIBLE = {
    "anon": "------",
    "zhangsan": "YYYYYY",
    "lisi": "------",
    "wangwu": "------",
    "sldx_admin": "YYYYYY",
    "xcl_admin": "------",
    "edu_reviewer": "-YYYYY",
    "hrb_reviewer": "------",
    "kjt_reviewer": "-YYYYY",
    "admin": "-YYYYY",
}


@dataclass(frozen=True)
class Row:
    get: tuple | None
    post: tuple | None = None


def row(get, post=None):
    for codes in (get, post):
        assert codes is None or len(codes) == len(PERSONAS)
    return Row(get, post)


#                   anon      zhangsan  lisi wangwu sldx_admin xcl   edu       hrb  kjt       admin
FILING_ROWS = {
    "filings:view": row(
        ("L", "222222", "N", "N", "222222", "N", "N22222", "N", "N22222", "N22222"),
    ),
    "filings:edit": row(
        ("L", "2RRR2R", "N", "N", "N", "N", "N", "N", "N", "N"),
        ("L", "RFFFRF", "N", "N", "N", "N", "N", "N", "N", "N"),
    ),
    "review:submit": row(
        ("L", "M", "M", "M", "M", "M", "M", "M", "M", "M"),
        ("L", "RBBBRB", "N", "N", "N", "N", "N", "N", "N", "N"),
    ),
    "filings:delete": row(
        ("L", "222222", "N", "N", "N", "N", "N", "N", "N", "N"),
        ("L", "RFFFFF", "N", "N", "N", "N", "N", "N", "N", "N"),
    ),
    "filings:sync_unit": row(
        ("L", "M", "M", "M", "M", "M", "M", "M", "M", "M"),
        ("L", "RFFFRF", "N", "N", "N", "N", "N", "N", "N", "N"),
    ),
    "filings:sync_owner": row(
        ("L", "M", "M", "M", "M", "M", "M", "M", "M", "M"),
        ("L", "RFFFRF", "N", "N", "N", "N", "N", "N", "N", "N"),
    ),
    "filings:part_add": row(
        ("L", "M", "M", "M", "M", "M", "M", "M", "M", "M"),
        ("L", "RFFFRF", "N", "N", "N", "N", "N", "N", "N", "N"),
    ),
    "filings:part_edit": row(
        ("L", "2RRR2R", "N", "N", "N", "N", "N", "N", "N", "N"),
        ("L", "RFFFRF", "N", "N", "N", "N", "N", "N", "N", "N"),
    ),
    "filings:part_delete": row(
        ("L", "2RRR2R", "N", "N", "N", "N", "N", "N", "N", "N"),
        ("L", "RFFFRF", "N", "N", "N", "N", "N", "N", "N", "N"),
    ),
    "filings:attachment_add": row(
        ("L", "M", "M", "M", "M", "M", "M", "M", "M", "M"),
        ("L", "RFFFRF", "N", "N", "N", "N", "N", "N", "N", "N"),
    ),
    "filings:attachment": row(
        ("L", "222222", "N", "N", "222222", "N", "N22222", "N", "N22222", "N22222"),
        ("L", "M", "M", "M", "M", "M", "M", "M", "M", "M"),
    ),
    "filings:attachment_delete": row(
        ("L", "2RRR2R", "N", "N", "N", "N", "N", "N", "N", "N"),
        ("L", "RFFFRF", "N", "N", "N", "N", "N", "N", "N", "N"),
    ),
    "review:decide": row(
        ("L", "F", "F", "F", "N2NNNN", "N", "NN2NNN", "N", "NNN2NN", "F"),
        ("L", "F", "F", "F", "CRCCCC", "N", "NCRCCC", "N", "NCCRCC", "F"),
    ),
    "review:reject": row(
        ("L", "F", "F", "F", "N2NNNN", "N", "NN2NNN", "N", "NNN2NN", "F"),
        ("L", "F", "F", "F", "CRCCCC", "N", "NCRCCC", "N", "NCCRCC", "F"),
    ),
    "review:flow": row(
        ("L", "222222", "N", "N", "222222", "N", "N22222", "N", "N22222", "N22222"),
        ("M", "M", "M", "M", "M", "M", "M", "M", "M", "M"),
    ),
    # 下载备案表 / 下载完整材料: everyone who may see the filing (visible_to), outsiders 404.
    "documents:form": row(
        ("L", "222222", "N", "N", "222222", "N", "N22222", "N", "N22222", "N22222"),
        ("M", "M", "M", "M", "M", "M", "M", "M", "M", "M"),
    ),
    "documents:dossier": row(
        ("L", "222222", "N", "N", "222222", "N", "N22222", "N", "N22222", "N22222"),
        ("M", "M", "M", "M", "M", "M", "M", "M", "M", "M"),
    ),
    # 撤销 asks first (GET: the confirmation, or why it is not possible), then withdraws (issue 12).
    "review:withdraw": row(
        ("L", "222222", "N", "N", "N", "N", "N", "N", "N", "N"),
        ("L", "CRCCCC", "N", "N", "N", "N", "N", "N", "N", "N"),
    ),
    # 删除 of a returned or withdrawn filing voids it (F10 amended); a never-submitted draft is filings:delete's.
    "review:void": row(
        ("L", "222222", "N", "N", "N", "N", "N", "N", "N", "N"),
        ("L", "CCCCRC", "N", "N", "N", "N", "N", "N", "N", "N"),
    ),
}

ALL_200 = ("2",) * 10
ALL_405 = ("M",) * 10
LOGGED_IN_200 = ("L",) + ("2",) * 9
UNIT_ADMINS = ("L", "F", "F", "F", "2", "2", "F", "F", "F", "F")
UNIT_ADMIN_ACTION = ("L", "F", "F", "F", "R", "R", "F", "F", "F", "F")
REVIEWERS = ("L", "F", "F", "F", "2", "2", "2", "2", "2", "F")
PROVINCE = ("L", "F", "F", "F", "F", "F", "F", "F", "2", "F")
PROVINCE_INVALID = ("L", "F", "F", "F", "F", "F", "F", "F", "B", "F")
PROVINCE_ACTION = ("L", "F", "F", "F", "F", "F", "F", "F", "R", "F")

APPLICANT_INVALID = ("L", "B", "B", "B", "F", "F", "F", "F", "F", "F")

#                   anon zhangsan lisi wangwu sldx xcl edu hrb kjt admin
OTHER_ROWS = {
    "portal:home": row(ALL_200, ALL_405),
    "portal:search": row(ALL_200, ALL_405),
    "portal:section": row(ALL_200, ALL_405),
    "portal:notices": row(ALL_200, ALL_405),
    "portal:notice": row(ALL_200, ALL_405),
    # Notices are public, so are their PDF attachments (always a download); so is the 隐私政策 (issue 12).
    "portal:notice_attachment": row(ALL_200, ALL_405),
    "portal:privacy": row(ALL_200, ALL_405),
    "accounts:login": row(ALL_200, ("B",) * 10),
    "accounts:logout": row(ALL_405, ("R",) * 10),
    "accounts:set_language": row(ALL_405, ("R",) * 10),  # 中文 | English; signed in: also kept on the account
    "portal:center": row(LOGGED_IN_200, ALL_405),
    "accounts:profile": row(LOGGED_IN_200, ("L",) + ("R",) * 9),
    "accounts:password_change": row(LOGGED_IN_200, ("L",) + ("B",) * 9),
    "accounts:unit": row(UNIT_ADMINS, ALL_405),
    "accounts:unit_registration": row(UNIT_ADMINS, UNIT_ADMIN_ACTION),
    "accounts:unit_registration_withdraw": row(ALL_405, UNIT_ADMIN_ACTION),
    "accounts:unit_contacts": row(UNIT_ADMINS, UNIT_ADMIN_ACTION),
    "accounts:unit_registration_history": row(UNIT_ADMINS, ALL_405),
    "accounts:unit_contact_history": row(UNIT_ADMINS, ALL_405),
    "filings:mine": row(LOGGED_IN_200),
    "filings:business": row(LOGGED_IN_200),
    "filings:create": row(
        ("L",) + ("M",) * 9,
        ("L", "R", "R", "R", "F", "F", "F", "F", "F", "F"),
    ),
    "review:list": row(REVIEWERS, ALL_405),
    # Issue 14. 批量审核: POST only; an empty selection is a 400 for reviewers. 推荐排序: departments (and units
    # filing straight to the province; the demo's do not) edit, the province reads. 审核时效: the province and the
    # departments. 延期管理: the province only.
    "review:bulk": row(ALL_405, ("L", "F", "F", "F", "B", "B", "B", "B", "B", "F")),
    "review:recommendations": row(
        ("L", "F", "F", "F", "F", "F", "2", "2", "2", "F"), ("L", "F", "F", "F", "F", "F", "B", "R", "F", "F")
    ),
    "review:timeliness": row(("L", "F", "F", "F", "F", "F", "2", "2", "2", "F"), ALL_405),
    "review:extensions": row(PROVINCE, PROVINCE_INVALID),
    "review:notifications": row(LOGGED_IN_200, ALL_405),
    "review:notifications_read": row(ALL_405, ("L",) + ("R",) * 9),
    # zhangsan's own in-site message: everyone else gets 404.
    "review:notification_read": row(ALL_405, ("L", "R", "N", "N", "N", "N", "N", "N", "N", "N")),
    # 开放接口: a web session never authenticates the API (bearer tokens only, tests/api for the token scopes).
    "api:api-root": row(ALL_200, ALL_405),
    "api:docs": row(ALL_200, ALL_405),
    "api:openapi-json": row(ALL_200, ALL_405),
    "api:businesses": row(("401",) * 10, ALL_405),
    "api:filings": row(("401",) * 10, ALL_405),
    "api:filing": row(("401",) * 10, ALL_405),
    "api:flow": row(("401",) * 10, ALL_405),
    "api:statistics": row(("401",) * 10, ALL_405),
    "api:attachment_file": row(("401",) * 10, ALL_405),
    # 统计分析: reviewers of every level, each within its own scope (tests/statistics); charts and downloads too.
    "statistics:index": row(REVIEWERS, ALL_405),
    "statistics:chart": row(REVIEWERS, ALL_405),
    "statistics:csv": row(REVIEWERS, ALL_405),
    "statistics:xlsx": row(REVIEWERS, ALL_405),
    # 公示: public batch page and 提出异议 (its POST is throttled per address, which the matrix's clients
    # share: tests/publicity checks it); the confirmation page only for the browser that objected; the rest
    # for the province only.
    "publicity:batch": row(ALL_200, ALL_405),
    "publicity:object": row(ALL_200),
    "publicity:received": row(("N",) * 10, ALL_405),
    "publicity:manage": row(PROVINCE, ALL_405),
    "publicity:create": row(PROVINCE, PROVINCE_INVALID),
    "publicity:manage_batch": row(PROVINCE, ALL_405),
    "publicity:objection": row(PROVINCE, PROVINCE_INVALID),
    "publicity:objection_file": row(PROVINCE, ALL_405),
    "publicity:send_back": row(ALL_405, PROVINCE_ACTION),
    # 验真 is public; 导出Excel for reviewers; an export job only for the reviewer who started it (kjt);
    # 推荐汇总表 for departments (and units filing straight to the province; the demo's do not).
    "documents:verify": row(ALL_200, ALL_405),
    "documents:review_list_excel": row(REVIEWERS, ALL_405),
    "documents:export_job": row(("L", "N", "N", "N", "N", "N", "N", "N", "2", "N"), ALL_405),
    "documents:export_download": row(("L", "N", "N", "N", "N", "N", "N", "N", "2", "N"), ALL_405),
    "documents:summary": row(("L", "F", "F", "F", "F", "F", "2", "2", "F", "F"), ALL_405),
    "documents:summary_excel": row(("L", "F", "F", "F", "F", "F", "2", "2", "F", "F"), ALL_405),
    "documents:summary_pdf": row(("L", "F", "F", "F", "F", "F", "2", "2", "F", "F"), ALL_405),
    # 单位注册 / 个人注册 / 忘记密码: anonymous pages (signed-in people are sent to the personal center); the
    # reset link of the row is invalid (a page saying so). 单位注册审核: the registration's 主管部门 (hrb) and the
    # 系统管理员; 人员管理: unit administrators, each only for their own unit's people and requests (else 404).
    "registration:unit_register": row(("2",) + ("R",) * 9, ("B",) + ("R",) * 9),
    "registration:person_register": row(("2",) + ("R",) * 9, ("B",) + ("R",) * 9),
    "registration:password_forgot": row(ALL_200, ("B",) * 10),
    "registration:password_forgot_sent": row(ALL_200, ALL_405),
    "registration:password_reset": row(ALL_200, ALL_200),
    "registration:password_reset_done": row(ALL_200, ALL_405),
    "registration:my_registration": row(("L",) + ("N",) * 9, ("L",) + ("N",) * 9),
    "registration:my_certificate": row(("L",) + ("N",) * 9, ALL_405),
    "registration:review_list": row(("L", "F", "F", "F", "F", "F", "2", "2", "F", "2"), ALL_405),
    "registration:review_detail": row(("L", "F", "F", "F", "F", "F", "N", "2", "F", "2"), ALL_405),
    "registration:certificate": row(("L", "F", "F", "F", "F", "F", "N", "2", "F", "2"), ALL_405),
    "registration:approve": row(ALL_405, ("L", "F", "F", "F", "F", "F", "N", "R", "F", "R")),
    "registration:return": row(ALL_405, ("L", "F", "F", "F", "F", "F", "N", "R", "F", "R")),
    "registration:people": row(UNIT_ADMINS, ALL_405),
    "registration:person_action": row(ALL_405, ("L", "F", "F", "F", "R", "N", "F", "F", "F", "F")),
    "registration:transfer_decide": row(ALL_405, ("L", "F", "F", "F", "N", "R", "F", "F", "F", "F")),
    "registration:identity_decide": row(ALL_405, ("L", "F", "F", "F", "R", "N", "F", "F", "F", "F")),
    "registration:transfer": row(("L", "2", "2", "2", "F", "F", "F", "F", "F", "F"), APPLICANT_INVALID),
    "registration:transfer_withdraw": row(ALL_405, ("L", "R", "R", "R", "F", "F", "F", "F", "F", "F")),
    "registration:identity_change": row(
        ("L", "2", "2", "2", "F", "F", "F", "F", "F", "F"), APPLICANT_INVALID
    ),
    "registration:identity_withdraw": row(ALL_405, ("L", "R", "R", "R", "F", "F", "F", "F", "F", "F")),
    # 二次验证 / 绑定身份验证器: only an administrator's unverified session stays there; everyone else (and a
    # verified administrator) is sent on — to the personal center or the admin index.
    "accounts:second_factor": row(("L",) + ("R",) * 9, ("L",) + ("R",) * 9),
    "accounts:second_factor_enrol": row(("L",) + ("R",) * 9, ("L",) + ("R",) * 9),
    # The audit log: the 审计管理员 only (三员分立; the 系统管理员 is refused, see OTHER_ADMINISTRATORS below).
    "audit:export": row(("L", "F", "F", "F", "F", "F", "F", "F", "F", "F"), ALL_405),
}

# The admin site: its index and every registered model's changelist are for the system administrator only.
ADMIN_ONLY = ("A", "A", "A", "A", "A", "A", "A", "A", "A", "2")
REQUIRED_ADMIN_CHANGELISTS = ("accounts.unitchange", "filings.filing")
# 三员分立: registered models whose changelist the 系统管理员 may not open (403): the audit log (审计管理员), the
# lockout records (安全管理员) and Django's groups (unused: permissions come from the role).
NOT_SYSTEM_ADMIN_MODELS = (
    "audit.securityevent",
    "axes.accessattempt",
    "axes.accessfailurelog",
    "axes.accesslog",
    "auth.group",
)

# 三员分立 (issue 11): the 安全管理员 (secadmin) and the 审计管理员 (auditadmin) are checked on every row too, without
# a column each. Neither has a business role or sees a filing: each gets the 系统管理员's ("admin") letter, except
# that a filing the 系统管理员 sees is a 404 for them ("2" → "N" on filing rows), the 系统管理员's own work below is
# refused to them, and the 审计管理员's own work below is theirs alone. tests/security/test_three_administrators.py
# checks the admin site's models per administrator.
OTHER_ADMINISTRATORS = ("secadmin", "auditadmin")
VISIBLE.update(dict.fromkeys(OTHER_ADMINISTRATORS, "------"))
SYSTEM_ADMIN_WORK = {  # URL name → the other two administrators' letter wherever the 系统管理员 gets 2 or R
    "registration:review_list": "F",
    "registration:review_detail": "F",
    "registration:certificate": "F",
    "registration:approve": "F",
    "registration:return": "F",
}
AUDIT_ADMIN_WORK = {"audit:export": ("2", "M")}  # URL name → the 审计管理员's (GET, POST) letters


def administrator_code(name, method, persona, admin_code, filing_row):
    """The expected letter of one of OTHER_ADMINISTRATORS, from the 系统管理员's."""
    if persona == "auditadmin" and name in AUDIT_ADMIN_WORK:
        return AUDIT_ADMIN_WORK[name][0 if method == "GET" else 1]
    if name in SYSTEM_ADMIN_WORK and admin_code in ("2", "R"):
        return SYSTEM_ADMIN_WORK[name]
    if filing_row:
        return admin_code.replace("2", "N")
    return admin_code
