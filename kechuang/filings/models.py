import uuid

from django.conf import settings
from django.db import connections, models
from django.shortcuts import get_object_or_404
from django.utils.translation import gettext_lazy as _

from kechuang.accounts.models import Education, Gender, IdType, Role, Title, Unit
from kechuang.countries import CountryField, CountryListField
from kechuang.workflow import days
from kechuang.workflow.models import Business, ReviewerKind, data_label, stage_label

CONTENT_MAX_LENGTH = 3000


class Industry(models.TextChoices):
    """所属产业领域: the 22 fields of the province's industrial system (F4), in the manual's order."""

    DIGITAL = "digital", _("数字经济")
    BIO = "bio", _("生物经济")
    ICE_SNOW = "ice_snow", _("冰雪经济")
    CREATIVE = "creative", _("创意设计")
    AEROSPACE = "aerospace", _("航空航天")
    ELECTRONICS = "electronics", _("电子信息")
    MATERIALS = "materials", _("新材料")
    EQUIPMENT = "equipment", _("高端装备")
    AGRI_MACHINERY = "agri_machinery", _("智能农机")
    ENERGY = "energy", _("能源")
    CHEMICAL = "chemical", _("化工")
    FOOD = "food", _("食品")
    MEDICINE = "medicine", _("医药")
    AUTOMOTIVE = "automotive", _("汽车")
    LIGHT_INDUSTRY = "light_industry", _("轻工")
    INFO_SERVICES = "info_services", _("信息服务")
    FINANCE = "finance", _("现代金融")
    LOGISTICS = "logistics", _("现代物流")
    SERVICE_MANUFACTURING = "service_manufacturing", _("服务型制造")
    WELLNESS_TOURISM = "wellness_tourism", _("旅居康养")
    ELDERLY_CHILD_CARE = "elderly_child_care", _("养老托育")
    ENTERTAINMENT = "entertainment", _("文化娱乐")


class Status(models.TextChoices):
    """Where a filing is. While IN_REVIEW the 流程阶段 shown is the current stage's name (F13)."""

    DRAFT = "draft", _("填报中")
    IN_REVIEW = "in_review", _("审核中")
    RETURNED = "returned", _("退回修改")
    REJECTED = "rejected", _("不通过")
    DONE = "done", _("完成")
    # F10 amended: 删除 of a returned or withdrawn filing. It keeps its 备案编号 and 流转记录 but leaves every
    # list, count, quota, statistic and export (visible_to); only readable_by() reaches it, read-only.
    VOIDED = "voided", _("已删除")


EDITABLE_STATUSES = (Status.DRAFT, Status.RETURNED)


class CooperationCategory(models.Model):
    """合作类别 options, kept as data (F4)."""

    name = models.CharField(_("名称"), max_length=50, unique=True)
    order = models.PositiveSmallIntegerField(_("排序"), default=0)
    active = models.BooleanField(_("启用"), default=True)

    class Meta:
        verbose_name = _("合作类别")
        verbose_name_plural = _("合作类别")
        ordering = ["order", "name"]

    def __str__(self):
        return data_label(self.name)

    @property
    def label(self):
        return data_label(self.name)


# Who may read a voided filing: the 审计管理员 (audit_admin, 三员分立) and the 系统管理员, read-only.
VOIDED_READERS = (Role.SYSTEM_ADMIN, getattr(Role, "AUDIT_ADMIN", "audit_admin"))


def can_read_voided(user):
    return bool(user.is_authenticated and user.is_active and user.role in VOIDED_READERS)


