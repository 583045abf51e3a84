"""Delete API call log rows older than API_LOG_RETENTION_DAYS (default and minimum 180 days), in batches."""

import datetime

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError
from django.utils import timezone

from kechuang.api.models import ApiLog

# 《网络安全法》第二十一条：网络日志留存不少于六个月 — the API's call log is such a log too.
MINIMUM_DAYS = 180
BATCH = 10_000


class Command(BaseCommand):
    help = "删除早于保存期限（API_LOG_RETENTION_DAYS，默认 180 天，不得少于 180 天）的接口调用日志。"

    def add_arguments(self, parser):
        parser.add_argument("--days", type=int, default=None, help="保存天数，默认取 API_LOG_RETENTION_DAYS")
        parser.add_argument("--dry-run", action="store_true", help="只统计，不删除")

    def handle(self, *args, days=None, dry_run=False, **options):
        days = settings.API_LOG_RETENTION_DAYS if days is None else days
        if days < MINIMUM_DAYS:
            raise CommandError(
                f"保存期限不得少于 {MINIMUM_DAYS} 天（网络日志留存不少于六个月），当前为 {days} 天。"
            )
        cutoff = timezone.now() - datetime.timedelta(days=days)
        old = ApiLog.objects.filter(created_at__lt=cutoff)
        if dry_run:
            self.stdout.write(
                f"将删除 {old.count()} 条早于 {cutoff:%Y-%m-%d %H:%M} 的接口调用日志（未删除）。"
            )
            return
        deleted = 0
        # Batches of ids: a year of calls is millions of rows, and one DELETE would hold its locks throughout.
        while ids := list(old.order_by("id").values_list("id", flat=True)[:BATCH]):
            deleted += ApiLog.objects.filter(id__in=ids).delete()[0]
        self.stdout.write(f"已删除 {deleted} 条早于 {cutoff:%Y-%m-%d %H:%M} 的接口调用日志。")
