"""`manage.py cleanup_orphans [--delete]`: stored files under attachments/ that no Attachment row references.

They arise when a request stores a file and then fails before its row commits, or when a filing (and with it
its attachment rows) is deleted. Users never see them: files are only reachable through Attachment rows.
"""

import datetime

from django.core.management.base import BaseCommand
from django.utils import timezone

from kechuang.filings.models import Attachment

PREFIX = "attachments"


def stored_files(storage, directory=PREFIX):
    """Every file under ``directory``, through the storage API (works for local disk and S3 alike)."""
    try:
        directories, files = storage.listdir(directory)
    except FileNotFoundError:  # nothing uploaded yet (object stores simply list nothing)
        return
    for name in files:
        yield f"{directory}/{name}"
    for sub in directories:
        yield from stored_files(storage, f"{directory}/{sub}")


def find_orphans(older_than_minutes):
    storage = Attachment._meta.get_field("file").storage
    # List first, then read the references: a file whose row commits meanwhile is then seen as referenced.
    files = list(stored_files(storage))
    referenced = set(Attachment.objects.values_list("file", flat=True))
    cutoff = timezone.now() - datetime.timedelta(minutes=older_than_minutes)
    orphans = []
    for name in files:
        if name in referenced:
            continue
        # Uploads in flight: their row is not committed yet; leave young files alone.
        if older_than_minutes and storage.get_modified_time(name) > cutoff:
            continue
        orphans.append(name)
    return storage, orphans


class Command(BaseCommand):
    help = "查找（加 --delete 则删除）附件目录中没有附件记录引用的孤立文件。"

    def add_arguments(self, parser):
        parser.add_argument("--delete", action="store_true", help="删除找到的孤立文件")
        parser.add_argument(
            "--older-than",
            type=int,
            default=60,
            metavar="MINUTES",
            help="只处理早于此分钟数的文件（默认 60）",
        )

    def handle(self, *args, delete=False, older_than=60, **options):
        storage, orphans = find_orphans(older_than)
        for name in orphans:
            if delete:
                storage.delete(name)
            self.stdout.write(name)
        verb = "已删除" if delete else "找到"
        self.stdout.write(f"{verb} {len(orphans)} 个孤立文件。")
