import uuid

from django.conf import settings
from django.contrib.auth.models import AbstractUser, UserManager
from django.db import models
from django.utils.translation import gettext_lazy as _

from .validators import validate_credit_code, validate_identity, validate_mobile


class Region(models.TextChoices):
    """The 13 cities and regions of Heilongjiang Province (创新地图)."""

    HARBIN = "harbin", _("哈尔滨市")
    QIQIHAR = "qiqihar", _("齐齐哈尔市")
    MUDANJIANG = "mudanjiang", _("牡丹江市")
    JIAMUSI = "jiamusi", _("佳木斯市")
    DAQING = "daqing", _("大庆市")
    JIXI = "jixi", _("鸡西市")
    SHUANGYASHAN = "shuangyashan", _("双鸭山市")
    YICHUN = "yichun", _("伊春市")
    QITAIHE = "qitaihe", _("七台河市")
    HEGANG = "hegang", _("鹤岗市")
    HEIHE = "heihe", _("黑河市")
    SUIHUA = "suihua", _("绥化市")
    DAXINGANLING = "daxinganling", _("大兴安岭地区")


class Department(models.Model):
    """主管部门 (a competent department) or the provincial department itself."""

    class Kind(models.TextChoices):
        COMPETENT = "competent", _("主管部门")
        PROVINCIAL = "provincial", _("省科技厅")

    name = models.CharField(_("名称"), max_length=100, unique=True)
    kind = models.CharField(_("类型"), max_length=20, choices=Kind.choices, default=Kind.COMPETENT)

    class Meta:
        verbose_name = _("主管部门")
        verbose_name_plural = _("主管部门")
        ordering = ["name"]

    def __str__(self):
        return self.name


class Unit(models.Model):
    """依托单位 / 申报单位. Registration data (name, credit code, type) changes only through an approved UnitChange."""

    class Type(models.TextChoices):
        UNIVERSITY = "university", _("高校")
        INSTITUTE = "institute", _("科研院所")
        ENTERPRISE = "enterprise", _("企业")
        OTHER = "other", _("其他")

    public_id = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    name = models.CharField(_("单位名称"), max_length=100, unique=True)
    credit_code = models.CharField(
        _("统一社会信用代码"), max_length=18, unique=True, validators=[validate_credit_code]
    )
    unit_type = models.CharField(_("单位类型"), max_length=20, choices=Type.choices)
    region = models.CharField(_("所在地市"), max_length=20, choices=Region.choices)
    department = models.ForeignKey(
        Department,
        verbose_name=_("主管部门"),
        on_delete=models.PROTECT,
        related_name="units",
        limit_choices_to={"kind": Department.Kind.COMPETENT},
    )
    skip_department_review = models.BooleanField(
        _("直报省科技厅"),
        default=False,
        help_text=_("勾选后，该单位的备案跳过主管部门审核，直接由省科技厅审核。"),
    )
    address = models.CharField(_("通讯地址"), max_length=200, blank=True)
    postcode = models.CharField(_("邮政编码"), max_length=6, blank=True)
    contact_name = models.CharField(_("联系人"), max_length=50, blank=True)
    contact_phone = models.CharField(_("联系电话"), max_length=30, blank=True)
    contact_email = models.EmailField(_("电子邮箱"), blank=True)

    class Meta:
        verbose_name = _("依托单位")
        verbose_name_plural = _("依托单位")
        ordering = ["name"]

    def __str__(self):
        return self.name


class Role(models.TextChoices):
    APPLICANT = "applicant", _("个人用户")
    UNIT_ADMIN = "unit_admin", _("单位管理员")
    DEPARTMENT_REVIEWER = "department_reviewer", _("主管部门审核人")
    PROVINCE_REVIEWER = "province_reviewer", _("省科技厅审核人")
    SYSTEM_ADMIN = "system_admin", _("系统管理员")
    SECURITY_ADMIN = "security_admin", _("安全管理员")
    AUDIT_ADMIN = "audit_admin", _("审计管理员")


# 三员分立 (等保2.0): one account holds at most one of these (one role field; the superuser is none of them).
ADMINISTRATOR_ROLES = (Role.SYSTEM_ADMIN, Role.SECURITY_ADMIN, Role.AUDIT_ADMIN)


class Gender(models.TextChoices):
    MALE = "male", _("男")
    FEMALE = "female", _("女")


class IdType(models.TextChoices):
    ID_CARD = "id_card", _("身份证")
    PASSPORT = "passport", _("护照")
    HK_MACAO = "hk_macao", _("港澳居民来往内地通行证")
    TAIWAN = "taiwan", _("台湾居民来往大陆通行证")
    OTHER = "other", _("其他")


