from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class SecurityConfig(AppConfig):
    """The request guards below every app: body-size limit, idle sessions, login throttling, backups."""

    name = "kechuang.security"
    verbose_name = _("安全防护")

    def ready(self):
        from . import clientip, login_throttle, signals  # noqa: F401  (system check; login signals)
