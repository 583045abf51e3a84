"""Delete audit rows older than the retention period (AUDIT_RETENTION_DAYS), and only those."""

import datetime

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError
from django.utils import timezone

from kechuang.audit.models import EventKind, SecurityEvent
from kechuang.audit.recorder import record

# 《网络安全法》第二十一条：网络日志留存不少于六个月。
MINIMUM_DAYS = 180


class Command(BaseCommand):
    help = "删除早于保存期限（AUDIT_RETENTION_DAYS，默认 180 天，不得少于 180 天）的安全审计记录。"

    def add_arguments(self, parser):
        parser.add_argument("--days", type=int, default=None, help="保存天数，默认取 AUDIT_RETENTION_DAYS")
        parser.add_argument("--dry-run", action="store_true", help="只统计，不删除")

    def handle(self, *args, days=None, dry_run=False, **options):
        days = settings.AUDIT_RETENTION_DAYS if days is None else days
        if days < MINIMUM_DAYS:
            raise CommandError(
                f"保存期限不得少于 {MINIMUM_DAYS} 天（网络日志留存不少于六个月），当前为 {days} 天。"
            )
        cutoff = timezone.now() - datetime.timedelta(days=days)
        old = SecurityEvent.objects.filter(created_at__lt=cutoff)
        if dry_run:
            self.stdout.write(
                f"将删除 {old.count()} 条早于 {cutoff:%Y-%m-%d %H:%M} 的安全审计记录（未删除）。"
            )
            return
        # A bulk SQL delete (QuerySet.delete); SecurityEvent.delete() refuses single rows on purpose.
        deleted, _ = old.delete()
        record(EventKind.PURGE, username="manage.py", days=days, cutoff=cutoff.isoformat(), deleted=deleted)
        self.stdout.write(f"已删除 {deleted} 条早于 {cutoff:%Y-%m-%d %H:%M} 的安全审计记录。")
