"""`manage.py backup [--output DIR]`: database + attachments + manifest, in one directory (docs/backup.md)."""

import json

from django.core.management.base import BaseCommand, CommandError

from kechuang.security.backup import BackupError, create_backup


class Command(BaseCommand):
    help = "备份数据库和附件（MEDIA_ROOT），生成带 sha256 校验和记录数的备份目录。"

    def add_arguments(self, parser):
        parser.add_argument("--output", default="backups", help="备份存放目录（默认 ./backups）")

    def handle(self, *args, output, **options):
        try:
            target = create_backup(output)
        except BackupError as exc:
            raise CommandError(str(exc)) from exc
        self.stdout.write(f"备份完成：{target}")
        if objects := json.loads((target / "manifest.json").read_text(encoding="utf-8")).get("objects"):
            self.stdout.write(
                f"对象存储：共 {objects['count']} 个对象，本次复制 {objects['copied']} 个，"
                f"已在备份中 {objects['reused']} 个。"
            )
        manifest = (target / "manifest.json").read_text(encoding="utf-8")
        if '"missing_files": []' not in manifest:
            self.stderr.write(
                "警告：部分附件记录对应的文件不在附件目录中，详见 manifest.json 的 missing_files。"
            )
