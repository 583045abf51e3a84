from django.conf import settings
from django.core.management.base import CommandError
from django.utils.translation import gettext as _


def refuse_in_production(command_name):
    """Demo and benchmark data must never land in a production database by mistake."""
    if not settings.DEVTOOLS:
        raise CommandError(
            _(
                "%(command)s 只用于开发、演示和基准测试：生产环境（DEBUG 关闭）中不能运行。确需运行请设置 DEVTOOLS=1。"
            )
            % {"command": command_name}
        )
