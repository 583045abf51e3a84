from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class WorkflowConfig(AppConfig):
    name = "kechuang.workflow"
    verbose_name = _("业务与审核流程")
