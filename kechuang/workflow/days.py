"""The one definition of a calendar day (W11 deadlines): days are Asia/Shanghai days, and a date as a deadline
lasts to 23:59:59 of that day. Everything that asks "is it over?" or "how many days are left?" asks here."""

import datetime
from zoneinfo import ZoneInfo

from django.utils import timezone

SHANGHAI = ZoneInfo("Asia/Shanghai")


def today(now=None):
    """The Asia/Shanghai date of ``now`` (default: this moment); a date is taken as it is."""
    if isinstance(now, datetime.date) and not isinstance(now, datetime.datetime):
        return now
    return (now or timezone.now()).astimezone(SHANGHAI).date()


def start_of(day):
    """The first moment of ``day`` in Asia/Shanghai (a date filter "from ``day``" starts here)."""
    return datetime.datetime.combine(day, datetime.time.min, tzinfo=SHANGHAI)


def end_of(day):
    """The first moment after ``day``: a deadline on ``day`` holds while ``now < end_of(day)``."""
    return datetime.datetime.combine(day + datetime.timedelta(days=1), datetime.time.min, tzinfo=SHANGHAI)


def is_over(day, now=None):
    """True once ``day`` (a deadline) has ended in Asia/Shanghai; a missing deadline is never over."""
    if isinstance(now, datetime.date) and not isinstance(now, datetime.datetime):
        return now > day if day is not None else False
    return day is not None and (now or timezone.now()) >= end_of(day)


def days_left(day, now=None):
    """Whole days from today to ``day``: 0 on the day itself, negative after it, None without a deadline."""
    return None if day is None else (day - today(now)).days


def latest(*days):
    """The latest of the given dates, ignoring missing ones (None when all are missing)."""
    present = [day for day in days if day is not None]
    return max(present) if present else None
