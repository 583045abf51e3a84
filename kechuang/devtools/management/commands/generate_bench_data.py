"""Provincial-scale benchmark data: `manage.py generate_bench_data --units 2000 --people 20000 --filings 100000`.

Runs on top of `load_demo` (the demo accounts keep working; the demo reviewers get large scopes). Rows are written
in batches straight into the tables — COPY on PostgreSQL, executemany on SQLite — with ids assigned here, so that
child rows can point at their parents without reading anything back; the sequences are reset at the end and, on
PostgreSQL, ``VACUUM ANALYZE`` gives the planner statistics and index-only scans a visibility map.
Nothing goes through ``Model.save()``: the data is consistent by construction (see ``bench/README.md``):

- every unit has a valid GB 32100 统一社会信用代码 and every person a valid GB 11643 身份证号码;
- a filing's status, stage, return stage, timestamps and version agree with its 流转记录 rows, which follow the
  transitions of ``review/transitions.py`` (上报 → 通过 … → 完成 / 退回 / 直接不通过);
- every submitted filing is complete (``filings.completeness.missing_items`` is empty), so a returned filing can
  be submitted again; a "pool" of complete drafts owned by known applicants feeds the 上报 benchmark;
- attachment rows all point to ONE small valid PDF stored once (``BENCH_PDF_NAME``): a benchmark deletes
  attachments it uploaded itself, never generated ones.

Generated people log in with ``BENCH_PASSWORD``; its hash is computed once and shared by every generated row.
"""

import datetime
import hashlib
import io
import random
import uuid

from django.contrib.auth.hashers import make_password
from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.core.management import call_command
from django.core.management.base import BaseCommand, CommandError
from django.core.management.color import no_style
from django.db import connection, connections, models, transaction
from django.utils import timezone

from kechuang.accounts.models import (
    Department,
    Education,
    Gender,
    IdType,
    Region,
    Role,
    Title,
    Unit,
    User,
)
from kechuang.accounts.validators import credit_check_char, id_check_char
from kechuang.devtools.guard import refuse_in_production
from kechuang.filings.models import (
    Attachment,
    CooperationCategory,
    Filing,
    Industry,
    Member,
    OverseasPartner,
    PartnerType,
    Status,
)
from kechuang.review.models import FlowRecord
from kechuang.workflow.models import Action, Business, ReviewerKind, Stage, stage_label

BENCH_PASSWORD = "Bench@2026"
BENCH_PDF_NAME = "attachments/bench/bench-sample.pdf"
APPLICANT_PREFIX = "bench"  # bench00000 … applicants; bench_admin0000 … unit admins; bench_dept00 … reviewers
POOL_OWNERS = 400  # bench00000 … bench00399 each own POOL_PER_OWNER complete drafts (上报 pool)
POOL_PER_OWNER = 5
DEMO_FILINGS = {"zhangsan": 12, "lisi": 8, "wangwu": 8}
BATCH = 5000

