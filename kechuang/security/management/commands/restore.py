"""`manage.py restore DIR --yes`: check the manifest's sha256, restore database and attachments, verify counts."""

from django.core.management.base import BaseCommand, CommandError

from kechuang.security.backup import BackupError, restore_backup


class Command(BaseCommand):
    help = "从 backup 生成的目录恢复数据库和附件；先校验 sha256，恢复后核对记录数。会覆盖目标数据库！"

    def add_arguments(self, parser):
        parser.add_argument("backup_dir", help="backup 命令生成的备份目录")
        parser.add_argument("--database-url", help="恢复到另一个数据库（默认：当前 DATABASE_URL）")
        parser.add_argument("--media-root", help="附件恢复目录（默认：当前 MEDIA_ROOT）")
        parser.add_argument("--bucket", help="对象存储中的附件恢复到另一个存储桶（默认：当前存储桶）")
        parser.add_argument("--yes", action="store_true", help="确认覆盖目标数据库")

    def handle(
        self, *args, backup_dir, database_url=None, media_root=None, bucket=None, yes=False, **options
    ):
        if not yes:
            raise CommandError("恢复会覆盖目标数据库和附件目录。请先停止应用服务，确认后加 --yes 重新执行。")
        try:
            counts = restore_backup(
                backup_dir, database_url=database_url, media_dir=media_root, bucket=bucket
            )
        except BackupError as exc:
            raise CommandError(str(exc)) from exc
        summary = "，".join(f"{label} {count}" for label, count in counts.items())
        self.stdout.write(f"恢复完成，记录数与备份清单一致：{summary}")
