"""API令牌 and the API call log.

A token is a random secret shown once when the 系统管理员 creates it; only its SHA-256 is stored, so neither the
database nor a backup can be used to call the API. Its scope is one of the three reviewer scopes (a unit, a
competent department, the province) and it sees exactly what that scope's reviewers see on the web.
"""

import hashlib
import ipaddress
import secrets

from django.core.exceptions import ValidationError
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from kechuang.accounts.models import Department, Unit
from kechuang.workflow.models import ReviewerKind

TOKEN_PREFIX = "kc_"


def hash_token(raw):
    return hashlib.sha256(raw.encode("utf-8", "surrogatepass")).hexdigest()


def parse_networks(text):
    """The allow-list as networks: one address or CIDR network per line (commas and spaces also separate)."""
    networks = []
    for item in text.replace(",", " ").split():
        try:
            networks.append(ipaddress.ip_network(item, strict=False))
        except ValueError as exc:
            raise ValidationError(
                _("“%(item)s”不是有效的IP地址或网段（例如 10.1.2.3 或 10.1.0.0/16）。"), params={"item": item}
            ) from exc
    return networks


class ApiTokenQuerySet(models.QuerySet):
    def usable(self, now=None):
        now = now or timezone.now()
        return self.filter(revoked_at__isnull=True, expires_at__gt=now)


class ApiToken(models.Model):
    name = models.CharField(_("名称"), max_length=100, help_text=_("例如：国家科技管理信息系统对接"))
    scope = models.CharField(_("范围"), max_length=20, choices=ReviewerKind.choices)
    department = models.ForeignKey(
        Department,
        verbose_name=_("主管部门"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        limit_choices_to={"kind": Department.Kind.COMPETENT},
        help_text=_("范围为“主管部门”时必选。"),
    )
    unit = models.ForeignKey(
        Unit,
        verbose_name=_("依托单位"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        help_text=_("范围为“依托单位”时必选。"),
    )
    key_hash = models.CharField(_("令牌摘要"), max_length=64, unique=True, editable=False)
    key_prefix = models.CharField(_("令牌前缀"), max_length=12, editable=False)
    expires_at = models.DateTimeField(_("有效期至"))
    allowed_addresses = models.TextField(
        _("允许的来源地址"),
        blank=True,
        help_text=_("每行一个IP地址或网段（如 10.1.0.0/16）；留空表示不限制来源地址。"),
    )
    created_at = models.DateTimeField(_("创建时间"), auto_now_add=True)
    created_by = models.ForeignKey(
        "accounts.User", verbose_name=_("创建人"), on_delete=models.PROTECT, null=True, related_name="+"
    )
    revoked_at = models.DateTimeField(_("撤销时间"), null=True, blank=True)

    objects = ApiTokenQuerySet.as_manager()

    class Meta:
        verbose_name = _("API令牌")
        verbose_name_plural = _("API令牌")
        ordering = ["-created_at"]
        constraints = [
            models.CheckConstraint(
                name="api_token_scope_target",
                condition=(
                    models.Q(scope=ReviewerKind.PROVINCE, department__isnull=True, unit__isnull=True)
                    | models.Q(scope=ReviewerKind.DEPARTMENT, department__isnull=False, unit__isnull=True)
                    | models.Q(scope=ReviewerKind.UNIT_ADMIN, department__isnull=True, unit__isnull=False)
                ),
            )
        ]

    def __str__(self):
        return f"{self.name}（{self.key_prefix}…）"

    def clean(self):
        super().clean()
        if self.scope == ReviewerKind.DEPARTMENT and not self.department_id:
            raise ValidationError({"department": _("范围为“主管部门”时请选择主管部门。")})
        if self.scope == ReviewerKind.UNIT_ADMIN and not self.unit_id:
            raise ValidationError({"unit": _("范围为“依托单位”时请选择依托单位。")})
        if self.scope != ReviewerKind.DEPARTMENT:
            self.department = None
        if self.scope != ReviewerKind.UNIT_ADMIN:
            self.unit = None
        try:
            parse_networks(self.allowed_addresses)
        except ValidationError as exc:
            raise ValidationError({"allowed_addresses": exc.messages}) from exc

    def issue(self):
        """A new secret for this (unsaved) token; returns the raw value, which is never stored."""
        raw = TOKEN_PREFIX + secrets.token_urlsafe(32)
        self.key_hash = hash_token(raw)
        self.key_prefix = raw[:10]
        return raw

    @property
    def is_revoked(self):
        return self.revoked_at is not None

    @property
    def is_expired(self):
        return self.expires_at <= timezone.now()

    def allows(self, address):
        """Whether a call from ``address`` may use this token (an empty allow-list allows every address)."""
        if not self.allowed_addresses.strip():
            return True
        if not address:
            return False
        try:
            client = ipaddress.ip_address(address)
        except ValueError:
            return False
        try:
            networks = parse_networks(self.allowed_addresses)
        except ValidationError:
            return False
        return any(client.version == net.version and client in net for net in networks)


class ApiLog(models.Model):
    """One row per API call: kept apart from the security audit log (own table, own retention)."""

    created_at = models.DateTimeField(_("时间"), default=timezone.now, db_index=True)
    token = models.ForeignKey(
        ApiToken, verbose_name=_("令牌"), on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    method = models.CharField(_("方法"), max_length=10)
    endpoint = models.CharField(_("接口"), max_length=300)
    client_address = models.GenericIPAddressField(_("来源地址"), null=True, blank=True)
    status = models.PositiveSmallIntegerField(_("状态码"))
    duration_ms = models.PositiveIntegerField(_("耗时（毫秒）"), default=0)

    class Meta:
        verbose_name = _("接口调用日志")
        verbose_name_plural = _("接口调用日志")
        ordering = ["-created_at", "-id"]
        indexes = [models.Index(fields=["token", "-created_at"])]

    def __str__(self):
        return f"{self.method} {self.endpoint} {self.status}"