REGION_AREA = {
    Region.HARBIN: "230100",
    Region.QIQIHAR: "230200",
    Region.JIXI: "230300",
    Region.HEGANG: "230400",
    Region.SHUANGYASHAN: "230500",
    Region.DAQING: "230600",
    Region.YICHUN: "230700",
    Region.JIAMUSI: "230800",
    Region.QITAIHE: "230900",
    Region.MUDANJIANG: "231000",
    Region.HEIHE: "231100",
    Region.SUIHUA: "231200",
    Region.DAXINGANLING: "232700",
}
PROVINCIAL_DEPARTMENTS = [
    "黑龙江省教育厅",
    "黑龙江省工业和信息化厅",
    "黑龙江省农业农村厅",
    "黑龙江省卫生健康委员会",
    "黑龙江省自然资源厅",
    "黑龙江省生态环境厅",
    "黑龙江省林业和草原局",
    "黑龙江省中医药管理局",
    "黑龙江省国有资产监督管理委员会",
    "黑龙江省市场监督管理局",
    "黑龙江省商务厅",
    "中国科学院哈尔滨分院",
]
EDU = "黑龙江省教育厅"
HRB = "哈尔滨市科学技术局"
SURNAMES = "王李张刘陈杨赵黄周吴徐孙胡朱高林何郭马罗梁宋郑谢韩唐冯于董萧程曹袁邓许傅沈曾彭吕"
GIVEN = "伟芳娜秀英敏静丽强磊军洋勇艳杰娟涛明超秀兰霞平刚桂英华建国志宏晓东海波鹏飞"
COUNTRIES = ["RU", "US", "DE", "JP", "KR", "GB", "FR", "CA", "AU", "IT", "BY", "KZ", "MN", "SG", "IL", "FI"]
PLATFORM_KINDS = ["国际联合实验室", "国际联合研究中心", "国际技术转移中心", "国际科技合作基地"]
TOPICS = [
    "寒地农业",
    "先进材料",
    "生物医药",
    "冰雪装备",
    "智能制造",
    "新能源",
    "航空航天",
    "数字经济",
    "绿色化工",
]
UNIT_WORDS = {
    Unit.Type.UNIVERSITY: "大学",
    Unit.Type.INSTITUTE: "研究院",
    Unit.Type.ENTERPRISE: "科技有限公司",
    Unit.Type.OTHER: "技术服务中心",
}
CONTENT = (
    "平台依托单位在相关领域具有长期积累，与海外合作伙伴开展了联合研究、人员互访和人才联合培养，"
    "建有开放共享的实验条件和稳定的运行机制。"
)
# (status, stage order or None, weight): where the generated filings are. Drafts and done dominate.
GENDERS, TITLES, EDUCATIONS, INDUSTRIES = Gender.values, Title.values, Education.values, Industry.values
PARTNER_TYPES, REGIONS = PartnerType.values, Region.values
ATTACHMENT_NAMES = {1: "支撑条件材料.pdf", 2: "交流互访情况.pdf", 3: "联合培养情况.pdf", 4: "辅助材料.pdf"}
MIX = [
    ("draft", None, 18),
    ("in_review", 1, 10),
    ("in_review", 2, 10),
    ("in_review", 3, 10),
    ("returned", 1, 3),
    ("returned", 2, 3),
    ("returned", 3, 3),
    ("rejected", 1, 2),
    ("rejected", 2, 2),
    ("rejected", 3, 2),
    ("done", None, 37),
]


def sample_pdf():
    """One tiny, valid one-page PDF (made with pypdf, which the attachment checks also use)."""
    from pypdf import PdfWriter

    writer = PdfWriter()
    writer.add_blank_page(width=200, height=200)
    writer.add_metadata({"/Title": "bench sample"})
    out = io.BytesIO()
    writer.write(out)
    return out.getvalue()


class Writer:
    """Inserts plain rows (dicts keyed by attname) into a model's table, ids assigned by the caller."""

    PLAIN = (models.CharField, models.TextField, models.IntegerField, models.BooleanField, models.ForeignKey)

    def __init__(self, model):
        self.model = model
        self.fields = list(model._meta.concrete_fields)
        self.table = model._meta.db_table
        self.rows = []
        self.count = 0
        self.conn = connections["default"]  # the real wrapper, not the per-access proxy
        with self.conn.cursor() as cursor:
            cursor.execute(f"SELECT MAX(id) FROM {self.conn.ops.quote_name(self.table)}")  # noqa: S608
            self.next_id = (cursor.fetchone()[0] or 0) + 1
        self.converters = []
        for field in self.fields:
            # Subclasses such as CountryField need the field's own conversion; exact plain types do not.
            plain = isinstance(field, self.PLAIN) and type(field).__module__.startswith("django.")
            self.converters.append(None if plain else field)

    def new_id(self):
        value = self.next_id
        self.next_id += 1
        return value

    def add(self, row):
        self.rows.append(row)
        if len(self.rows) >= BATCH:
            self.flush()

    def values(self, row):
        out = []
        for field, conv in zip(self.fields, self.converters, strict=True):
            value = row[field.attname] if field.attname in row else field.get_default()
            if conv is not None and value is not None:
                value = conv.get_db_prep_save(value, self.conn)
            out.append(value)
        return out

    def flush(self):
        if not self.rows:
            return
        columns = ", ".join(self.conn.ops.quote_name(f.column) for f in self.fields)
        table = self.conn.ops.quote_name(self.table)
        if self.conn.vendor == "postgresql":
            with (
                self.conn.cursor() as cursor,
                cursor.cursor.copy(f"COPY {table} ({columns}) FROM STDIN") as copy,
            ):
                for row in self.rows:
                    copy.write_row(self.values(row))
        else:
            marks = ", ".join(["%s"] * len(self.fields))
            with self.conn.cursor() as cursor:
                cursor.executemany(
                    f"INSERT INTO {table} ({columns}) VALUES ({marks})",  # noqa: S608
                    [self.values(row) for row in self.rows],
                )
        self.count += len(self.rows)
        self.rows = []


