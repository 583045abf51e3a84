from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class StatisticsConfig(AppConfig):
    name = "kechuang.statistics"
    label = "kechuang_statistics"  # "statistics" would shadow Python's own module name in app labels
    verbose_name = _("统计分析")

    def ready(self):
        from kechuang.review.transitions import filing_moved

        from .service import invalidate

        # After every committed move the cached tables (and the 创新地图) are recounted on every server.
        filing_moved.connect(invalidate, dispatch_uid="statistics_invalidate_on_move")
