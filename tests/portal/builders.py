"""Small builders for portal and personal-center tests: units in a region, filings in a given state.

Filing states are set with queryset .update(): this is test setup standing in for a finished review, not
application code (the application moves filings only through kechuang.review.transitions).
"""

import datetime

from django.utils import timezone

from kechuang.accounts.models import Department, Region, Role, Unit, User
from kechuang.accounts.validators import credit_check_char
from kechuang.filings.models import Filing, Status
from kechuang.portal.models import Notice
from kechuang.workflow.models import Business, Season


def credit_code(first17):
    return first17 + credit_check_char(first17)


def unit_in(region, number=1):
    """A company in ``region`` under 哈尔滨市科学技术局, with a unique valid credit code."""
    return Unit.objects.create(
        name=f"{Region(region).label}测试企业{number}",
        credit_code=credit_code(f"91230100MA{Region.values.index(region):03d}{number:04d}"),
        unit_type=Unit.Type.ENTERPRISE,
        region=region,
        department=Department.objects.get(name="哈尔滨市科学技术局"),
    )


def applicant_of(unit, username):
    return User.objects.create_user(
        username=username, password="x", name=username, role=Role.APPLICANT, unit=unit
    )


def filings(owner, business, count, status=Status.DRAFT, stage=None):
    """``count`` filings of ``owner``; a status other than 填报中 is put in place as if reviewed."""
    created = Filing.objects.bulk_create(
        Filing(business=business, owner=owner, unit=owner.unit, name=f"测试平台{i}") for i in range(count)
    )
    ids = [f.pk for f in created]
    if status != Status.DRAFT:
        now = timezone.now()
        Filing.objects.filter(pk__in=ids).update(
            status=status, stage=stage, first_submitted_at=now, submitted_at=now
        )
    return list(Filing.objects.filter(pk__in=ids))


def businesses(count, section="platforms", start=None, end=None):
    today = timezone.localdate()
    created = Business.objects.bulk_create(
        Business(name=f"测试业务{i:03d}", section=section, order=10 + i) for i in range(count)
    )
    start, end = start or today, end or today
    Season.objects.bulk_create(
        Season(business=b, year=start.year, period_start=start, period_end=end) for b in created
    )
    return created


def notices(tab, count, newest):
    """``count`` notices in ``tab``, one per day going back from ``newest``."""
    return Notice.objects.bulk_create(
        Notice(
            tab=tab,
            title=f"{Notice.Tab(tab).label}通知{i:02d}",
            published_on=newest - datetime.timedelta(days=i),
        )
        for i in range(count)
    )