class Command(BaseCommand):
    help = "Generate provincial-scale benchmark data on top of load_demo (see bench/README.md)."

    def add_arguments(self, parser):
        parser.add_argument("--units", type=int, default=2000)
        parser.add_argument("--people", type=int, default=20000, help="generated applicants")
        parser.add_argument("--filings", type=int, default=100000)
        parser.add_argument("--seed", type=int, default=2026)

    def handle(self, *args, units, people, filings, seed, **options):
        refuse_in_production("generate_bench_data")
        if units < 1 or people < 1 or filings < 0:
            raise CommandError("--units and --people must be ≥ 1, --filings ≥ 0.")
        if User.objects.filter(username__startswith=f"{APPLICANT_PREFIX}_admin").exists():
            raise CommandError(
                "Benchmark data is already present: start from an empty database (see bench/README.md)."
            )
        call_command("load_demo", stdout=io.StringIO())
        self.rng = random.Random(seed)
        self.now = timezone.now()
        self.password = make_password(BENCH_PASSWORD)  # once: every generated person shares this hash
        self.users_by_name = {}
        with transaction.atomic():
            self.load_reference()
            self.make_departments()
            self.make_units(units)
            self.make_people(people)
            self.make_filings(filings)
            self.reset_sequences()
        self.store_pdf()
        if connection.vendor == "postgresql":
            # Fresh statistics, and a visibility map so that counts can be index-only scans (autovacuum would
            # get there later). VACUUM cannot run inside a transaction (the tests' database wrapper).
            with connection.cursor() as cursor:
                cursor.execute("ANALYZE" if connection.in_atomic_block else "VACUUM ANALYZE")
        # No ANALYZE on SQLite: Django never runs it, so a real SQLite database has no sqlite_stat1 either (and
        # with it SQLite plans the provincial list as a sort of the whole scope, ten times slower).
        self.stdout.write(
            self.style.SUCCESS(
                f"Generated {len(self.units)} units, {len(self.applicants)} applicants, "
                f"{self.filing_writer.count} filings; generated accounts' password is {BENCH_PASSWORD}."
            )
        )

    # -- reference data -------------------------------------------------------------------------------------

    def load_reference(self):
        self.business = Business.objects.get(name="省国际科技合作平台备案")
        self.stages = {s.order: s for s in Stage.objects.filter(business=self.business)}
        self.final_labels = {s: str(s.label) for s in (Status.DONE, Status.RETURNED, Status.REJECTED)}
        self.categories = list(CooperationCategory.objects.values_list("id", flat=True))
        self.demo = {u.username: u for u in User.objects.select_related("unit", "department")}
        self.pdf = sample_pdf()
        self.pdf_sha = hashlib.sha256(self.pdf).hexdigest()

    def make_departments(self):
        names = [f"{label[:-1] if label.endswith('区') else label}科学技术局" for label in Region.labels]
        names = [n.replace("大兴安岭地科学技术局", "大兴安岭地区科学技术局") for n in names]
        for name in names + PROVINCIAL_DEPARTMENTS:
            Department.objects.get_or_create(name=name)
        self.departments = list(Department.objects.filter(kind=Department.Kind.COMPETENT))
        self.city_department = dict(zip(Region.values, names, strict=True))

    def make_units(self, count):
        writer = Writer(Unit)
        by_name = {d.name: d for d in self.departments}
        self.units = []  # (id, name, credit code, department id, address, contact, phone, email)
        for i in range(count):
            share = i % 20
            if share < 5:  # a quarter under 教育厅: edu_reviewer's lists are big
                department, unit_type, region = by_name[EDU], Unit.Type.UNIVERSITY, self.region()
            elif share < 7:  # a tenth under 哈尔滨市科学技术局 (hrb_reviewer)
                department, unit_type, region = by_name[HRB], self.unit_type(), Region.HARBIN
            else:
                department = self.rng.choice(self.departments)
                region = self.region()
                if department.name in self.city_department.values():
                    region = next(r for r, n in self.city_department.items() if n == department.name)
                unit_type = self.unit_type()
            label = Region(region).label
            name = f"{label}{self.rng.choice(TOPICS)}{UNIT_WORDS[unit_type]}{i:04d}"
            prefix = {Unit.Type.ENTERPRISE: "91", Unit.Type.OTHER: "52"}.get(unit_type, "12")
            first17 = f"{prefix}{REGION_AREA[region]}BX{i:07d}"
            code = first17 + credit_check_char(first17)
            row = {
                "id": writer.new_id(),
                "public_id": uuid.uuid4(),
                "name": name,
                "credit_code": code,
                "unit_type": unit_type,
                "region": region,
                "department_id": department.id,
                "skip_department_review": False,
                "address": f"{label}示例大街{i % 500 + 1}号",
                "postcode": "150000",
                "contact_name": self.person_name(),
                "contact_phone": f"0451-8{i:07d}",
                "contact_email": f"unit{i:04d}@example.cn",
            }
            writer.add(row)
            self.units.append(row)
        writer.flush()
        # Unit administrators (法人登录), one per generated unit.
        users = Writer(User)
        for i, unit in enumerate(self.units):
            users.add(self.user_row(users, f"{APPLICANT_PREFIX}_admin{i:04d}", Role.UNIT_ADMIN, unit=unit))
        # One 主管部门 reviewer per department, and two more provincial reviewers.
        kjt = Department.objects.get(kind=Department.Kind.PROVINCIAL)
        for i, department in enumerate(self.departments):
            users.add(
                self.user_row(
                    users, f"{APPLICANT_PREFIX}_dept{i:02d}", Role.DEPARTMENT_REVIEWER, department=department
                )
            )
        for i in range(2):
            users.add(
                self.user_row(users, f"{APPLICANT_PREFIX}_kjt{i}", Role.PROVINCE_REVIEWER, department=kjt)
            )
        users.flush()
        self.users = users
        for i, unit in enumerate(self.units):
            unit["admin"] = (self.users_by_name[f"{APPLICANT_PREFIX}_admin{i:04d}"], unit["name"])
        self.dept_reviewer = {}
        for i, department in enumerate(self.departments):
            self.dept_reviewer[department.id] = (
                self.users_by_name[f"{APPLICANT_PREFIX}_dept{i:02d}"],
                department.name,
            )
        demo_edu = self.demo["edu_reviewer"]
        self.dept_reviewer[demo_edu.department_id] = (demo_edu.id, demo_edu.department.name)
        demo_hrb = self.demo["hrb_reviewer"]
        self.dept_reviewer[demo_hrb.department_id] = (demo_hrb.id, demo_hrb.department.name)
        self.province_reviewer = (self.demo["kjt_reviewer"].id, kjt.name)

    def make_people(self, count):
        demo_unit = self.demo["zhangsan"].unit
        demo_unit_row = {
            "id": demo_unit.id,
            "name": demo_unit.name,
            "credit_code": demo_unit.credit_code,
            "department_id": demo_unit.department_id,
            "address": demo_unit.address,
            "contact_name": demo_unit.contact_name,
            "contact_phone": demo_unit.contact_phone,
            "contact_email": demo_unit.contact_email,
            "admin": (self.demo["sldx_admin"].id, demo_unit.name),
        }
        self.applicants = []
        for i in range(count):
            # Every hundredth generated applicant works at 示例科技大学, so sldx_admin's lists are big too.
            unit = demo_unit_row if i % 100 == 99 else self.units[i % len(self.units)]
            row = self.user_row(
                self.users, f"{APPLICANT_PREFIX}{i:05d}", Role.APPLICANT, unit=unit, profile=True
            )
            row["unit_row"] = unit
            self.users.add(row)
            self.applicants.append(row)
        self.users.flush()
        self.demo_owner_rows = {}
        for username in DEMO_FILINGS:
            user = self.demo[username]
            unit = user.unit
            self.demo_owner_rows[username] = {
                "id": user.id,
                "name": user.name,
                "gender": user.gender,
                "position": user.position,
                "research_field": user.research_field,
                "mobile": user.mobile,
                "id_type": user.id_type,
                "id_number": user.id_number,
                "birth_date": user.birth_date,
                "title": user.title,
                "education": user.education,
                "email": user.email,
                "unit_row": demo_unit_row
                if unit.id == demo_unit.id
                else {
                    "id": unit.id,
                    "name": unit.name,
                    "credit_code": unit.credit_code,
                    "department_id": unit.department_id,
                    "address": unit.address,
                    "contact_name": unit.contact_name,
                    "contact_phone": unit.contact_phone,
                    "contact_email": unit.contact_email,
                    "admin": (self.demo["xcl_admin"].id, unit.name),
                },
            }

    def user_row(self, writer, username, role, unit=None, department=None, profile=False):
        row = {
            "id": writer.new_id(),
            "password": self.password,
            "username": username,
            "email": f"{username}@example.cn",
            "is_active": True,
            "is_staff": False,
            "is_superuser": False,
            "date_joined": self.now,
            "first_name": "",
            "last_name": "",
            "public_id": uuid.uuid4(),
            "role": role,
            "unit_id": unit["id"] if unit else None,
            "department_id": department.id if department else None,
            "name": self.person_name() if role == Role.APPLICANT else username,
            "mobile": f"139{writer.next_id:08d}"[:11],
            "id_type": IdType.ID_CARD,
        }
        if profile:
            birth = datetime.date(1960, 1, 1) + datetime.timedelta(days=self.rng.randrange(365 * 35))
            area = REGION_AREA[self.rng.choice(REGIONS)]
            first17 = f"{area}{birth:%Y%m%d}{self.rng.randrange(1000):03d}"
            row.update(
                gender=self.rng.choice(GENDERS),
                position=self.rng.choice(["教授", "研究员", "总工程师", "副教授", "高级工程师"]),
                research_field=self.rng.choice(TOPICS),
                id_number=first17 + id_check_char(first17),
                birth_date=birth,
                title=self.rng.choice(TITLES),
                education=self.rng.choice(EDUCATIONS),
            )
        self.users_by_name[username] = row["id"]
        return row

    # -- filings --------------------------------------------------------------------------------------------

    def make_filings(self, count):
        self.filing_writer = Writer(Filing)
        self.partner_writer = Writer(OverseasPartner)
        self.member_writer = Writer(Member)
        self.attachment_writer = Writer(Attachment)
        self.record_writer = Writer(FlowRecord)
        weights = [w for *_, w in MIX]
        pool_owners = min(POOL_OWNERS, len(self.applicants) // 4)
        pool = min(pool_owners * POOL_PER_OWNER, count // 5)
        demo_plan = [name for name, n in DEMO_FILINGS.items() for _ in range(n)]
        for i in range(count):
            if i < pool:  # the 上报 pool: complete drafts of known owners
                owner, status, order, complete = self.applicants[i % pool_owners], "draft", None, True
            else:
                j = i - pool
                if j < len(demo_plan) and count - pool > 4 * len(demo_plan):
                    owner = self.demo_owner_rows[demo_plan[j]]
                    status, order = MIX[j % len(MIX)][:2]
                else:
                    owner = self.rng.choice(self.applicants)
                    status, order = self.rng.choices(MIX, weights)[0][:2]
                complete = status != "draft" or self.rng.random() < 0.5
            self.make_filing(owner, status, order, complete)
        for writer in (
            self.filing_writer,
            self.partner_writer,
            self.member_writer,
            self.attachment_writer,
            self.record_writer,
        ):
            writer.flush()

    def make_filing(self, owner, status, order, complete):
        rng, unit = self.rng, owner["unit_row"]
        filing_id = self.filing_writer.new_id()
        created = self.now - datetime.timedelta(days=rng.randrange(30, 365), minutes=rng.randrange(1440))
        countries = rng.sample(COUNTRIES, rng.randint(1, 3))
        topic = rng.choice(TOPICS)
        row = {
            "id": filing_id,
            "public_id": uuid.uuid4(),
            "business_id": self.business.id,
            "owner_id": owner["id"],
            "unit_id": unit["id"],
            "created_at": created,
            "name": f"黑龙江省{topic}{rng.choice(PLATFORM_KINDS)}{filing_id}",
            "industries": rng.sample(INDUSTRIES, rng.randint(1, 3)),
            "partner_counts": dict.fromkeys(countries, 1),  # one partner per country, written below
            "address": unit["address"],
            "founded_on": created.date() - datetime.timedelta(days=rng.randrange(3650)),
            "contact_name": owner.get("name", ""),
            "contact_phone": "0451-86000000",
            "stage_id": None,
            "return_stage_id": None,
        }
        if complete:
            row.update(
                cooperation_category_id=rng.choice(self.categories),
                main_country=countries[0],
                second_country=countries[1] if len(countries) > 1 else "",
                other_countries=countries[2:],
                exchange_visits=rng.randrange(50),
                joint_training=rng.randrange(20),
                basic_situation=CONTENT * 3,
                cooperation_basis=CONTENT * 2,
                goals_and_tasks=CONTENT * 2,
                conditions=CONTENT,
                **self.snapshots(owner, unit, created),
            )
        for country in countries:
            self.partner_writer.add(
                {
                    "id": self.partner_writer.new_id(),
                    "filing_id": filing_id,
                    "country": country,
                    "name_zh": f"{country}合作大学",
                    "name_original": f"University of {country}",
                    "partner_type": rng.choice(PARTNER_TYPES),
                    "started_on": created.date() - datetime.timedelta(days=rng.randrange(700)),
                    "content": "联合研究与人才培养",
                }
            )
        for _ in range(rng.randint(1, 4)):
            self.member_writer.add(
                {
                    "id": self.member_writer.new_id(),
                    "filing_id": filing_id,
                    "name": self.person_name(),
                    "gender": rng.choice(GENDERS),
                    "birth_month": datetime.date(rng.randint(1965, 1998), rng.randint(1, 12), 1),
                    "title": rng.choice(TITLES),
                    "education": rng.choice(EDUCATIONS),
                    "major": rng.choice(TOPICS),
                    "task": "联合研究",
                }
            )
        kinds = (
            [1, 2, 3] + ([4] if rng.random() < 0.2 else [])
            if complete
            else rng.sample([1, 2, 3], rng.randint(0, 2))
        )
        for kind in kinds:
            self.attachment_writer.add(
                {
                    "id": self.attachment_writer.new_id(),
                    "public_id": uuid.uuid4(),
                    "filing_id": filing_id,
                    "kind": kind,
                    "file": BENCH_PDF_NAME,
                    "original_name": ATTACHMENT_NAMES[kind],
                    "size": len(self.pdf),
                    "sha256": self.pdf_sha,
                    "uploaded_by_id": owner["id"],
                    "uploaded_at": created + datetime.timedelta(hours=1),
                }
            )
        row.update(self.history(filing_id, owner, unit, status, order, created))
        self.filing_writer.add(row)

    def history(self, filing_id, owner, unit, status, order, created):
        """Status fields plus the 流转记录 rows that lead there, as the transitions would have written them."""
        if status == "draft":
            return {"status": Status.DRAFT, "version": 1 + self.rng.randrange(5), "updated_at": created}
        when = created + datetime.timedelta(days=self.rng.randrange(1, 20))
        last = order or len(self.stages)
        steps = [(Action.SUBMIT, None, 1, owner["id"], unit["name"], "")]
        for stage in range(1, last):
            steps.append((Action.APPROVE, stage, stage + 1, *self.reviewer(stage, unit), ""))
        if status == "in_review":
            pass
        elif status == "done":
            steps.append((Action.APPROVE, last, None, *self.reviewer(last, unit), "同意备案。"))
        elif status == "returned":
            steps.append((Action.RETURN, last, None, *self.reviewer(last, unit), "请补充合作情况材料。"))
        else:
            steps.append((Action.REJECT, last, None, *self.reviewer(last, unit), "不符合备案条件。"))
        final = {"done": Status.DONE, "returned": Status.RETURNED, "rejected": Status.REJECTED}.get(status)
        final_label = stage_label(self.final_labels[final]) if final else ""
        label = stage_label(Status.DRAFT.label)
        for n, (action, from_order, to_order, actor, organisation, opinion) in enumerate(steps):
            to_label = stage_label(self.stages[to_order].name) if to_order else final_label
            self.record_writer.add(
                {
                    "id": self.record_writer.new_id(),
                    "filing_id": filing_id,
                    "created_at": when + datetime.timedelta(hours=n * 26),
                    "actor_id": actor,
                    "actor_organisation": organisation,
                    "action": action,
                    "from_status": label,
                    "to_status": to_label,
                    "from_stage_id": self.stages[from_order].id if from_order else None,
                    "to_stage_id": self.stages[to_order].id if to_order else None,
                    "opinion": opinion,
                }
            )
            label = to_label
        fields = {
            "status": Status.IN_REVIEW if status == "in_review" else final,
            "stage_id": self.stages[order].id if status == "in_review" else None,
            "return_stage_id": self.stages[order].id if status == "returned" else None,
            "version": 2 + len(steps) + self.rng.randrange(5),
            "first_submitted_at": when,
            "submitted_at": when,
            "updated_at": when + datetime.timedelta(hours=(len(steps) - 1) * 26),
        }
        return fields

    def reviewer(self, order, unit):
        kind = self.stages[order].reviewer_kind
        if kind == ReviewerKind.UNIT_ADMIN:
            return unit["admin"]
        if kind == ReviewerKind.DEPARTMENT:
            return self.dept_reviewer[unit["department_id"]]
        return self.province_reviewer

    def snapshots(self, owner, unit, when):
        return {
            "unit_name": unit["name"],
            "unit_credit_code": unit["credit_code"],
            "unit_address": unit["address"],
            "unit_contact_name": unit["contact_name"],
            "unit_contact_phone": unit["contact_phone"],
            "unit_contact_email": unit["contact_email"],
            "unit_synced_at": when,
            "owner_name": owner["name"],
            "owner_gender": owner.get("gender", ""),
            "owner_position": owner.get("position", ""),
            "owner_research_field": owner.get("research_field", ""),
            "owner_mobile": owner["mobile"],
            "owner_id_type": owner["id_type"],
            "owner_id_number": owner.get("id_number", ""),
            "owner_birth_date": owner.get("birth_date"),
            "owner_title": owner.get("title", ""),
            "owner_education": owner.get("education", ""),
            "owner_email": owner["email"],
            "owner_synced_at": when,
        }

    # -- helpers --------------------------------------------------------------------------------------------

    def region(self):
        return Region.HARBIN if self.rng.random() < 0.4 else self.rng.choice(REGIONS)

    def unit_type(self):
        return self.rng.choices(Unit.Type.values, [3, 3, 6, 1])[0]

    def person_name(self):
        return self.rng.choice(SURNAMES) + "".join(self.rng.sample(GIVEN, self.rng.randint(1, 2)))

    def reset_sequences(self):
        statements = connection.ops.sequence_reset_sql(
            no_style(), [Unit, User, Filing, OverseasPartner, Member, Attachment, FlowRecord]
        )
        with connection.cursor() as cursor:
            for sql in statements:
                cursor.execute(sql)

    def store_pdf(self):
        if not default_storage.exists(BENCH_PDF_NAME):
            default_storage.save(BENCH_PDF_NAME, ContentFile(self.pdf))