class FilingQuerySet(models.QuerySet):
    """The one access choke point : views load filings only through these."""

    def in_scope(self, kind, *, unit_id=None, department_id=None):
        """The one definition of each reviewer scope (W9), by kind: a unit's filings (drafts included), a
        competent department's submitted filings, or the province's. visible_to() and the API tokens use it."""
        submitted = models.Q(first_submitted_at__isnull=False)
        if kind == ReviewerKind.UNIT_ADMIN:
            return self.filter(unit_id=unit_id) if unit_id else self.none()
        if kind == ReviewerKind.DEPARTMENT:
            return self.filter(submitted, unit__department_id=department_id) if department_id else self.none()
        if kind == ReviewerKind.PROVINCE:
            return self.filter(submitted)
        return self.none()

    def visible_to(self, user):
        """What ``user`` may see: their scope, never a voided filing (for everyone, F10 amended)."""
        return self._scope_of(user).exclude(status=Status.VOIDED)

    def in_industry(self, value):
        """Filings whose 所属产业领域 include ``value``. PostgreSQL tests JSON containment (``@>``, 30× faster
        than matching the text at 100,000 filings); SQLite has no containment, so there the JSON text is
        matched for the quoted element ('"bio"' is the element, not a part of "biology")."""
        if connections[self.db].vendor == "postgresql":
            return self.filter(industries__contains=[value])
        return self.filter(industries__icontains=f'"{value}"')

    def readable_by(self, user):
        """visible_to() plus, for the 审计管理员 and the 系统管理员, the voided filings: the read-only way to
        one filing (查看, 流转记录, 附件下载). Never for lists, counts or exports."""
        readable = self.visible_to(user)
        if can_read_voided(user):
            readable = readable | self.filter(status=Status.VOIDED)
        return readable

    def _scope_of(self, user):
        if not user.is_authenticated or not user.is_active:
            return self.none()
        if user.role == Role.APPLICANT:
            return self.filter(owner=user)
        if user.role == Role.UNIT_ADMIN:
            return self.in_scope(ReviewerKind.UNIT_ADMIN, unit_id=user.unit_id)
        if user.role == Role.DEPARTMENT_REVIEWER:
            return self.in_scope(ReviewerKind.DEPARTMENT, department_id=user.department_id)
        if user.role in (Role.PROVINCE_REVIEWER, Role.SYSTEM_ADMIN):
            return self.in_scope(ReviewerKind.PROVINCE)
        return self.none()

    def actionable_by(self, user):
        """Filings waiting at a stage this user reviews, within the user's scope."""
        waiting = self.visible_to(user).filter(status=Status.IN_REVIEW)
        if user.role == Role.UNIT_ADMIN:
            return waiting.filter(stage__reviewer_kind=ReviewerKind.UNIT_ADMIN)
        if user.role == Role.DEPARTMENT_REVIEWER:
            return waiting.filter(stage__reviewer_kind=ReviewerKind.DEPARTMENT)
        if user.role == Role.PROVINCE_REVIEWER:
            return waiting.filter(stage__reviewer_kind=ReviewerKind.PROVINCE)
        return self.none()


