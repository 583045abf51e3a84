from django.core.management.base import BaseCommand

from kechuang.outbox.mail import send_pending


class Command(BaseCommand):
    help = "Send the queued mails of the outbox (run every minute by cron or a systemd timer, or by the task runner)."

    def add_arguments(self, parser):
        parser.add_argument("--limit", type=int, default=500, help="at most this many mails per run")

    def handle(self, *args, limit, **options):
        sent, failed = send_pending(limit=limit)
        self.stdout.write(f"sent {sent}, failed {failed}")
