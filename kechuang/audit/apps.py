from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class AuditConfig(AppConfig):
    """安全审计 (等保2.0): the append-only SecurityEvent log, its recorders, export and retention."""

    name = "kechuang.audit"
    verbose_name = _("安全审计")
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self):
        from . import signals  # noqa: F401  (connects the recorders)