class Filing(models.Model):
    """平台备案: one persisted draft edited tab by tab, then moved through the stages by review.transitions."""

    public_id = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    business = models.ForeignKey(
        Business, verbose_name=_("业务"), on_delete=models.PROTECT, related_name="filings"
    )
    owner = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("负责人"), on_delete=models.PROTECT, related_name="filings"
    )
    unit = models.ForeignKey(
        Unit, verbose_name=_("依托单位"), on_delete=models.PROTECT, related_name="filings"
    )
    status = models.CharField(_("状态"), max_length=20, choices=Status.choices, default=Status.DRAFT)
    stage = models.ForeignKey(
        "workflow.Stage",
        verbose_name=_("当前审核阶段"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )
    return_stage = models.ForeignKey(
        "workflow.Stage",
        verbose_name=_("退回阶段"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        help_text=_("退回此备案的阶段；再次上报时直接回到该阶段（W6）。"),
    )
    season = models.ForeignKey(
        "workflow.Season",
        verbose_name=_("申报批次"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="filings",
        help_text=_("创建时处于申报期的批次；限额、截止日期和统计按批次计算。"),
    )
    # 限额推荐 (W13): set while the filing holds a place of its department's (or unit's) quota, i.e. once passed on
    # to the province and until the province returns, rejects or voids it; the department's 推荐排序 among them.
    recommended = models.BooleanField(_("已推荐"), default=False, editable=False)
    recommend_rank = models.PositiveIntegerField(_("推荐排序"), null=True, blank=True)
    version = models.PositiveIntegerField(_("版本"), default=1)
    # 备案编号 (GJHZ-2026-000123): allocated once, at the first 上报, by numbering.allocate_number.
    number = models.CharField(
        _("备案编号"), max_length=24, unique=True, null=True, blank=True, editable=False
    )
    created_at = models.DateTimeField(_("创建时间"), auto_now_add=True)
    updated_at = models.DateTimeField(_("修改时间"), auto_now=True)
    first_submitted_at = models.DateTimeField(_("首次上报时间"), null=True, blank=True)
    submitted_at = models.DateTimeField(_("上报时间"), null=True, blank=True)

    # 基本信息
    name = models.CharField(_("平台名称"), max_length=100, blank=True)
    cooperation_category = models.ForeignKey(
        CooperationCategory, verbose_name=_("合作类别"), on_delete=models.PROTECT, null=True, blank=True
    )
    main_country = CountryField(_("主要合作国别"), blank=True)
    second_country = CountryField(_("第二关键国别"), blank=True)
    other_countries = CountryListField(_("其他国别"), blank=True)
    industries = models.JSONField(_("所属产业领域"), default=list, blank=True)
    # {国别: number of 海外合作伙伴}, kept by OverseasPartner.save/delete: 统计分析 counts partners by country
    # from the filing rows (an index-only scan) instead of joining every partner to the reader's scope.
    partner_counts = models.JSONField(default=dict, editable=False)
    address = models.CharField(_("平台地址"), max_length=200, blank=True)
    founded_on = models.DateField(_("成立时间"), null=True, blank=True)
    contact_name = models.CharField(_("平台联系人"), max_length=50, blank=True)
    contact_phone = models.CharField(_("联系电话"), max_length=30, blank=True)

    # 依托单位 snapshot, refreshed only by 数据同步 (S1)
    unit_name = models.CharField(_("依托单位"), max_length=100, blank=True)
    unit_credit_code = models.CharField(_("统一社会信用代码"), max_length=18, blank=True)
    unit_address = models.CharField(_("单位地址"), max_length=200, blank=True)
    unit_contact_name = models.CharField(_("单位联系人"), max_length=50, blank=True)
    unit_contact_phone = models.CharField(_("单位联系电话"), max_length=30, blank=True)
    unit_contact_email = models.EmailField(_("单位电子邮箱"), blank=True)
    unit_synced_at = models.DateTimeField(_("单位数据同步时间"), null=True, blank=True)

    # 负责人 snapshot, refreshed only by 数据同步 (S2)
    owner_name = models.CharField(_("姓名"), max_length=50, blank=True)
    owner_gender = models.CharField(_("性别"), max_length=10, choices=Gender.choices, blank=True)
    owner_position = models.CharField(_("职务"), max_length=50, blank=True)
    owner_research_field = models.CharField(_("研究方向"), max_length=100, blank=True)
    owner_mobile = models.CharField(_("手机"), max_length=11, blank=True)
    owner_id_type = models.CharField(_("证件类型"), max_length=20, choices=IdType.choices, blank=True)
    owner_id_number = models.CharField(_("证件号码"), max_length=30, blank=True)
    owner_birth_date = models.DateField(_("出生日期"), null=True, blank=True)
    owner_title = models.CharField(_("职称"), max_length=20, choices=Title.choices, blank=True)
    owner_education = models.CharField(_("学历"), max_length=20, choices=Education.choices, blank=True)
    owner_email = models.EmailField(_("电子邮箱"), blank=True)
    owner_synced_at = models.DateTimeField(_("负责人数据同步时间"), null=True, blank=True)

    # 合作情况(近二年): counts beside the lists
    exchange_visits = models.PositiveIntegerField(_("人员交流互访（人次）"), null=True, blank=True)
    joint_training = models.PositiveIntegerField(_("联合培养人才（人数）"), null=True, blank=True)

    # 内容说明
    basic_situation = models.TextField(_("平台基本情况"), blank=True)
    cooperation_basis = models.TextField(_("国际合作基础"), blank=True)
    goals_and_tasks = models.TextField(_("合作目标与任务"), blank=True)
    conditions = models.TextField(_("条件保障"), blank=True)

    objects = FilingQuerySet.as_manager()

    class Meta:
        verbose_name = _("平台备案")
        verbose_name_plural = _("平台备案")
        ordering = ["-updated_at"]
        indexes = [
            models.Index(fields=["owner", "-updated_at"]),
            models.Index(fields=["unit", "status"]),
            models.Index(fields=["status", "stage"]),
            models.Index(fields=["-submitted_at"]),
            # Review lists and counts at provincial scale (docs/performance.md, EXPLAIN on 100,000 filings):
            # scope counts as index-only scans, waiting counts, 创新地图 per status, and the ascending sorts.
            # The descending NULLS LAST sorts and the name search indexes are PostgreSQL-only (migration 0004).
            # submitted_at (the default sort) rides along in the two scope indexes, so SQLite pages a department's
            # lists from the index alone (docs/performance.md).
            models.Index(
                fields=["unit", "first_submitted_at", "submitted_at"], name="filing_unit_submitted_idx"
            ),
            models.Index(
                fields=["status", "stage", "unit", "first_submitted_at", "submitted_at"],
                name="filing_waiting_idx",
            ),
            # 统计分析 reads its columns from this index alone on PostgreSQL (an index-only scan of ~12 MB instead
            # of the 180 MB table at 100,000 filings); other databases ignore ``include``.
            models.Index(
                fields=["status", "unit", "id"],
                include=[
                    "main_country",
                    "stage",
                    "business",
                    "season",
                    "first_submitted_at",
                    "industries",
                    "partner_counts",
                ],
                name="filing_status_unit_idx",
            ),
            models.Index(fields=["name", "-id"], name="filing_name_idx"),
            models.Index(fields=["unit_name", "-id"], name="filing_unit_name_idx"),
            models.Index(fields=["submitted_at", "-id"], name="filing_submitted_asc_idx"),
        ]

    def __str__(self):
        return self.name or str(_("（未命名平台）"))

    def count_partners(self):
        """Store ``partner_counts`` from the partner rows (after every change of a partner)."""
        rows = self.partners.order_by().values_list("country").annotate(n=models.Count("id"))
        self.partner_counts = {str(country): n for country, n in rows}
        Filing.objects.filter(pk=self.pk).update(partner_counts=self.partner_counts)

    @property
    def is_editable(self):
        return self.status in EDITABLE_STATUSES

    @property
    def stage_label(self):
        """流程阶段 as shown to users: "平台：填报中", "平台：申报单位审核", … (F13)."""
        if self.status == Status.IN_REVIEW and self.stage_id:
            stage = self.stage.label
        else:
            stage = Status(self.status).label
        return stage_label(stage)

    @property
    def is_publicized(self):
        """已公示: 平台：完成 and listed in a published 公示 batch whose 公示期 is over (kechuang.publicity owns
        the batches; read here through the relation's name, one query, only for a completed filing)."""
        if self.status != Status.DONE:
            return False
        return self.publicity_entries.filter(
            batch__published_at__isnull=False, batch__end_on__lt=days.today()
        ).exists()


def get_visible_filing(user, public_id, queryset=None):
    """The filing ``user`` may see (``visible_to``), or 404: a foreign or unknown id reveals nothing."""
    queryset = Filing.objects.all() if queryset is None else queryset
    return get_object_or_404(queryset.visible_to(user), public_id=public_id)


def get_actionable_filing(user, public_id, queryset=None):
    """The filing waiting for ``user``'s decision (``actionable_by``), or 404."""
    queryset = Filing.objects.all() if queryset is None else queryset
    return get_object_or_404(queryset.actionable_by(user), public_id=public_id)


class FilingNumberCounter(models.Model):
    """The last 备案编号 counter of one prefix and year; its row is locked while a number is taken."""

    prefix = models.CharField(max_length=8)
    year = models.PositiveSmallIntegerField()
    last = models.PositiveIntegerField(default=0)

    class Meta:
        verbose_name = _("备案编号计数")
        verbose_name_plural = _("备案编号计数")
        constraints = [models.UniqueConstraint(fields=["prefix", "year"], name="one_counter_per_prefix_year")]

    def __str__(self):
        return f"{self.prefix}-{self.year}: {self.last}"


class Member(models.Model):
    """平台人员: a member of the platform other than the responsible person."""

    public_id = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    filing = models.ForeignKey(Filing, on_delete=models.CASCADE, related_name="members")
    name = models.CharField(_("姓名"), max_length=50)
    gender = models.CharField(_("性别"), max_length=10, choices=Gender.choices)
    birth_month = models.DateField(_("出生年月"), null=True, blank=True)
    title = models.CharField(_("职称"), max_length=20, choices=Title.choices)
    education = models.CharField(_("学历"), max_length=20, choices=Education.choices)
    major = models.CharField(_("专业/研究方向"), max_length=100, blank=True)
    task = models.CharField(_("在平台中承担的任务"), max_length=200, blank=True)

    class Meta:
        verbose_name = _("平台人员")
        verbose_name_plural = _("平台人员")
        ordering = ["id"]

    def __str__(self):
        return self.name


class PartnerType(models.TextChoices):
    UNIVERSITY = "university", _("大学")
    INSTITUTE = "institute", _("科研机构")
    ENTERPRISE = "enterprise", _("企业")
    OTHER = "other", _("其他")


class OverseasPartner(models.Model):
    """海外合作伙伴列表 (F6). Its 国别 are the only choices for the countries of 基本信息."""

    public_id = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    filing = models.ForeignKey(Filing, on_delete=models.CASCADE, related_name="partners")
    country = CountryField(_("国别"))
    name_zh = models.CharField(_("合作伙伴名称（中文）"), max_length=200)
    name_original = models.CharField(_("合作伙伴名称（原文）"), max_length=200, blank=True)
    partner_type = models.CharField(_("合作伙伴类型"), max_length=20, choices=PartnerType.choices)
    started_on = models.DateField(_("合作起始时间"))
    content = models.CharField(_("合作内容"), max_length=500)

    class Meta:
        verbose_name = _("海外合作伙伴")
        verbose_name_plural = _("海外合作伙伴")
        ordering = ["id"]

    def __str__(self):
        return self.name_zh

    def save(self, *args, **kwargs):
        super().save(*args, **kwargs)
        self.filing.count_partners()

    def delete(self, *args, **kwargs):
        result = super().delete(*args, **kwargs)
        self.filing.count_partners()
        return result


class JointProject(models.Model):
    public_id = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    filing = models.ForeignKey(Filing, on_delete=models.CASCADE, related_name="joint_projects")
    name = models.CharField(_("项目名称"), max_length=200)
    partner = models.CharField(_("合作方"), max_length=200)
    started_on = models.DateField(_("起始时间"))
    ended_on = models.DateField(_("结束时间"), null=True, blank=True)
    funding = models.DecimalField(_("经费（万元）"), max_digits=12, decimal_places=2, null=True, blank=True)

    class Meta:
        verbose_name = _("联合项目")
        verbose_name_plural = _("联合项目")
        ordering = ["id"]

    def __str__(self):
        return self.name


class JointResult(models.Model):
    public_id = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    filing = models.ForeignKey(Filing, on_delete=models.CASCADE, related_name="joint_results")
    title = models.CharField(_("成果名称"), max_length=200)
    kind = models.CharField(_("成果类型"), max_length=50, help_text=_("如论文、专利、标准等"))
    published_on = models.DateField(_("发表/取得时间"), null=True, blank=True)

    class Meta:
        verbose_name = _("联合成果")
        verbose_name_plural = _("联合成果")
        ordering = ["id"]

    def __str__(self):
        return self.title


class AttachmentKind(models.IntegerChoices):
    """附件 kinds ①–④ (F8), with the manual's descriptions and size limits."""

    CONDITIONS = 1, _("① 证明申报单位支撑条件的相关材料，如办公实验室、实验设备等图片")
    EXCHANGES = 2, _("② 科技人员交流互访情况")
    TRAINING = 3, _("③ 联合培养各类人才情况")
    OTHER = 4, _("④ 其他自愿提供的辅助材料")


def attachment_path(instance, filename):
    """Random storage names: nothing of the user's file name reaches the disk."""
    return f"attachments/{uuid.uuid4().hex[:2]}/{uuid.uuid4().hex}.pdf"


class Attachment(models.Model):
    public_id = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    filing = models.ForeignKey(Filing, on_delete=models.CASCADE, related_name="attachments")
    kind = models.PositiveSmallIntegerField(_("附件类型"), choices=AttachmentKind.choices)
    file = models.FileField(_("文件"), upload_to=attachment_path, max_length=200)
    original_name = models.CharField(_("文件名"), max_length=255)
    size = models.PositiveBigIntegerField(_("大小"))
    sha256 = models.CharField(max_length=64)
    uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("上传人"), on_delete=models.PROTECT, related_name="+"
    )
    uploaded_at = models.DateTimeField(_("上传时间"), auto_now_add=True)

    class Meta:
        verbose_name = _("附件")
        verbose_name_plural = _("附件")
        ordering = ["kind", "uploaded_at"]

    def __str__(self):
        return self.original_name
