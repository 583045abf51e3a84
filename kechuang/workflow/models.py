"""The workflow's definitions: businesses with their 申报期, their review stages, and the labels of the moves.

They sit below filings and review: a filing belongs to a business and waits at a stage, and review moves it
from stage to stage. The tables keep the names they had when these models lived in portal and review.
"""

import uuid

from django.conf import settings
from django.db import models
from django.utils import formats
from django.utils.translation import get_language, gettext, gettext_noop
from django.utils.translation import gettext_lazy as _

from kechuang.accounts.models import Department, Unit

# Names kept as data that the system itself creates (migrations, demo): the default business and its stages, the
# 合作类别 options. They go into the catalogue here, so ``data_label`` shows them in English; a name an
# administrator types later is shown as typed (docs/i18n.md).
DATA_NAMES = (
    gettext_noop("省国际科技合作平台备案"),
    gettext_noop("省国际科技合作平台备案，依托单位审核、主管部门审核、省科技厅审核后完成备案。"),
    gettext_noop("申报单位审核"),
    gettext_noop("主管部门审核"),
    gettext_noop("省科技厅审核"),
    gettext_noop("国际联合实验室"),
    gettext_noop("国际联合研究中心"),
    gettext_noop("国际技术转移中心"),
    gettext_noop("国际科技合作基地"),
)
STAGE_PREFIX = "平台："


def data_label(text):
    """A name kept as data (a business, stage or 合作类别, a 流程阶段 label copied into the 流转记录) in the active
    language when the catalogue has it, else as stored. Chinese pages and the official documents (rendered under
    ``translation.override("zh-hans")``) get the stored text unchanged."""
    if not text:
        return text
    if text.startswith(STAGE_PREFIX):
        return stage_label(data_label(text[len(STAGE_PREFIX) :]))
    return gettext(text)


class Section(models.TextChoices):
    """The eight-item top navigation (P2); 首页 is the home page itself."""

    PROJECTS = "projects", _("科技项目")
    AWARDS = "awards", _("科技奖励")
    PLATFORMS = "platforms", _("科技创新平台")
    VOUCHERS = "vouchers", _("科技创新券")
    STATISTICS = "statistics", _("科技统计")
    SERVICES = "services", _("科技服务")
    CONTACT = "contact", _("联系我们")


class BusinessQuerySet(models.QuerySet):
    def search(self, text):
        """Businesses whose name holds ``text``; on a page in another language, also those whose translated
        name does (one more query, over the few business names)."""
        if not text:
            return self
        found = models.Q(name__icontains=text)
        if not (get_language() or settings.LANGUAGE_CODE).startswith("zh"):
            names = self.values_list("name", flat=True)
            found |= models.Q(name__in=[n for n in names if text.casefold() in data_label(n).casefold()])
        return self.filter(found)


class Business(models.Model):
    """业务: something people file online during its 申报期, e.g. 省国际科技合作平台备案."""

    public_id = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    name = models.CharField(_("业务名称"), max_length=100, unique=True)
    section = models.CharField(
        _("所属栏目"), max_length=20, choices=Section.choices, default=Section.PLATFORMS
    )
    description = models.TextField(_("说明"), blank=True)
    order = models.PositiveSmallIntegerField(_("排序"), default=0)

    objects = BusinessQuerySet.as_manager()

    class Meta:
        db_table = "portal_business"
        verbose_name = _("业务")
        verbose_name_plural = _("业务")
        ordering = ["order", "name"]

    def __str__(self):
        return data_label(self.name)

    def save(self, *args, **kwargs):
        super().save(*args, **kwargs)
        pending = self.__dict__.pop("_pending_period", None)
        if not pending:
            return
        season = self.current_season
        if season is None:
            start = pending.get("period_start") or pending["period_end"]
            season = Season(business=self, year=start.year)
        for which, value in pending.items():
            setattr(season, which, value)
        season.period_start = season.period_start or season.period_end
        season.period_end = season.period_end or season.period_start
        season.save()
        self.__dict__["_current_season"] = season

    @property
    def label(self):
        return data_label(self.name)

    @property
    def description_label(self):
        return data_label(self.description)

    # The 申报期 lives in the business's seasons (申报批次, below). ``period_start``/``period_end`` read the
    # current season's; setting them and saving the business changes that season (or starts the first one), so
    # code that creates a business with its 申报期 keeps working and there is one source of the dates.
    def is_open(self, today=None):
        """Whether the 申报期 is open today (kechuang.workflow.seasons.period_open decides)."""
        from .seasons import open_season  # same app; seasons builds on these models

        return open_season(self, now=today) is not None

    @property
    def current_season(self):
        if "_current_season" not in self.__dict__:
            from .seasons import current_season

            self.__dict__["_current_season"] = current_season(self) if self.pk else None
        return self.__dict__["_current_season"]

    def _period(self, which):
        pending = self.__dict__.get("_pending_period", {})
        if which in pending:
            return pending[which]
        season = self.current_season
        return getattr(season, which) if season else None

    def _set_period(self, which, value):
        self.__dict__.setdefault("_pending_period", {})[which] = value

    period_start = property(
        lambda self: self._period("period_start"), lambda self, v: self._set_period("period_start", v)
    )
    period_end = property(
        lambda self: self._period("period_end"), lambda self, v: self._set_period("period_end", v)
    )


