from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class FilingsConfig(AppConfig):
    name = "kechuang.filings"
    label = "filings"
    verbose_name = _("平台备案")
