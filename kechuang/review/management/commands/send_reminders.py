from django.core.management.base import BaseCommand

from kechuang.review.reminders import run


class Command(BaseCommand):
    help = (
        "Send today's reminders: reviewers' digests, returned filings' resubmission deadlines, units' waiting "
        "people. Run once a day (cron or a systemd timer, docs/deployment.md); a second run the same day sends "
        "nothing."
    )

    def handle(self, *args, **options):
        stats = run()
        self.stdout.write(
            f"digests {stats.digests}, resubmission reminders {stats.resubmit}, units {stats.units}"
        )