class PersonStatus(models.TextChoices):
    """人员状态 in 人员管理: a self-registered person waits for the unit administrator (F1 needs 已确认)."""

    PENDING = "pending", _("待确认")
    CONFIRMED = "confirmed", _("已确认")
    REFUSED = "refused", _("未通过")
    DISABLED = "disabled", _("已停用")


class Title(models.TextChoices):
    """职称."""

    SENIOR = "senior", _("正高级")
    ASSOCIATE = "associate", _("副高级")
    INTERMEDIATE = "intermediate", _("中级")
    JUNIOR = "junior", _("初级")
    OTHER = "other", _("其他")


class Education(models.TextChoices):
    """学历."""

    DOCTOR = "doctor", _("博士研究生")
    MASTER = "master", _("硕士研究生")
    BACHELOR = "bachelor", _("大学本科")
    COLLEGE = "college", _("大学专科")
    OTHER = "other", _("其他")


class User(AbstractUser):
    """A person. 姓名 and the F5 profile fields (个人信息) live here; first/last name are unused."""

    public_id = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    role = models.CharField(_("角色"), max_length=30, choices=Role.choices, default=Role.APPLICANT)
    unit = models.ForeignKey(
        Unit,
        verbose_name=_("依托单位"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="people",
    )
    department = models.ForeignKey(
        Department,
        verbose_name=_("所属部门"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="reviewers",
        help_text=_("审核人所在的主管部门或省科技厅。"),
    )
    name = models.CharField(_("姓名"), max_length=50)
    gender = models.CharField(_("性别"), max_length=10, choices=Gender.choices, blank=True)
    position = models.CharField(_("职务"), max_length=50, blank=True)
    research_field = models.CharField(_("研究方向"), max_length=100, blank=True)
    mobile = models.CharField(_("手机"), max_length=11, blank=True, validators=[validate_mobile])
    id_type = models.CharField(_("证件类型"), max_length=20, choices=IdType.choices, default=IdType.ID_CARD)
    id_number = models.CharField(_("证件号码"), max_length=30, blank=True)
    birth_date = models.DateField(_("出生日期"), null=True, blank=True)
    title = models.CharField(_("职称"), max_length=20, choices=Title.choices, blank=True)
    education = models.CharField(_("学历"), max_length=20, choices=Education.choices, blank=True)
    # Registration (kechuang.registration): a person waits as 待确认 until the unit administrator confirms them;
    # a unit administrator's account waits as 待确认 until the unit registration is approved.
    person_status = models.CharField(
        _("人员状态"), max_length=20, choices=PersonStatus.choices, default=PersonStatus.CONFIRMED
    )
    # 个人信息 → 通知设置 (W10, reminders): arrivals by one daily digest mail instead of one mail each; daily reminders.
    mail_digest = models.BooleanField(
        _("待审核提醒改为每日汇总邮件"),
        default=False,
        help_text=_("勾选后，新到达的待审核平台不再逐条发送邮件，而在每日提醒中汇总（站内消息照常）。"),
    )
    reminders_enabled = models.BooleanField(
        _("接收每日提醒"), default=True, help_text=_("待审核汇总、再次上报截止等每日提醒（站内消息和邮件）。")
    )

    # 中文 | English in the header: remembered here for a signed-in person, so pages after the next login and mail
    # sent later by a command (send_reminders) use it; blank = never chosen, the default language applies.
    language = models.CharField(
        _("界面语言"), max_length=10, choices=settings.LANGUAGES, blank=True, default=""
    )

    must_change_password = models.BooleanField(
        _("下次登录须修改密码"),
        default=False,
        help_text=_("密码由管理员设置或经重置后为是；本人修改密码后自动取消。"),
    )

    objects = UserManager()

    class Meta:
        verbose_name = _("用户")
        verbose_name_plural = _("用户")
        constraints = [
            # 个人注册: one personal account per identity document.
            models.UniqueConstraint(
                fields=["id_type", "id_number"],
                condition=models.Q(role="applicant") & ~models.Q(id_number=""),
                name="one_applicant_per_identity",
            ),
            # 三员分立: the emergency superuser is a separate account, never one of the three administrators.
            models.CheckConstraint(
                condition=~models.Q(
                    is_superuser=True, role__in=["system_admin", "security_admin", "audit_admin"]
                ),
                name="superuser_is_not_an_administrator",
            ),
        ]

    def __str__(self):
        return self.name or self.username

    def clean(self):
        super().clean()
        validate_identity(self.id_type, self.id_number, self.birth_date)

    @property
    def mail_language(self):
        """The language of pages and mail for this person: their 中文 | English choice, else the default."""
        return self.language or settings.LANGUAGE_CODE

    @property
    def is_administrator(self):
        """One of the three administrators (三员): admin site only, second factor required."""
        return self.role in ADMINISTRATOR_ROLES

    @property
    def is_applicant(self):
        return self.role == Role.APPLICANT

    @property
    def is_unit_admin(self):
        return self.role == Role.UNIT_ADMIN

    @property
    def is_reviewer(self):
        return self.role in (Role.UNIT_ADMIN, Role.DEPARTMENT_REVIEWER, Role.PROVINCE_REVIEWER)

    @property
    def organisation_name(self):
        """The unit or department a person acts for, as written into 流转记录."""
        if self.role in (Role.DEPARTMENT_REVIEWER, Role.PROVINCE_REVIEWER) and self.department_id:
            return self.department.name
        return self.unit.name if self.unit_id else ""


class UnitChange(models.Model):
    """A unit administrator's change of registration data (修改注册信息), waiting for a system administrator."""

    class Status(models.TextChoices):
        PENDING = "pending", _("待审核")
        APPROVED = "approved", _("已通过")
        REFUSED = "refused", _("未通过")
        WITHDRAWN = "withdrawn", _("已撤回")

    unit = models.ForeignKey(
        Unit, verbose_name=_("依托单位"), on_delete=models.PROTECT, related_name="changes"
    )
    status = models.CharField(_("状态"), max_length=20, choices=Status.choices, default=Status.PENDING)
    name = models.CharField(_("单位名称"), max_length=100)
    credit_code = models.CharField(_("统一社会信用代码"), max_length=18, validators=[validate_credit_code])
    unit_type = models.CharField(_("单位类型"), max_length=20, choices=Unit.Type.choices)
    old_name = models.CharField(_("原单位名称"), max_length=100)
    old_credit_code = models.CharField(_("原统一社会信用代码"), max_length=18)
    old_unit_type = models.CharField(_("原单位类型"), max_length=20, choices=Unit.Type.choices)
    requested_by = models.ForeignKey(
        User, verbose_name=_("提交人"), on_delete=models.PROTECT, related_name="+"
    )
    requested_at = models.DateTimeField(_("提交时间"), auto_now_add=True)
    decided_by = models.ForeignKey(
        User, verbose_name=_("审核人"), on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    decided_at = models.DateTimeField(_("审核时间"), null=True, blank=True)
    reason = models.CharField(_("审核意见"), max_length=500, blank=True)

    class Meta:
        verbose_name = _("单位注册信息变更")
        verbose_name_plural = _("单位注册信息变更")
        ordering = ["-requested_at"]
        constraints = [
            models.UniqueConstraint(
                fields=["unit"], condition=models.Q(status="pending"), name="one_pending_change_per_unit"
            )
        ]

    def __str__(self):
        return f"{self.old_name} → {self.name}"

    def differences(self):
        """(label, old, new) for each registration field this change alters, for history lists."""
        rows = []
        for field in ("name", "credit_code", "unit_type"):
            old, new = getattr(self, f"old_{field}"), getattr(self, field)
            if old != new:
                if field == "unit_type":
                    old, new = Unit.Type(old).label if old else "", Unit.Type(new).label
                rows.append((Unit._meta.get_field(field).verbose_name, old, new))
        return rows


class ContactChange(models.Model):
    """History of 修改基本信息 (contacts and address), effective at once."""

    unit = models.ForeignKey(
        Unit, verbose_name=_("依托单位"), on_delete=models.PROTECT, related_name="contact_changes"
    )
    changed_by = models.ForeignKey(User, verbose_name=_("修改人"), on_delete=models.PROTECT, related_name="+")
    changed_at = models.DateTimeField(_("修改时间"), auto_now_add=True)
    before = models.JSONField(_("修改前"))
    after = models.JSONField(_("修改后"))

    class Meta:
        verbose_name = _("单位基本信息修改记录")
        verbose_name_plural = _("单位基本信息修改记录")
        ordering = ["-changed_at"]

    def __str__(self):
        return f"{self.unit} {self.changed_at:%Y-%m-%d %H:%M}"

    def differences(self):
        """(label, before, after) for each contact field this change altered, in the form's order."""
        return [
            (Unit._meta.get_field(field).verbose_name, self.before.get(field, ""), value)
            for field, value in self.after.items()
            if self.before.get(field, "") != value
        ]
