from django.apps import AppConfig


class DevtoolsConfig(AppConfig):
    """Development and benchmark tools: the demo loader, the provincial-scale generator, the bare bench view.

    Installed only with DEBUG or DEVTOOLS=1 (settings.py); each command refuses to run otherwise as well.
    """

    name = "kechuang.devtools"
    verbose_name = "开发工具"