class ReviewerKind(models.TextChoices):
    UNIT_ADMIN = "unit_admin", _("申报单位管理员")
    DEPARTMENT = "department", _("主管部门")
    PROVINCE = "province", _("省科技厅")


class Stage(models.Model):
    """One review stage of a business (W1). Stages are data: order, name and who reviews."""

    business = models.ForeignKey(
        Business, verbose_name=_("业务"), on_delete=models.CASCADE, related_name="stages"
    )
    order = models.PositiveSmallIntegerField(_("顺序"))
    name = models.CharField(_("阶段名称"), max_length=50)
    reviewer_kind = models.CharField(_("审核人"), max_length=20, choices=ReviewerKind.choices)

    class Meta:
        db_table = "review_stage"
        verbose_name = _("审核阶段")
        verbose_name_plural = _("审核阶段")
        ordering = ["business", "order"]
        constraints = [models.UniqueConstraint(fields=["business", "order"], name="one_stage_per_order")]

    def __str__(self):
        return f"{self.order}. {self.label}"

    @property
    def label(self):
        return data_label(self.name)


class Action(models.TextChoices):
    """The moves a filing can make (W2–W5); FlowRecord.action stores them."""

    SUBMIT = "submit", _("上报")
    WITHDRAW = "withdraw", _("撤销")
    APPROVE = "approve", _("通过")
    RETURN = "return", _("退回")
    REJECT = "reject", _("直接不通过")
    PUBLICITY_RETURN = "publicity_return", _("公示退回")
    VOID = "void", _("删除")  # F10 amended: a returned or withdrawn filing voided by its 负责人


class Season(models.Model):
    """申报批次: one round of a business — its 年度, 申报期, per-stage 审核截止 and 推荐限额.

    A filing belongs to the season open when it was created; next year's season starts empty and old seasons
    stay readable. Whether a period is open is decided only by ``open_season`` (below) and the day arithmetic
    only by ``kechuang.workflow.days``.
    """

    public_id = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    business = models.ForeignKey(
        Business, verbose_name=_("业务"), on_delete=models.PROTECT, related_name="seasons"
    )
    year = models.PositiveSmallIntegerField(_("年度"))
    name = models.CharField(_("批次名称"), max_length=100, blank=True)
    period_start = models.DateField(_("申报期开始"))
    period_end = models.DateField(_("申报期结束"))
    decisions_close = models.BooleanField(
        _("审核截止后不能再审核"),
        default=False,
        help_text=_("不勾选时，审核截止后仍可审核，但记为“逾期”。"),
    )

    class Meta:
        verbose_name = _("申报批次")
        verbose_name_plural = _("申报批次")
        ordering = ["business", "-year"]
        constraints = [
            models.UniqueConstraint(fields=["business", "year"], name="one_season_per_business_year"),
            models.CheckConstraint(
                condition=models.Q(period_end__gte=models.F("period_start")), name="season_end_after_start"
            ),
        ]

    def __str__(self):
        return self.name or gettext("%(business)s %(year)s年度") % {
            "business": self.business,
            "year": self.year,
        }


