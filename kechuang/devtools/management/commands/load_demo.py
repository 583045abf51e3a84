"""Demo data for `make run` and the tests: idempotent, so it can run on every start."""

import datetime
from pathlib import Path

from django.core.management.base import BaseCommand
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext_noop

from kechuang.accounts.models import Department, Education, Gender, IdType, Region, Role, Title, Unit, User
from kechuang.accounts.validators import credit_check_char, id_check_char
from kechuang.devtools import demo_filings
from kechuang.devtools.guard import refuse_in_production
from kechuang.filings.models import CooperationCategory
from kechuang.portal.models import Notice, SiteSettings
from kechuang.workflow.models import Business, ReviewerKind, Section, Stage

DEMO_PASSWORD = "Demo@2026"
MANUAL_NOTICE = "省国际科技合作平台备案操作说明书"
DEMO_SITE_SETTINGS = {
    "contact_phone": "0451-00000000",
    "contact_email": "kjt-demo@example.gov.cn",
    "contact_address": "黑龙江省哈尔滨市示例区示例路1号",
    "office_hours": "工作日 8:30-11:30，13:30-17:00",
    "site_code": "2300000000",
    "icp_number": "黑ICP备00000000号（演示）",
    "police_number": "黑公网安备 00000000000000号（演示）",
}
BUSINESS_NAME = "省国际科技合作平台备案"
# Marked for the catalogue: the demo's second business is shown translated like the default one (data_label).
CLOSED_BUSINESS_NAME = gettext_noop("省级重点实验室备案")
DEFAULT_STAGES = [
    (1, "申报单位审核", ReviewerKind.UNIT_ADMIN),
    (2, "主管部门审核", ReviewerKind.DEPARTMENT),
    (3, "省科技厅审核", ReviewerKind.PROVINCE),
]
CATEGORIES = ["国际联合实验室", "国际联合研究中心", "国际技术转移中心", "国际科技合作基地", "其他"]
NOTICES = {
    Notice.Tab.PROJECTS: [
        ("关于开展2027年度省国际科技合作平台备案工作的通知", 0),
        ("关于组织开展2026年度省级科技企业孵化器申报工作的通知", 30),
        ("关于开展2026年省级重点实验室申报工作的通知", 60),
    ],
    Notice.Tab.ANNOUNCEMENTS: [
        ("2026年度省国际科技合作平台备案名单公示", 5),
        ("2026年度省级新型研发机构拟备案名单公示", 40),
    ],
    Notice.Tab.POLICIES: [
        ("黑龙江省国际科技合作平台管理办法", 90),
        ("关于进一步加强国际科技合作的若干措施", 120),
    ],
    Notice.Tab.TRAINING: [("省国际科技合作平台备案线上培训安排", 3), ("科技创新服务平台使用培训", 50)],
    Notice.Tab.GUIDES: [("省国际科技合作平台备案操作说明书", 1), ("单位管理员操作指南", 20)],
}


def demo_text(name):
    return (Path(__file__).resolve().parents[2] / "demo" / name).read_text(encoding="utf-8")


def id_number(area, birth, seq):
    first17 = f"{area}{birth:%Y%m%d}{seq}"
    return first17 + id_check_char(first17)


def credit_code(first17):
    return first17 + credit_check_char(first17)


