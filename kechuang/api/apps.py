from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ApiConfig(AppConfig):
    """开放接口: the read-only REST API (/api/v1/) for other government systems, its tokens and its call log."""

    name = "kechuang.api"
    label = "api"
    verbose_name = _("开放接口")
    default_auto_field = "django.db.models.BigAutoField"