class StageDeadline(models.Model):
    """审核截止 of one stage in one season: the stage's reviewers decide by the end of this day (Asia/Shanghai)."""

    season = models.ForeignKey(
        Season, verbose_name=_("申报批次"), on_delete=models.CASCADE, related_name="deadlines"
    )
    stage = models.ForeignKey(Stage, verbose_name=_("审核阶段"), on_delete=models.CASCADE, related_name="+")
    due = models.DateField(_("审核截止日期"))

    class Meta:
        verbose_name = _("审核截止")
        verbose_name_plural = _("审核截止")
        constraints = [models.UniqueConstraint(fields=["season", "stage"], name="one_deadline_per_stage")]

    def __str__(self):
        return f"{self.stage.label}：{formats.date_format(self.due, 'SHORT_DATE_FORMAT')}"


class Quota(models.Model):
    """推荐限额 of one 主管部门 (or one unit that passes straight to the province) in one season.

    ``used`` is the counter: each 通过 into the province's stage locks this row and takes a place; a return,
    rejection or voiding by the province gives it back. No row means no limit.
    """

    season = models.ForeignKey(
        Season, verbose_name=_("申报批次"), on_delete=models.CASCADE, related_name="quotas"
    )
    department = models.ForeignKey(
        Department,
        verbose_name=_("主管部门"),
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="+",
    )
    unit = models.ForeignKey(
        Unit,
        verbose_name=_("申报单位"),
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="+",
        help_text=_("仅用于不经主管部门审核、直接报送省科技厅的单位。"),
    )
    limit = models.PositiveIntegerField(_("推荐限额"))
    used = models.PositiveIntegerField(_("已推荐"), default=0, editable=False)

    class Meta:
        verbose_name = _("推荐限额")
        verbose_name_plural = _("推荐限额")
        constraints = [
            models.CheckConstraint(
                condition=models.Q(department__isnull=False, unit__isnull=True)
                | models.Q(department__isnull=True, unit__isnull=False),
                name="quota_department_or_unit",
            ),
            models.UniqueConstraint(fields=["season", "department"], name="one_quota_per_department"),
            models.UniqueConstraint(fields=["season", "unit"], name="one_quota_per_unit"),
        ]

    def __str__(self):
        holder = self.department or self.unit
        return f"{holder}：{self.used} / {self.limit}"


class Extension(models.Model):
    """延期 granted by the province to a unit or a department: of the 申报期, of one stage's deadline, or both."""

    class Kind(models.TextChoices):
        PERIOD = "period", _("申报期延期")
        STAGE = "stage", _("审核截止延期")
        BOTH = "both", _("申报期和审核截止均延期")

    season = models.ForeignKey(
        Season, verbose_name=_("申报批次"), on_delete=models.CASCADE, related_name="extensions"
    )
    kind = models.CharField(_("延期类型"), max_length=10, choices=Kind.choices)
    unit = models.ForeignKey(
        Unit, verbose_name=_("申报单位"), on_delete=models.CASCADE, null=True, blank=True, related_name="+"
    )
    department = models.ForeignKey(
        Department,
        verbose_name=_("主管部门"),
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="+",
    )
    period_end = models.DateField(_("申报期延至"), null=True, blank=True)
    stage = models.ForeignKey(
        Stage,
        verbose_name=_("延期的审核阶段"),
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="+",
    )
    stage_due = models.DateField(_("审核截止延至"), null=True, blank=True)
    reason = models.CharField(_("延期理由"), max_length=500)
    granted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("批准人"), on_delete=models.PROTECT, related_name="+"
    )
    granted_at = models.DateTimeField(_("批准时间"), auto_now_add=True)

    class Meta:
        verbose_name = _("延期")
        verbose_name_plural = _("延期")
        ordering = ["-granted_at"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(department__isnull=False, unit__isnull=True)
                | models.Q(department__isnull=True, unit__isnull=False),
                name="extension_department_or_unit",
            ),
            models.CheckConstraint(
                condition=(
                    models.Q(kind="period", period_end__isnull=False, stage_due__isnull=True)
                    | models.Q(
                        kind="stage", period_end__isnull=True, stage_due__isnull=False, stage__isnull=False
                    )
                    | models.Q(
                        kind="both", period_end__isnull=False, stage_due__isnull=False, stage__isnull=False
                    )
                ),
                name="extension_kind_matches_dates",
            ),
        ]

    def __str__(self):
        return f"{self.unit or self.department}：{self.get_kind_display()}"


def stage_label(stage):
    """流程阶段 as users read it (F13): "平台：" and a stage name or a status label, e.g. 平台：申报单位审核."""
    return gettext("平台：%(stage)s") % {"stage": stage}