class Command(BaseCommand):
    help = "Load (or refresh) the demo business, stages, notices, units and accounts. Idempotent."

    def add_arguments(self, parser):
        parser.add_argument(
            "--with-filings",
            action="store_true",
            help="Also filings in every stage and a 公示 batch in its 公示期 (make run; the tests leave them out).",
        )

    @transaction.atomic
    def handle(self, *args, **options):
        refuse_in_production("load_demo")
        today = timezone.localdate()
        edu, _ = Department.objects.get_or_create(name="黑龙江省教育厅")
        hrb, _ = Department.objects.get_or_create(name="哈尔滨市科学技术局")
        kjt, _ = Department.objects.get_or_create(
            name="黑龙江省科学技术厅国际合作处", defaults={"kind": Department.Kind.PROVINCIAL}
        )
        university = self.unit(
            "示例科技大学",
            credit_code("12230000MB1234567"),
            Unit.Type.UNIVERSITY,
            edu,
            "哈尔滨市南岗区示例路1号",
            "赵老师",
            "0451-86400001",
        )
        company = self.unit(
            "示例新材料有限公司",
            credit_code("91230100MA1BCDEF0"),
            Unit.Type.ENTERPRISE,
            hrb,
            "哈尔滨市松北区科技创新城2号",
            "钱经理",
            "0451-58800002",
        )

        business, _ = Business.objects.update_or_create(
            name=BUSINESS_NAME,
            defaults={
                "section": Section.PLATFORMS,
                "period_start": today,
                "period_end": datetime.date(today.year + 1, 12, 31),
                "description": "省国际科技合作平台备案，依托单位审核、主管部门审核、省科技厅审核后完成备案。",
            },
        )
        Business.objects.get_or_create(
            name=CLOSED_BUSINESS_NAME,
            defaults={
                "section": Section.PLATFORMS,
                "period_start": datetime.date(2023, 1, 1),
                "period_end": datetime.date(2023, 12, 31),
                "order": 1,
            },
        )
        for order, name, kind in DEFAULT_STAGES:
            Stage.objects.get_or_create(
                business=business, order=order, defaults={"name": name, "reviewer_kind": kind}
            )
        for order, name in enumerate(CATEGORIES):
            CooperationCategory.objects.get_or_create(name=name, defaults={"order": order})
        for tab, notices in NOTICES.items():
            for title, days_ago in notices:
                Notice.objects.get_or_create(
                    tab=tab,
                    title=title,
                    defaults={"published_on": today - datetime.timedelta(days=days_ago), "body": title},
                )
        # The 操作指南 notice carries the operation manual's text (Markdown); 网站设置 fills 联系我们, the footer's
        # identifiers and the 隐私政策 page (issue 12). Demo values: the administrator sets the real ones.
        Notice.objects.filter(tab=Notice.Tab.GUIDES, title=MANUAL_NOTICE).update(
            body=demo_text("operation_manual.md")
        )
        SiteSettings.objects.get_or_create(
            pk=1, defaults={**DEMO_SITE_SETTINGS, "privacy_policy": demo_text("privacy_policy.md")}
        )

        person = {"id_type": IdType.ID_CARD, "title": Title.ASSOCIATE, "education": Education.DOCTOR}
        self.user(
            "zhangsan",
            "张三",
            Role.APPLICANT,
            unit=university,
            gender=Gender.MALE,
            position="教授",
            research_field="先进材料与国际合作",
            mobile="13800000001",
            id_number=id_number("230102", datetime.date(1980, 5, 12), "123"),
            birth_date=datetime.date(1980, 5, 12),
            **person,
        )
        self.user(
            "lisi",
            "李四",
            Role.APPLICANT,
            unit=university,
            gender=Gender.FEMALE,
            position="研究员",
            research_field="生物医药",
            mobile="13800000002",
            id_number=id_number("230103", datetime.date(1985, 11, 3), "246"),
            birth_date=datetime.date(1985, 11, 3),
            **person,
        )
        self.user(
            "wangwu",
            "王五",
            Role.APPLICANT,
            unit=company,
            gender=Gender.MALE,
            position="总工程师",
            research_field="高分子材料",
            mobile="13800000003",
            id_number=id_number("230104", datetime.date(1978, 1, 30), "357"),
            birth_date=datetime.date(1978, 1, 30),
            **person,
        )
        self.user("sldx_admin", "示例科技大学科技处", Role.UNIT_ADMIN, unit=university, mobile="13800000011")
        self.user(
            "xcl_admin", "示例新材料有限公司管理员", Role.UNIT_ADMIN, unit=company, mobile="13800000012"
        )
        self.user(
            "edu_reviewer", "教育厅审核员", Role.DEPARTMENT_REVIEWER, department=edu, mobile="13800000021"
        )
        self.user(
            "hrb_reviewer",
            "哈尔滨市科技局审核员",
            Role.DEPARTMENT_REVIEWER,
            department=hrb,
            mobile="13800000022",
        )
        self.user(
            "kjt_reviewer", "省科技厅审核员", Role.PROVINCE_REVIEWER, department=kjt, mobile="13800000031"
        )
        # 三员分立: three administrators, none a superuser (each binds a TOTP device at the first /admin/ login).
        self.user("admin", "系统管理员", Role.SYSTEM_ADMIN, is_staff=True)
        self.user("secadmin", "安全管理员", Role.SECURITY_ADMIN, is_staff=True)
        self.user("auditadmin", "审计管理员", Role.AUDIT_ADMIN, is_staff=True)
        if options.get("with_filings"):
            made = demo_filings.load(business)
            self.stdout.write(f"Demo filings: {made} new; 公示 batch in its 公示期.")
        self.stdout.write(self.style.SUCCESS("Demo data loaded; every demo account's password is Demo@2026."))

    def unit(self, name, code, unit_type, department, address, contact, phone):
        unit, _ = Unit.objects.get_or_create(
            credit_code=code,
            defaults={
                "name": name,
                "unit_type": unit_type,
                "region": Region.HARBIN,
                "department": department,
                "address": address,
                "contact_name": contact,
                "contact_phone": phone,
                "contact_email": "contact@example.edu.cn",
            },
        )
        return unit

    def user(self, username, name, role, **fields):
        user, created = User.objects.get_or_create(
            username=username,
            defaults={"name": name, "role": role, "email": f"{username}@example.com", **fields},
        )
        if created:
            user.set_password(DEMO_PASSWORD)
            user.save(update_fields=["password"])
        return user
