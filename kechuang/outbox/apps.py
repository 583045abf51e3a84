from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class OutboxConfig(AppConfig):
    """邮件发件箱: mail is written here inside the transaction that causes it and sent later, never in a request."""

    name = "kechuang.outbox"
    label = "outbox"
    verbose_name = _("邮件发件箱")
    default_auto_field = "django.db.models.BigAutoField"
