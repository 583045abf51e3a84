from django.apps import AppConfig


class PermissionsConfig(AppConfig):
    """The named rules (django-rules) of who may do what; rules' autodiscovery loads ``rules.py``."""

    name = "kechuang.permissions"
    verbose_name = "权限规则"
