"""备案编号 (F9): ``GJHZ-2026-000123`` — the year of the first 上报 and a per-year counter.

Called only by review.transitions.submit, inside its transaction, for a filing that has no number yet. The
counter row is locked (``select_for_update``) so two simultaneous first 上报 never get the same number; on SQLite
the IMMEDIATE transaction mode serialises writers instead. A number once given is never reused or changed,
also not when the filing is withdrawn, returned and submitted again.
"""

from django.conf import settings
from django.utils import timezone

from .models import FilingNumberCounter


def number_prefix():
    return getattr(settings, "FILING_NUMBER_PREFIX", "GJHZ")


def allocate_number(when=None):
    """The next 备案编号 of the year of ``when`` (local time); call inside a transaction."""
    year = timezone.localtime(when or timezone.now()).year
    prefix = number_prefix()
    FilingNumberCounter.objects.get_or_create(prefix=prefix, year=year)
    counter = FilingNumberCounter.objects.select_for_update().get(prefix=prefix, year=year)
    counter.last += 1
    counter.save(update_fields=["last"])
    return f"{prefix}-{year}-{counter.last:06d}"
