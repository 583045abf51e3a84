from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class RegistrationConfig(AppConfig):
    name = "kechuang.registration"
    verbose_name = _("注册与人员管理")
